"""The generator's pipeline: load → validate → render → write (DESIGN.md, "The pipeline").

Every record is read and validated, and every page rendered, before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, ProblemsFound
from .opendata import PUBLISHED_IN, data_files
from .page_cache import PageCache, PerCase
from .parallel import Part, run_parts
from .project import LANGUAGES, Project, preview_uses
from .record_cache import RecordCache, validate_project
from .render import SharedData, problem_pages, render_site, shared_data
from .schema import ValidCase
from .settings import Settings, load_settings
from .vocabulary import Vocabulary
from .write import WriteReport, prune_tree, safe_join, write_tree


@dataclass
class Generated:
    cases: list[ValidCase]
    reports: dict[str, WriteReport]
    problems: list[Problem]  # only under show_problems: otherwise there are none, or nothing was generated


@dataclass
class _Kept:
    """What the preview keeps of its last regeneration, to make only what changed (page_cache.py)."""

    pages: dict[str, PageCache] = field(default_factory=dict)   # by language
    data: PerCase = field(default_factory=PerCase)


_KEPT: dict[Path, _Kept] = {}   # by project root


def generate(project: Project, languages: tuple[str, ...] = LANGUAGES,
             progress: Callable[[str], None] = lambda message: None, show_problems: bool = False,
             incremental: bool = False) -> Generated:
    """Validate every record, render every page of ``languages``, then write the docs trees.

    Records with problems stop the generation, unless ``show_problems`` (the preview): then the valid cases are
    rendered and each broken record's problems are a page in place of its case (render.problem_pages).
    ``incremental`` (the preview, which regenerates after each edit): all in this process, and the pages and data
    whose inputs are those of the last call are not made again (page_cache.py).
    """
    # Only the records changed since the last call in this process are read again (record_cache.py: `casebook serve`)
    if preview_uses("record-cache"):
        vocabulary, cases, problems = validate_project(project.cases_dir, project.vocabulary)
    else:
        vocabulary, cases, problems = RecordCache().validate(project.cases_dir, project.vocabulary)
    if problems and not show_problems:
        raise ProblemsFound(problems)
    progress(f"validated {len(cases)} case{'s' if len(cases) != 1 else ''}")
    settings = load_settings(project.mkdocs_config("zh"))
    shared = shared_data(cases, vocabulary, settings)
    reuse = _KEPT.setdefault(project.root, _Kept()) if incremental and preview_uses("page-cache") else None
    reports = _render_and_write(project, cases, vocabulary, settings, languages, shared, problems, reuse,
                                fork=not incremental)
    progress(f"rendered {sum(len(r.written) + r.unchanged for r in reports.values())} files "
             f"in {len(languages)} language{'s' if len(languages) != 1 else ''}")
    return Generated(cases, reports, problems)


def _render_and_write(project: Project, cases: list[ValidCase], vocabulary: Vocabulary, settings: Settings,
                      languages: tuple[str, ...], shared: SharedData, problems: list[Problem],
                      reuse: _Kept | None, fork: bool) -> dict[str, WriteReport]:
    """Each language's pages, and the data files (once, for the site root), made side by side (parallel.py).

    Each part writes without pruning; the files no part wrote are removed here, once all are written.
    """
    def language_part(lang: str) -> Part:
        valid_ids = {item.id for item in cases}
        cache = reuse.pages.setdefault(lang, PageCache()) if reuse else None
        return Part(lambda: render_site(cases, vocabulary, settings, lang, shared, cache)
                    + (problem_pages(problems, valid_ids, lang) if problems else []),
                    lambda pages: ({lang: write_tree(project.docs_dir(lang), pages, prune=False)},
                                   {lang: [path for path, _ in pages]}))

    def data_files_part() -> Part:
        lang = PUBLISHED_IN
        return Part(lambda: data_files(cases, vocabulary, settings.site_url, settings.data_license,
                                       reuse.data if reuse else None),
                    lambda files: ({lang: write_tree(project.docs_dir(lang), files, prune=False)},
                                   {lang: [path for path, _ in files]}))

    reports: dict[str, WriteReport] = {lang: WriteReport() for lang in languages}
    kept: dict[str, set[Path]] = {lang: set() for lang in languages}
    parts = [language_part(lang) for lang in languages] + ([data_files_part()] if PUBLISHED_IN in languages else [])
    for part_reports, part_paths in run_parts(parts, fork):
        for lang, report in part_reports.items():
            reports[lang].written += report.written
            reports[lang].unchanged += report.unchanged
        for lang, paths in part_paths.items():
            kept[lang].update(safe_join(project.docs_dir(lang), path) for path in paths)
    for lang in languages:
        reports[lang].removed = prune_tree(project.docs_dir(lang), kept[lang])
    return reports
