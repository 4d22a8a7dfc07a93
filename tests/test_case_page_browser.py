"""The real case pages in Chromium at a phone's, a small phone's and a laptop's width: no text leaves its box, the
figures are shown once by the results chain with plans apart, the measures keep the record's order, and the Chinese
cards count every partner."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.compare import measure_anchors
from tests.browser_support import serve, watched_page
from tests.real_cases import real_case
from tests.site_helpers import ROOT, build, make_project

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

CASES = sorted(path.stem for path in (ROOT / "cases").glob("*.yaml"))
PREFIX = {"zh": "", "en": "en/"}
WIDTHS = (320, 390, 1366)

# Every element of the article whose box is narrower than its text (a block with text of its own that overflows,
# outside the boxes that scroll on purpose, such as wide tables), or that reaches past the viewport's right edge.
OVERFLOWS = """() => {
  const article = document.querySelector("article.md-content__inner");
  const viewport = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== article; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden") return true;
    }
    return false;
  };
  const found = [];
  for (const el of article.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden" || el.closest(".cb-hidden, .cb-sr-only")) continue;
    const box = el.getBoundingClientRect();
    // a box that clips or scrolls its own text (the breadcrumb's ellipsis) keeps it inside
    if (box.width === 0 || scrolls(el) || style.overflowX !== "visible") continue;
    const text = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    const name = el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "");
    const said = el.textContent.slice(0, 40);
    if (box.right > viewport + 1) found.push(`${name} ends at ${Math.round(box.right)} px: ${said}`);
    else if (text && style.display !== "inline" && el.scrollWidth > el.clientWidth + 1)
      found.push(`${name} is ${el.scrollWidth} px of text in ${el.clientWidth} px: ${said}`);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(make_project(tmp_path_factory.mktemp("real") / "project", ROOT / "cases"))


@pytest.fixture(scope="module")
def real_url(real_site: Path) -> Iterator[str]:
    with serve(real_site) as url:
        yield url


@pytest.mark.parametrize("width", WIDTHS)
def test_no_text_leaves_its_box_on_any_case_page(browser, real_url, width):
    found = {}
    with watched_page(browser, viewport={"width": width, "height": 900}, is_mobile=width < 600) as page:
        for lang, prefix in PREFIX.items():
            for case_id in CASES:
                page.goto(f"{real_url}{prefix}cases/{case_id}/", wait_until="load")
                problems = page.evaluate(OVERFLOWS)
                if problems:
                    found[f"{lang} {case_id}"] = problems[:5]
    assert not found, found


def test_each_figure_once_by_the_results_chain_and_plans_never_among_results(browser, real_url):
    with watched_page(browser, viewport={"width": 1366, "height": 900}) as page:
        for case_id in CASES:
            case = real_case(case_id)
            page.goto(f"{real_url}en/cases/{case_id}/", wait_until="load")
            assert page.locator(".cb-glance .cb-amount").count() == 0, case_id   # the header repeats none
            groups = page.eval_on_selector_all("h3[id^=figures-]", "els => els.map(e => e.id)")
            cards = {group: page.locator(f"#{group} + .cb-cards > .cb-card").count() for group in groups}
            assert sum(cards.values()) == len(case.figures), (case_id, cards)
            targets = sum(f.target for f in case.figures)
            assert cards.get("figures-plan", 0) == targets, case_id
            results = page.locator("#figures-outcome + .cb-cards, #figures-output + .cb-cards").all_inner_texts()
            assert not any("target" in text for text in results), case_id


def test_two_rates_side_by_side_say_what_each_belongs_to(browser, real_url):
    """Shanghai's 98.46% and 94% are rates of different groups: each card names its measure in one line, and the
    line leads to that measure."""
    with watched_page(browser, viewport={"width": 390, "height": 800}) as page:
        for lang, prefix in PREFIX.items():
            page.goto(f"{real_url}{prefix}cases/shanghai-vocational-education/", wait_until="load")
            contexts = {}
            for card in page.locator(".cb-cards .cb-card").all():
                value = card.locator(".cb-card__value").inner_text()
                if value in ("98.46%", "94%"):
                    contexts[value] = card.locator(".cb-card__context a")
            assert set(contexts) == {"98.46%", "94%"}, lang
            titles = {value: link.inner_text() for value, link in contexts.items()}
            assert titles["98.46%"] != titles["94%"] and all(titles.values()), titles
            target = contexts["94%"].get_attribute("href")
            contexts["94%"].click()
            assert page.evaluate("location.hash") == target
            assert page.locator(f"h3{target}").inner_text().startswith(titles["94%"])


def test_measures_in_the_records_order(browser, real_url):
    with watched_page(browser, viewport={"width": 1366, "height": 900}) as page:
        for case_id in CASES:
            page.goto(f"{real_url}cases/{case_id}/", wait_until="load")
            shown = page.eval_on_selector_all("h3[id^=m-]", "els => els.map(e => e.id)")
            assert shown == measure_anchors(real_case(case_id)), case_id


@pytest.mark.parametrize("path", ["", "cases/"])
def test_the_chinese_cards_count_every_partner(browser, real_url, path):
    with watched_page(browser, viewport={"width": 1366, "height": 900}) as page:
        page.goto(real_url + path, wait_until="load")
        cards = page.locator(".cb-case-card")
        counted = 0
        for i in range(cards.count()):
            card = cards.nth(i)
            case_id = card.locator(".cb-case-card__title a").get_attribute("href").strip("/").split("/")[-1]
            who = card.locator(".cb-case-card__who").inner_text()
            assert " " not in who.split("→")[-1], who          # no space around a number in Chinese
            total = len(real_case(case_id).partners)
            found = re.search(r"等(\d+)个受援对象", who)
            if total > 2:
                assert found and int(found.group(1)) == total, (case_id, who)
                counted += 1
        assert counted


PHONE = {"width": 390, "height": 844}
# A reader on a phone reaches the end of a case in about a dozen screens, the results within the first two.
PHONE_PAGE_HEIGHT = 12_500


def test_a_case_on_a_phone_is_a_dozen_screens_and_its_results_come_first(browser, real_url):
    heights, late = {}, {}
    with watched_page(browser, viewport=PHONE, is_mobile=True) as page:
        for lang, prefix in PREFIX.items():
            for case_id in CASES:
                page.goto(f"{real_url}{prefix}cases/{case_id}/", wait_until="load")
                height = page.evaluate("document.documentElement.scrollHeight")
                if height > PHONE_PAGE_HEIGHT:
                    heights[f"{lang} {case_id}"] = height
                results = page.locator("#figures-outcome + .cb-cards, #figures-output + .cb-cards").first
                top = page.evaluate("el => el.getBoundingClientRect().top + scrollY", results.element_handle())
                if top > 2 * PHONE["height"]:
                    late[f"{lang} {case_id}"] = top
    assert not heights, heights
    assert not late, late


@pytest.mark.parametrize("lang", PREFIX)
def test_every_fold_opens_for_print_and_its_text_stays_in_its_box(browser, real_url, lang):
    found = {}
    with watched_page(browser, viewport=PHONE, is_mobile=True) as page:
        for case_id in CASES:
            page.goto(f"{real_url}{PREFIX[lang]}cases/{case_id}/", wait_until="load")
            assert page.locator("article details.cb-measure:not([open])").count() > 0, case_id
            page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
            assert page.locator("article details:not([open])").count() == 0, case_id
            problems = page.evaluate(OVERFLOWS)
            if problems:
                found[case_id] = problems[:5]
    assert not found, found


def test_a_link_to_a_measure_or_to_all_partners_opens_its_fold(browser, real_url):
    with watched_page(browser, viewport=PHONE, is_mobile=True) as page:
        page.goto(f"{real_url}en/cases/shanghai-vocational-education/#m-leadership-visits-and-agreements",
                  wait_until="load")
        measure = page.locator("details.cb-measure:has(#m-leadership-visits-and-agreements)")
        assert measure.get_attribute("open") is not None
        assert measure.locator("table.cb-figures").is_visible()
        page.goto(f"{real_url}en/cases/tianjin-vocational-institute/", wait_until="load")
        table = page.locator("#partners-all table")
        assert not table.is_visible()
        page.locator(".cb-glance__who a[href='#partners']").click()
        assert table.is_visible()


@pytest.mark.parametrize(("lang", "span"), [("en", "2013–2020"), ("zh", "2013—2020年")])
def test_a_figure_says_the_whole_period_it_covers(browser, real_url, lang, span):
    with watched_page(browser, viewport={"width": 1366, "height": 900}) as page:
        page.goto(f"{real_url}{PREFIX[lang]}cases/shanghai-vocational-education/#m-leadership-visits-and-agreements",
                  wait_until="load")
        measure = page.locator("details.cb-measure:has(#m-leadership-visits-and-agreements)")
        first = measure.locator("table.cb-figures tbody tr").first
        assert first.locator("td").nth(2).inner_text() == span


def test_a_column_nothing_fills_is_left_out(browser, real_url):
    with watched_page(browser, viewport={"width": 1366, "height": 900}) as page:
        page.goto(f"{real_url}en/cases/tianjin-vocational-institute/", wait_until="load")   # no partner gives a year
        headings = "els => els.map(e => e.textContent)"   # folded tables included
        assert page.eval_on_selector_all("#partners-all thead th", headings) == ["Name", "Type", "Region",
                                                                                 "Type of assistance"]
        page.goto(f"{real_url}en/cases/guangdong-industry-polytechnic/", wait_until="load")   # no document numbers
        # the table, or Material's wrapper round it
        policies = page.eval_on_selector_all("#policies + * thead th, #policies + table thead th", headings)
        assert "Document" in policies and "Document number" not in policies


def test_a_case_without_outcomes_says_so_and_a_long_card_note_waits_behind_its_marker(browser, real_url):
    with watched_page(browser, viewport=PHONE, is_mobile=True) as page:
        page.goto(f"{real_url}cases/guangdong-industry-polytechnic/", wait_until="load")
        assert page.locator("#figures-outcome").count() == 0
        assert page.locator(".cb-no-outcomes").inner_text() == "来源未报告成效数字。"
        note = page.locator(".cb-card details.cb-card__caveat").first
        assert note.get_attribute("open") is None and note.locator("summary").inner_text() == "注"
        page.goto(f"{real_url}cases/shanghai-vocational-education/", wait_until="load")   # it reports outcomes
        assert page.locator(".cb-no-outcomes").count() == 0
