"""Whole-build tests of the bilingual site: one `casebook build` of four fixture records, read as a reader would.

The fixtures: lakeside-polytechnic (every section), minimal-college (required fields only; its summary names a
partner and a theme mid-sentence), pending-college (translation.en pending, several texts without English) and
hostile-payloads (markup, template and include payloads in every kind of editor-typed text).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.typography import join_folded
from tests import site_helpers
from tests.output_checks import assert_bibtex_holds, bibtex_blocks, field_names, parse_bibtex
from tests.site_helpers import FIXTURES, ROOT, build, make_project
from tests.site_html import Element, has_han, page, parse, resolve

pytestmark = pytest.mark.slow  # one whole build (MkDocs) of the fixture records

LAKESIDE = FIXTURES / "cases" / "lakeside-polytechnic.yaml"
MINIMAL = FIXTURES / "minimal" / "minimal-college.yaml"
PENDING = FIXTURES / "pending" / "pending-college.yaml"
HOSTILE = FIXTURES / "hostile" / "hostile-payloads.yaml"
RECORDS = [LAKESIDE, MINIMAL, PENDING, HOSTILE]
CASE_IDS = [path.stem for path in RECORDS]
SITE_PAGES = ["", "cases/", "guide/", "about/"]
PREFIX = {"zh": "", "en": "en/"}

# Sections shown only when the record has them, and sections every case page has (UI string keys).
OPTIONAL_SECTIONS = ["key_figures", "reporter_profile", "measures", "timeline", "tables", "policies", "challenges",
                     "next_steps", "recommendations", "voices", "editor_notes"]
ALWAYS_SECTIONS = ["summary", "partners", "source", "citation"]
# The translation's state is shown only while the English is not reviewed (lakeside: reviewed; minimal: draft).


def always_shown(lang: str) -> set[str]:
    """The headings of the sections every case page has; the 'browse by' links come with the facet pages."""
    ui = strings(lang)
    return {ui["case"][key] for key in ALWAYS_SECTIONS} | ({ui["tags"]["title"]} if "tags" in ui else set())


def record(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def strings(lang: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / "templates" / "strings" / f"{lang}.yaml").read_text(encoding="utf-8"))


def texts(node: Any) -> list[dict[str, str]]:
    """Every {zh, en} text of a record, in order."""
    if isinstance(node, dict):
        if "zh" in node and set(node) <= {"zh", "en"}:
            return [node]
        return [t for value in node.values() for t in texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in texts(value)]
    return []


def article(doc: Element) -> Element:
    return doc.find("article", cls="md-content__inner")


def heading_text(element: Element) -> str:
    """A heading's text without the ¶ permalink."""
    return element.text().removesuffix("¶").strip()


def sections(doc: Element) -> dict[str, str]:
    """The h2 sections of a page's article: heading text → the text of everything up to the next h2. A <section>
    (the case's citation, which prints last) is read as the headings and blocks it holds."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    children = [grandchild for child in article(doc).children for grandchild in
                (child.children if isinstance(child, Element) and child.tag == "section" else [child])]
    for child in children:
        if isinstance(child, Element) and child.tag == "h2":
            title = heading_text(child)
            assert title not in found, f"two sections headed {title!r}"
            current = found.setdefault(title, [])
        elif current is not None:
            current.append(child if isinstance(child, str) else child.text())
    return {title: " ".join(" ".join(parts).split()) for title, parts in found.items()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(make_project(tmp_path_factory.mktemp("site-build") / "project", RECORDS))


# 1. Every page at its URL in both languages ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_exists_in_both_languages(site: Path, lang: str) -> None:
    for path in SITE_PAGES + [f"cases/{case_id}/" for case_id in CASE_IDS]:
        file = site / PREFIX[lang] / path / "index.html"
        assert file.is_file(), f"/{PREFIX[lang]}{path} was not built"
        assert parse(file.read_text(encoding="utf-8")).find("html").attrs["lang"] == lang


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_case_page_shows_the_record_title_and_the_catalogue_links_it(site: Path, lang: str) -> None:
    catalogue = article(page(site, PREFIX[lang] + "cases/"))
    linked = {resolve(site, PREFIX[lang] + "cases/", a.attrs["href"]): a.text() for a in catalogue.find_all("a")}
    for path in [LAKESIDE, MINIMAL]:
        title = record(path)["title"][lang]
        assert heading_text(article(page(site, f"{PREFIX[lang]}cases/{path.stem}/")).find("h1")) == title
        assert linked[f"{PREFIX[lang]}cases/{path.stem}/"] == title


# 2. The language switch and the hreflang alternates lead to the same page in the other language ---------------------

def built_pages(site: Path, lang: str) -> list[str]:
    """The URL path (e.g. 'cases/x/') of every page of one language, relative to that language's root."""
    root = site / PREFIX[lang]
    return sorted(p.parent.relative_to(root).as_posix().removeprefix(".") + "/" for p in root.rglob("index.html")
                  if lang == "en" or not p.relative_to(root).as_posix().startswith("en/"))


def test_both_languages_have_the_same_pages(site: Path) -> None:
    zh, en = built_pages(site, "zh"), built_pages(site, "en")
    assert zh == en
    assert {"/", *(p for p in SITE_PAGES if p), *(f"cases/{case_id}/" for case_id in CASE_IDS)} <= set(zh)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_language_switch_links_to_the_counterpart(site: Path, lang: str) -> None:
    pages = built_pages(site, lang)
    assert len(pages) >= len(SITE_PAGES) + len(CASE_IDS)
    for path in pages:
        path = path.removeprefix("/")
        here = PREFIX[lang] + path
        doc = page(site, here)
        switch = {a.attrs["hreflang"]: a for a in doc.find_all("a", cls="md-select__link")}
        alternates = {link.attrs["hreflang"]: link.attrs["href"] for link in doc.find_all("link")
                      if "alternate" in (link.attrs.get("rel") or "").split() and "hreflang" in link.attrs}
        assert set(switch) == set(alternates) == {"zh", "en"}, here
        for target_lang, prefix in PREFIX.items():
            expected = prefix + path
            assert resolve(site, here, switch[target_lang].attrs["href"]) == expected, f"/{here}: to {target_lang}"
            assert resolve(site, here, alternates[target_lang]) == expected, f"/{here}: alternate {target_lang}"
            assert ("aria-current" in switch[target_lang].attrs) == (target_lang == lang), here


# 3. Sections render when present, and only then ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_full_record_shows_every_section(site: Path, lang: str) -> None:
    names = strings(lang)["case"]
    shown = sections(page(site, f"{PREFIX[lang]}cases/lakeside-polytechnic/"))
    # related cases too: the minimal fixture shares its partner
    assert set(shown) == {names[key] for key in OPTIONAL_SECTIONS} | always_shown(lang) | {names["related"]}
    assert all(shown.values()), [title for title, text in shown.items() if not text]
    data = record(LAKESIDE)
    assert data["timeline"][0]["event"][lang] in shown[names["timeline"]]
    assert data["voices"][0]["paraphrase"][lang] in shown[names["voices"]]
    assert data["tables"][0]["rows"][0][0][lang] in shown[names["tables"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_minimal_record_has_no_empty_sections(site: Path, lang: str) -> None:
    names = strings(lang)["case"]
    doc = page(site, f"{PREFIX[lang]}cases/minimal-college/")
    shown = sections(doc)
    # related cases too: it shares its partner with the lakeside fixture
    assert set(shown) == always_shown(lang) | {names["related"], names["translation"]}
    assert all(shown.values()), [title for title, text in shown.items() if not text]
    assert record(MINIMAL)["summary"][lang] in shown[names["summary"]]
    assert names["translation_status"]["draft"] in shown[names["translation"]]
    assert not article(doc).find_all("h3") and not article(doc).find_all("h4")
    assert all(heading_text(h) for h in article(doc).iter() if h.tag in {"h1", "h2", "h3", "h4", "h5", "h6"})


# 4. Search (Pagefind): each language's own bundles; Chinese cut into words; listing pages by title ----------------
# Read through Pagefind's documented JS API in Chromium (site_helpers.search_site): these are browser tests.

LISTINGS = ("/cases/",)  # indexed listing pages; browse, compare and map are not (search.SITE_PAGES)


def search_pages(browser: object, site: Path, lang: str) -> dict[str, dict[str, Any]]:
    """The pages in ``lang``'s search index, by URL (from that language's site root)."""
    pages = site_helpers.search_pages(browser, site / PREFIX[lang])
    assert pages, f"no search index in {PREFIX[lang]}pagefind/"
    return {entry["url"]: entry for entry in pages}


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_language_has_its_own_search_index(browser: object, site: Path, lang: str) -> None:
    bundle = site / PREFIX[lang] / "pagefind"
    manifest = json.loads((bundle / "casebook-search.json").read_text(encoding="utf-8"))
    assert manifest["bundles"] == ["cases-1/"]  # the site's pages in pagefind/, the few cases in one more bundle
    counts = []
    for path in (bundle, *(bundle / part for part in manifest["bundles"])):
        entry = json.loads((path / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [lang]  # found by the pages' <html lang>, and only that language
        counts.append(entry["languages"][lang]["page_count"])
    # for cutting Chinese queries (search-words.js): the names' words, as the index cut them
    assert ({"山城", "职业", "中专"} <= set(manifest["words"])) == (lang == "zh") and (lang == "zh") == bool(
        manifest["words"])
    indexed = search_pages(browser, site, lang)
    assert sum(counts) == len(indexed)
    assert {f"/cases/{case_id}/" for case_id in CASE_IDS} | {"/cases/"} <= set(indexed)
    assert "/" not in indexed   # the home page only leads to the cases: it is no search result
    assert "/guide/" not in indexed   # for editors
    assert {"/about/", "/data/"} <= set(indexed)   # a reader asking for the contact or the licence finds them
    assert not [url for url in indexed if url.startswith(("/browse/", "/compare/", "/map/"))]
    for url, entry in indexed.items():
        assert not url.startswith("/en/") and "://" not in url, url
        target = page(site, PREFIX[lang] + url.lstrip("/"))
        assert target.find("html").attrs["lang"] == lang, url
        for anchor in entry["anchors"]:
            assert target.find_all(id=anchor["id"]), f"{url}: no such anchor {anchor['id']!r}"


@pytest.mark.browser
def test_chinese_search_index_has_names_and_terms_as_words(browser: object, site: Path) -> None:
    sentence = record(MINIMAL)["summary"]["zh"]
    partner, theme = "山城职业中专", "师资队伍建设"
    assert 0 < sentence.index(partner) < sentence.index(theme) < len(sentence) - len(theme)  # mid-sentence
    # the sentence is cut into words, not indexed as one: its longest run of characters, cut as the dialog cuts a
    # query, finds the page with many words marked
    run = max(re.findall(r"[\u4e00-\u9fff]+", sentence), key=len)
    whole, *named = site_helpers.search_site(browser, site, [run, partner, theme], cut=True)
    entry = next(e for e in whole if e["url"] == "/cases/minimal-college/")
    assert entry["excerpt"].count("<mark>") > 5, entry["excerpt"]
    for name, found in zip((partner, theme), named, strict=True):
        entry = next(e for e in found if e["url"] == "/cases/minimal-college/")
        # each name starts and ends on a word break: its words are marked, and nothing next to them
        marked = re.findall(r"<mark>([^<]*)</mark>", entry["excerpt"].replace("</mark><mark>", ""))
        assert name in marked, (name, entry["excerpt"])


@pytest.mark.browser
def test_english_search_index_holds_no_chinese_but_what_english_pages_show_in_chinese(browser: object,
                                                                                      site: Path) -> None:
    # Chinese appears only where an English page shows it on purpose: texts still pending translation,
    # document numbers, which are kept as issued, and the source's original title, which a researcher
    # searches for. (The Chinese citation is not indexed.)
    allowed: set[str] = set()
    for path in RECORDS:
        data = record(path)
        allowed |= {p["number"] for p in data.get("policies", []) if p.get("number")}
        allowed |= {t["zh"] for t in texts(data) if "en" not in t} | {data["source"]["title"]["zh"]}
    for url, entry in search_pages(browser, site, "en").items():
        text = " ".join((entry["meta"]["title"] + " " + entry["content"]).split())
        for phrase in sorted(allowed, key=len, reverse=True):
            text = text.replace(" ".join(phrase.split()), "")
        assert not has_han(text), f"{url}: Chinese in the English index: {text[:200]!r}"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_listing_pages_are_indexed_by_their_title_only(browser: object, site: Path, lang: str) -> None:
    listings = {url: entry for url, entry in search_pages(browser, site, lang).items()
                if url.startswith(LISTINGS)}
    assert "/cases/" in listings and len(listings) > 1
    for url, entry in listings.items():
        if url.startswith("/cases/") and url != "/cases/":
            continue  # a case page
        text = entry["content"].strip().rstrip(".")
        assert text == entry["meta"]["title"] == heading_text(page(site, PREFIX[lang] + url.lstrip("/")).find("h1"))


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_about_and_data_pages_are_indexed_by_their_own_text_not_the_navigation(browser: object, site: Path,
                                                                              lang: str) -> None:
    words = strings(lang)
    indexed = search_pages(browser, site, lang)
    about, data = (" ".join(indexed[url]["content"].split()) for url in ("/about/", "/data/"))
    assert words["about"]["who"][:30] in about and words["about"]["licence_title"] in about   # (its contact line:
    # test_browser.py, whose site names a contact)
    assert words["data"]["intro"][:30] in data
    # the columns' meanings (the records' field names) stay out: they would answer a reader's query about a case
    # (the longer ones: a short one such as 收录日期 is also a word of the page's own text)
    assert not [meaning for meaning in words["data"]["columns"].values() if len(meaning) > 12 and meaning in data]
    # the breadcrumbs ("Home › About") are navigation, on every page, not the page's own text
    for url in ("/about/", "/data/", "/cases/lakeside-polytechnic/"):
        assert not indexed[url]["content"].strip().startswith(words["nav"]["home"]), url


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_case_page_citation_is_not_indexed(browser: object, site: Path, lang: str) -> None:
    case_page = page(site, f"{PREFIX[lang]}cases/lakeside-polytechnic/")
    citation = case_page.find("pre", cls="cb-bibtex").text()
    assert "@misc{casebook-lakeside-polytechnic" in citation  # on the page …
    entry = search_pages(browser, site, lang)["/cases/lakeside-polytechnic/"]
    content = entry["content"]
    assert "@misc" not in content and "casebook-lakeside-polytechnic" not in content  # … not in the index
    if case_page.find_all("h2", id="citation"):  # its heading too (search.py leaves out #citation)
        assert strings(lang)["case"]["citation"] not in {anchor["text"] for anchor in entry["anchors"]}
    assert " ".join(record(LAKESIDE)["summary"][lang].split())[:20] in " ".join(content.split())  # the rest is


# 5. Hostile texts render literally ----------------------------------------------------------------------------------

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
            '{: onclick="alert(1)" }', '--8<-- "/etc/passwd"', "{{ 7*7 }}", "{% raw %}{% if %}{% endraw %}"]


def assert_inert(doc: Element, where: str) -> None:
    for element in doc.iter():
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert not handlers, f"{where}: <{element.tag} {handlers}>"
        for name in ("href", "src", "action", "formaction"):
            value = (element.attrs.get(name) or "").strip().lower()
            assert not value.startswith("javascript:"), f"{where}: <{element.tag} {name}={value!r}>"
        if element.tag == "script":
            assert "alert" not in element.text() and "alert" not in "".join(
                c for c in element.children if isinstance(c, str)), f"{where}: a script from the record"
            src = element.attrs.get("src") or ""  # the site's scripts only (the search loads Pagefind's on use)
            assert not src or "assets/" in src, where
        if element.tag == "img":
            assert element.attrs.get("src") != "x", f"{where}: an <img> from the record"
        if element.tag == "b":
            raise AssertionError(f"{where}: a <b> element from the record")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_payloads_render_as_literal_text(site: Path, lang: str) -> None:
    data = record(HOSTILE)
    raw = (site / PREFIX[lang] / "cases" / "hostile-payloads" / "index.html").read_text(encoding="utf-8")
    assert "root:" not in raw and "/bin/bash" not in raw and "/usr/sbin/nologin" not in raw
    doc = parse(raw)
    assert_inert(doc, f"{lang} hostile page")
    body = article(doc).text()
    for payload in PAYLOADS:
        assert payload in body, f"{payload!r} not shown literally"
    assert "49" not in body.replace("2019", "").replace("2020", "")
    assert heading_text(article(doc).find("h1")) == data["title"][lang]  # the leading # stays text
    assert data["reporter"]["name"][lang] in body
    measure = data["measures"][0]["title"][lang]
    assert measure in [heading_text(h) for h in article(doc).find_all("h3")]   # measures in record order, as h3
    # The table keeps its shape: | and a line break stay inside their cells.
    table = data["tables"][0]
    heading = next(h for h in article(doc).find_all("h3") if heading_text(h) == table["title"][lang])
    rendered = next(t for t in article(doc).find_all("table")
                    if t.find("th").text().startswith(table["columns"][0]["label"][lang]))
    assert heading_text(heading) == table["title"][lang]
    rows = [[cell.text() for cell in tr.find_all("td")] for tr in rendered.find("tbody").find_all("tr")]
    assert [len(row) for row in rows] == [2, 2, 2]
    # a line break in a cell is a space in English; in Chinese the lines join, as Chinese has no spaces
    one_line = (lambda t: join_folded(t)) if lang == "zh" else (lambda t: " ".join(t.split()))
    assert [row[0] for row in rows] == [one_line(r[0][lang]) for r in table["rows"]]
    partners = [[cell.text() for cell in tr.find_all("td")] for t in article(doc).find_all("table")
                for tr in t.find_all("tr") if tr.find_all("td")]
    assert [data["partners"][0]["name"][lang]] == [row[0] for row in partners if row[0].startswith(("伙伴", "Partner"))]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_title_is_plain_in_title_nav_toc_and_catalogue(site: Path, lang: str) -> None:
    title = record(HOSTILE)["title"][lang]
    doc = page(site, f"{PREFIX[lang]}cases/hostile-payloads/")
    # Material's "title - site", with the separator Chinese writes without spaces beside its brackets
    assert doc.find("title").text().startswith(title + {"zh": "｜", "en": " - "}[lang])
    for nav in doc.find_all("nav"):
        assert not nav.find_all("img") and not nav.find_all("b")
        assert not [s for s in nav.find_all("script") if "alert" in "".join(map(str, s.children))]
    toc = [a.text() for a in doc.find("nav", cls="md-nav--secondary").find_all("a")]
    # The measures, in the record's order, are h3 headings of the article (no longer h4 under their theme).
    headings = [h.text().removesuffix("¶").strip() for h in article(doc).find_all("h3")]
    assert record(HOSTILE)["measures"][0]["title"][lang] in headings
    assert record(HOSTILE)["tables"][0]["title"][lang] in toc
    for path in ["", "cases/"]:
        listing = page(site, PREFIX[lang] + path)
        assert_inert(listing, f"/{PREFIX[lang]}{path}")
        links = [a.text() for a in article(listing).find_all("a")
                 if resolve(site, PREFIX[lang] + path, a.attrs["href"]) == f"{PREFIX[lang]}cases/hostile-payloads/"]
        assert links == [title], f"/{PREFIX[lang]}{path}"


# 9. No external hosts -----------------------------------------------------------------------------------------------

EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
CSS_REFERENCE = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)|url\(\s*["']?([^"')]+)""", re.IGNORECASE)
HOST_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload", "prefetch",
             "preconnect", "dns-prefetch", "manifest", "mask-icon"}


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 2 * (len(SITE_PAGES) + len(CASE_IDS))
    for file in pages:
        where = file.relative_to(site).as_posix()
        doc = parse(file.read_text(encoding="utf-8"))
        for element in doc.iter():
            sources: list[str] = []
            if element.tag in {"script", "img", "iframe", "audio", "video", "source", "track", "embed", "input"}:
                sources.append(element.attrs.get("src") or "")
            if element.tag in {"img", "source"}:
                sources += [part.split()[0] for part in (element.attrs.get("srcset") or "").split(",") if part.strip()]
            if element.tag == "link" and HOST_RELS & set((element.attrs.get("rel") or "").lower().split()):
                sources.append(element.attrs.get("href") or "")
            if element.tag == "object":
                sources.append(element.attrs.get("data") or "")
            if element.tag == "style":
                sources += [a or b for a, b in CSS_REFERENCE.findall(element.text() or "".join(
                    c for c in element.children if isinstance(c, str)))]
            sources += [a or b for a, b in CSS_REFERENCE.findall(element.attrs.get("style") or "")]
            for source in sources:
                assert not EXTERNAL.match(source), f"{where}: <{element.tag}> loads {source}"
    stylesheets = sorted(site.glob("**/assets/**/*.css"))
    assert stylesheets
    for file in stylesheets:
        for a, b in CSS_REFERENCE.findall(file.read_text(encoding="utf-8")):
            assert not EXTERNAL.match(a or b), f"{file.relative_to(site)} loads {a or b}"


# 10. Pending translation: Chinese shown with a notice, never an empty section --------------------------------------

def test_pending_translation_shows_chinese_with_notice(site: Path) -> None:
    data = record(PENDING)
    en = strings("en")
    doc = page(site, "en/cases/pending-college/")
    notices = article(doc).find_all("div", cls="admonition")
    assert len(notices) == 1 and "warning" in notices[0].attrs["class"].split()
    assert en["case"]["pending_notice"] in notices[0].text()
    shown = sections(doc)
    assert en["case"]["translation_status"]["pending"] in shown[en["case"]["translation"]]
    assert all(shown.values()), [title for title, text in shown.items() if not text]
    body = article(doc).text()
    untranslated = [t["zh"] for t in texts(data) if "en" not in t]
    assert len(untranslated) >= 6
    for text in untranslated:
        assert text in body, f"the Chinese {text!r} is missing from the English page"
    marked = article(doc).find_all("span", lang="zh")
    assert {span.text() for span in marked} >= set(untranslated)
    assert en["case"]["untranslated_mark"] in shown[en["case"]["summary"]]
    assert data["summary"]["zh"] in shown[en["case"]["summary"]]
    translated = [t["en"] for t in texts(data) if "en" in t]
    for text in translated:
        assert text in body
    assert heading_text(article(doc).find("h1")).startswith(data["title"]["zh"])


@pytest.mark.parametrize("path", ["cases/pending-college/", "en/cases/lakeside-polytechnic/",
                                  "en/cases/minimal-college/"])
def test_no_pending_notice_where_nothing_is_pending(site: Path, path: str) -> None:
    body = article(page(site, path))
    assert not body.find_all("div", cls="admonition")
    assert not body.find_all("span", lang="zh")


# 11. Every page carries its Content-Security-Policy; the built BibTeX entries parse -------------------------------

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def csp_directives(html: str) -> dict[str, list[str]]:
    (content,) = CSP_META.findall(html)
    return {d.split()[0]: d.split()[1:] for d in content.split(";")}


def test_every_page_has_its_policy_first_in_head_with_its_own_script_hashes(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert {"404.html", "en/404.html", "index.html", "en/cases/hostile-payloads/index.html"} <= {
        p.relative_to(site).as_posix() for p in pages}
    policies = set()
    for path in pages:
        html = path.read_text(encoding="utf-8")
        head = html[html.index("<head>"):html.index("</head>")]
        # nothing but <meta charset> (and white space) before the policy, so it governs the whole page
        assert re.match(r'<head>\s*<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy"', head), path
        policy = csp_directives(html)
        scripts = INLINE_SCRIPT.findall(html)
        assert len(scripts) >= 2, path  # Material's inline scripts
        hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts}
        assert set(policy["script-src"]) == {"'self'", "'wasm-unsafe-eval'"} | hashes, path
        assert "'unsafe-inline'" not in html and "'unsafe-eval'" not in html.replace("'wasm-unsafe-eval'", ""), path
        policies.add(tuple((k, tuple(v)) for k, v in policy.items() if k != "script-src"))
    (shared,) = policies  # every directive but script-src is the same on every page
    assert dict(shared) == {"default-src": ("'self'",), "style-src": ("'self'",), "img-src": ("'self'", "data:"),
                            "connect-src": ("'self'",), "worker-src": ("'self'",), "object-src": ("'none'",),
                            "base-uri": ("'self'",), "form-action": ("'none'",)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_built_bibtex_entries_parse_with_every_field_and_the_editors_text(site: Path, lang: str) -> None:
    fields = None
    for case_id in CASE_IDS:
        html = (site / PREFIX[lang] / "cases" / case_id / "index.html").read_text(encoding="utf-8")
        (block,) = bibtex_blocks(html)
        entry = parse_bibtex(block)
        fields = fields or field_names(entry)
        assert field_names(entry) == fields, case_id
        data = record(next(p for p in RECORDS if p.stem == case_id))
        # the case page is the casebook's text: its author is the casebook (no publisher is configured here)
        assert_bibtex_holds(entry, data["title"].get(lang) or data["title"]["zh"], strings(lang)["bibtex"]["note"])
        assert entry.fields["date"] == data["added"]
    assert {"author", "title", "year", "date", "url"} <= fields
