"""What a case page shows beyond the record's own order: its figures by the results chain, its measures with their
anchors, and the cases related to it.

Like render.py this only shapes data; the templates hold the wording and the markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from .chains import effective_chain
from .compare import measure_anchors
from .facets import assisted_provinces
from .schema import Case, Figure, Measure, ValidCase
from .vocabulary import Vocabulary

# The case's own figures by their place in the results chain, in the page's order: what changed, what was done,
# what was put in, the background; a plan or target is never a result, whatever its place, and is shown apart.
KEY_FIGURE_GROUPS = ("outcome", "output", "input", "context", "plan")
RELATED_CASES = 3
# What makes two cases related, and how much: a partner both assisted, then a province both work in (where the
# reporter is or where the assisted are), then a theme both have measures under.
RELATED_WEIGHTS = {"partner": 4, "province": 2, "theme": 1}
# The cases of one shared value a case is compared with at most, newest first, and the candidates it gathers from
# its rarest shared values before scoring them: a theme or a province shared by thousands of cases would otherwise
# make the build's work grow with the square of the casebook.
RELATED_BUCKET = 24
RELATED_CANDIDATES = 24

@dataclass(frozen=True)
class AnchoredMeasure:
    """A measure with its stable anchor (compare.measure_anchors), which other pages link to, and whether its place
    in the source differs from the measure before it (a locator repeated from the measure before is marked)."""

    measure: Measure
    anchor: str
    new_place: bool


@dataclass(frozen=True)
class KeyFigure:
    """A headline figure with the context its card gives it in one line: the measure it belongs to (linked by its
    anchor) and the date its period is read from (its own, else that measure's)."""

    figure: Figure
    measure: AnchoredMeasure | None

    @property
    def when(self) -> str | None:
        return self.figure.when or (self.measure.measure.when if self.measure else None)


def key_figures(case: Case, vocabulary: Vocabulary) -> list[tuple[str, list[KeyFigure]]]:
    """The case's figures grouped by KEY_FIGURE_GROUPS (groups without figures left out), each in record order, each
    with its measure (_measure_of)."""
    measures = measures_in_order(case)
    groups: dict[str, list[KeyFigure]] = {group: [] for group in KEY_FIGURE_GROUPS}
    for figure in case.figures:
        group = "plan" if figure.target else effective_chain(figure, vocabulary, False)
        groups[group].append(KeyFigure(figure, _measure_of(figure, measures)))
    return [(group, figures) for group, figures in groups.items() if figures]


def _measure_of(figure: Figure, measures: list[AnchoredMeasure]) -> AnchoredMeasure | None:
    """The measure a headline figure belongs to: the one that gives the same number for the same indicator (a
    headline repeats a measure's figure), else the only measure at the figure's place in the source; None when
    neither says which."""
    same = [m for m in measures
            if any(f.indicator == figure.indicator and f.value == figure.value for f in m.measure.figures)]
    if same:
        return same[0]
    placed = [m for m in measures if figure.source_at is not None and m.measure.source_at == figure.source_at]
    return placed[0] if len(placed) == 1 else None


def measures_in_order(case: Case) -> list[AnchoredMeasure]:
    """The measures in the order the record gives them, which is the source's order."""
    entries, place = [], None
    for m, anchor in zip(case.measures, measure_anchors(case), strict=True):
        entries.append(AnchoredMeasure(m, anchor, m.source_at is not None and m.source_at != place))
        place = m.source_at
    return entries


def _features(case: Case) -> set[tuple[str, str]]:
    return ({("partner", p.name.zh) for p in case.partners}
            | {("province", code) for code in [case.reporter.province, *assisted_provinces(case)]}
            | {("theme", m.theme) for m in case.measures})


def related_cases(cases: list[ValidCase]) -> dict[str, list[ValidCase]]:
    """Each case's RELATED_CASES most related cases: the highest sum of RELATED_WEIGHTS over what the two share;
    ties go to the newer case, then to the case id, so every build chooses the same."""
    newest = sorted(cases, key=lambda c: (c.case.added, c.id), reverse=True)
    features = {item.id: _features(item.case) for item in newest}
    buckets: dict[tuple[str, str], list[ValidCase]] = {}
    for item in newest:
        for feature in features[item.id]:
            bucket = buckets.setdefault(feature, [])
            if len(bucket) < RELATED_BUCKET + 1:   # one more: the case itself may be among them
                bucket.append(item)
    rank = {item.id: position for position, item in enumerate(newest)}
    related: dict[str, list[ValidCase]] = {}
    for item in cases:
        mine = features[item.id]
        candidates: dict[str, ValidCase] = {}
        for feature in sorted(mine, key=lambda f: (len(buckets[f]), f)):   # rarest first: they say the most
            candidates.update((other.id, other) for other in buckets[feature] if other.id != item.id)
            if len(candidates) >= RELATED_CANDIDATES:
                break
        scores = {other: sum(RELATED_WEIGHTS[kind] for kind, _ in mine & features[other]) for other in candidates}
        best = sorted(scores, key=lambda other: (-scores[other], rank[other]))[:RELATED_CASES]
        related[item.id] = [candidates[other] for other in best]
    return related
