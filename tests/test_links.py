"""Link integrity of the whole built site, both languages: every internal link and #anchor resolves, every page
has the right `lang`, and no page loads a script, style, font or image from another host."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser_support import FIXTURE_CASES
from tests.site_helpers import ROOT, build, make_project, search_pages

pytestmark = pytest.mark.slow  # whole builds (MkDocs) of the fixtures and of the real cases

# Elements and attributes that load something into the page (as opposed to links a reader follows).
RESOURCE_ATTRIBUTES = {("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
                       ("iframe", "src"), ("embed", "src"), ("object", "data"), ("video", "src"), ("audio", "src"),
                       ("video", "poster"), ("image", "href"), ("use", "href")}
RESOURCE_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon",
                 "preconnect", "dns-prefetch"}
SKIPPED_SCHEMES = {"mailto", "tel", "javascript", "data"}


@dataclass
class Page:
    lang: str | None = None
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)       # (tag, url) a reader follows
    resources: list[tuple[str, str]] = field(default_factory=list)   # (tag, url) the page loads
    styles: list[str] = field(default_factory=list)                  # inline <style> and style="" text


class _Parser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.page.lang = values.get("lang")
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.page.ids.add(values[name])
        if "style" in values:
            self.page.styles.append(values["style"])
        if tag == "style":
            self.in_style = True
        for name, value in values.items():
            if (tag, name) in RESOURCE_ATTRIBUTES or (tag in ("image", "use") and name == "xlink:href"):
                urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                self.page.resources.extend((tag, url) for url in urls if url)
        if tag == "link" and values.get("href"):
            rels = set(values.get("rel", "").lower().split())
            kind = self.page.resources if rels & RESOURCE_RELS else self.page.links
            kind.append((f"link[rel={' '.join(sorted(rels))}]", values["href"]))
        if tag in ("a", "area") and values.get("href"):
            self.page.links.append((tag, values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.page.styles.append(data)


def parse(path: Path) -> Page:
    page = Page()
    parser = _Parser(page)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return page


def site_path(site: Path, page_file: Path, url: str) -> tuple[Path, str] | None:
    """The file a relative or root-relative ``url`` on ``page_file`` points at, and its fragment; None if external."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    base = PurePosixPath("/" + page_file.relative_to(site).as_posix()).parent
    if not parts.path:
        target = PurePosixPath("/" + page_file.relative_to(site).as_posix())
    else:
        raw = unquote(parts.path)
        joined = PurePosixPath(raw) if raw.startswith("/") else base / raw
        resolved: list[str] = []
        for piece in joined.parts[1:]:
            if piece == "..":
                assert resolved, f"{url} on {page_file.relative_to(site)} climbs out of the site"
                resolved.pop()
            elif piece not in (".", ""):
                resolved.append(piece)
        target = PurePosixPath("/", *resolved)
    file = site / target.relative_to("/")
    if parts.path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file, unquote(parts.fragment)


def external_css_urls(text: str) -> list[str]:
    found = re.findall(r"""url\(\s*['"]?([^'")\s]+)""", text) + re.findall(r"""@import\s+['"]([^'"]+)""", text)
    return [url for url in found if re.match(r"(https?:)?//", url)]


@pytest.fixture(scope="module", params=["fixtures", "cases"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture records' site and the real casebook's site."""
    cases = FIXTURE_CASES if request.param == "fixtures" else ROOT / "cases"
    return build(make_project(tmp_path_factory.mktemp(f"links-{request.param}") / "project", cases))


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[Path, Page]:
    return {path: parse(path) for path in sorted(site.rglob("*.html"))}


def test_both_languages_and_the_required_pages_are_built(site: Path) -> None:
    for prefix in ("", "en/"):
        for page in ("index.html", "cases/index.html"):
            assert (site / prefix / page).is_file(), prefix + page
        assert list((site / prefix / "cases").glob("*/index.html")), f"{prefix}cases/ has no case page"


def test_every_page_has_the_right_lang(site: Path, pages: dict[Path, Page]) -> None:
    wrong = {}
    for path, page in pages.items():
        expected = "en" if path.relative_to(site).parts[0] == "en" else "zh"
        if not (page.lang or "").startswith(expected):
            wrong[str(path.relative_to(site))] = page.lang
    assert not wrong, f"pages with a wrong or missing lang: {wrong}"


def test_every_internal_link_and_anchor_resolves(site: Path, pages: dict[Path, Page]) -> None:
    broken: list[str] = []
    for path, page in pages.items():
        for tag, url in page.links + page.resources:
            if urlsplit(url).scheme in SKIPPED_SCHEMES:
                continue
            target = site_path(site, path, url)
            if target is None:
                continue
            file, fragment = target
            where = f"{path.relative_to(site)}: <{tag}> {url}"
            if not file.is_file():
                broken.append(f"{where} -> missing {file.relative_to(site)}")
            elif fragment and file.suffix == ".html":
                ids = pages[file].ids if file in pages else parse(file).ids
                if fragment not in ids:
                    broken.append(f"{where} -> no id {fragment!r} on {file.relative_to(site)}")
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:50])


def test_no_page_loads_anything_from_another_host(site: Path, pages: dict[Path, Page]) -> None:
    external: list[str] = []
    for path, page in pages.items():
        for tag, url in page.resources:
            if urlsplit(url).scheme not in ("", "data") or url.startswith("//"):
                external.append(f"{path.relative_to(site)}: <{tag}> {url}")
        external.extend(f"{path.relative_to(site)}: style {url}" for style in page.styles
                        for url in external_css_urls(style))
    for css in site.rglob("*.css"):
        external.extend(f"{css.relative_to(site)}: {url}" for url in external_css_urls(css.read_text("utf-8")))
    assert not external, "\n".join(external[:50])


@pytest.mark.browser
def test_search_results_point_at_existing_pages_and_anchors(browser: object, site: Path,
                                                            pages: dict[Path, Page]) -> None:
    """Every page and heading in each language's search index, as the search dialog links to it."""
    broken = []
    for prefix in ("", "en/"):
        home = site / prefix / "index.html"
        for entry in search_pages(browser, site / prefix):
            # Pagefind's URLs are from the language site's root; the dialog puts that root (/ or /en/) before them
            for url in [entry["url"]] + [f"{entry['url']}#{anchor['id']}" for anchor in entry["anchors"]]:
                file, fragment = site_path(site, home, "/" + prefix + url.lstrip("/"))
                if not file.is_file() or (fragment and fragment not in pages[file].ids):
                    broken.append(f"{prefix}pagefind: {url}")
    assert not broken, "\n".join(broken[:50])
