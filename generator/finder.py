"""The case finder (``cases/``) and the case cards of the home page: what a card shows, and the finder's data.

A card says what a case is about at a glance: title, who assists whom, where, when, its main themes and its
lead (what was done, for whom, what changed), or its summary's first sentence where the record has no lead. The
finder page lists the cards in pages of :data:`PAGE_SIZE` (readable without JavaScript), and ``cases/finder.json``
holds every case's card and facet values for the finder's script (``site_overrides/assets/finder.js``), which
filters, counts and sorts them in the browser.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .facets import assisted_provinces, period_years, relationships_of
from .filters import oneline
from .schema import Case, Text, ValidCase
from .typography import join_folded
from .vocabulary import Vocabulary

PAGE_SIZE = 24          # cards per page of the list, with and without JavaScript
CARD_THEMES = 3         # themes a card names (those with the most measures)
CARD_PARTNERS = 2       # assisted partners a card names before "and n more"
# Finder facets: URL parameter → vocabulary kind of its values (the year range is apart).
FINDER_FACETS = {"relationship": "relationships", "theme": "themes", "from": "provinces", "to": "provinces",
                 "kind": "institution_kinds"}
# A sentence ends at a full stop (。！？ or . ! ? before a space or the end); ; and ： do not end one.
_SENTENCE = re.compile(r"^.+?(?:[。！？]|[.!?](?=\s|$))", re.S)


def first_sentence(text: str) -> str:
    """The first sentence of a text, on one line (the whole first paragraph if no sentence ends in it)."""
    first = oneline(text.strip().split("\n\n")[0])
    found = _SENTENCE.match(first)
    return found.group(0) if found else first


def in_language(text: Text, lang: str) -> str:
    """A text in ``lang``; the Chinese while the English is missing (its folded lines joined, as on the pages)."""
    return text.en if lang == "en" and text.en else join_folded(text.zh)


def card_text(case: Case) -> Text:
    """What a card, a link preview and the feed say of a case: its lead, else its summary's first sentence."""
    if case.lead is not None:
        return case.lead
    return Text.model_construct(zh=first_sentence(case.summary.zh),
                                en=case.summary.en and first_sentence(case.summary.en))


def themes_by_weight(case: Case) -> list[str]:
    """The case's themes, those with the most measures first, then in record order."""
    counts = Counter(m.theme for m in case.measures)
    order = list(dict.fromkeys(m.theme for m in case.measures))
    return sorted(order, key=lambda theme: (-counts[theme], order.index(theme)))


@dataclass(frozen=True)
class Card:
    """What one case card shows (the template and finder.js lay it out)."""

    item: ValidCase
    themes: list[str]             # all themes, heaviest first; a card shows CARD_THEMES of them
    assisted: list[Text]          # the first CARD_PARTNERS partners' names
    more_partners: int            # how many partners beyond those
    to: list[str]                 # assisted provinces
    summary: Text                 # the lead, or the summary's first sentence (card_text)

    @property
    def partners(self) -> int:
        """How many partners the case has in all (the Chinese card counts them all: 等20个受援对象)."""
        return len(self.item.case.partners)

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def case(self) -> Case:
        return self.item.case


def card(item: ValidCase) -> Card:
    case = item.case
    return Card(item, themes_by_weight(case), [p.name for p in case.partners[:CARD_PARTNERS]],
                max(0, len(case.partners) - CARD_PARTNERS), assisted_provinces(case), card_text(case))


def newest_first(cases: list[ValidCase]) -> list[ValidCase]:
    return sorted(cases, key=lambda c: (c.case.added, c.id), reverse=True)


def pages_of(cards: list[Card]) -> list[list[Card]]:
    """The cards in pages of PAGE_SIZE (one empty page for an empty casebook)."""
    return [cards[i:i + PAGE_SIZE] for i in range(0, len(cards), PAGE_SIZE)] or [[]]


def page_path(number: int) -> str:
    """The docs path of page ``number`` of the list (1 is the finder itself)."""
    return "cases/index.md" if number == 1 else f"cases/page/{number}/index.md"


@dataclass(frozen=True)
class FacetOption:
    """One value of a finder facet: its id, label and number of cases."""

    value: str
    label: str
    count: int


def facet_options(cases: list[ValidCase], vocabulary: Vocabulary, lang: str) -> dict[str, list[FacetOption]]:
    """Each finder facet's values that some case has, most cases first, then by label; "not stated" last."""
    counts: dict[str, Counter] = {facet: Counter() for facet in FINDER_FACETS}
    for item in cases:
        for facet, values in facet_values(item.case).items():
            counts[facet].update(values)
    options: dict[str, list[FacetOption]] = {}
    for facet, kind in FINDER_FACETS.items():
        terms = vocabulary.terms(kind)
        found = (FacetOption(value, getattr(terms[value], lang), n) for value, n in counts[facet].items())
        # "not stated" (a vocabulary term's not_stated) after the values that say something
        options[facet] = sorted(found, key=lambda o, t=terms: (getattr(t[o.value], "not_stated", False), -o.count,
                                                               o.label))
    return options


def facet_values(case: Case) -> dict[str, list[str]]:
    """The case's values under each finder facet."""
    return {"relationship": relationships_of(case), "theme": list(dict.fromkeys(m.theme for m in case.measures)),
            "from": [case.reporter.province], "to": assisted_provinces(case), "kind": [case.reporter.kind]}


def finder_data(cards: list[Card], vocabulary: Vocabulary, lang: str, strings: dict[str, Any],
                period: Any) -> str:
    """cases/finder.json: every case's card and facet values, and the labels and words the script needs.

    Plain data; finder.js puts every text into the page as text (never as markup).
    """
    labels = {facet: {term: getattr(label, lang) for term, label in vocabulary.terms(kind).items()}
              for facet, kind in FINDER_FACETS.items()}
    used = {facet: set() for facet in FINDER_FACETS}
    records = []
    for c in cards:
        case = c.case
        values = facet_values(case)
        for facet, found in values.items():
            used[facet].update(found)
        first, last = period_years(case)
        # what the text filter searches besides the card's own words: the other language's title and reporter,
        # and every partner's name in both languages
        other = "en" if lang == "zh" else "zh"
        searchable = [getattr(case.title, other), getattr(case.reporter.name, other)]
        searchable += list(dict.fromkeys(n for p in case.partners for n in (p.name.zh, p.name.en) if n))
        records.append({
            "id": c.id, "title": in_language(case.title, lang), "reporter": in_language(case.reporter.name, lang),
            "assisted": [in_language(name, lang) for name in c.assisted], "more": c.more_partners,
            "partners": c.partners,
            "period": period(case.source.period), "first": first, "last": last, "added": case.added,
            "summary": in_language(c.summary, lang), "themes": c.themes,
            "text": " ".join(t for t in searchable if t),
            **{facet: found for facet, found in values.items() if facet != "theme"},   # themes holds them all
        })
    return json.dumps({
        "labels": {facet: {term: label for term, label in labels[facet].items() if term in used[facet]}
                   for facet in FINDER_FACETS},
        "words": strings,
        "cases": records,
    }, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
