"""Browse, compare and map pages of a site built from three fixture cases whose answers are known.

tests/fixtures/browse/:
- alpha-college   (CN-SH → CN-XJ Kashgar/Shufu, CN-GZ; aid-to-xinjiang, paired-support; 2016–2017, measures 2016 and
  2018-09, timeline 1958 and 2019-03: years outside the period, so not years it is listed under): teachers-trained ≥ 100
  (a measure naming one of its two partners), student-aid-funding 10, employment-rate 90
- beta-school     (CN-HN → CN-XJ Hotan; paired-support, twinning; 2017): teachers-trained 50 and 500 (target),
  employment-rate about 80
- gamma-institute (CN-SH → CN-SH; twinning; 2020 ongoing, issued 2021; English pending): majors-supported 3
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.site_helpers import FIXTURES, build, make_project

SVG = "{http://www.w3.org/2000/svg}"
ALPHA, BETA, GAMMA = "alpha-college", "beta-school", "gamma-institute"

EXPECTED = {
    "theme/teacher-development": {ALPHA, BETA},
    "theme/student-aid": {ALPHA},
    "theme/employment": {ALPHA, BETA},
    "theme/majors-and-curriculum": {GAMMA},
    "relationship/aid-to-xinjiang": {ALPHA},
    "relationship/paired-support": {ALPHA, BETA},
    "relationship/twinning": {BETA, GAMMA},
    "from/cn-sh": {ALPHA, GAMMA},
    "from/cn-hn": {BETA},
    "to/cn-xj": {ALPHA, BETA},
    "to/cn-gz": {ALPHA},
    "to/cn-sh": {GAMMA},
    "year/2016": {ALPHA},
    "year/2017": {ALPHA, BETA},
    "year/2020": {GAMMA},
    "year/2021": {GAMMA},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(make_project(tmp_path_factory.mktemp("browse"), FIXTURES / "browse"))


def page(site: Path, url: str) -> str:
    """The HTML of the page at a site URL such as 'en/browse/' (directory URLs)."""
    return (site / url / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def linked_cases(html: str) -> set[str]:
    return set(re.findall(r'href="(?:\.\./)+cases/([a-z0-9-]+)/', article(html)))


def svgs(html: str) -> list[ET.Element]:
    """Every SVG drawn by the casebook (not the theme's icons) on a page, parsed as XML."""
    return [ET.fromstring(m) for m in re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="cb-svg.*?</svg>',
                                                 html, re.S)]


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("facet_value", sorted(EXPECTED))
def test_each_facet_page_lists_exactly_the_expected_cases(site, lang, facet_value):
    assert linked_cases(page(site, f"{lang}browse/{facet_value}")) == EXPECTED[facet_value]


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize("lang", ["", "en/"])
def test_facet_indexes_list_every_value_with_its_count(site, lang):
    for facet in ("theme", "relationship", "from", "to", "year"):
        html = article(page(site, f"{lang}browse/{facet}"))
        values = {k.split("/")[1]: v for k, v in EXPECTED.items() if k.startswith(facet + "/")}
        found = dict(re.findall(
            r'<a href="([a-z0-9-]+)/">[^<]*</a></td>(?:(?!</tr>).)*<td class="cb-num"[^>]*>(\d+)</td>', html, re.S))
        assert {k: int(v) for k, v in found.items()} == {k: len(v) for k, v in values.items()}


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize("lang", ["", "en/"])
def test_years_outside_the_period_are_not_facet_values(site, lang):
    for year in ("1958", "2018", "2019"):   # a founding, a later measure, a later agreement
        assert not (site / lang / f"browse/year/{year}").exists(), year
    assert 'href="1958/"' not in page(site, f"{lang}browse/year")
    assert "browse/year/1958/" not in article(page(site, f"{lang}cases/alpha-college"))


@pytest.mark.slow  # a whole build (MkDocs)
def test_theme_pages_count_the_partners_of_the_cases(site):
    html = article(page(site, "en/browse/theme/teacher-development"))
    rows = dict(re.findall(r'cases/([a-z-]+)/">[^<]*</a>[^<]*</td>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>([^<]*)</td>',
                           html))
    # alpha's training names one of its two partners; beta's names none, so it concerns beta's one partner
    assert rows == {ALPHA: "1 assisted institution or region", BETA: "1 assisted institution or region"}
    student_aid = article(page(site, "en/browse/theme/student-aid"))
    assert "2 assisted institutions or regions" in student_aid   # a measure naming no partner: all of them
    assert "0 assisted" not in html + student_aid


@pytest.mark.slow  # a whole build (MkDocs)
def test_assisted_province_page_lists_prefectures_and_counties_grouped_by_reporter(site):
    html = article(page(site, "en/browse/to/cn-xj"))
    assert "Kashgar Prefecture" in html and "Shufu County" in html and "Hotan Prefecture" in html
    assert 'id="from-cn-sh"' in html and 'id="from-cn-hn"' in html


@pytest.mark.slow  # a whole build (MkDocs)
def test_case_page_tags_link_to_the_facet_pages(site):
    html = article(page(site, "en/cases/alpha-college"))
    for target in ("browse/theme/teacher-development/", "browse/relationship/aid-to-xinjiang/",
                   "browse/from/cn-sh/", "browse/to/cn-gz/", "browse/year/2016/"):
        assert f'href="../../{target}"' in html


@pytest.mark.slow  # a whole build (MkDocs)
def test_case_page_marks_loose_and_target_figures_and_anchors_measures(site):
    alpha = article(page(site, "en/cases/alpha-college"))
    # the loose mark in words (it was "≥ 100" before the one style per language)
    assert "at least 100 person-times" in re.sub(r"<[^>]+>", "", alpha)
    assert 'id="m-teacher-training"' in alpha and 'id="m-2"' in alpha
    beta = article(page(site, "cases/beta-school"))
    assert "500人次（目标）" in re.sub(r"<[^>]+>", "", beta) and "约80" in re.sub(r"<[^>]+>", "", beta)


@pytest.mark.slow  # a whole build (MkDocs)
def test_finder_lists_cards_and_offers_every_filter_with_its_count(site):
    html = article(page(site, "en/cases"))
    cards = re.findall(r'<div class="cb-case-card">.*?</ul>\s*</div>', html, re.S)
    assert len(cards) == 3
    gamma = next(card for card in cards if "gamma-institute" in card)
    assert "2020–present" in gamma and "within Shanghai" in gamma   # a case inside one province says so
    # each filter's values with the number of cases, most cases first
    xinjiang = re.search(r'>Xinjiang <span class="cb-finder__n" data-value="CN-XJ">(\d+)</span>', html)
    assert xinjiang and xinjiang.group(1) == "2"
    to = re.search(r'<fieldset class="cb-finder__facet" data-facet="to">(.*?)</fieldset>', html, re.S).group(1)
    assert re.findall(r'name="to" value="(CN-\w+)"', to) == ["CN-XJ", "CN-GZ", "CN-SH"]   # 2 cases, then 1 each by name
    data = json.loads((site / "en" / "cases" / "finder.json").read_text(encoding="utf-8"))
    assert sorted(c["id"] for c in data["cases"]) == [ALPHA, BETA, GAMMA]
    alpha = next(c for c in data["cases"] if c["id"] == ALPHA)
    assert (alpha["first"], alpha["last"], alpha["to"]) == (2016, 2017, ["CN-XJ", "CN-GZ"])


def compare_row(html: str, indicator: str) -> list[str]:
    row = re.search(rf'<tr>(?:(?!</tr>).)*id="i-{indicator}".*?</tr>', html, re.S).group(0)
    return re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize(("lang", "not_reported"), [("", "未报告"), ("en/", "not reported")])
def test_compare_shows_not_reported_never_zero(site, lang, not_reported):
    html = article(page(site, f"{lang}compare"))
    matrix = html[html.index('id="matrix"'):html.index('id="single"')]
    columns = re.findall(r'<th><a href="\.\./cases/([a-z-]+)/">', matrix)
    cells = dict(zip(columns, compare_row(matrix, "teachers-trained")[1:], strict=True))
    assert "100" in cells[ALPHA] and 'href="../cases/alpha-college/#m-teacher-training"' in cells[ALPHA]
    assert "50" in cells[BETA] and "500" in cells[BETA]
    assert all("person-times" in cells[c] or "人次" in cells[c] for c in (ALPHA, BETA))   # each figure with its unit
    assert set(columns) == {ALPHA, BETA}   # gamma reports no indicator another case reports: no empty column
    every_cell = re.findall(r"<td[^>]*>(.*?)</td>", matrix, re.S)
    assert every_cell and all("cb-figure-list" in c or not_reported in c for c in every_cell)
    assert ">0<" not in matrix
    # majors-supported is reported by one case only: listed apart, not set against empty columns
    single = html[html.index('id="single"'):]
    assert 'id="i-majors-supported"' in single and 'id="i-majors-supported"' not in matrix
    assert not_reported not in single


@pytest.mark.slow  # a whole build (MkDocs)
def test_totals_only_for_summable_indicators_and_never_targets(site):
    html = article(page(site, "en/compare"))
    totals = html[html.index("Totals as reported"):html.index('id="charts"')]
    rows = {indicator: re.sub("<[^>]+>", "", total) for indicator, total in re.findall(
        r'href="([a-z-]+)/".*?<span class="cb-total">(.*?)</span></td>', totals, re.S)}
    # amounts as English writes them: 10 万元 is CNY 100,000
    assert rows == {"teachers-trained": "at least 150 person-times", "student-aid-funding": "CNY 100,000",
                    "majors-supported": "3 majors"}
    assert "employment-rate" not in rows   # percentages are not summable


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize("lang", ["", "en/"])
def test_compare_matrix_links_each_indicator_to_its_page(site, lang):
    html = article(page(site, f"{lang}compare"))
    linked = set(re.findall(r'<th scope="row" id="i-([a-z-]+)"><a href="([a-z-]+)/">', html))
    assert linked == {(i, i) for i in ("teachers-trained", "student-aid-funding", "employment-rate",
                                       "majors-supported")}
    for indicator, _ in linked:
        assert (site / lang / "compare" / indicator / "index.html").is_file()


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize(("lang", "missing", "target"), [("", "3个案例中，1个案例未报告", "（目标）"),
                                                      ("en/", "Not reported by 1 case of the 3 cases", "(target)")])
def test_indicator_page_lists_reporting_cases_with_value_unit_period_and_measure(site, lang, missing, target):
    html = article(page(site, f"{lang}compare/teachers-trained"))
    table = html[html.rindex("<table"):]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]
    assert len(rows) == 3     # one row per figure: alpha 100, beta 50 and 500 (target)
    assert [linked_cases(f"<article>{r[0]}</article>") for r in rows] == [{ALPHA}, {BETA}, {BETA}]
    loose = re.sub(r"<[^>]+>", "", rows[0][1])
    assert ["100余" in loose or "at least 100" in loose, "50" in rows[1][1],
            "500" in rows[2][1] and target in rows[2][1]] == [True] * 3
    assert all("person-times" in r[1] or "人次" in r[1] for r in rows)   # each value with its unit
    # behaviour changed on purpose (issue 24): the period is the figure's whole span, as each language writes it
    assert rows[0][2] == {"": "2016—2018年", "en/": "2016–2018"}[lang]
    assert rows[1][2] == {"": "2019年1月—2019年6月", "en/": "January 2019 – June 2019"}[lang]
    assert 'href="../../cases/alpha-college/#m-teacher-training"' in rows[0][3]
    assert 'href="../../cases/beta-school/#m-1"' in rows[1][3]
    intro = html[:html.index("<table")]
    assert missing in intro and 'href="../../cases/gamma-institute/"' in intro   # gamma: not reported, not zero
    assert ">0<" not in table
    (chart,) = svgs(page(site, f"{lang}compare/teachers-trained"))
    assert len(list(chart.iter(f"{SVG}a"))) == 3
    for a in chart.iter(f"{SVG}a"):
        url = urlsplit(urljoin(f"/{lang}compare/teachers-trained/", a.get("href")))
        target_page = (site / url.path.lstrip("/") / "index.html").read_text(encoding="utf-8")
        assert f'id="{url.fragment}"' in target_page


@pytest.mark.slow  # a whole build (MkDocs)
def test_indicator_page_of_one_case_has_its_total_and_no_chart(site):
    html = article(page(site, "en/compare/majors-supported"))
    assert not svgs(page(site, "en/compare/majors-supported"))
    assert "Total as reported" in html and "3" in html
    employment = article(page(site, "en/compare/employment-rate"))
    assert "Total as reported" not in employment    # percentages are not summable
    assert len(svgs(page(site, "en/compare/employment-rate"))) == 1


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize(("lang", "title", "other"), [("", "培训教师", "Teachers trained"),
                                                      ("en/", "Teachers trained", "培训教师")])
def test_charts_are_svg_with_title_and_desc_in_the_page_language(site, lang, title, other):
    charts = svgs(page(site, f"{lang}compare"))
    titles = [c.find(f"{SVG}title").text for c in charts]
    assert len(charts) == 2   # teachers-trained and employment-rate: the indicators two cases report
    assert title in titles and other not in titles
    for chart in charts:
        assert chart.find(f"{SVG}desc").text.strip()
    bars = [a for c in charts for a in c.iter(f"{SVG}a")]
    assert len(bars) == 5    # one bar per figure: 100, 50, 500 (target), 90, 80
    assert any("(target)" in "".join(a.itertext()) or "（目标）" in "".join(a.itertext()) for a in bars)


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize(("lang", "title"), [("", "帮扶关系示意图"), ("en/", "Who assists whom")])
def test_map_is_svg_with_title_desc_and_every_link_resolves(site, lang, title):
    html = page(site, f"{lang}map")
    (drawing,) = svgs(html)
    assert title in drawing.find(f"{SVG}title").text
    assert drawing.find(f"{SVG}desc").text.strip()
    links = [a.get("href") for a in drawing.iter(f"{SVG}a")]
    assert len([h for h in links if "#from-" in h]) == 4     # SH→XJ, SH→GZ, SH→SH, HN→XJ
    for href in links:
        url = urlsplit(urljoin(f"/{lang}map/", href))
        target = site / url.path.lstrip("/") / "index.html"
        assert target.is_file(), href
        if url.fragment:
            assert f'id="{url.fragment}"' in target.read_text(encoding="utf-8"), href


@pytest.mark.slow  # a whole build (MkDocs)
def test_map_table_lists_the_same_pairings(site):
    html = article(page(site, "en/map"))
    table = html[html.index("<table"):]
    pairs = re.findall(r'href="\.\./browse/from/(cn-[a-z]+)/">.*?href="\.\./browse/to/(cn-[a-z]+)/#from-\1"', table,
                       re.S)
    assert sorted(pairs) == [("cn-hn", "cn-xj"), ("cn-sh", "cn-gz"), ("cn-sh", "cn-sh"), ("cn-sh", "cn-xj")]


@pytest.mark.slow  # a whole build (MkDocs)
def test_home_page_counts_ways_in_and_newest_cases(site):
    html = article(page(site, "en"))
    values = re.findall(r'"cb-stat__value">([^<]+)</span> <span class="cb-stat__label">([^<]+)</span>', html)
    assert ("3", "Cases") in values and ("3", "Assisted provinces") in values
    for entry in ("browse/to/", "browse/relationship/", "browse/theme/", "map/", "compare/", "data/"):
        assert f'href="{entry}"' in html
    assert html.index("gamma-institute") < html.index("beta-school") < html.index("alpha-college")   # newest first
    # teachers trained is summable, but the vocabulary does not say what exactly is counted: cases may count
    # it differently, so the home page adds nothing up
    assert "at least" not in html and "cb-stat__unit" not in html


@pytest.mark.slow  # a whole build (MkDocs)
def test_bibtex_citation_is_escaped_with_a_stable_url(site):
    html = article(page(site, "en/cases/alpha-college"))
    bib = re.search(r'<pre class="cb-citation cb-bibtex"><code>(.*?)</code></pre>', html, re.S).group(1)
    assert bib.startswith("@misc&#123;casebook-alpha-college,") or bib.startswith("@misc{casebook-alpha-college,")
    assert "https://casebook.test/en/cases/alpha-college/" in bib


def test_every_relationship_type_and_theme_has_a_definition_in_both_languages(vocabulary):
    for kind in ("relationships", "themes"):
        for term, t in vocabulary.terms(kind).items():
            assert t.definition and t.definition.zh.strip() and t.definition.en.strip(), f"{kind}.{term}"


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize("lang", ["", "en/"])
def test_definitions_show_on_the_facet_page_and_the_glossary(site, vocabulary, lang):
    text = vocabulary.relationships["paired-support"].definition.en if lang else \
        vocabulary.relationships["paired-support"].definition.zh
    facet = article(page(site, f"{lang}browse/relationship/paired-support"))
    assert 'class="cb-definition"' in facet and text.split(":")[0].split("：")[0] in facet
    glossary = article(page(site, f"{lang}glossary"))
    assert 'id="relationship-paired-support"' in glossary and 'id="theme-teacher-development"' in glossary
    for term in list(vocabulary.relationships) + list(vocabulary.themes):
        assert f'-{term}"' in glossary, term
    assert 'href="../browse/relationship/paired-support/"' in glossary


@pytest.mark.slow  # a whole build (MkDocs)
def test_facet_values_by_number_of_cases_then_name(site):
    html = article(page(site, "en/browse/relationship"))
    listed = re.findall(r'<td[^>]*><a href="([a-z-]+)/">', html)
    # paired-support and twinning have two cases each (by name: Paired support, Twinning), aid-to-xinjiang one
    assert listed == ["paired-support", "twinning", "aid-to-xinjiang"]
    years = re.findall(r'<td[^>]*><a href="(\d{4})/">', article(page(site, "en/browse/year")))
    assert years == sorted(years)   # years keep the order of time


def meta(html: str, attribute: str, name: str) -> list[str]:
    return re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize("lang", ["", "en/"])
def test_every_page_has_its_own_description_and_link_preview(site, lang):
    pages = ["", "cases", "cases/alpha-college", "cases/beta-school", "browse", "browse/theme",
             "browse/theme/teacher-development", "browse/theme/employment", "compare", "map", "data", "about",
             "glossary"]
    descriptions = {}
    for path in pages:
        html = page(site, f"{lang}{path}")
        (description,) = meta(html, "name", "description")
        descriptions[path] = description
        assert meta(html, "property", "og:description") == [description]
        assert meta(html, "property", "og:title") and meta(html, "name", "twitter:card") == ["summary_large_image"]
        assert meta(html, "property", "og:locale") == (["en_US"] if lang else ["zh_CN"])
        assert meta(html, "property", "og:locale:alternate") == (["zh_CN"] if lang else ["en_US"])
        (image,) = meta(html, "property", "og:image")
        assert image.endswith(f"/{lang}assets/casebook-card.png")
    assert len(set(descriptions.values())) == len(pages), descriptions   # no two pages share one
    # a case: the first sentence of its summary
    summary = descriptions["cases/alpha-college"]
    assert summary.endswith(("。", ".")) and summary.count("。") <= 1
    assert (site / lang / "assets" / "casebook-card.png").stat().st_size > 1000
