"""The preview's regeneration after an edit (preview.py, page_cache.py): exactly the pages a clean generation makes.

`casebook serve` regenerates after every save, reusing the pages and data parts whose inputs did not change. After
each kind of edit, its docs trees are compared, file by file, with those of a clean generation (a new preview,
which has nothing kept) of the same records, and only the changed files were rewritten.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import generator.record_cache
from generator.preview import Preview, Regenerated
from generator.project import LANGUAGES, Project
from tests.conftest import LAKESIDE, ROOT, edited, lakeside
from tests.site_helpers import make_project

CASE = "lakeside-polytechnic"
# the pages of page_cache.PER_ITEM's templates: a case, a page of the finder, a browse value, an indicator
PER_ITEM = re.compile(r"cases/(page/\d+/)?index\.md|cases/[a-z0-9-]+/index\.md|browse/[a-z]+/[^/]+/index\.md"
                      r"|compare/[a-z0-9-]+/index\.md")
SHARED = ("mkdocs.yml", "mkdocs.en.yml", "mkdocs.base.yml", "vocabulary.yaml")  # what else generate reads


@pytest.fixture
def projects(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Project, Project, Preview]:
    """The preview's project (a real record, the browse fixtures and the lakeside record), a second project that
    generates cleanly from the same records, vocabulary and configuration, and the preview of the first."""
    monkeypatch.setattr(generator.record_cache, "RACY_NS", -1)  # trust every stat: edits here change the inode
    cases = [ROOT / "cases" / "hunan-industry-polytechnic.yaml",
             *sorted((ROOT / "tests/fixtures/browse").glob("*.yaml")), LAKESIDE]
    preview = Project.at(make_project(workdir / "preview", cases))
    (workdir / "clean").mkdir()
    return preview, Project.at(workdir / "clean", preview.cases_dir), Preview()


def save(path: Path, text: str) -> None:
    """Save as editors' programs do: a new file renamed over the old one."""
    temporary = path.with_name(path.name + ".swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def regenerate(projects: tuple[Project, Project, Preview]) -> Regenerated:
    """The preview's regeneration, checked against a clean one; what it did (the files it rewrote, by language)."""
    preview, clean, kept = projects
    shown = kept.regenerate(preview, LANGUAGES)
    for name in SHARED:
        shutil.copy2(preview.root / name, clean.root / name)
    Preview().regenerate(clean, LANGUAGES)
    for lang in LANGUAGES:
        made, wanted = tree(preview.docs_dir(lang)), tree(clean.docs_dir(lang))
        assert made.keys() == wanted.keys()
        differing = [path for path in made if made[path] != wanted[path]]
        assert not differing, f"{lang}: the preview's pages differ from a clean generation: {differing[:10]}"
    return shown


def written(shown: Regenerated) -> dict[str, list[str]]:
    return {lang: report.written for lang, report in shown.reports.items()}


def record() -> Path:
    return Path("preview/cases") / f"{CASE}.yaml"


EDITS: dict[str, Callable[[], None]] = {
    "title": lambda: save(record(), edited("山城职业中专\n  en: Lakeside", "山城职高\n  en: Lakeside")),
    "theme": lambda: save(record(), edited("  - theme: teacher-development", "  - theme: majors-and-curriculum")),
    "province": lambda: save(record(), edited("  province: CN-HN\n  city:", "  province: CN-HB\n  city:")),
    "added date": lambda: save(record(), edited('added: "2026-11-20"', 'added: "2026-11-29"')),
    "new file": lambda: save(Path("preview/cases/lakeside-twin.yaml"), lakeside()),
    "deleted file": lambda: record().unlink(),
    "vocabulary label": lambda: save(Path("preview/vocabulary.yaml"), Path("preview/vocabulary.yaml").read_text(
        encoding="utf-8").replace("    zh: 师资队伍建设\n", "    zh: 教师队伍建设\n", 1)),
    "settings": lambda: save(Path("preview/mkdocs.base.yml"), Path("preview/mkdocs.base.yml").read_text(
        encoding="utf-8").replace("    branch: main\n", "    branch: main\n    publisher: 湖畔出版社\n", 1)),
}


@pytest.mark.parametrize("edit", EDITS)
def test_after_an_edit_the_preview_holds_the_pages_of_a_clean_generation(projects, edit):
    regenerate(projects)
    EDITS[edit]()
    assert written(regenerate(projects))["zh"], "the edit changed no page"


def test_a_title_edit_renders_again_only_the_pages_the_case_appears_on(projects):
    preview = projects[0]
    regenerate(projects)
    EDITS["title"]()
    shown = regenerate(projects)
    rewritten = written(shown)
    assert f"cases/{CASE}/index.md" in rewritten["zh"] and "cases/index.md" in rewritten["zh"]
    # Of the pages there is one of per case, browse value, indicator and page of the finder, those that link to the
    # case (its own page too; another case's page when the case is among its related cases) are rendered again and
    # written; the others come from the cache and are not written.
    per_item = {path: text for path, text in tree(preview.docs_dir("zh")).items() if PER_ITEM.fullmatch(path)}
    showing = [path for path, text in per_item.items()
               if path == f"cases/{CASE}/index.md" or f"{CASE}/".encode() in text]
    assert not [path for path in per_item if path.startswith("cases/") and path not in showing
                and path in rewritten["zh"]]
    # both languages: the preview regenerates what it serves, here both
    assert (shown.rendered, shown.reused) == (len(showing) * 2, (len(per_item) - len(showing)) * 2)


def test_a_record_that_breaks_shows_its_problems_and_its_fix_brings_the_case_back(projects):
    preview = projects[0]
    regenerate(projects)
    good = record().read_text(encoding="utf-8")
    save(record(), edited('added: "2026-11-20"', 'added: "2026-02-30"'))
    regenerate(projects)
    page = (preview.docs_dir("zh") / "cases" / CASE / "index.md").read_text(encoding="utf-8")
    assert "is not a day of the calendar" in page
    save(record(), good)
    regenerate(projects)
    page = (preview.docs_dir("zh") / "cases" / CASE / "index.md").read_text(encoding="utf-8")
    assert "湖畔职业技术学院结对帮扶山城职业中专" in page and "is not a day of the calendar" not in page
    assert not (preview.docs_dir("zh") / "problems").exists()
