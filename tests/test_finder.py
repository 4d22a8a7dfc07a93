"""The case finder (cases/) and the front door, as readers use them in Debian's Chromium over a local web server.

Which cases a filter should show is worked out from the published records (data/cases.json), not written down
here, so the tests check the finder against the records whatever the fixtures hold.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser_support import watched_page

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

PREFIX = {"zh": "", "en": "en/"}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(browser_site: Path) -> Path:
    return browser_site


@pytest.fixture(scope="module")
def records(site: Path) -> dict[str, dict]:
    return json.loads((site / "data" / "cases.json").read_text(encoding="utf-8"))["cases"]


def _page(browser: object, **options: object) -> Iterator[object]:
    with watched_page(browser, **options) as page:
        yield page


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    yield from _page(browser, viewport={"width": 1366, "height": 900})


@pytest.fixture
def phone(browser: object) -> Iterator[object]:
    yield from _page(browser, viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def no_script(browser: object) -> Iterator[object]:
    yield from _page(browser, viewport={"width": 1366, "height": 900}, java_script_enabled=False)


# ---------------------------------------------------------------- what the records say


def values(record: dict, facet: str) -> set[str]:
    """A record's values under one of the finder's filters, read from the published record."""
    if facet == "theme":
        return {m["theme"] for m in record.get("measures", [])}
    if facet == "relationship":
        return {r for p in record["partners"] for r in p["relationship"]}
    if facet == "from":
        return {record["reporter"]["province"]}
    if facet == "to":
        return {p["region"]["province"] for p in record["partners"]}
    if facet == "kind":
        return {record["reporter"]["kind"]}
    raise AssertionError(facet)


def expected(records: dict[str, dict], chosen: dict[str, list[str]], years: tuple[int, int] | None = None) -> set[str]:
    """The cases that have one of the chosen values of every filter and whose period meets the years."""
    found = set()
    for case_id, record in records.items():
        if not all(values(record, facet) & set(wanted) for facet, wanted in chosen.items()):
            continue
        if years:
            period = record["source"]["period"]
            last = period.get("to") or int(record["source"]["issued"][:4])
            if last < years[0] or period["from"] > years[1]:
                continue
        found.add(case_id)
    return found


def shown(page: object) -> set[str]:
    hrefs = page.locator("#cb-finder-list .cb-case-card__title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    return {href.strip("/").split("/")[-1] for href in hrefs}


def open_finder(page: object, url: str) -> None:
    page.goto(url)
    page.locator("#cb-finder[data-loaded]").wait_for(state="attached")


def tick(page: object, facet: str, value: str) -> None:
    page.locator(f"#cb-finder-form input[name='{facet}'][value='{value}']").check()


def combinations(records: dict[str, dict]) -> list[dict[str, list[str]]]:
    """Filters to try: every value of each filter alone, and each pair of values of two filters that some case has."""
    facets = ("theme", "relationship", "from", "to", "kind")
    found: list[dict[str, list[str]]] = []
    for facet in facets:
        for value in sorted(set().union(*(values(r, facet) for r in records.values()))):
            found.append({facet: [value]})
    first = next(iter(sorted(records.values(), key=lambda r: r["added"])))
    for i, a in enumerate(facets):
        for b in facets[i + 1:]:
            found.append({a: [sorted(values(first, a))[0]], b: [sorted(values(first, b))[0]]})
    return found


# ---------------------------------------------------------------- the finder


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_combined_filters_show_the_cases_the_records_say(page: object, base_url: str, records: dict,
                                                         lang: str) -> None:
    open_finder(page, f"{base_url}{PREFIX[lang]}cases/")
    assert shown(page) == set(records)
    for chosen in combinations(records):
        page.locator("#cb-finder-form button[type=reset]").click()
        for facet, wanted in chosen.items():
            for value in wanted:
                tick(page, facet, value)
        want = expected(records, chosen)
        playwright_api.expect(page.locator("#cb-finder-list .cb-case-card")).to_have_count(len(want))
        assert shown(page) == want, chosen
        count = page.locator("#cb-finder-count").inner_text()
        assert str(len(want)) in count, (chosen, count)


def test_values_of_one_filter_combine_with_or_and_years_narrow(page: object, base_url: str, records: dict) -> None:
    provinces = sorted(set().union(*(values(r, "to") for r in records.values())))[:2]
    open_finder(page, f"{base_url}en/cases/")
    for province in provinces:
        tick(page, "to", province)
    want = expected(records, {"to": provinces})
    assert len(want) >= 2 and shown(page) == want
    # each value's count says how many cases ticking it would show with the other filters as they are
    page.locator("#cb-finder-form button[type=reset]").click()
    theme = sorted(values(next(iter(records.values())), "theme"))[0]
    tick(page, "theme", theme)
    for province in sorted(set().union(*(values(r, "to") for r in records.values()))):
        counter = page.locator(f"fieldset[data-facet=to] .cb-finder__n[data-value='{province}']")
        assert counter.inner_text() == str(len(expected(records, {"theme": [theme], "to": [province]}))), province
    page.locator("#cb-finder-form button[type=reset]").click()
    page.fill("#cb-finder-year-from", "2018")
    page.fill("#cb-finder-year-to", "2030")
    page.locator("#cb-finder-year-to").dispatch_event("change")
    playwright_api.expect(page.locator("#cb-finder-list .cb-case-card")).to_have_count(
        len(expected(records, {}, (2018, 2030))))
    assert shown(page) == expected(records, {}, (2018, 2030))


def test_text_filter_finds_words_of_either_language(page: object, base_url: str, records: dict) -> None:
    case_id, record = sorted(records.items())[0]
    open_finder(page, f"{base_url}en/cases/")
    page.fill("#cb-finder-q", record["reporter"]["name"]["zh"])
    playwright_api.expect(page.locator("#cb-finder-list .cb-case-card")).to_have_count(1)
    assert shown(page) == {case_id}
    page.fill("#cb-finder-q", "qzxjvwk")
    playwright_api.expect(page.locator("#cb-finder-empty")).to_be_visible()
    assert shown(page) == set()


def test_the_address_keeps_the_filters_and_reload_restores_them(page: object, base_url: str, records: dict) -> None:
    first = sorted(records.values(), key=lambda r: r["added"])[0]
    theme, province = sorted(values(first, "theme"))[0], sorted(values(first, "to"))[0]
    open_finder(page, f"{base_url}en/cases/")
    tick(page, "theme", theme)
    tick(page, "to", province)
    page.select_option("#cb-finder-sort", "title")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"theme": [theme], "to": [province], "sort": ["title"]}
    want = expected(records, {"theme": [theme], "to": [province]})
    assert shown(page) == want

    page.reload()
    page.locator("#cb-finder[data-loaded]").wait_for(state="attached")
    assert page.locator(f"input[name=theme][value='{theme}']").is_checked()
    assert page.locator(f"input[name=to][value='{province}']").is_checked()
    assert page.locator("#cb-finder-sort").input_value() == "title"
    assert shown(page) == want

    # a shared address opens the same view
    open_finder(page, f"{base_url}cases/?theme={theme}&to={province}")
    assert shown(page) == want


def test_the_language_switch_keeps_the_filters(page: object, base_url: str, records: dict) -> None:
    first = sorted(records.values(), key=lambda r: r["added"])[0]
    relationship = sorted(values(first, "relationship"))[0]
    open_finder(page, f"{base_url}cases/")
    tick(page, "relationship", relationship)
    want = expected(records, {"relationship": [relationship]})
    option = page.locator(".md-header__option .md-select").first
    option.hover()
    option.locator("a.md-select__link[hreflang=en]").click()
    page.wait_for_url(f"{base_url}en/cases/?relationship={relationship}")
    page.locator("#cb-finder[data-loaded]").wait_for(state="attached")
    assert page.locator(f"input[name=relationship][value='{relationship}']").is_checked()
    assert shown(page) == want


def test_the_count_is_announced_and_every_control_has_a_label(page: object, base_url: str) -> None:
    open_finder(page, f"{base_url}en/cases/")
    assert page.locator("#cb-finder-count").get_attribute("role") == "status"
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll('#cb-finder input, #cb-finder select'))
        .filter(el => !el.labels || el.labels.length === 0).map(el => el.id || el.name)""")
    assert unlabelled == []
    assert page.locator("#cb-finder fieldset legend").count() >= 5


def test_without_javascript_the_cards_and_the_facet_pages_are_there(no_script: object, base_url: str,
                                                                   records: dict) -> None:
    no_script.goto(f"{base_url}en/cases/")
    assert shown(no_script) == set(records)
    assert not no_script.locator("#cb-finder-form").is_visible()   # nothing that needs the script
    link = no_script.locator(".cb-finder__browse a[href$='browse/theme/']")
    link.click()
    no_script.wait_for_url(f"{base_url}en/browse/theme/")
    no_script.locator("article table a").first.click()
    no_script.wait_for_url(f"{base_url}en/browse/theme/*/")
    assert no_script.locator("article table a[href*='cases/']").count() >= 1


def test_on_a_phone_the_filters_are_a_drawer_and_cards_take_the_width(phone: object, base_url: str) -> None:
    open_finder(phone, f"{base_url}en/cases/")
    drawer = phone.locator(".cb-finder__drawer")
    assert drawer.get_attribute("open") is None
    assert not phone.locator("#cb-finder-form").is_visible()
    card = phone.locator("#cb-finder-list .cb-case-card").first.bounding_box()
    assert card["width"] >= PHONE["width"] - 60, card
    phone.locator(".cb-finder__toggle").tap()
    playwright_api.expect(phone.locator("#cb-finder-form")).to_be_visible()
    # ticking a filter and asking for the cases closes the drawer and brings the count and the cards into view
    phone.locator("#cb-finder-form input[name=relationship]").first.check()
    show = phone.locator("#cb-finder-show")
    shown = int(re.search(r"\d+", show.inner_text()).group())
    cards = phone.locator("#cb-finder-list .cb-case-card")
    assert show.inner_text().startswith("Show ") and 0 < shown <= cards.count()
    show.tap()
    assert drawer.get_attribute("open") is None
    playwright_api.expect(phone.locator("#cb-finder-count")).to_be_in_viewport()
    assert phone.locator("#cb-finder-count").inner_text().startswith(str(shown))


@pytest.mark.parametrize(("lang", "label"), [("zh", "主题："), ("en", "Theme: ")])
def test_a_filter_on_is_a_chip_that_removes_it(phone: object, base_url: str, records: dict, lang: str,
                                               label: str) -> None:
    """On a phone the filters are folded away: the chips above the cards say which are on, and remove them."""
    theme = sorted(values(next(iter(records.values())), "theme"))[0]
    province = sorted(set().union(*(values(r, "to") for r in records.values())))[0]
    open_finder(phone, f"{base_url}{PREFIX[lang]}cases/?theme={theme}&to={province}")
    chips = phone.locator("#cb-finder-chips .cb-finder__chip")
    playwright_api.expect(chips).to_have_count(2)
    assert phone.locator("#cb-finder-form").is_hidden()   # the drawer is closed, the chips are in view
    playwright_api.expect(chips.first).to_be_visible()
    theme_chip = chips.filter(has_text=label)
    assert theme_chip.count() == 1
    assert theme_chip.get_attribute("aria-label").endswith(theme_chip.inner_text().replace("×", "").strip())
    assert theme_chip.bounding_box()["height"] >= 44   # a touch target (WCAG 2.2: 24 px at least)
    theme_chip.tap()
    playwright_api.expect(chips).to_have_count(1)
    query = parse_qs(urlsplit(phone.url).query)
    assert "theme" not in query and query["to"] == [province], phone.url
    assert not phone.locator(f"#cb-finder-form input[name=theme][value='{theme}']").is_checked()
    assert shown(phone) == expected(records, {"to": [province]})
    phone.locator("#cb-finder-chips .cb-finder__chip-clear").tap()
    playwright_api.expect(phone.locator("#cb-finder-chips")).to_be_hidden()
    assert urlsplit(phone.url).query == "" and shown(phone) == set(records)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_empty_list_names_the_filters_and_clears_them(page: object, base_url: str, records: dict,
                                                          lang: str) -> None:
    # a year no case covers, with a theme: nothing is left
    theme = sorted(values(next(iter(records.values())), "theme"))[0]
    open_finder(page, f"{base_url}{PREFIX[lang]}cases/?theme={theme}&year_to=1990")
    empty = page.locator("#cb-finder-empty")
    playwright_api.expect(empty).to_be_visible()
    label = page.locator(f"label[for='cb-f-theme-{theme}']").inner_text()
    theme_name = re.sub(r"\s*\d+$", "", label).strip()
    assert theme_name in empty.inner_text() and "1990" in empty.inner_text()
    empty.locator("button").click()
    playwright_api.expect(empty).to_be_hidden()
    assert shown(page) == set(records)


def test_filter_rows_are_touch_targets_on_a_phone_and_no_list_is_cut(phone: object, base_url: str) -> None:
    open_finder(phone, f"{base_url}en/cases/")
    phone.locator(".cb-finder__toggle").tap()
    rows = phone.locator("#cb-finder-form .cb-finder__facet li")
    heights = rows.evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44, heights
    # no facet list scrolls inside its own box (its last rows hidden below an inner edge)
    clipped = phone.locator("#cb-finder-form .cb-finder__facet ul").evaluate_all(
        "lists => lists.filter(l => l.scrollHeight > l.clientHeight + 1).length")
    assert clipped == 0


# ---------------------------------------------------------------- the front door


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_is_a_front_door(page: object, base_url: str, records: dict, lang: str) -> None:
    page.goto(f"{base_url}{PREFIX[lang]}")
    article = page.locator("article")
    assert article.locator("input[type=search][data-cb-search]").count() == 1   # a search field in the page
    for target in ("browse/to/", "browse/relationship/", "browse/theme/", "map/"):
        assert article.locator(f".cb-ways a[href='{target}']").count() == 1, target
    cards = article.locator(".cb-case-card")
    assert cards.count() == len(records)
    newest = max(records.values(), key=lambda r: r["added"])
    first = cards.first
    assert newest["title"][lang] in first.locator(".cb-case-card__title").inner_text()
    assert first.locator(".cb-case-card__summary").inner_text().strip()
    assert 1 <= first.locator(".cb-case-card__themes li").count() <= 3
    # the site's name is not repeated: header, and the page's own heading, once each
    site_name = page.locator(".md-header__topic").first.inner_text().strip()
    assert page.locator("article h1").inner_text().strip() == site_name
    assert page.locator(".md-tabs__item--active").inner_text().strip() != site_name
    assert page.locator(".md-sidebar--primary").is_hidden()


# ---------------------------------------------------------------- wayfinding and fit


def page_types(site: Path) -> dict[str, str]:
    """One page of every type the fixture site has, by type (paths relative to a language's root)."""
    def first(pattern: str) -> str:
        found = sorted(site.glob(pattern))
        assert found, pattern
        return found[0].parent.relative_to(site).as_posix() + "/"
    return {"home": "", "finder": "cases/", "case": first("cases/*/index.html"), "browse": "browse/",
            "facet index": "browse/theme/", "facet": first("browse/theme/*/index.html"), "compare": "compare/",
            "indicator": first("compare/*/index.html"), "map": "map/", "data": "data/", "about": "about/",
            "guide": "guide/"}


# The tab each page type lights up, by the section's path.
SECTION = {"finder": "cases/", "case": "cases/", "browse": "browse/", "facet index": "browse/", "facet": "browse/",
           "compare": "compare/", "indicator": "compare/", "map": "map/", "data": "data/", "about": "about/"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_breadcrumbs_and_the_active_tab(page: object, base_url: str, site: Path, lang: str) -> None:
    for kind, path in page_types(site).items():
        if kind not in SECTION:
            continue
        page.goto(f"{base_url}{PREFIX[lang]}{path}")
        tab = page.locator(".md-tabs__item--active a")
        assert tab.count() == 1, f"{kind}: no tab is highlighted"
        target = page.evaluate("a => new URL(a.href).pathname", tab.element_handle())
        assert target == f"/{PREFIX[lang]}{SECTION[kind]}", (kind, target)
        crumbs = page.locator("article nav.cb-breadcrumbs")
        assert crumbs.count() == 1, f"{kind}: no breadcrumbs"
        home = crumbs.locator("a").first
        assert page.evaluate("a => new URL(a.href).pathname", home.element_handle()) == f"/{PREFIX[lang]}"
        assert crumbs.locator("[aria-current=page]").count() == 1
        # the breadcrumbs come before the page's heading: the way back is at the top
        assert page.evaluate("""() => {
            const crumbs = document.querySelector('article nav.cb-breadcrumbs');
            const h1 = document.querySelector('article h1');
            return !!(crumbs.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING);
        }""")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_scrolls_sideways_on_a_phone(phone: object, base_url: str, site: Path, lang: str) -> None:
    theme = sorted(p.parent.name for p in site.glob("browse/theme/*/index.html"))[0]
    pages = page_types(site) | {"glossary": "glossary/", "finder with a filter": f"cases/?theme={theme}"}
    for kind, path in pages.items():
        phone.goto(f"{base_url}{PREFIX[lang]}{path}")
        phone.locator("article h1").first.wait_for(state="attached")
        width = phone.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], f"{kind} ({PREFIX[lang]}{path}) is {width}px wide at {PHONE['width']}px"


def layout_shift(page: object, url: str, late: str, ready: str | None = None) -> float:
    """The layout shifts (the Layout Instability API, as Lighthouse's CLS counts them) from loading ``url``, with the
    file ``late`` arriving half a second after the page has painted (as on a phone's network), until ``ready`` is
    there (without it, until the network is idle)."""
    page.add_init_script("""window.__shifts = [];
        new PerformanceObserver(list => list.getEntries().forEach(e => {
            if (!e.hadRecentInput) __shifts.push(e.value); })).observe({type: "layout-shift", buffered: true});""")
    page.route(late, lambda route: (time.sleep(0.5), route.continue_()))
    page.goto(url)
    if ready:
        page.locator(ready).wait_for(state="attached")
    else:
        page.wait_for_load_state("networkidle")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return page.evaluate("() => __shifts.reduce((a, b) => a + b, 0)")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_the_cards_do_not_jump_when_the_finder_starts(phone: object, base_url: str, lang: str) -> None:
    # closing the drawer only once the finder has its data would move every card up by the height of its contents
    shifted = layout_shift(phone, f"{base_url}{PREFIX[lang]}cases/", "**/finder.json", "#cb-finder[data-loaded]")
    assert shifted < 0.05, f"cards moved after the first paint: layout shift {shifted:.3f}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_the_home_page_does_not_move_when_its_search_box_arrives(phone: object, base_url: str,
                                                                            lang: str) -> None:
    shifted = layout_shift(phone, f"{base_url}{PREFIX[lang]}", "**/pagefind-component-ui.js")
    assert shifted < 0.005, f"the page moved when Pagefind's search box was filled in: layout shift {shifted:.3f}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_finder_with_filters_and_open_drawer_has_no_serious_accessibility_violations(phone: object, base_url: str,
                                                                                     records: dict, lang: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    theme = sorted(values(next(iter(records.values())), "theme"))[0]
    open_finder(phone, f"{base_url}{PREFIX[lang]}cases/?theme={theme}")
    phone.locator(".cb-finder__toggle").tap()
    playwright_api.expect(phone.locator("#cb-finder-form")).to_be_visible()
    violations = Axe().run(phone).response["violations"]
    serious = [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in violations
               if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(serious)
