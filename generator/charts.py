"""Geometry of the SVG charts and the map: coordinates and sizes only.

The markup lives in ``templates/svg/*.svg.j2``; this module computes where things go.
The map is a tile grid: every province-level division one tile, placed by hand near where it lies
(``data/province_tiles.csv``); it draws no boundaries, for which no licensed, approved data is to be had.
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
from .schema import Figure, Text

TILES_FILE = Path(__file__).resolve().parent / "data" / "province_tiles.csv"


# ---------------------------------------------------------------- bar charts

@dataclass(frozen=True)
class Bar:
    ref: FigureRef
    y: float          # top of the row (label baseline is y + 14)
    width: float      # bar length
    mark: int | None = None   # the number of its definition in the chart's legend, where the figures' notes differ


@dataclass(frozen=True)
class BarChart:
    indicator: str
    width: int
    height: int
    plot_width: int   # the bars' room: the chart's width less the values' (the phone's bar list scales to it)
    bars: list[Bar]
    figures: int      # figures of the indicator, drawn or not
    cases: int        # cases reporting it
    largest: Figure   # the figure with the largest value
    definitions: tuple[Text, ...] = ()   # the bars' differing notes, numbered in the legend (their marks)

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
    definitions = differing_notes(refs)
    bars = [Bar(ref, BAR_TOP + i * BAR_ROW, max(1.0, round(abs(ref.figure.value) / scale * plot, 1)),
                definitions.index(ref.figure.note) + 1 if ref.figure.note in definitions else None)
            for i, ref in enumerate(refs)]
    return BarChart(row.indicator, CHART_WIDTH, BAR_TOP * 2 + BAR_ROW * len(bars), plot, bars,
                    len(row.figures), row.reporting, largest, tuple(definitions))


def differing_notes(refs: list[FigureRef]) -> list[Text]:
    """The notes of figures of one indicator, in order, when the cases' figures are not all described alike: their
    sources word or define the thing counted differently (73.2% of jobs only, 94% of jobs and internships), so the
    chart marks each and its legend says what each counts. Empty when one case reports them all or all say the same."""
    if len({r.item.id for r in refs}) < 2:
        return []
    notes: list[Text] = []
    for ref in refs:
        if ref.figure.note and ref.figure.note not in notes:
            notes.append(ref.figure.note)
    worded = {ref.figure.note.zh if ref.figure.note else None for ref in refs}
    return notes if len(worded) > 1 else []


# ---------------------------------------------------------------- the map

@dataclass(frozen=True)
class Tile:
    """One province-level division on the tile grid: its square and its label's lines in the page's language."""

    code: str
    x: float          # top-left corner
    y: float
    lines: tuple[str, ...]
    reporting: int    # cases reported from here
    assisted: int     # cases with a partner here

    @property
    def cx(self) -> float:
        return round(self.x + TILE / 2, 1)

    @property
    def cy(self) -> float:
        return round(self.y + TILE / 2, 1)


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
    tiles: list[Tile]
    arcs: list[Arc]
    legend_y: int
    strokes: list[tuple[int, float]]   # (cases, stroke width) for the legend
    font: int                           # label size in drawing units

    @property
    def arrowheads(self) -> dict[str, int]:
        return ARROWHEADS

    def head(self, stroke: float) -> str:
        return arrowhead(stroke)


TILE = 66             # a tile's side, in drawing units ...
GAP = 6               # ... and the space between tiles
COLUMNS = ROWS = 8
MARGIN = 8
LEGEND_HEIGHT = 110
# Label size per language: the map fills a phone's width in Chinese (three characters a tile at 19 units are still
# 11 px at 390 px); English names need two lines of 13 units, and the map keeps a minimum width (casebook.css).
FONT = {"zh": 19, "en": 13}
LINE_CHARS = 8        # an English word longer than this is split between its pinyin syllables


@cache
def tile_positions() -> dict[str, tuple[int, int, str]]:
    """ISO 3166-2:CN code → (column, row, short Chinese name), from the data file."""
    with TILES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {r["code"]: (int(r["col"]), int(r["row"]), r["short_zh"]) for r in rows}


_VOWELS = set("aeiouü")


def _syllable_split(word: str) -> tuple[str, ...]:
    """A long pinyin name cut at the syllable boundary nearest its middle, hyphenated: Heilong- / jiang."""
    def starts_syllable(i: int) -> bool:
        ch, before = word[i].lower(), word[i - 1].lower()
        if ch in _VOWELS or (ch == "g" and before == "n") or (ch == "h" and before in "zcs"):
            return False
        if ch == "n" and (i + 1 == len(word) or word[i + 1].lower() not in _VOWELS):
            return False    # a final -n or -ng, not the start of the next syllable
        return before in _VOWELS or before in "ng"
    cuts = [i for i in range(2, len(word) - 2) if starts_syllable(i)]
    if not cuts:
        return (word,)
    cut = min(cuts, key=lambda i: abs(i - len(word) / 2))
    return word[:cut] + "-", word[cut:]


def tile_lines(label: str, lang: str) -> tuple[str, ...]:
    """A province's label as the lines written on its tile."""
    if lang == "zh":
        return (label,)
    words = label.split()
    if len(words) > 1:
        return (words[0], " ".join(words[1:]))
    return _syllable_split(label) if len(label) > LINE_CHARS else (label,)


def _curve(a: tuple[float, float], b: tuple[float, float], shorten: float) -> str:
    """A quadratic curve from a to b bending to the left of the direction of travel, ending short of b."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1
    cx, cy = (x1 + x2) / 2 + dy * 0.2, (y1 + y2) / 2 - dx * 0.2
    tx, ty = x2 - cx, y2 - cy
    t = math.hypot(tx, ty) or 1
    ex, ey = x2 - tx / t * min(shorten, length / 3), y2 - ty / t * min(shorten, length / 3)
    return f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}"


def _loop(x: float, y: float) -> str:
    """A small loop on a tile's top edge: a province assisting partners in its own province."""
    top = y - TILE / 2
    return (f"M{x - 12:.1f},{top + 4:.1f} C{x - 22:.1f},{top - 26:.1f} {x + 22:.1f},{top - 26:.1f} "
            f"{x + 12:.1f},{top + 4:.1f}")


def map_geometry(pairings: list[Pairing], reporting: dict[str, int], assisted: dict[str, int],
                 labels: dict[str, str], lang: str) -> Map:
    """Every tile, marked with its cases as reporter and as assisted, and one arc per reporting → assisted pair.

    ``labels``: each province's label in the page's language (the vocabulary's), for the tiles.
    """
    pitch = TILE + GAP
    tiles = {code: Tile(code, MARGIN + col * pitch, MARGIN + 20 + row * pitch,
                        (short,) if lang == "zh" else tile_lines(labels[code], lang),
                        reporting.get(code, 0), assisted.get(code, 0))
             for code, (col, row, short) in tile_positions().items()}
    most = max((len(p.cases) for p in pairings), default=1)
    arcs = []
    for pair in pairings:
        if pair.source not in tiles or pair.target not in tiles:
            continue
        a, b = tiles[pair.source], tiles[pair.target]
        loop = pair.source == pair.target
        path = _loop(a.cx, a.cy) if loop else _curve((a.cx, a.cy), (b.cx, b.cy), TILE / 2 - 8)
        arcs.append(Arc(pair, path, stroke_width(len(pair.cases), most), loop))
    strokes = [(count, stroke_width(count, most)) for count in legend_counts(most)]
    legend_y = MARGIN + 20 + ROWS * pitch + 10
    return Map(2 * MARGIN + COLUMNS * pitch - GAP, legend_y + LEGEND_HEIGHT,
               sorted(tiles.values(), key=lambda t: t.code), sorted(arcs, key=lambda a: -a.stroke), legend_y, strokes,
               FONT[lang])


STROKE = 1.5         # width of a one-case line; one more case, this much wider ...
STROKE_MAX = 12.0    # ... up to this width: beyond, widths grow with the square root, the widest being STROKE_MAX


def stroke_width(count: int, most: int = 1) -> float:
    """Line width of a pairing of ``count`` cases when the busiest pairing has ``most``."""
    linear = STROKE * count
    if max(count, most) * STROKE <= STROKE_MAX:
        return round(linear, 1)
    return round(STROKE + (STROKE_MAX - STROKE) * math.sqrt((count - 1) / max(most - 1, 1)), 1)


ARROWHEADS = {"s": 7, "m": 11, "l": 16}   # arrowhead length in pixels, for lines up to 3, 7 and STROKE_MAX px


def arrowhead(stroke: float) -> str:
    return "s" if stroke <= 3 else "m" if stroke <= 7 else "l"


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
