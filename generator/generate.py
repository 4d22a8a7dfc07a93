"""The generator's pipeline: load → validate → render → write (DESIGN.md, "The pipeline").

Every record is read and validated, and every page rendered, before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, ProblemsFound
from .opendata import PUBLISHED_IN, data_files
from .parallel import Part, run_parts
from .records import validate_project
from .render import LANGUAGES, SharedData, paused_gc, problem_pages, render_site, shared_data
from .settings import Settings, load_settings
from .validate import ValidCase
from .vocabulary import Vocabulary
from .write import WriteReport, prune_tree, safe_join, write_tree


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
    problems: list[Problem]  # only under show_problems: otherwise there are none, or nothing was generated


def generate(project: Project, languages: tuple[str, ...] = LANGUAGES,
             progress: Callable[[str], None] = lambda message: None, show_problems: bool = False) -> Generated:
    """Validate every record, render every page of ``languages``, then write the docs trees.

    Records with problems stop the generation, unless ``show_problems`` (the preview): then the valid cases are
    rendered and each broken record's problems are a page in place of its case (render.problem_pages).
    """
    # Only the records changed since the last call in this process are read again (records.py: `casebook serve`)
    vocabulary, cases, problems = validate_project(project.cases_dir, project.vocabulary)
    if problems and not show_problems:
        raise ProblemsFound(problems)
    progress(f"validated {len(cases)} case{'s' if len(cases) != 1 else ''}")
    settings = load_settings(project.mkdocs_config("zh"))
    with paused_gc():
        shared = shared_data(cases, vocabulary, settings)
        reports = _render_and_write(project, cases, vocabulary, settings, languages, shared, problems)
    progress(f"rendered {sum(len(r.written) + r.unchanged for r in reports.values())} files "
             f"in {len(languages)} language{'s' if len(languages) != 1 else ''}")
    return Generated(cases, reports, problems)


def _render_and_write(project: Project, cases: list[ValidCase], vocabulary: Vocabulary, settings: Settings,
                      languages: tuple[str, ...], shared: SharedData,
                      problems: list[Problem]) -> dict[str, WriteReport]:
    """Each language's pages, and the data files (once, for the site root), made side by side (parallel.py).

    Each part writes without pruning; the files no part wrote are removed here, once all are written.
    """
    def language_part(lang: str) -> Part:
        valid_ids = {item.id for item in cases}
        return Part(lambda: render_site(cases, vocabulary, settings, lang, shared)
                    + (problem_pages(problems, valid_ids, lang) if problems else []),
                    lambda pages: ({lang: write_tree(project.docs_dir(lang), pages, prune=False)},
                                   {lang: [path for path, _ in pages]}))

    def data_files_part() -> Part:
        lang = PUBLISHED_IN
        return Part(lambda: data_files(cases, vocabulary, settings.site_url, settings.data_license),
                    lambda files: ({lang: write_tree(project.docs_dir(lang), files, prune=False)},
                                   {lang: [path for path, _ in files]}))

    reports: dict[str, WriteReport] = {lang: WriteReport() for lang in languages}
    kept: dict[str, set[Path]] = {lang: set() for lang in languages}
    parts = [language_part(lang) for lang in languages] + ([data_files_part()] if PUBLISHED_IN in languages else [])
    for part_reports, part_paths in run_parts(parts):
        for lang, report in part_reports.items():
            reports[lang].written += report.written
            reports[lang].unchanged += report.unchanged
        for lang, paths in part_paths.items():
            kept[lang].update(safe_join(project.docs_dir(lang), path) for path in paths)
    for lang in languages:
        reports[lang].removed = prune_tree(project.docs_dir(lang), kept[lang])
    return reports
