"""Where in its source a record's statements come from: the outline's heading paths and the locators naming them.

A locator is a path of outline headings from the top joined by " › ", or "before the first heading", or
"untitled slide after <path>" for a stretch of the source without a heading of its own. Headings are compared
after normalising what editors and converters vary: whitespace, Markdown marks, and the width of brackets,
colons and full stops.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .errors import Problem
from .load import Document, Loc
from .schema import Case, Heading

SEPARATOR = " › "
BEFORE_FIRST_HEADING = "before the first heading"
UNTITLED_AFTER = "untitled slide after "

# Full-width forms NFKC leaves alone, and the Markdown marks a heading copied from a converted file carries.
_WIDTH = str.maketrans({"。": ".", "｡": ".", "【": "[", "】": "]", "〔": "(", "〕": ")"})
_MARKS_AND_SPACE = re.compile(r"[\s#*]+")


def normalise(heading: str) -> str:
    """A heading as compared: no whitespace or Markdown marks, one width of brackets and punctuation."""
    return _MARKS_AND_SPACE.sub("", unicodedata.normalize("NFKC", heading).translate(_WIDTH))


def heading_paths(outline: list[Heading], above: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every path of headings from the top of ``outline``, in document order."""
    for entry in outline:
        path = (*above, entry.heading)
        yield path
        yield from heading_paths(entry.sections, path)


def glossed_paths(outline: list[Heading], above: tuple[Heading, ...] = ()) -> Iterator[tuple[Heading, ...]]:
    """Every path of headings from the top of ``outline``, as the outline's entries, in document order."""
    for entry in outline:
        path = (*above, entry)
        yield path
        yield from glossed_paths(entry.sections, path)


@dataclass(frozen=True)
class Place:
    """Where a locator points, as pages show it: the source's own headings and their English glosses."""

    kind: Literal["heading", "before", "untitled"]  # under a heading; before the first; an untitled stretch after
    headings: tuple[str, ...]  # as the outline writes them, from the top (none before the first heading)
    gloss: str  # their English glosses joined by SEPARATOR (a heading without one stands for itself); '' if none


def place_of(locator: str, outline: list[Heading]) -> Place:
    """The place a (valid) locator names in ``outline``."""
    path = heading_path_of(locator) or ""
    kind = "before" if not path else "untitled" if path != " ".join(locator.split()) else "heading"
    wanted = normalised_path(path)
    entries = next((entries for entries in glossed_paths(outline)
                    if normalised_path(SEPARATOR.join(e.heading for e in entries)) == wanted), ())
    if not entries:
        return Place(kind, tuple(part.strip() for part in path.split("›") if part.strip()), "")
    glossed = any(e.en for e in entries)
    return Place(kind, tuple(e.heading for e in entries),
                 SEPARATOR.join(e.en or e.heading for e in entries) if glossed else "")


def normalised_path(locator: str) -> str:
    """A locator as compared: each heading normalised, whatever spaces surround the separators."""
    return SEPARATOR.join(normalise(part) for part in locator.split("›"))


def heading_path_of(locator: str) -> str | None:
    """The heading path a locator names ('' before the first heading), or None when it is no locator at all."""
    text = " ".join(locator.split())
    if text == BEFORE_FIRST_HEADING:
        return ""
    if text.startswith(UNTITLED_AFTER):
        return text[len(UNTITLED_AFTER):]
    return text


def locator_problems(doc: Document, case: Case) -> list[Problem]:
    """Locators that name no heading path of the outline; missing locators once the record has an outline."""
    outline = case.source.outline
    known = {normalised_path(SEPARATOR.join(path)): SEPARATOR.join(path) for path in heading_paths(outline)}
    problems = []
    for loc, locator, required in located_items(case):
        if locator is None:
            if outline and required:
                problems.append(doc.problem((*loc, "source_at"), "required once source.outline is given: where in "
                                            "the source this comes from",
                                            f"write the heading path, e.g. source_at: {next(iter(known.values()))}"))
            continue
        path = heading_path_of(locator)
        if path == "" or normalised_path(path) in known:
            continue
        problems.append(doc.problem((*loc, "source_at"), f"'{locator}' is not a heading of source.outline",
                                    _closest_hint(path, known)))
    return problems


# How much of a locator and of each heading path the closest-heading hint compares. difflib takes time in proportion
# to the product of the two lengths: whole, a deep outline of long headings and a long locator held `casebook
# validate` for minutes (a 690 KB record, over three); their beginnings tell a near miss as well.
_HINT_COMPARED = 200


def _closest_hint(path: str, known: dict[str, str]) -> str:
    if not known:
        return "list the source's headings under source.outline first, or write 'before the first heading'"
    beginnings: dict[str, str] = {}
    for normalised, written in known.items():
        beginnings.setdefault(normalised[:_HINT_COMPARED], written)
    close = difflib.get_close_matches(normalised_path(path)[:_HINT_COMPARED], list(beginnings), n=1, cutoff=0)
    return (f"the closest heading is '{beginnings[close[0]]}'; a locator is a path of headings from the top joined by "
            f"'{SEPARATOR}', 'before the first heading' or '{UNTITLED_AFTER}<path>'")


def located_items(case: Case) -> Iterator[tuple[Loc, str | None, bool]]:
    """(location, locator, whether one is required once there is an outline) of every item that can carry one."""
    for m, measure in enumerate(case.measures):
        yield ("measures", m), measure.source_at, True
        for i, figure in enumerate(measure.figures):
            yield ("measures", m, "figures", i), figure.source_at, False
    for i, figure in enumerate(case.figures):
        yield ("figures", i), figure.source_at, True
    for i, figure in enumerate(case.reporter.figures):
        yield ("reporter", "figures", i), figure.source_at, True
    for p, partner in enumerate(case.partners):
        for i, figure in enumerate(partner.figures):
            yield ("partners", p, "figures", i), figure.source_at, True
    for e, event in enumerate(case.timeline):
        yield ("timeline", e), event.source_at, True
