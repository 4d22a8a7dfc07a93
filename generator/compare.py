"""Compare data: each indicator's figures side by side across cases, and totals of summable ones.

Figures come from the measures, so each links to the measure it belongs to (see
:func:`measure_anchors`). Totals add only indicators the vocabulary marks
``summable: true`` and never a target.
"""

from __future__ import annotations

from dataclasses import dataclass

from .schema import Case, Figure, Measure
from .validate import ValidCase
from .vocabulary import Vocabulary


def measure_anchors(case: Case) -> list[str]:
    """A stable, unique anchor per measure, in record order: ``m-<id>`` when it has an id, else ``m-<position>``."""
    anchors: list[str] = []
    for index, measure in enumerate(case.measures, start=1):
        anchor = f"m-{measure.id or index}"
        while anchor in anchors:
            anchor += "-" + str(index)
        anchors.append(anchor)
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


@dataclass
class IndicatorRow:
    indicator: str
    summable: bool
    unit: str
    cells: dict[str, list[FigureRef]]   # case id → figures (empty: not reported)

    @property
    def reporting(self) -> int:
        return sum(1 for refs in self.cells.values() if refs)

    @property
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
    """One row per indicator any case reports, in vocabulary order; one cell per case (ordered by id)."""
    ordered = sorted(cases, key=lambda c: c.id)
    refs = {item.id: figure_refs(item) for item in ordered}
    rows = []
    for key, indicator in vocabulary.indicators.items():
        cells = {item.id: [r for r in refs[item.id] if r.figure.indicator == key] for item in ordered}
        if any(cells.values()):
            rows.append(IndicatorRow(key, indicator.summable, indicator.unit, cells))
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
        results = [r for r in row.figures if not r.figure.target]
        if not results:
            continue
        value = sum(r.figure.value for r in results)
        if isinstance(value, float):
            value = round(value, 6)
        found.append(Total(row.indicator, row.unit, value, combined_approx([r.figure.approx for r in results]),
                           len({r.item.id for r in results}), len(results)))
    return found
