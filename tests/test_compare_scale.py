"""Compare, browse and map pages of a larger synthetic casebook (bench/synth.py), rendered in process (no MkDocs).

Past compare.MATRIX_MAX cases the compare page is an overview and each indicator has its own page; every
answer here is recomputed from the records independently of generator/compare.py and generator/facets.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from bench.synth import write_cases
from generator import charts, compare, facets
from generator.numbers import amount
from generator.pages import MAP_BY_CASE_MAX, MAP_LISTED
from generator.render import render_site
from generator.settings import load_settings
from generator.validate import validate_files
from generator.vocabulary import load_vocabulary
from tests.site_html import Element, parse

pytestmark = pytest.mark.slow  # a casebook of many synthetic cases, rendered

ROOT = Path(__file__).resolve().parent.parent
N = 60
NOT_REPORTED = {"zh": "未报告", "en": "not reported"}
UNDATED = {"zh": "不作合计：至少有一个数字未说明统计时段。",
           "en": "Not added up: at least one figure does not say what period it covers."}


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


@cache
def html(text: str) -> Element:
    """The parsed body of a rendered page (its YAML front matter left out)."""
    front, separator, body = text.partition("\n---\n")
    assert text.startswith("---\n") and separator, "no front matter"
    assert "\nbody: html" in front, "the body is not HTML"
    return parse(body)


def page_url(path: str) -> str:
    """The URL (from the site's root, no leading slash) of the page rendered as ``path``."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def resolve(pages: dict[str, str], path: str, href: str) -> tuple[str | None, str]:
    """The rendered page (a key of ``pages``, or None if there is none) and the anchor that the relative URL
    ``href`` on the page ``path`` leads to: ``compare/x.md`` + ``../../cases/a/#m-1`` → (``cases/a.md``,
    ``m-1``); ``compare/index.md`` + ``x/`` → (``compare/x.md``, '')."""
    base = "https://example.invalid/" + page_url(path)
    target = urlsplit(urljoin(base, href))
    assert target.netloc == "example.invalid" and not target.query, f"{href!r} on {path} is not a page of the site"
    url = target.path.lstrip("/")
    if not url.endswith("/") and url:
        candidates = [url]
    else:
        candidates = [url + "index.md"] + ([url.removesuffix("/") + ".md"] if url else [])
    found = [candidate for candidate in candidates if candidate in pages]
    return (found[0] if found else None), target.fragment


def cells(row: Element) -> list[Element]:
    return [td for td in row.children if isinstance(td, Element) and td.tag == "td"]


def body_rows(table: Element) -> list[Element]:
    """The rows of a table's body, without the headings of a concept's rows in several units."""
    return [tr for tr in table.find("tbody").find_all("tr") if "cb-concept" not in tr.attrs.get("class", "")]


def grouped_order(vocabulary, present) -> list[str]:
    """Indicators in vocabulary order, each counted in another unit right after the one whose heading it shares."""
    keys = list(vocabulary.indicators)
    def place(key):
        concept = vocabulary.indicators[key].concept
        return (keys.index(concept if concept in present else key), concept is not None and concept in present)
    return sorted((k for k in keys if k in present), key=place)


def hrefs(element: Element) -> list[str]:
    return [a.attrs["href"] for a in element.find_all("a") if a.attrs.get("href")]


def heading_text(heading: Element) -> str:
    """A heading's text without its permalink mark."""
    return heading.text().removesuffix("¶").strip()


def section(root: Element, heading: Element) -> list[Element | str]:
    """What follows ``heading`` at its level of the page, up to the next heading of the same or a higher level."""
    level = int(heading.tag[1])
    siblings = root.children     # the page's top level, where the templates put their headings
    start = next(i for i, node in enumerate(siblings) if node is heading)
    after: list[Element | str] = []
    for node in siblings[start + 1:]:
        if isinstance(node, Element) and re.fullmatch(r"h[1-6]", node.tag) and int(node.tag[1]) <= level:
            break
        after.append(node)
    return after


def table_after(root: Element, heading_id: str) -> Element:
    """The first table in the section under the heading with id ``heading_id``."""
    heading = root.find(id=heading_id)
    # a table, or one in the scroll box a wide table sits in
    tables = [table for node in section(root, heading) if isinstance(node, Element)
              for table in ([node] if node.tag == "table" else node.find_all("table"))]
    assert tables, f"no table under #{heading_id}"
    return tables[0]


def count_in(cell: Element) -> int:
    text = cell.text()
    assert re.fullmatch(r"\d{1,3}(,\d{3})*", text), text
    return int(text.replace(",", ""))


def test_compare_page_is_an_overview_that_does_not_grow_with_cases(site, casebook, expected):
    lang, pages = site
    cases, vocabulary = casebook
    index = pages["compare/index.md"]
    assert len(index.encode()) < 30_000
    assert "../cases/" not in index and "cb-not-reported" not in index     # no column per case
    root = html(index)
    assert root.find(id="totals").tag == "h2"
    table = table_after(root, "totals")
    assert len(root.find_all("table")) == 1
    rows = body_rows(table)
    # behaviour changed on purpose (issue 22): one concept's indicators in two units stand together
    assert [cells(row)[0].attrs.get("id") for row in rows] == [f"i-{k}" for k in grouped_order(vocabulary, expected)]
    for row in rows:
        first, unit, reporting, missing, total = cells(row)
        indicator = first.attrs["id"].removeprefix("i-")
        assert len(cells(row)) == len(table.find("thead").find_all("th"))
        targets = [resolve(pages, "compare/index.md", href) for href in hrefs(first)]
        assert targets == [(f"compare/{indicator}/index.md", "")]
        assert (count_in(reporting), count_in(missing)) == (len(expected[indicator]), N - len(expected[indicator]))


def test_each_indicator_page_lists_every_figure_with_its_measure_and_the_cases_not_reporting(site, expected):
    lang, pages = site
    for indicator, by_case in expected.items():
        path = f"compare/{indicator}/index.md"
        text = pages[path]
        root = html(text)
        rows = body_rows(table_after(root, "figures"))
        assert len(rows) == sum(len(v) for v in by_case.values())
        for row in rows:    # each row starts with the case, linked
            case, _ = resolve(pages, path, cells(row)[0].find("a").attrs["href"])
            assert case is not None and case.startswith("cases/"), row
        measured = [href for row in rows for href in hrefs(row) if "#" in href]
        assert sorted(measured) == sorted(f"../../cases/{cid}/#{a}" for cid, refs in by_case.items() for _, a in refs)
        for href in measured:
            target, anchor = resolve(pages, path, href)
            assert target is not None, href
            assert html(pages[target]).find_all("h3", id=anchor), href     # the measure's heading
        missing = N - len(by_case)
        sentence = {"zh": f"案例库{N}个案例中，{missing}个案例未报告此指标",
                    "en": f"Not reported by {missing} cases of the {N} cases"}[lang]
        assert (sentence in root.text()) == (missing > 1)
        assert "0" not in [td.text() for row in rows for td in cells(row)]


def test_charts_for_two_or_more_cases_capped_to_a_readable_size(site, expected):
    lang, pages = site
    for indicator, by_case in expected.items():
        text = pages[f"compare/{indicator}/index.md"]
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
    heading = {"zh": "合计（按报告数字）", "en": "Total as reported"}[lang]
    for indicator, by_case in expected.items():
        root = html(pages[f"compare/{indicator}/index.md"])
        results = [f.value for refs in by_case.values() for f, _ in refs if not f.target]
        found = [h for h in root.find_all("h2") if heading_text(h) == heading]
        assert len(found) == bool(vocabulary.indicators[indicator].summable and results), indicator
        if found:
            total = round(sum(results), 6)
            shown = amount(total, vocabulary.units[vocabulary.indicators[indicator].unit], lang).text
            text = " ".join(node.text() if isinstance(node, Element) else node for node in section(root, found[0]))
            # behaviour changed on purpose (issue 22): figures that do not say what period they cover are not added
            undated = any(f.span is None for refs in by_case.values() for f, _ in refs if not f.target)
            assert (shown in text) == (not undated), indicator
            assert (UNDATED[lang] in text) == undated, indicator


def test_every_compare_link_resolves(site):
    _, pages = site
    checked = 0
    for path, text in pages.items():
        if not path.startswith("compare/"):
            continue
        for href in hrefs(html(text)):
            target, _ = resolve(pages, path, href)
            assert target is not None, (path, href)
            checked += 1
    assert checked > len(pages)     # every indicator page links its figures' cases and measures


def test_the_matrix_up_to_matrix_max_cases(casebook):
    cases, vocabulary = casebook
    subset = cases[:compare.MATRIX_MAX]
    pages = dict(render_site(subset, vocabulary, load_settings(ROOT / "mkdocs.yml"), "en"))
    root = html(pages["compare/index.md"])
    # behaviour changed on purpose (issue 24): one concept's indicators in several units are one line, each value
    # with its unit, the line named by its first indicator (its other indicators keep their anchors inside)
    lines = {line.rows[0].indicator: line
             for line in compare.concept_rows(compare.compare_rows(subset, vocabulary))}
    shared = [key for key, line in lines.items() if line.reporting >= 2]
    matrix = table_after(root, "matrix")
    header = [heading_text(th) for th in matrix.find("thead").find_all("th")]
    assert header[0] == "Indicator"
    columns = [resolve(pages, "compare/index.md", href)[0] for href in hrefs(matrix.find("thead"))]
    reporting = {f"cases/{cid}/index.md" for key in shared for cid in lines[key].cells}
    assert len(columns) == len(header) - 1 and set(columns) == reporting   # no column of a case with nothing shared
    rows = body_rows(matrix)
    assert [row.find("th").attrs["id"] for row in rows] == [f"i-{key}" for key in shared]   # two or more cases
    for row in rows:
        line = lines[row.find("th").attrs["id"].removeprefix("i-")]
        anchors = [span.attrs["id"] for span in row.find("th").find_all("span") if span.attrs.get("id")]
        assert anchors == [f"i-{other.indicator}" for other in line.rows[1:]]
        # a cell a case; then, for the phone, one line naming the cases not reporting it (when any does not)
        row_cells = [td for td in row.find_all("td") if td.attrs.get("class") != "cb-not-reported-by"]
        assert len(row_cells) == len(columns)
        missing = [td for td in row_cells if td.attrs.get("class") == "cb-cell--none"]
        by_line = [td for td in row.find_all("td") if td.attrs.get("class") == "cb-not-reported-by"]
        assert len(by_line) == (1 if missing else 0)
        if missing:
            assert all(td.attrs["data-label"] in by_line[0].text() for td in missing)
        for cell in row_cells:
            cases_linked = [resolve(pages, "compare/index.md", href)[0] for href in hrefs(cell)]
            assert (cell.text() == "not reported" and cell.find_all("span", cls="cb-not-reported")
                    or cases_linked and all(t is not None and t.startswith("cases/") for t in cases_linked)), cell
    single = table_after(root, "single")   # indicators one case reports, listed apart
    assert [row.find("th").attrs["id"] for row in body_rows(single)] == [
        f"i-{key}" for key, line in lines.items() if line.reporting == 1]


def test_map_stays_readable_and_short(site, casebook):
    _, pages = site
    cases, _ = casebook
    text = pages["map/index.md"]
    widths = [float(w) for w in re.findall(r'stroke-width="([\d.]+)"', text)]
    assert widths and max(widths) <= charts.STROKE_MAX
    pairs = facets.pairings(cases)
    table = table_after(html(text), "pairings")
    targets = [resolve(pages, "map/index.md", href)[0] for href in hrefs(table)]
    assert None not in targets
    linked = [target for target in targets if target.startswith("cases/")]
    if len(cases) <= MAP_BY_CASE_MAX:
        # grouped by case (changed on purpose: a case's title once, then its pairings): each case that has a pairing
        # heads its group once, and each pairing is listed under every case that reports it
        rows = [tr for body in table.find_all("tbody") for tr in body.find_all("tr")
                if "cb-concept" not in tr.attrs.get("class", "")]
        assert len(rows) == sum(len(p.cases) for p in pairs)
        assert sorted(linked) == sorted({f"cases/{item.id}/index.md" for p in pairs for item in p.cases})
    else:
        assert len(body_rows(table)) == len(pairs)
        assert len(linked) == sum(len(p.cases) for p in pairs if len(p.cases) <= MAP_LISTED)


def test_facets_match_the_records_and_years_are_the_period_only(casebook):
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
    outside = 0
    for item in cases:
        case = item.case
        period = case.source.period
        years = set(range(period.from_, (period.to or int(case.source.issued[:4])) + 1))
        assert set(facets.years_of(case)) == years
        dated = [m.when for m in case.measures] + [e.when for e in case.timeline]
        outside += any(d and int(d[:4]) not in years for d in dated)
    assert outside   # the synthetic records date things outside their period: those years are left out
