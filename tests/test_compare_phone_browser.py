"""Issue 24, round three (part C), on the real cases as a reader sees them: compare cells say what each figure counts,
a phone lists only the cases that report a figure and taps land on 44 px targets; a chart marks figures described
differently; browse tables and the map fit a phone; the map's table names each case once; print shows no fold
buttons."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser_support import serve, watched_page
from tests.site_helpers import ROOT, build, make_project

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

PREFIX = {"zh": "", "en": "en/"}
PHONE = {"width": 390, "height": 844}
NOT_REPORTED_BY = {"zh": "未报告此项", "en": "Not reported by"}

# The visible boxes of the controls a finger taps on a phone's compare page, each {text, height}.
TAP_TARGETS = """() => [...document.querySelectorAll('table.cb-compare a.cb-figure-link, '
    + 'table.cb-compare a.cb-to-chart, table.cb-compare details.cb-cell-note > summary, .cb-card summary')]
  .filter(e => e.getClientRects().length).map(e => ({text: e.textContent, height: e.getBoundingClientRect().height}))"""


@pytest.fixture(scope="module")
def real_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(build(make_project(tmp_path_factory.mktemp("compare-phone") / "project", ROOT / "cases"))) as url:
        yield url


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_phone_lists_only_the_cases_reporting_a_figure_and_names_the_others_on_one_line(browser, real_url, lang):
    with watched_page(browser, viewport=PHONE) as page:
        page.goto(f"{real_url}{PREFIX[lang]}compare/")
        matrix = page.locator("table.cb-compare:not(.cb-compare--single)")
        assert matrix.locator(".cb-not-reported").count() > 0              # the desktop's cells are there ...
        assert all(not cell.is_visible() for cell in matrix.locator(".cb-not-reported").all())  # ... not on a phone
        lines = matrix.locator("td.cb-not-reported-by")
        assert lines.count() > 0
        first = lines.first
        assert first.is_visible() and first.inner_text().startswith(NOT_REPORTED_BY[lang])
        small = [t for t in page.evaluate(TAP_TARGETS) if t["height"] < 44]
        assert not small, f"tap targets under 44 px on a phone: {small[:3]}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_compare_figure_says_what_it_counts_without_a_click(browser, real_url, lang):
    with watched_page(browser, viewport={"width": 1366, "height": 900}) as page:
        page.goto(f"{real_url}{PREFIX[lang]}compare/")
        items = page.locator("table.cb-compare ul.cb-figure-list > li")
        assert items.count() > 20
        unlabelled = [item.inner_text() for item in items.all()
                      if not item.locator(".cb-figure-says").inner_text().strip()]
        assert not unlabelled, unlabelled[:3]
        # Hubei's first award says it is a national one, in the cell, not behind "Note"
        awards = page.locator("tr:has(#i-awards-won) td").nth(1)
        assert {"zh": "国家级", "en": "National"}[lang] in awards.inner_text()
        size = page.locator("table.cb-compare").first.evaluate("t => parseFloat(getComputedStyle(t).fontSize)")
        assert size >= 13, size


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_chart_marks_figures_that_count_different_things(browser, real_url, lang):
    with watched_page(browser, viewport={"width": 1366, "height": 900}) as page:
        page.goto(f"{real_url}{PREFIX[lang]}compare/employment-rate/")
        values = page.locator("svg.cb-svg--bars .cb-svg__value").all_text_contents()
        marks = {"zh": ("［1］", "［2］"), "en": ("[1]", "[2]")}[lang]
        assert any(marks[0] in v for v in values) and any(marks[1] in v for v in values), values
        legend = page.locator("ol.cb-chart__definitions > li").all_text_contents()
        assert len(legend) == 2
        together = {"zh": "就业和实习合并计算", "en": "jobs and internships counted together"}[lang]
        assert any(together in d for d in legend)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_browse_tables_and_the_map_fit_a_phone(browser, real_url, lang):
    with watched_page(browser, viewport=PHONE) as page:
        for path in ("browse/year/", "browse/year/2017/", "browse/theme/", "map/"):
            page.goto(f"{real_url}{PREFIX[lang]}{path}")
            widths = page.evaluate("() => [document.documentElement.scrollWidth, "
                                   "...[...document.querySelectorAll('article table, article svg.cb-svg--map')]"
                                   ".map(t => Math.ceil(t.getBoundingClientRect().right))]")
            assert max(widths) <= 390, (path, widths)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_maps_table_names_each_case_once(browser, real_url, lang):
    with watched_page(browser, viewport={"width": 1366, "height": 900}) as page:
        page.goto(f"{real_url}{PREFIX[lang]}map/")
        cases = page.locator("table.cb-pairings a[href*='cases/']").evaluate_all("links => links.map(a => a.href)")
        assert cases and len(cases) == len(set(cases)) == len(list((ROOT / "cases").glob("*.yaml")))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_print_shows_no_fold_buttons_and_prints_card_notes_as_text(browser, real_url, lang):
    with watched_page(browser, viewport={"width": 1366, "height": 900}) as page:
        page.goto(f"{real_url}{PREFIX[lang]}cases/shanghai-vocational-education/", wait_until="load")
        page.emulate_media(media="print")
        page.evaluate("dispatchEvent(new Event('beforeprint'))")
        buttons = page.locator("details.cb-fold > summary, details.cb-cell-note > summary, details.cb-bibtex-fold")
        assert buttons.count() > 0
        assert all(not b.is_visible() for b in buttons.all())
        notes = page.locator(".cb-card details.cb-cell-note")
        assert all(n.is_visible() and n.inner_text().strip() for n in notes.all())
