"""Compare data: each indicator's figures side by side across cases, and totals of summable ones.

Figures come from the measures, so each links to the measure it belongs to (see
:func:`measure_anchors`). Totals add only indicators the vocabulary marks
``summable: true`` and never a target or a figure of a planned measure.

Rows are sparse: an indicator's row holds only the cases that report it (every other case
is "not reported"), and all rows come from one pass over all figures, so the work and the
data grow with the number of figures, not with cases × indicators. While the casebook is
small (:data:`MATRIX_MAX` cases) the compare page shows the full matrix; beyond that it shows
an overview, and every indicator has its own page (``compare/<indicator>.md``) either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .schema import Case, Figure, Measure, ValidCase
from .vocabulary import Vocabulary


def measure_anchors(case: Case) -> list[str]:
    """A stable, unique anchor per measure, in record order: ``m-<id>`` when it has an id, else ``m-<position>``."""
    anchors: list[str] = []
    seen: set[str] = set()
    for index, measure in enumerate(case.measures, start=1):
        anchor = f"m-{measure.id or index}"
        while anchor in seen:
            anchor += "-" + str(index)
        anchors.append(anchor)
        seen.add(anchor)
    return anchors


@dataclass(frozen=True)
class FigureRef:
    """One figure of one case, with the measure it belongs to and that measure's anchor."""

    item: ValidCase
    figure: Figure
    measure: Measure
    anchor: str

    @property
    def when(self) -> str | None:
        return self.figure.when or self.measure.when


# The compare page shows every case as a column up to this many cases; beyond, an overview table.
MATRIX_MAX = 12


@dataclass
class IndicatorRow:
    """One indicator across the casebook: the figures of the cases that report it, by case id."""

    indicator: str
    summable: bool
    unit: str
    cells: dict[str, list[FigureRef]]   # case id → its figures, only cases that report it, in id order
    cases: int = 0                      # cases in the casebook (reporting or not)

    @property
    def reporting(self) -> int:
        return len(self.cells)

    @property
    def not_reporting(self) -> int:
        return self.cases - self.reporting

    @cached_property
    def figures(self) -> list[FigureRef]:
        return [ref for refs in self.cells.values() for ref in refs]


@dataclass(frozen=True)
class Total:
    """The sum of an indicator's reported results (targets left out), with how loose it is."""

    indicator: str
    unit: str
    value: int | float
    approx: str | None
    cases: int
    figures: int


def figure_refs(item: ValidCase) -> list[FigureRef]:
    anchors = measure_anchors(item.case)
    return [FigureRef(item, f, m, anchors[i]) for i, m in enumerate(item.case.measures) for f in m.figures]


def compare_rows(cases: list[ValidCase], vocabulary: Vocabulary) -> list[IndicatorRow]:
    """One row per indicator any case reports, in vocabulary order, from one pass over every figure.

    Each row's cells hold only the reporting cases, ordered by case id.
    """
    found: dict[str, dict[str, list[FigureRef]]] = {}
    for item in sorted(cases, key=lambda c: c.id):
        for ref in figure_refs(item):
            found.setdefault(ref.figure.indicator, {}).setdefault(item.id, []).append(ref)
    rows = [IndicatorRow(key_, indicator.summable, indicator.unit, found[key_], len(cases))
            for key_, indicator in vocabulary.indicators.items() if key_ in found]
    return rows


def combined_approx(flags: list[str | None]) -> str | None:
    """How loose a sum is: exact if every part is; at-least/at-most if every loose part is so; else about."""
    loose = {f for f in flags if f}
    if not loose:
        return None
    return loose.pop() if len(loose) == 1 and loose <= {"at-least", "at-most"} else "about"


def totals(rows: list[IndicatorRow]) -> list[Total]:
    """Sums across cases of the summable indicators, results only (targets are never added)."""
    found = []
    for row in rows:
        if not row.summable:
            continue
        results = [r for r in row.figures if not r.figure.target and r.measure.status != "planned"]
        if not results:
            continue
        value = sum(r.figure.value for r in results)
        if isinstance(value, float):
            value = round(value, 6)
        found.append(Total(row.indicator, row.unit, value, combined_approx([r.figure.approx for r in results]),
                           len({r.item.id for r in results}), len(results)))
    return found
