"""Browse data: which cases belong to each theme, relationship type, province and year.

Pure functions over validated records; the templates under ``templates/browse*`` turn
them into pages. Every facet page lives at ``browse/<facet>/<slug>.md`` with an index
at ``browse/<facet>/index.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .schema import Case, Measure, Partner
from .validate import ValidCase
from .vocabulary import Vocabulary

# Facet ids in the order the browse page lists them; each is also the folder under browse/.
FACETS = ("theme", "relationship", "from", "to", "year")
VOCABULARY_KIND = {"theme": "themes", "relationship": "relationships", "from": "provinces", "to": "provinces"}


def slug(facet: str, value: str) -> str:
    """The file name (without .md) of a facet value's page: vocabulary ids as they are, provinces lower-cased."""
    return value.lower()


def facet_path(facet: str, value: str) -> str:
    return f"browse/{facet}/{slug(facet, value)}.md"


def years_of(case: Case) -> list[int]:
    """Years a case is active in: its source period, the dates of its measures and figures, and its timeline."""
    period = case.source.period
    last = period.to if period.to is not None else max(period.from_, int(case.source.issued[:4]))
    years = set(range(period.from_, last + 1))
    dates = [m.when for m in case.measures] + [e.when for e in case.timeline]
    dates += [f.when for m in case.measures for f in m.figures] + [f.when for f in case.figures]
    years.update(int(d[:4]) for d in dates if d)
    return sorted(years)


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
        return slug(self.facet, self.value)

    @property
    def groups(self) -> list[tuple[str, list[Entry]]]:
        """Entries grouped by the reporter's province (used on assisted-province pages), in code order."""
        by: dict[str, list[Entry]] = {}
        for entry in self.entries:
            by.setdefault(entry.item.case.reporter.province, []).append(entry)
        return sorted(by.items())


def _entry(item: ValidCase, facet: str, value: str) -> Entry:
    case = item.case
    if facet == "relationship":
        return Entry(item, partners=[p for p in case.partners if value in p.relationship])
    if facet == "to":
        return Entry(item, partners=[p for p in case.partners if p.region.province == value])
    if facet == "theme":
        return Entry(item, measures=[m for m in case.measures if m.theme == value])
    return Entry(item, partners=list(case.partners))


def facet_values(cases: list[ValidCase], vocabulary: Vocabulary, facet: str) -> list[FacetValue]:
    """Every value of one facet that at least one case has, in vocabulary (or year) order, cases by id."""
    found: dict[str, list[Entry]] = {}
    for item in sorted(cases, key=lambda c: c.id):
        for value in values_of(item.case, facet):
            found.setdefault(value, []).append(_entry(item, facet, value))
    if facet == "year":
        order = sorted(found, key=int)
    else:
        order = [term for term in vocabulary.terms(VOCABULARY_KIND[facet]) if term in found]
    return [FacetValue(facet, value, found[value]) for value in order]


def all_facets(cases: list[ValidCase], vocabulary: Vocabulary) -> dict[str, list[FacetValue]]:
    return {facet: facet_values(cases, vocabulary, facet) for facet in FACETS}


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
