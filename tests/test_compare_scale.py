"""Compare, browse and map pages of a larger synthetic casebook (bench/synth.py), rendered in process (no MkDocs).

Past compare.MATRIX_MAX cases the compare page is an overview and each indicator has its own page; every
answer here is recomputed from the records independently of generator/compare.py and generator/facets.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest

from bench.synth import write_cases
from generator import charts, compare, facets
from generator.pages import MAP_LISTED
from generator.render import render_site
from generator.settings import load_settings
from generator.validate import validate_files
from generator.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
N = 60
NOT_REPORTED = {"zh": "未报告", "en": "not reported"}


@pytest.fixture(scope="module")
def casebook(tmp_path_factory):
    vocabulary = load_vocabulary(ROOT / "vocabulary.yaml")
    directory = tmp_path_factory.mktemp("synthetic") / "cases"
    write_cases(N, directory, seed=7, vocabulary=vocabulary)
    cases, problems = validate_files([directory], vocabulary)
    assert not problems
    return cases, vocabulary


@pytest.fixture(scope="module", params=["zh", "en"])
def site(request, casebook):
    cases, vocabulary = casebook
    return request.param, dict(render_site(cases, vocabulary, load_settings(ROOT / "mkdocs.yml"), request.param))


@pytest.fixture(scope="module")
def expected(casebook):
    """indicator → case id → [(figure, measure anchor)], straight from the records."""
    cases, _ = casebook
    found: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for item in cases:
        for measure, anchor in zip(item.case.measures, compare.measure_anchors(item.case), strict=True):
            for figure in measure.figures:
                found[figure.indicator][item.id].append((figure, anchor))
    return found


def links(markdown: str) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", markdown)


def resolve(page: str, href: str) -> tuple[str, str]:
    """The page path and anchor a relative Markdown link of ``page`` points to."""
    path, _, anchor = href.partition("#")
    parts = page.split("/")[:-1]
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part:
            parts.append(part)
    return "/".join(parts) if path else page, anchor


def test_compare_page_is_an_overview_that_does_not_grow_with_cases(site, casebook, expected):
    lang, pages = site
    cases, vocabulary = casebook
    index = pages["compare/index.md"]
    assert len(index.encode()) < 30_000
    assert "../cases/" not in index and "cb-not-reported" not in index     # no column per case
    rows = re.findall(r'<span id="i-([a-z-]+)"></span>\[[^]]+\]\(([a-z-]+)\.md\) \| [^|]+ \| ([\d,]+) \| ([\d,]+) \|',
                      index)
    assert [r[0] for r in rows] == [k for k in vocabulary.indicators if k in expected]
    for indicator, target, reporting, missing in rows:
        assert target == indicator and f"compare/{indicator}.md" in pages
        assert (int(reporting), int(missing)) == (len(expected[indicator]), N - len(expected[indicator]))
    assert 'id="totals"' in index


def test_each_indicator_page_lists_every_figure_with_its_measure_and_the_cases_not_reporting(site, expected):
    lang, pages = site
    for indicator, by_case in expected.items():
        path = f"compare/{indicator}.md"
        text = pages[path]
        table = text[text.index("| --- | --: |"):]
        rows = [line for line in table.splitlines()[1:] if line.startswith("| [")]
        assert len(rows) == sum(len(v) for v in by_case.values())
        measured = [link for row in rows for link in links(row) if "#" in link]
        assert sorted(measured) == sorted(f"../cases/{cid}.md#{a}" for cid, refs in by_case.items() for _, a in refs)
        for link in measured:
            target, anchor = resolve(path, link)
            assert f'<span id="{anchor}"></span>' in pages[target], link
        missing = N - len(by_case)
        sentence = {"zh": f"案例库 {N} 个案例中，{missing} 个案例未报告此指标",
                    "en": f"Not reported by {missing} cases of the {N} cases"}[lang]
        assert (sentence in text) == (missing > 1)
        assert not re.search(r"\| 0 \|", table)


def test_charts_for_two_or_more_cases_capped_to_a_readable_size(site, expected):
    lang, pages = site
    for indicator, by_case in expected.items():
        text = pages[f"compare/{indicator}.md"]
        drawings = re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="cb-svg.*?</svg>', text, re.S)
        assert len(drawings) == (1 if len(by_case) >= 2 else 0), indicator
        if not drawings:
            continue
        svg = ET.fromstring(drawings[0])
        bars = list(svg.iter("{http://www.w3.org/2000/svg}a"))
        figures = sum(len(v) for v in by_case.values())
        assert len(bars) == min(figures, charts.BAR_LIMIT)
        assert int(svg.get("height")) <= charts.BAR_TOP * 2 + charts.BAR_ROW * charts.BAR_LIMIT
        capped = {"zh": "中最大的", "en": "largest of"}[lang]
        assert (capped in text) == (figures > charts.BAR_LIMIT)
        for a in bars:
            assert a.get("href").startswith("../../cases/")


def test_totals_only_for_summable_indicators_results_only(site, casebook, expected):
    lang, pages = site
    _, vocabulary = casebook
    heading = {"zh": "## 合计（按报告数字）", "en": "## Total as reported"}[lang]
    for indicator, by_case in expected.items():
        text = pages[f"compare/{indicator}.md"]
        results = [f.value for refs in by_case.values() for f, _ in refs if not f.target]
        assert (heading in text) == bool(vocabulary.indicators[indicator].summable and results), indicator
        if heading in text:
            total = round(sum(results), 6)
            number = f"{total:,}" if isinstance(total, int) else None
            section = text.split(heading)[1].split("\n##")[0]
            assert number is None or number in section


def test_every_compare_link_resolves(site):
    _, pages = site
    for path, text in pages.items():
        if not path.startswith("compare/"):
            continue
        for href in links(text):
            target, _ = resolve(path, href)
            assert target in pages, (path, href)


def test_the_matrix_up_to_matrix_max_cases(casebook):
    cases, vocabulary = casebook
    subset = cases[:compare.MATRIX_MAX]
    pages = dict(render_site(subset, vocabulary, load_settings(ROOT / "mkdocs.yml"), "en"))
    index = pages["compare/index.md"]
    header = next(line for line in index.splitlines() if line.startswith("| Indicator | Unit |"))
    assert header.count("](../cases/") == compare.MATRIX_MAX
    rows = [line for line in index.splitlines() if line.startswith('| <span id="i-')]
    for row in rows:
        cells = row.split(" | ")[2:]
        assert len(cells) == compare.MATRIX_MAX
        assert all("not reported" in c or "../cases/" in c for c in cells)


def test_map_stays_readable_and_short(site, casebook):
    _, pages = site
    cases, _ = casebook
    text = pages["map/index.md"]
    widths = [float(w) for w in re.findall(r'stroke-width="([\d.]+)"', text)]
    assert widths and max(widths) <= charts.STROKE_MAX
    pairs = facets.pairings(cases)
    table = text[text.rindex("| --- |"):]
    assert len(re.findall(r"\]\(\.\./cases/", table)) == sum(len(p.cases) for p in pairs
                                                              if len(p.cases) <= MAP_LISTED)


def test_facets_match_the_records_and_years_leave_out_history(casebook):
    cases, vocabulary = casebook
    by_facet = facets.all_facets(cases, vocabulary)
    theme = {v.value: {e.item.id for e in v.entries} for v in by_facet["theme"]}
    expected_theme: dict[str, set[str]] = defaultdict(set)
    assisted: dict[str, set[str]] = defaultdict(set)
    for item in cases:
        for m in item.case.measures:
            expected_theme[m.theme].add(item.id)
        for p in item.case.partners:
            assisted[p.region.province].add(item.id)
    assert theme == expected_theme
    assert {v.value: {e.item.id for e in v.entries} for v in by_facet["to"]} == assisted
    for value in by_facet["theme"] + by_facet["relationship"]:
        assert all(e.partners for e in value.entries)
    history = 0
    for item in cases:
        case = item.case
        period = case.source.period
        active = set(range(period.from_, (period.to or int(case.source.issued[:4])) + 1))
        dates = [m.when for m in case.measures] + [f.when for m in case.measures for f in m.figures]
        active |= {int(d[:4]) for d in dates + [f.when for f in case.figures] if d}
        timeline = {int(e.when[:4]) for e in case.timeline}
        history += bool({y for y in timeline if y < min(active)})
        assert set(facets.years_of(case)) == active | {y for y in timeline if y >= min(active)}
    assert history    # the synthetic timelines start a year before the work: those years are left out
