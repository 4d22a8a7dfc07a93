"""The generator's pipeline: load → validate → render → write (DESIGN.md, "The pipeline").

Every record is read and validated, and every page rendered, before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import ProblemsFound
from .records import validate_project
from .render import LANGUAGES, render_site, shared_data
from .settings import load_settings
from .validate import ValidCase
from .write import WriteReport, write_tree


@dataclass(frozen=True)
class Project:
    """Where a casebook's inputs and generated files live."""

    root: Path
    cases_dir: Path

    @classmethod
    def at(cls, root: Path, cases_dir: Path | None = None) -> Project:
        root = root.resolve()
        return cls(root, (cases_dir or root / "cases").resolve())

    @property
    def vocabulary(self) -> Path:
        return self.root / "vocabulary.yaml"

    @property
    def work_dir(self) -> Path:
        return self.root / "build"

    def docs_dir(self, lang: str) -> Path:
        return self.work_dir / "docs" / lang

    def mkdocs_config(self, lang: str) -> Path:
        return self.root / ("mkdocs.yml" if lang == "zh" else f"mkdocs.{lang}.yml")


@dataclass
class Generated:
    cases: list[ValidCase]
    reports: dict[str, WriteReport]


def generate(project: Project, languages: tuple[str, ...] = LANGUAGES,
             progress: Callable[[str], None] = lambda message: None) -> Generated:
    """Validate every record, render every page of ``languages``, then write the docs trees."""
    # Only the records changed since the last call in this process are read again (records.py: `casebook serve`)
    vocabulary, cases, problems = validate_project(project.cases_dir, project.vocabulary)
    if problems:
        raise ProblemsFound(problems)
    progress(f"validated {len(cases)} case{'s' if len(cases) != 1 else ''}")
    settings = load_settings(project.mkdocs_config("zh"))
    shared = shared_data(cases, vocabulary, settings)
    rendered = {lang: render_site(cases, vocabulary, settings, lang, shared) for lang in languages}
    progress(f"rendered {sum(len(pages) for pages in rendered.values())} pages in {len(languages)} languages")
    reports = {lang: write_tree(project.docs_dir(lang), pages) for lang, pages in rendered.items()}
    return Generated(cases, reports)
