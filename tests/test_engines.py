"""`casebook build --engine zensical` builds the same site as the default MkDocs build, from the same generated
pages, configuration and overrides: every page of both languages with the same main content, language switch
and search index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser_support import FIXTURE_CASES
from tests.site_helpers import build, make_project

pytestmark = pytest.mark.slow  # whole builds with MkDocs and with Zensical

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
SWITCH = re.compile(r'<a href="([^"]*)" hreflang="([^"]*)"[^>]*class="md-select__link"')
ALTERNATE = re.compile(r'<link rel=" alternate" href="([^"]*)" hreflang="([^"]*)">')


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    built = {}
    for engine in ("mkdocs", "zensical"):
        project = make_project(tmp_path_factory.mktemp(engine) / "project", FIXTURE_CASES)
        built[engine] = build(project, "--engine", engine)
    return built


def main_content(page: Path) -> str:
    """A page's <article>, whitespace between tags aside; Zensical's theme puts its skip-link target inside it."""
    found = ARTICLE.search(page.read_text(encoding="utf-8"))
    assert found, f"no <article> in {page}"
    text = found.group(1).replace('<a id="__skip" tabindex="-1"></a>', "")
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", text)).strip()


def pages(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html") if "pagefind" not in path.parts)


def test_both_engines_build_the_same_pages_in_both_languages(sites: dict[str, Path]) -> None:
    mkdocs, zensical = pages(sites["mkdocs"]), pages(sites["zensical"])
    assert zensical == mkdocs
    assert "cases/lakeside-polytechnic/index.html" in mkdocs and "en/cases/lakeside-polytechnic/index.html" in mkdocs


def test_every_page_has_the_same_main_content(sites: dict[str, Path]) -> None:
    differ = [name for name in pages(sites["mkdocs"])
              if main_content(sites["mkdocs"] / name) != main_content(sites["zensical"] / name)]
    assert differ == []


@pytest.mark.parametrize("name", ["cases/lakeside-polytechnic/index.html", "en/cases/lakeside-polytechnic/index.html",
                                  "en/compare/index.html"])
def test_the_language_switch_leads_to_the_same_page_in_the_other_language(sites: dict[str, Path], name: str) -> None:
    texts = {engine: (site / name).read_text(encoding="utf-8") for engine, site in sites.items()}
    switch = {engine: SWITCH.findall(text) for engine, text in texts.items()}
    assert len(switch["mkdocs"]) == 2 and switch["zensical"] == switch["mkdocs"]
    assert {engine: ALTERNATE.findall(text) for engine, text in texts.items()}["zensical"] == ALTERNATE.findall(
        texts["mkdocs"])


def pages_indexed(bundle: Path, lang: str) -> int:
    """How many pages in ``lang`` the Pagefind bundle holds (its entry file: a test may read what the build won't)."""
    return json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"].get(
        lang, {}).get("page_count", 0)


def test_each_language_has_its_search_index(sites: dict[str, Path]) -> None:
    site = sites["zensical"]
    assert pages_indexed(site / "pagefind", "zh") and pages_indexed(site / "en" / "pagefind", "en")
    assert pages_indexed(site / "pagefind" / "cases-1", "zh")
    for engine, built in sites.items():  # one search in the header, ours, not the engine's own as well
        page = (built / "en" / "index.html").read_text(encoding="utf-8")
        assert page.count('class="md-header__button md-icon cb-search__button"') == 1, engine
        assert 'for="__search"' not in page and re.search(r'data-bundle="(\./)?pagefind/"', page), engine
        assert "assets/search.js" in page and "pagefind.js" not in page, engine  # Pagefind's loads on use
