"""What the page producers read (render.PRODUCERS): the data every language's pages share, made once per
generation (stage 2), and the context of one language's pages (stage 3)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from . import case_page, facets, finder
from .compare import IndicatorRow, compare_rows
from .schema import ValidCase
from .settings import Settings
from .vocabulary import Vocabulary

# Each case's part of a data file: ``(what, item, make) -> make(item)``. The preview passes one that keeps the parts
# of the records that did not change (preview.py); a build makes each.
EachCase = Callable[[Hashable, ValidCase, Callable[[ValidCase], str]], str]


def make_each(what: Hashable, item: ValidCase, make: Callable[[ValidCase], str]) -> str:
    return make(item)


@dataclass(frozen=True)
class SharedData:
    """What every language's pages use alike, computed once per generation: the compare rows, the cases' cards
    (newest first) and every facet's values with their cases."""

    rows: list[IndicatorRow]
    cards: list[finder.Card]
    facets: dict[str, list[facets.FacetValue]]
    related: dict[str, list[finder.Card]]   # by case id: the cards of its related cases (case_page.related_cases)


def shared_data(cases: list[ValidCase], vocabulary: Vocabulary, settings: Settings) -> SharedData:
    cards = [finder.card(item) for item in finder.newest_first(cases)]
    by_id = {c.id: c for c in cards}
    related = {case_id: [by_id[other.id] for other in others]
               for case_id, others in case_page.related_cases(cases).items()}
    return SharedData(compare_rows(cases, vocabulary), cards, facets.all_facets(cases, vocabulary), related)


@dataclass(frozen=True)
class PageContext:
    """One language's pages: what each producer reads. ``env`` is the Jinja environment the pages render with
    (the preview's wraps it: preview.py); ``common`` the context every page template gets."""

    env: Any   # a jinja2.Environment, or what stands in for one (``get_template``)
    common: dict[str, Any]
    cases: list[ValidCase]
    vocabulary: Vocabulary
    settings: Settings
    shared: SharedData
    with_data: bool = False   # whether the open-data files are made with this language's pages (opendata.py)
    data_sizes: Callable[[], dict[str, int]] = dict   # each data file's bytes, asked once they are written
    each_case: EachCase = make_each

    @property
    def lang(self) -> str:
        return self.common["lang"]
