"""Building again: byte-identical output, failures that leave the previous site alone, deleted cases disappear."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.sitedir import SITE_MARKER, make_staging
from tests.site_helpers import FIXTURES, build, casebook, make_project, search_pages
from tests.site_html import page, resolve, tree_digest

pytestmark = pytest.mark.slow  # whole builds (MkDocs), again and again

LAKESIDE = FIXTURES / "cases" / "lakeside-polytechnic.yaml"
MINIMAL = FIXTURES / "minimal" / "minimal-college.yaml"
PENDING = FIXTURES / "pending" / "pending-college.yaml"
HOSTILE = FIXTURES / "hostile" / "hostile-payloads.yaml"
RECORDS = [LAKESIDE, MINIMAL, PENDING, HOSTILE]


def staging_leftovers(project: Path) -> list[str]:
    """What a build left beside the site: none of it but the lock that builds into it take turns by (sitedir)."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site") and p.name != ".site.casebook-lock")


# 6. Determinism ------------------------------------------------------------------------------------------------------

def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = make_project(tmp_path / "first", RECORDS)
    second = make_project(tmp_path / "elsewhere" / "second", RECORDS)
    build(first)
    docs, site = tree_digest(first / "build" / "docs"), tree_digest(first / "site")
    assert {"zh/cases/lakeside-polytechnic/index.md", "en/cases/hostile-payloads/index.md"} <= set(docs)
    assert {"pagefind/pagefind-entry.json", "en/pagefind/pagefind-entry.json", "sitemap.xml", "sitemap.xml.gz"
            } <= set(site)

    newest = max(yaml.safe_load(path.read_text(encoding="utf-8"))["added"] for path in RECORDS)
    lastmods = re.findall(r"<lastmod>([^<]*)</lastmod>", (first / "site" / "sitemap.xml").read_text(encoding="utf-8"))
    assert lastmods and set(lastmods) == {newest}  # the build date comes from the records, not the clock

    build(second)  # another directory, another time
    assert tree_digest(second / "build" / "docs") == docs
    other = tree_digest(second / "site")
    assert sorted(set(other) ^ set(site)) == []
    assert [name for name in site if other[name] != site[name]] == []

    build(first)  # the same project again
    assert tree_digest(first / "build" / "docs") == docs
    assert tree_digest(first / "site") == site


# 7. Failures leave the previous site exactly as it was ------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    project = make_project(tmp_path_factory.mktemp("rebuild") / "project", [LAKESIDE, MINIMAL])
    build(project)
    return project, tree_digest(project / "site")


@pytest.mark.parametrize(("old", "new", "field"), [
    ('added: "2026-11-20"', 'added: "2026-13-20"', "added"),
    ("  province: CN-HN\n  city:", "  province: CN-ZZ\n  city:", "reporter.province"),
    ('added: "2026-11-20"', "added: @2026-11-20", None),
])
def test_broken_record_fails_with_its_location_and_keeps_the_site(built, old: str, new: str, field: str | None) -> None:
    project, before = built
    text = LAKESIDE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    broken = project / "cases" / "broken-case.yaml"
    broken.write_text(text.replace(old, new), encoding="utf-8")
    try:
        result = casebook(project, "build", "-q")
    finally:
        broken.unlink()
    assert result.returncode == 1, result.stdout + result.stderr
    line = text[:text.index(old)].count("\n") + 1
    if field is None:  # a YAML syntax error, at the character no token can start with
        assert f"cases/broken-case.yaml:{line}:{new.index('@') + 1}: YAML syntax error" in result.stderr, result.stderr
    else:
        key = new.splitlines()[-2] if "\n" in new else new
        line += new[:new.index(key)].count("\n")
        column = key.index(":") + 3
        assert f"cases/broken-case.yaml:{line}:{column}: {field}: " in result.stderr, result.stderr
    assert tree_digest(project / "site") == before
    assert staging_leftovers(project) == []


@pytest.mark.parametrize(("file", "old", "new", "failing"), [
    ("mkdocs.en.yml", "theme:\n", "markdown_extensions:\n  - no_such_extension_casebook\ntheme:\n", ["en"]),
    ("site_overrides/main.html", '{% extends "base.html" %}', '{% extends "base.html" %}{% if %}', ["zh", "en"]),
    ("mkdocs.base.yml", "nav:\n  - index.md\n", "nav:\n  - index.md\n  - missing-page.md\n", ["zh", "en"]),
])
def test_mkdocs_failure_keeps_the_site(built, file: str, old: str, new: str, failing: list[str]) -> None:
    project, before = built
    path = project / file
    original = path.read_text(encoding="utf-8")
    assert original.count(old) == 1
    path.write_text(original.replace(old, new), encoding="utf-8")
    try:
        result = casebook(project, "build", "-q")
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode != 0
    for lang in ("zh", "en"):
        assert (f"MkDocs build of the {lang} site failed" in result.stderr) == (lang in failing), result.stderr
    assert "the previous site was left as it was" in result.stderr
    assert tree_digest(project / "site") == before
    assert staging_leftovers(project) == []


def test_search_index_failure_keeps_the_site(built) -> None:
    """Pagefind finds nothing to index (here: every page's text marked to be ignored): no site is half-published."""
    project, before = built
    path = project / "site_overrides" / "partials" / "content.html"
    path.write_text('<div data-pagefind-ignore="all">{{ page.content }}</div>', encoding="utf-8")
    try:
        result = casebook(project, "build", "-q")
    finally:
        path.unlink()
    assert result.returncode != 0
    for lang in ("zh", "en"):
        assert f"Pagefind failed on the {lang} site" in result.stderr, result.stderr
    assert "the previous site was left as it was" in result.stderr
    assert tree_digest(project / "site") == before
    assert staging_leftovers(project) == []


def test_the_site_carries_its_marker_and_the_next_build_removes_a_killed_builds_leftovers(built) -> None:
    project, before = built
    assert (project / "site" / SITE_MARKER).is_file()
    killed = make_staging(project / "site")  # what a build killed before its swap leaves
    (killed / "zh" / "en").mkdir(parents=True)
    (killed / "zh" / "index.html").write_text("half a site\n", encoding="utf-8")
    build(project)
    assert staging_leftovers(project) == []
    assert tree_digest(project / "site") == before


# 8. Deleting a case removes its pages --------------------------------------------------------------------------------

@pytest.mark.browser  # the search index is read in Chromium (site_helpers.search_pages)
def test_deleted_case_disappears_on_the_next_build(browser: object, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", [LAKESIDE, MINIMAL])
    site = build(project)
    docs = project / "build" / "docs"
    gone = ["zh/cases/minimal-college/index.md", "en/cases/minimal-college/index.md"]
    pages = ["cases/minimal-college/index.html", "en/cases/minimal-college/index.html"]
    assert all((docs / p).is_file() for p in gone) and all((site / p).is_file() for p in pages)

    (project / "cases" / "minimal-college.yaml").unlink()
    site = build(project)
    assert not [p for p in gone if (docs / p).exists()]
    assert not (site / "cases" / "minimal-college").exists()
    assert not (site / "en" / "cases" / "minimal-college").exists()
    assert (site / "cases" / "lakeside-polytechnic" / "index.html").is_file()
    for prefix in ("", "en/"):
        catalogue = page(site, prefix + "cases/")
        targets = {resolve(site, prefix + "cases/", a.attrs["href"]) for a in catalogue.find_all("a")
                   if a.attrs.get("href")}
        assert f"{prefix}cases/lakeside-polytechnic/" in targets
        assert f"{prefix}cases/minimal-college/" not in targets
        assert "/cases/minimal-college/" not in {entry["url"] for entry in search_pages(browser, site / prefix)}
        assert "minimal-college" not in (site / prefix / "sitemap.xml").read_text(encoding="utf-8")


def test_build_does_not_copy_stray_files_into_the_site(tmp_path: Path) -> None:
    """A page left in the docs tree by hand (or by an older generator) is pruned, not published."""
    project = make_project(tmp_path / "project", [LAKESIDE])
    build(project)
    stray = project / "build" / "docs" / "zh" / "cases" / "stray.md"
    stray.write_text("# stray\n", encoding="utf-8")
    site = build(project)
    assert not stray.exists() and not (site / "cases" / "stray").exists()
    shutil.rmtree(site)
    assert build(project).is_dir()
