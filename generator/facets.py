"""Browse data: which cases belong to each theme, relationship type, province and year.

Pure functions over validated records; the templates under ``templates/browse*`` turn
them into pages. Every facet page lives at ``browse/<facet>/<slug>.md`` with an index
at ``browse/<facet>/index.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .schema import Case, Measure, Partner, ValidCase
from .vocabulary import Vocabulary

# Facet ids in the order the browse page lists them; each is also the folder under browse/.
FACETS = ("theme", "relationship", "from", "to", "year")
VOCABULARY_KIND = {"theme": "themes", "relationship": "relationships", "from": "provinces", "to": "provinces"}


def slug(value: str) -> str:
    """The directory name of a facet value's page: vocabulary ids as they are, provinces lower-cased."""
    return value.lower()


def facet_path(facet: str, value: str) -> str:
    """The page's file, at its URL's directory: links in its HTML read the same to MkDocs and Zensical."""
    return f"browse/{facet}/{slug(value)}/index.md"


def period_years(case: Case) -> tuple[int, int]:
    """First and last year of the source period; an ongoing period ends in the year the source was issued."""
    period = case.source.period
    last = period.to if period.to is not None else max(period.from_, int(case.source.issued[:4]))
    return period.from_, last


def years_of(case: Case) -> list[int]:
    """Years a case is listed under: those of its source period, and no others.

    A measure dated after the period or a timeline event (a founding, a later agreement) is history or follow-up
    the source mentions; listing the case under such a year would say it covers a year it does not.
    """
    first, last = period_years(case)
    return list(range(first, last + 1))


def themes_of(case: Case) -> list[str]:
    return list(dict.fromkeys(m.theme for m in case.measures))


def relationships_of(case: Case) -> list[str]:
    return list(dict.fromkeys(r for p in case.partners for r in p.relationship))


def assisted_provinces(case: Case) -> list[str]:
    return list(dict.fromkeys(p.region.province for p in case.partners))


def values_of(case: Case, facet: str) -> list[str]:
    """The values a case has under one facet, as strings (years too)."""
    if facet == "theme":
        return themes_of(case)
    if facet == "relationship":
        return relationships_of(case)
    if facet == "from":
        return [case.reporter.province]
    if facet == "to":
        return assisted_provinces(case)
    return [str(y) for y in years_of(case)]


@dataclass
class Entry:
    """One case on one facet page, with what ties it to the value."""

    item: ValidCase
    partners: list[Partner] = field(default_factory=list)   # partners concerned (relationship / assisted province)
    measures: list[Measure] = field(default_factory=list)   # measures concerned (theme)


@dataclass
class FacetValue:
    facet: str
    value: str
    entries: list[Entry]

    @property
    def slug(self) -> str:
        return slug(self.value)

    @cached_property
    def groups(self) -> list[tuple[str, list[Entry]]]:
        """Entries grouped by the reporter's province (used on assisted-province pages), in code order."""
        by: dict[str, list[Entry]] = {}
        for entry in self.entries:
            by.setdefault(entry.item.case.reporter.province, []).append(entry)
        return sorted(by.items())


def _theme_partners(case: Case, measures: list[Measure]) -> list[Partner]:
    """The partners a theme's measures name, in record order; all the case's partners if they name none."""
    named = {pid for m in measures for pid in m.partners}
    return [p for p in case.partners if p.id in named] if named else list(case.partners)


def _entries(item: ValidCase) -> dict[str, dict[str, Entry]]:
    """The case's entry under each value of each facet, from one look at the record."""
    case = item.case
    everyone = list(case.partners)
    by_theme: dict[str, list[Measure]] = {}
    for measure in case.measures:
        by_theme.setdefault(measure.theme, []).append(measure)
    by_relationship: dict[str, list[Partner]] = {}
    by_province: dict[str, list[Partner]] = {}
    for partner in case.partners:
        for relationship in dict.fromkeys(partner.relationship):
            by_relationship.setdefault(relationship, []).append(partner)
        by_province.setdefault(partner.region.province, []).append(partner)
    return {
        "theme": {t: Entry(item, partners=_theme_partners(case, ms), measures=ms) for t, ms in by_theme.items()},
        "relationship": {r: Entry(item, partners=ps) for r, ps in by_relationship.items()},
        "from": {case.reporter.province: Entry(item, partners=everyone)},
        "to": {p: Entry(item, partners=ps) for p, ps in by_province.items()},
        "year": {str(y): Entry(item, partners=everyone) for y in years_of(case)},
    }


def _ordered(facet: str, found: dict[str, list[Entry]], vocabulary: Vocabulary) -> list[FacetValue]:
    """The facet's values in vocabulary (or year) order."""
    if facet == "year":
        order = sorted(found, key=int)
    else:
        order = [term for term in vocabulary.terms(VOCABULARY_KIND[facet]) if term in found]
    return [FacetValue(facet, value, found[value]) for value in order]


def all_facets(cases: list[ValidCase], vocabulary: Vocabulary) -> dict[str, list[FacetValue]]:
    """Every facet's values with their cases (by id), from one pass over the cases."""
    found: dict[str, dict[str, list[Entry]]] = {facet: {} for facet in FACETS}
    for item in sorted(cases, key=lambda c: c.id):
        for facet, entries in _entries(item).items():
            for value, entry in entries.items():
                found[facet].setdefault(value, []).append(entry)
    return {facet: _ordered(facet, found[facet], vocabulary) for facet in FACETS}


@dataclass(frozen=True)
class Pairing:
    """Cases in which a reporter from one province assists partners in another (or the same) province."""

    source: str
    target: str
    cases: tuple[ValidCase, ...]


def pairings(cases: list[ValidCase]) -> list[Pairing]:
    """Reporting province → assisted province, with the cases behind each pair, most cases first."""
    found: dict[tuple[str, str], list[ValidCase]] = {}
    for item in sorted(cases, key=lambda c: c.id):
        for province in assisted_provinces(item.case):
            found.setdefault((item.case.reporter.province, province), []).append(item)
    ordered = sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [Pairing(source, target, tuple(items)) for (source, target), items in ordered]
