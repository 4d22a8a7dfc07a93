"""generator/theme_contract.py against the installed Material, the project's files and one real build: each piece
of Material's markup the casebook relies on is still Material's, still written where the contract says, and on the
built pages."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest

from generator import search, theme_contract
from generator.theme_contract import CONTRACT, ThemeMarkup
from tests.conftest import FIXTURES
from tests.site_helpers import build, make_project
from tests.site_html import Element, parse

ROOT = Path(__file__).resolve().parent.parent
MATERIAL_ASSETS = Path(material.__file__).resolve().parent / "templates" / "assets"
ASSETS = {"stylesheet": "stylesheets/main.*.min.css", "script": "javascripts/bundle.*.min.js"}
# A compound selector: a tag, then classes and attributes ([name], [name=value], [name="value"]).
_SELECTOR = re.compile(r'(?P<tag>[a-z]+)|\.(?P<cls>[\w-]+)'
                       r'|\[(?P<attr>[\w-]+)(?:=(?:"(?P<quoted>[^"]*)"|(?P<bare>[^\]]*)))?\]')


def matches(element: Element, selector: str) -> bool:
    """Whether ``element`` matches the compound ``selector`` (attribute values compared whole, as CSS's [a=v])."""
    position = 0
    while position < len(selector):
        part = _SELECTOR.match(selector, position)
        assert part, f"{selector!r}: not a compound selector at {selector[position:]!r}"
        position = part.end()
        if part["tag"] and element.tag != part["tag"]:
            return False
        if part["cls"] and part["cls"] not in (element.attrs.get("class") or "").split():
            return False
        if part["attr"]:
            value = part["quoted"] if part["quoted"] is not None else part["bare"]
            if part["attr"] not in element.attrs or (value is not None and element.attrs[part["attr"]] != value):
                return False
    return True


def test_the_selector_reading_is_css_s() -> None:
    link = parse('<link rel=" alternate" hreflang="en" class="a b">').find("link")
    assert matches(link, 'link[rel=" alternate"][hreflang]') and matches(link, "link.a.b[hreflang=en]")
    assert not matches(link, "link[rel=alternate]") and not matches(link, "a.a") and not matches(link, "link.c")


@pytest.mark.parametrize("markup", CONTRACT, ids=lambda m: m.name)
def test_material_still_writes_it(markup: ThemeMarkup) -> None:
    """A Material release that renames the class (or drops the selector) fails here, naming it."""
    assets = sorted(MATERIAL_ASSETS.glob(ASSETS[markup.material_asset]))
    assert len(assets) == 1, assets
    assert markup.material in assets[0].read_text(encoding="utf-8"), (
        f"Material's {markup.material_asset} no longer has {markup.material!r}: see theme_contract.py ({markup.why})")


@pytest.mark.parametrize("markup", CONTRACT, ids=lambda m: m.name)
def test_every_file_listed_still_writes_it(markup: ThemeMarkup) -> None:
    """A rename in one of the files (search.js, finder.js, main.html …) and not in the contract fails here."""
    for name in markup.used_in:
        assert markup.name in (ROOT / name).read_text(encoding="utf-8"), f"{name} no longer writes {markup.name!r}"


def test_no_other_file_of_ours_relies_on_the_markup_unlisted() -> None:
    """A new use of a listed name goes into the contract: the files that write it are exactly those listed."""
    folders = ("generator", "site_overrides", "templates", "bench")
    ours = [path for folder in folders for path in (ROOT / folder).rglob("*")
            if path.suffix in {".py", ".js", ".html", ".j2"} and path.is_file() and path.name != "theme_contract.py"]
    for markup in CONTRACT:
        writing = {path.relative_to(ROOT).as_posix() for path in ours
                   if markup.name in path.read_text(encoding="utf-8", errors="replace")}
        assert writing == set(markup.used_in), markup.name


def test_the_search_indexes_the_contracts_content() -> None:
    assert theme_contract.CONTENT.selector == search.ROOT


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Element]:
    site = build(make_project(tmp_path_factory.mktemp("theme-contract") / "project", FIXTURES))
    return {path.relative_to(site).as_posix(): parse(path.read_text(encoding="utf-8"))
            for path in sorted(site.rglob("*.html"))}


@pytest.mark.slow
@pytest.mark.parametrize("markup", CONTRACT, ids=lambda m: m.name)
def test_the_built_pages_have_it(markup: ThemeMarkup, pages: dict[str, Element]) -> None:
    having = {path for path, root in pages.items() if any(matches(e, markup.selector) for e in root.iter())}
    for lang_root in ("", "en/"):  # both languages' sites, on a case page and on the catalogue at least
        for page in ("cases/lakeside-polytechnic/index.html", "cases/index.html"):
            if markup is theme_contract.BUTTON and page != "cases/index.html":
                continue  # the finder's buttons are the catalogue's
            assert lang_root + page in having, f"/{lang_root}{page} has no {markup.selector}"
    if markup.avoids:
        avoided = [path for path, root in pages.items() if any(matches(e, markup.avoids) for e in root.iter())]
        assert avoided == [], f"{avoided[:3]} match Material's {markup.avoids}"
