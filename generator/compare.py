"""Compare data: each indicator's figures side by side across cases, and totals of summable ones.

Figures come from the measures, so each links to the measure it belongs to (see
:func:`measure_anchors`). Totals add only indicators the vocabulary marks
``summable: true`` and never a target or a figure of a planned measure; and only where
adding means something: no figure is a running total (cumulative), none is undated, and
no two figures of one case cover overlapping periods. Where that fails, :func:`why_no_total`
says why, and the pages say so instead of showing a sum. Indicators of one concept in
different units (:attr:`Indicator.concept`) share a heading, and are never added together.

Rows are sparse: an indicator's row holds only the cases that report it (every other case
is "not reported"), and all rows come from one pass over all figures, so the work and the
data grow with the number of figures, not with cases × indicators. While the casebook is
small (:data:`MATRIX_MAX` cases) the compare page shows the full matrix; beyond that it shows
an overview, and every indicator has its own page (``compare/<indicator>.md``) either way.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from .chains import is_planned
from .schema import Case, Figure, Measure, SpanDates, ValidCase
from .vocabulary import Vocabulary

# Why figures are not added up, in the order they are looked for: each has a sentence on the pages
# (templates/strings/*: compare.no_total).
NoTotal = Literal["units", "cumulative", "undated", "overlapping"]


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

    @property
    def is_result(self) -> bool:
        return not is_planned(self.figure, self.measure.status)

    def days(self) -> tuple[datetime.date, datetime.date] | None:
        """The first and last day the figure covers, or None when it is undated or a running total."""
        span, when = self.figure.span, self.when
        if isinstance(span, SpanDates):
            return _first_day(span.from_), _last_day(span.to)
        if span is None or span == "cumulative" or when is None:
            return None
        if span == "as-of":  # a stock: everything up to its date is in it
            return datetime.date.min, _last_day(when)
        if span == "half-year" and len(when) > 4:
            first_half = int(when[5:7]) <= 6
            return (datetime.date(int(when[:4]), 1 if first_half else 7, 1),
                    datetime.date(int(when[:4]), 6, 30) if first_half else datetime.date(int(when[:4]), 12, 31))
        return _first_day(when[:4]), _last_day(when[:4])  # a year; a half-year without its month: the whole year


def _first_day(date: str) -> datetime.date:
    return datetime.date.fromisoformat((date + "-01-01")[:10])


def _last_day(date: str) -> datetime.date:
    if len(date) == 10:
        return datetime.date.fromisoformat(date)
    year, month = int(date[:4]), int(date[5:7]) if len(date) == 7 else 12
    following = datetime.date(year + 1, 1, 1) if month == 12 else datetime.date(year, month + 1, 1)
    return following - datetime.timedelta(days=1)


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
    concept: str | None = None          # the indicator whose heading it shares (the same thing in another unit)

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
    rows = [IndicatorRow(key_, indicator.summable, indicator.unit, found[key_], len(cases), indicator.concept)
            for key_, indicator in vocabulary.indicators.items() if key_ in found]
    order = {row.indicator: n for n, row in enumerate(rows)}
    # one concept's rows together, where its heading's indicator stands (or its first row, when that one is absent)
    heads = {row.concept or row.indicator: order.get(row.concept or row.indicator, order[row.indicator])
             for row in reversed(rows)}
    return sorted(rows, key=lambda row: (heads[row.concept or row.indicator], row.concept is not None))


def concepts(rows: list[IndicatorRow]) -> dict[str, list[IndicatorRow]]:
    """The rows under each heading: an indicator's own, or with the rows of its concept in other units."""
    found: dict[str, list[IndicatorRow]] = {}
    for row in rows:
        found.setdefault(row.concept or row.indicator, []).append(row)
    return found


@dataclass
class ConceptRow:
    """A line of the side-by-side tables: one indicator, or every indicator counting one thing in different units
    (never added up), each case's figures in all of them together. Each value carries its own unit, so the line is
    named by the thing counted alone, not by a unit on a row of its own."""

    indicator: str               # the heading's indicator, whose label names the line
    rows: list[IndicatorRow]     # its indicators, the heading's first

    @cached_property
    def cells(self) -> dict[str, list[FigureRef]]:
        """case id → its figures in every unit of the line, in case id order."""
        merged: dict[str, list[FigureRef]] = {}
        for row in self.rows:
            for case_id, refs in row.cells.items():
                merged.setdefault(case_id, []).extend(refs)
        return dict(sorted(merged.items()))

    @property
    def reporting(self) -> int:
        return len(self.cells)


def concept_rows(rows: list[IndicatorRow]) -> list[ConceptRow]:
    """The side-by-side tables' lines: the rows under each heading (:func:`concepts`) as one line."""
    return [ConceptRow(head, group) for head, group in concepts(rows).items()]


def combined_approx(flags: list[str | None]) -> str | None:
    """How loose a sum is: exact if every part is; at-least/at-most if every loose part is so; else about."""
    loose = {f for f in flags if f}
    if not loose:
        return None
    return loose.pop() if len(loose) == 1 and loose <= {"at-least", "at-most"} else "about"


def why_no_total(row: IndicatorRow) -> NoTotal | None:
    """Why a summable indicator's results are not added up, or None when they may be."""
    results = [r for r in row.figures if r.is_result]
    if any(r.figure.span == "cumulative" for r in results):
        return "cumulative"
    periods = [(r.item.id, r.days()) for r in results]
    if any(days is None for _, days in periods):
        return "undated"
    by_case: dict[str, list[tuple[datetime.date, datetime.date]]] = {}
    for case_id, days in periods:
        by_case.setdefault(case_id, []).append(days)
    for spans in by_case.values():
        spans.sort()
        if any(later[0] <= earlier[1] for earlier, later in zip(spans, spans[1:], strict=False)):
            return "overlapping"
    return None


def why_no_concept_total(rows: list[IndicatorRow]) -> NoTotal | None:
    """Why the rows under one heading are not added together: in different units, never."""
    return "units" if len({row.unit for row in rows}) > 1 else None


def no_totals(rows: list[IndicatorRow]) -> dict[str, NoTotal]:
    """The summable indicators with results that are not added up, and why."""
    return {row.indicator: why for row in rows
            if row.summable and any(r.is_result for r in row.figures) and (why := why_no_total(row))}


def totals(rows: list[IndicatorRow]) -> list[Total]:
    """Sums across cases of the summable indicators, results only (targets are never added), where adding means
    something (:func:`why_no_total`)."""
    found = []
    for row in rows:
        if not row.summable:
            continue
        results = [r for r in row.figures if r.is_result]
        if not results or why_no_total(row):
            continue
        value = sum(r.figure.value for r in results)
        if isinstance(value, float):
            value = round(value, 6)
        found.append(Total(row.indicator, row.unit, value, combined_approx([r.figure.approx for r in results]),
                           len({r.item.id for r in results}), len(results)))
    return found
