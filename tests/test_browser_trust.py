"""Trust, in the browser: who publishes the casebook and how to reach them, "Report an error" on every case page,
the 404 page (search, footer, a phone's width) and the printed page (the site's name first, no navigation).

The fixture site (conftest.browser_site) names a publisher and an e-mail contact and no repository, so a case's
error link is an e-mail; tests/test_trust.py checks the pre-filled issue of a site with a repository.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser_support import CONTACT, PUBLISHER, watched_page

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

PREFIX = {"zh": "", "en": "en/"}
REPORT = {"zh": "报告本案例的错误", "en": "Report an error in this case"}
SITE_NAME = {"zh": "职业教育帮扶案例库", "en": "Vocational Education Assistance Casebook"}
NARROWEST = {"width": 320, "height": 640}


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    with watched_page(browser, viewport={"width": 1280, "height": 900}) as page:
        yield page


@pytest.fixture
def narrow(browser: object) -> Iterator[object]:
    with watched_page(browser, viewport=NARROWEST, is_mobile=True, has_touch=True) as page:
        yield page


def case_ids(site: Path) -> list[str]:
    return sorted(path.parent.name for path in site.glob("cases/*/index.html"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_case_page_has_a_link_to_report_an_error(page: object, base_url: str, browser_site: Path,
                                                       lang: str) -> None:
    ids = case_ids(browser_site)
    assert len(ids) >= 3
    for case_id in ids:
        page.goto(f"{base_url}{PREFIX[lang]}cases/{case_id}/")
        link = page.get_by_role("link", name=REPORT[lang], exact=True)
        playwright_api.expect(link).to_be_visible()
        address = urlsplit(link.get_attribute("href"))
        assert (address.scheme, address.path) == ("mailto", CONTACT)
        subject = parse_qs(address.query)["subject"][0]
        assert case_id in subject and f"https://casebook.test/{PREFIX[lang]}cases/{case_id}/" in subject, subject


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_about_names_the_publisher_and_the_contact(page: object, base_url: str, lang: str) -> None:
    page.goto(f"{base_url}{PREFIX[lang]}about/")
    article = page.locator("article")
    playwright_api.expect(article.get_by_text(PUBLISHER).first).to_be_visible()
    contact = article.get_by_role("link", name=CONTACT, exact=True)
    playwright_api.expect(contact).to_be_visible()
    assert contact.get_attribute("href") == f"mailto:{CONTACT}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_404_page_has_search_and_the_footer_and_fits_320_px(narrow: object, base_url: str, lang: str) -> None:
    narrow.goto(f"{base_url}{PREFIX[lang]}404.html")
    field = narrow.locator("article input[type=search]")
    playwright_api.expect(field).to_be_visible()
    footer = narrow.locator(".md-footer .cb-footer__line")
    playwright_api.expect(footer).to_contain_text(PUBLISHER)
    assert footer.get_by_role("link").get_attribute("href") == f"/{PREFIX[lang]}about/"
    assert narrow.evaluate("document.scrollingElement.scrollWidth") <= NARROWEST["width"]
    # what is typed goes on in the site's search dialog, which searches this language's site
    field.press_sequentially({"zh": "雪峰", "en": "Xuefeng"}[lang])
    dialog = narrow.locator("dialog.cb-search__dialog")
    playwright_api.expect(dialog).to_be_visible()
    dialog.locator(".cb-search__results a").first.wait_for(state="visible")
    href = dialog.locator(".cb-search__results a").first.get_attribute("href")
    assert re.search(rf"/{PREFIX[lang]}cases/[a-z-]+/", href), href


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_printed_case_starts_with_the_site_and_ends_with_the_citation(page: object, base_url: str,
                                                                       lang: str) -> None:
    case = "lakeside-polytechnic"
    page.goto(f"{base_url}{PREFIX[lang]}cases/{case}/")
    page.locator("article h1").first.wait_for(state="visible")
    page.emulate_media(media="print")
    # what shows, top to bottom: its first line is the site's name, then the case's title, address and date
    shown = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.checkVisibility({opacityProperty: true, visibilityProperty: true}))
        .filter(e => !e.children.length && e.textContent.trim())
        .map(e => ({text: e.textContent.trim(), top: e.getBoundingClientRect().top + scrollY}))
        .sort((a, b) => a.top - b.top)""")
    head = [item["text"] for item in shown[:4]]
    assert head[0] == SITE_NAME[lang], head
    assert head[2] == f"https://casebook.test/{PREFIX[lang]}cases/{case}/", head
    assert re.fullmatch(r"Printed \d{1,2} [A-Z][a-z]+ \d{4}|打印于\d{4}年\d{1,2}月\d{1,2}日", head[3]), head
    for hidden in (".cb-breadcrumbs", ".cb-tags", ".md-header", ".md-tabs", ".md-footer", ".cb-search", ".cb-report",
                   ".md-code__nav"):
        element = page.locator(hidden).first
        if element.count():
            assert not element.is_visible(), f"{hidden} prints"
    # the citation comes last: below everything else the article prints
    bottoms = page.evaluate("""() => {
        const cite = document.querySelector('.cb-cite');
        const others = [...document.querySelector('article').children]
            .filter(e => e !== cite && e.checkVisibility()).map(e => e.getBoundingClientRect().bottom);
        return [cite.getBoundingClientRect().top, Math.max(...others)];
    }""")
    assert bottoms[0] >= bottoms[1] - 1, bottoms


HILLSIDE = "hillside-vocational-centre"   # its source has no web address, only who holds it


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_citation_is_ready_to_paste_with_the_readers_date_of_access(page: object, base_url: str,
                                                                      lang: str) -> None:
    page.goto(f"{base_url}{PREFIX[lang]}cases/{HILLSIDE}/")
    today = date.today()
    iso, written = today.isoformat(), f"{today.day} {today:%B %Y}"
    zh = page.locator('pre.cb-citation[lang="zh"] code').inner_text()
    en = page.locator('pre.cb-citation[lang="en"] code').inner_text()
    assert zh.startswith(f"{PUBLISHER}. ") and f"//{SITE_NAME['zh']}. (2026-11-15)[{iso}]. " in zh, zh
    assert zh.endswith(f"https://casebook.test/cases/{HILLSIDE}/."), zh
    assert en.startswith(f"{PUBLISHER} (2026) ") and en.endswith(
        f"Available at: https://casebook.test/en/cases/{HILLSIDE}/ (Accessed: {written})."), en
    page.locator(".cb-bibtex-fold > summary").click()   # BibTeX is folded: a reader opens it to copy it
    bibtex = page.locator("pre.cb-bibtex code").inner_text()
    assert f"/cases/{HILLSIDE}/}},\n  urldate = {{{iso}}}\n}}" in bibtex, bibtex


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_copy_of_an_offline_source_is_requested_by_e_mail(page: object, base_url: str, lang: str) -> None:
    page.goto(f"{base_url}{PREFIX[lang]}cases/{HILLSIDE}/")
    link = page.get_by_role("link", name={"zh": "索取副本", "en": "Request a copy"}[lang], exact=True)
    playwright_api.expect(link).to_be_visible()
    address = urlsplit(link.get_attribute("href"))
    assert (address.scheme, address.path) == ("mailto", CONTACT)
    query = parse_qs(address.query)
    assert HILLSIDE in query["subject"][0] and "山麓职业教育中心对口支援经验材料" in query["subject"][0], query
    assert f"https://casebook.test/{PREFIX[lang]}cases/{HILLSIDE}/" in query["body"][0], query
