"""Geometry of the SVG charts and the map: coordinates and sizes only.

The markup lives in ``templates/svg/*.svg.j2``; this module computes where things go.
The map places each province at the seat of its government (``data/province_points.csv``,
coordinates from GeoNames, CC BY 4.0) and draws no boundaries.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .compare import FigureRef, IndicatorRow
from .facets import Pairing
from .schema import Figure

POINTS_FILE = Path(__file__).resolve().parent / "data" / "province_points.csv"


# ---------------------------------------------------------------- bar charts

@dataclass(frozen=True)
class Bar:
    ref: FigureRef
    y: float          # top of the row (label baseline is y + 14)
    width: float      # bar length


@dataclass(frozen=True)
class BarChart:
    indicator: str
    width: int
    height: int
    plot_width: int
    bars: list[Bar]
    figures: int      # figures of the indicator, drawn or not
    cases: int        # cases reporting it
    largest: Figure   # the figure with the largest value

    @property
    def capped(self) -> bool:
        return len(self.bars) < self.figures


BAR_ROW = 46
BAR_TOP = 8
CHART_WIDTH = 640
VALUE_SPACE = 150
BAR_LIMIT = 20        # at most this many bars: beyond, the largest values only (the table lists them all)
LABEL_ROOM = 92       # a bar's label fits in the chart's width: about 92 Latin letters of 13 px, a Han character two


def text_width(text: str) -> int:
    """Width of a label in Latin letters: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit_text(text: str, room: int) -> str:
    """``text`` cut (with an ellipsis) to at most ``room`` Latin letters' width; empty if there is no room."""
    if text_width(text) <= room:
        return text
    kept, width = [], 1
    for ch in text:
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if width > room:
            break
        kept.append(ch)
    return "".join(kept).rstrip() + "…" if kept else ""


def bar_chart(row: IndicatorRow, limit: int = BAR_LIMIT) -> BarChart:
    """One bar per figure of the indicator, grouped by case, scaled to the largest value.

    With more than ``limit`` figures only the ``limit`` largest are drawn, largest first, so a chart
    stays a readable size however many cases report the indicator.
    """
    refs = row.figures
    largest = max(refs, key=lambda r: r.figure.value).figure
    scale = max((abs(r.figure.value) for r in refs), default=0) or 1
    if len(refs) > limit:
        refs = sorted(refs, key=lambda r: (-abs(r.figure.value), r.item.id))[:limit]
    plot = CHART_WIDTH - VALUE_SPACE
    bars = [Bar(ref, BAR_TOP + i * BAR_ROW, max(1.0, round(abs(ref.figure.value) / scale * plot, 1)))
            for i, ref in enumerate(refs)]
    return BarChart(row.indicator, CHART_WIDTH, BAR_TOP * 2 + BAR_ROW * len(bars), plot, bars,
                    len(row.figures), row.reporting, largest)


# ---------------------------------------------------------------- the map

@dataclass(frozen=True)
class Point:
    code: str
    x: float
    y: float
    label: str        # r, l, t or b: where the name goes
    short_zh: str     # the short Chinese name written on the map


@dataclass(frozen=True)
class Node:
    point: Point
    reporting: int    # cases reported from here
    assisted: int     # cases assisting partners here
    radius: float


@dataclass(frozen=True)
class Arc:
    pairing: Pairing
    path: str         # SVG path data
    stroke: float
    loop: bool        # same province at both ends

    @property
    def head(self) -> str:
        """The arrowhead that suits the line's width: s, m or l (a fixed size each, not scaled with the line)."""
        return arrowhead(self.stroke)


@dataclass(frozen=True)
class Map:
    width: int
    height: int
    points: list[Point]
    nodes: list[Node]
    arcs: list[Arc]
    legend_y: int
    strokes: list[tuple[int, float]]   # (cases, stroke width) for the legend

    @property
    def arrowheads(self) -> dict[str, int]:
        return ARROWHEADS

    def head(self, stroke: float) -> str:
        return arrowhead(stroke)


MAP_WIDTH = 760       # drawing width; the frame fits the points, a margin around them
MARGIN = 48
LEGEND_HEIGHT = 70
SQUEEZE = math.cos(math.radians(35))   # equirectangular with the scale of 35°N


@cache
def province_points() -> dict[str, tuple[float, float, str, str]]:
    """ISO 3166-2:CN code → (longitude, latitude, label side, short Chinese name), from the data file."""
    with POINTS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {r["code"]: (float(r["lon"]), float(r["lat"]), r["label"], r["short_zh"]) for r in rows}


@dataclass(frozen=True)
class Frame:
    west: float
    north: float
    scale: float      # pixels per degree of latitude

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        return (round(MARGIN + (lon - self.west) * self.scale * SQUEEZE, 1),
                round(MARGIN + (self.north - lat) * self.scale, 1))


def frame(table: dict[str, tuple[float, float, str, str]]) -> tuple[Frame, int]:
    """The projection that fits every point into MAP_WIDTH, and the height of the drawing."""
    lons = [v[0] for v in table.values()]
    lats = [v[1] for v in table.values()]
    scale = (MAP_WIDTH - 2 * MARGIN) / ((max(lons) - min(lons)) * SQUEEZE)
    return Frame(min(lons), max(lats), scale), round(2 * MARGIN + (max(lats) - min(lats)) * scale)


STROKE = 1.5         # width of a one-case line; one more case, this much wider ...
STROKE_MAX = 12.0    # ... up to this width: beyond, widths grow with the square root, the widest being STROKE_MAX
RADIUS = 4.0         # a province's circle: RADIUS + 2 √cases, up to RADIUS + RADIUS_GROWTH ...
RADIUS_GROWTH = 10.0  # ... beyond, scaled to the busiest province


def stroke_width(count: int, most: int = 1) -> float:
    """Line width of a pairing of ``count`` cases when the busiest pairing has ``most``."""
    linear = STROKE * count
    if max(count, most) * STROKE <= STROKE_MAX:
        return round(linear, 1)
    return round(STROKE + (STROKE_MAX - STROKE) * math.sqrt((count - 1) / max(most - 1, 1)), 1)


ARROWHEADS = {"s": 7, "m": 11, "l": 16}   # arrowhead length in pixels, for lines up to 3, 7 and STROKE_MAX px


def arrowhead(stroke: float) -> str:
    return "s" if stroke <= 3 else "m" if stroke <= 7 else "l"


def node_radius(count: int, most: int) -> float:
    """Radius of a province's circle for ``count`` cases when the busiest province has ``most``."""
    if 2 * math.sqrt(max(count, most)) <= RADIUS_GROWTH:
        return round(RADIUS + 2 * math.sqrt(count), 1)
    return round(RADIUS + RADIUS_GROWTH * math.sqrt(count / most), 1)


def legend_counts(most: int) -> list[int]:
    """The case counts the line legend shows: one, a round number in between when the range is wide, the most."""
    counts = {1, most}
    if most >= 10:
        quarter = most / 4
        step = 10 ** math.floor(math.log10(quarter))
        middle = min((m * step for m in (1, 2, 5, 10)), key=lambda v: abs(v - quarter))
        if 1 < middle < most:
            counts.add(int(middle))
    return sorted(counts)


def _curve(a: tuple[float, float], b: tuple[float, float], shorten: float) -> str:
    """A quadratic curve from a to b bending to the left of the direction of travel, ending short of b."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1
    cx, cy = (x1 + x2) / 2 + dy * 0.2, (y1 + y2) / 2 - dx * 0.2
    # end the curve `shorten` before b, along the tangent at b (from the control point)
    tx, ty = x2 - cx, y2 - cy
    t = math.hypot(tx, ty) or 1
    ex, ey = x2 - tx / t * min(shorten, length / 3), y2 - ty / t * min(shorten, length / 3)
    return f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}"


def _loop(p: tuple[float, float], radius: float) -> str:
    x, y = p
    return f"M{x - radius:.1f},{y:.1f} C{x - 28:.1f},{y - 42:.1f} {x + 28:.1f},{y - 42:.1f} {x + radius:.1f},{y:.1f}"


def map_geometry(pairings: list[Pairing], reporting: dict[str, int], assisted: dict[str, int]) -> Map:
    """Every province point, the provinces in use as nodes, and one arc per reporting → assisted pair."""
    table = province_points()
    box, legend_y = frame(table)
    points = {code: Point(code, *box.project(lon, lat), side, short) for code, (lon, lat, side, short) in table.items()}
    used = sorted(set(reporting) | set(assisted))
    busiest = max([*reporting.values(), *assisted.values(), 1])
    nodes = [Node(points[c], reporting.get(c, 0), assisted.get(c, 0),
                  node_radius(max(reporting.get(c, 0), assisted.get(c, 0)), busiest))
             for c in used if c in points]
    radius = {n.point.code: n.radius for n in nodes}
    most = max((len(p.cases) for p in pairings), default=1)
    arcs = []
    for pair in pairings:
        if pair.source not in points or pair.target not in points:
            continue
        a, b = points[pair.source], points[pair.target]
        loop = pair.source == pair.target
        path = _loop((a.x, a.y), radius[pair.source]) if loop else _curve((a.x, a.y), (b.x, b.y),
                                                                            radius[pair.target] + 3)
        arcs.append(Arc(pair, path, stroke_width(len(pair.cases), most), loop))
    strokes = [(count, stroke_width(count, most)) for count in legend_counts(most)]
    return Map(MAP_WIDTH, legend_y + LEGEND_HEIGHT, sorted(points.values(), key=lambda p: p.code), nodes,
               sorted(arcs, key=lambda a: -a.stroke), legend_y, strokes)
