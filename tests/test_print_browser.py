"""The real cases printed by Chromium on A4 (the print stylesheet, folds opened as a browser's print opens them): short
enough to print, and nothing on paper that only a screen can use; the compare page's dates and chart links as a
reader reads them."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest

from tests.browser_support import serve, watched_page
from tests.site_helpers import ROOT, build, make_project

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

CASES = sorted(path.stem for path in (ROOT / "cases").glob("*.yaml"))
PREFIX = {"zh": "", "en": "en/"}
MOST_PAGES = 8     # the longest English case (Shanghai, Tianjin) printed on 13–25 pages before issue 24


@pytest.fixture(scope="module")
def real_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(build(make_project(tmp_path_factory.mktemp("print") / "project", ROOT / "cases"))) as url:
        yield url


def printed(page: object) -> object:
    """The page as a browser prints it: print media, the beforeprint handlers run (folds open)."""
    page.emulate_media(media="print")
    page.evaluate("dispatchEvent(new Event('beforeprint'))")
    return page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_case_prints_on_at_most_eight_a4_pages(browser, real_url, lang):
    from pypdf import PdfReader

    counts = {}
    with watched_page(browser, viewport={"width": 1366, "height": 900}) as page:
        for case_id in CASES:
            page.goto(f"{real_url}{PREFIX[lang]}cases/{case_id}/", wait_until="load")
            counts[case_id] = len(PdfReader(io.BytesIO(printed(page).pdf(format="A4"))).pages)
    assert max(counts.values()) <= MOST_PAGES, counts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_printed_case_keeps_one_plain_citation_and_drops_what_only_a_screen_uses(browser, real_url, lang):
    other = {"zh": "en", "en": "zh"}[lang]
    with watched_page(browser, viewport={"width": 1366, "height": 900}) as page:
        page.goto(f"{real_url}{PREFIX[lang]}cases/{CASES[0]}/", wait_until="load")
        printed(page)
        assert page.locator(f"pre.cb-citation[lang={lang}]").is_visible()          # the case's, in the page's language
        assert page.locator("pre.cb-citation--source").is_visible()                # and the source's
        for hidden in (f"pre.cb-citation[lang={other}]", ".cb-bibtex", "#related", ".cb-related", ".md-clipboard",
                       ".cb-report"):
            for element in page.locator(hidden).all():
                assert not element.is_visible(), f"{hidden} prints"
        # the folds print open, and a table may continue on the next page (only its rows are kept whole)
        assert page.evaluate("[...document.querySelectorAll('article details')].every(d => d.open)")
        assert page.evaluate("""[...document.querySelectorAll('article table')]
            .every(t => getComputedStyle(t).breakInside === 'auto')""")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_writes_dates_as_the_language_does_and_names_its_chart_links(browser, real_url, lang):
    with watched_page(browser, viewport={"width": 1366, "height": 900}) as page:
        page.goto(f"{real_url}{PREFIX[lang]}compare/", wait_until="load")
        text = page.locator("article").inner_text()
        assert not re.search(r"\b\d{4}-\d{2}\b", text), re.search(r".{30}\b\d{4}-\d{2}\b.{10}", text)
        assert "↓" not in text
        links = set(page.locator("a.cb-to-chart").all_inner_texts())
        assert links == {{"zh": "图表", "en": "chart"}[lang]}
        # a date the records give as 2017-02-22, written out
        assert {"zh": "2017年2月22日", "en": "22 February 2017"}[lang] in text
        # one concept in two units is one line: no row is named by a unit alone
        names = page.locator("table.cb-compare th[scope=row]").all_inner_texts()
        units = {"zh": {"人", "人次"}, "en": {"people", "person-times"}}[lang]
        assert names and not [name for name in names if name.split("\n")[0].strip() in units], names
