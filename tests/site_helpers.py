"""Helpers for whole-build tests: a throwaway casebook project and a real `casebook build` of it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PROJECT_FILES = ("mkdocs.base.yml", "mkdocs.yml", "mkdocs.en.yml", "vocabulary.yaml", "site_overrides",
                 "generator/mkdocs_hook.py", "generator/section_hook.py")


# The address the test projects are published at (a reserved name, RFC 2606), as the publish workflow gives one.
TEST_SITE_URL = "https://casebook.test/"


def make_project(directory: Path, cases: Path | list[Path] | None = None, site_url: str | None = TEST_SITE_URL,
                 casebook: dict[str, str] | None = None) -> Path:
    """A project in ``directory``: the repository's configuration, vocabulary and overrides, and the given cases.

    ``site_url``: the address the configuration gives while CASEBOOK_SITE_URL (…_EN) is unset, as a local build
    that names one; None leaves the repository's (none). ``casebook``: settings of extra.casebook to add
    (publisher, contact, repository …)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source, target = ROOT / name, directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    if site_url:
        for name, variable, address in (("mkdocs.yml", "CASEBOOK_SITE_URL", site_url),
                                        ("mkdocs.en.yml", "CASEBOOK_SITE_URL_EN", f"{site_url}en/")):
            _replace(directory / name, f"!ENV [{variable}, null]", f'!ENV [{variable}, "{address}"]')
    for key, value in (casebook or {}).items():
        if key == "repository":   # the configuration reads it from CASEBOOK_REPOSITORY: the value is its default
            _replace(directory / "mkdocs.base.yml", '!ENV [CASEBOOK_REPOSITORY, ""]',
                     f"!ENV [CASEBOOK_REPOSITORY, {json.dumps(value)}]")
        else:
            _replace(directory / "mkdocs.base.yml", "\n  casebook:\n",
                     f"\n  casebook:\n    {key}: {json.dumps(value)}\n")
    cases_dir = directory / "cases"
    cases_dir.mkdir()
    files = sorted(cases.glob("*.yaml")) if isinstance(cases, Path) else list(cases or [])
    for file in files:
        shutil.copy2(file, cases_dir / file.name)
    return directory


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: {old!r} is not there once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def casebook(project: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the real `casebook` command line in ``project``; output and errors are captured as text."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=project, capture_output=True, text=True,
                          timeout=600)


def build(project: Path, *args: str) -> Path:
    """`casebook build` the project; fails the test with MkDocs' output if the build fails. Returns the site."""
    result = casebook(project, "build", "-q", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


# Pagefind's documented JS API in Chromium, with the language's bundles merged as the search dialog merges them
# (site_overrides/assets/search.js): the case bundles under the language "und", so that Chinese is searched in the
# words given. With a null query, a search lists every page (docs: "Filtering"); each result's data() says what
# was indexed of it. ``cut``: the query cut into words as the dialog cuts it (search-words.js), or taken as given.
_SEARCH = """async ([queries, cut]) => {
  const bundle = new URL("/pagefind/", location.href).href;
  const manifest = await (await fetch(bundle + "casebook-search.json")).json();
  const pagefind = await import(bundle + "pagefind.js");
  for (const part of manifest.bundles) await pagefind.mergeIndex(bundle + part, { baseUrl: "/", language: "und" });
  const words = cut ? (await import(new URL("/assets/search-words.js", location.href).href)).cutter(manifest.words)
                    : (q) => q;
  const found = [];
  for (const query of queries) {
    const answer = await pagefind.search(query === null ? null : words(query));
    found.push(await Promise.all(answer.results.map((r) => r.data())));
  }
  return found;
}"""


def search_site(browser: object, site: Path, queries: list[str | None], cut: bool = False) -> list[list[dict]]:
    """What each query finds on one language's site (``site`` or ``site/en``), best first: each page's ``url``
    (from that site's root), ``excerpt`` (the words found marked), and what was indexed of it: ``content``,
    ``meta`` (title) and ``anchors`` (headings with ids). In ``browser`` (the session's Chromium, conftest): a
    browser test's business (mark it ``browser``)."""
    from tests.browser_support import serve

    with serve(site) as base:
        page = browser.new_page()
        try:
            page.goto(base + "pagefind/pagefind-entry.json")  # a page of the site's origin, without <html lang>
            return page.evaluate(_SEARCH, [queries, cut])
        finally:
            page.close()


def search_pages(browser: object, site: Path) -> list[dict]:
    """Every page Pagefind indexed of one language's site, as :func:`search_site` gives them."""
    return search_site(browser, site, [None])[0]
