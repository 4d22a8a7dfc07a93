"""The generator's pipeline: load → validate → render → write (DESIGN.md, "The pipeline").

Every record is read and validated before anything is written; then each page is written as it is rendered.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, ProblemsFound
from .opendata import PUBLISHED_IN, data_files
from .page_cache import PageCache, PerCase
from .project import LANGUAGES, Project, preview_uses
from .record_cache import validate_project
from .render import SharedData, blocked_pages, iter_pages, problem_pages, shared_data
from .schema import ValidCase
from .settings import Settings, load_settings
from .validate import validate_files
from .vocabulary import Vocabulary, load_vocabulary
from .write import WriteReport, own_tree, prune_tree, write_tree


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
    ``incremental`` (the preview, which regenerates after each edit): the pages and data whose inputs are those of
    the last call are not made again (page_cache.py).
    """
    if show_problems and preview_uses("record-cache"):
        # the preview: only the records changed since its last rebuild are read again (record_cache.py)
        vocabulary, cases, problems = validate_project(project.cases_dir, project.vocabulary)
    else:  # one build: nothing kept for a next one (the records are a gigabyte at 5,000 cases)
        vocabulary = load_vocabulary(project.vocabulary)
        cases, problems = validate_files([project.cases_dir], vocabulary)
    if problems and not show_problems:
        raise ProblemsFound(problems)
    progress(f"validated {len(cases)} case{'s' if len(cases) != 1 else ''}")
    settings = load_settings(project.mkdocs_config("zh"))
    shared = shared_data(cases, vocabulary, settings)
    reuse = _KEPT.setdefault(project.root, _Kept()) if incremental and preview_uses("page-cache") else None
    reports = _render_and_write(project, cases, vocabulary, settings, languages, shared, problems, reuse)
    progress(f"rendered {sum(len(r.written) + r.unchanged for r in reports.values())} files "
             f"in {len(languages)} language{'s' if len(languages) != 1 else ''}")
    return Generated(cases, reports, problems)


def show_blocked(project: Project, languages: tuple[str, ...], problems: list[Problem]) -> None:
    """The preview when it cannot make its pages (render.blocked_pages): the problems on the home page and on
    /problems/; every other page stays as the last regeneration left it, so the preview keeps answering."""
    own_tree(project.work_dir)
    for lang in languages:
        write_tree(project.docs_dir(lang), blocked_pages(problems, lang), prune=False)


def _render_and_write(project: Project, cases: list[ValidCase], vocabulary: Vocabulary, settings: Settings,
                      languages: tuple[str, ...], shared: SharedData, problems: list[Problem],
                      reuse: _Kept | None) -> dict[str, WriteReport]:
    """The data files (once, into the root site's tree), then each language's pages, each page written as soon as
    it is rendered; then the files no longer made are removed. The data first: the Data page gives their sizes.

    In this one process, one page at a time: rendering the languages in forked processes saved a few seconds at
    1,000 cases but each process came to copy the records it read, and with every page held until all were made,
    the generator took 5 GiB at 5,000 cases (bench/README.md).
    """
    valid_ids = {item.id for item in cases}
    files = None
    # before the first file is written (the data files): nothing under build/ but what the generator wrote, so no
    # link is followed (write.py)
    own_tree(project.work_dir)
    if PUBLISHED_IN in languages:
        files = write_tree(project.docs_dir(PUBLISHED_IN), data_files(
            cases, vocabulary, settings.site_url, settings.data_license, reuse.data if reuse else None), prune=False)
        if reuse:
            reuse.data.sweep()
    shared = dataclasses.replace(shared, data_sizes=_data_sizes(project.docs_dir(PUBLISHED_IN) / "data"))
    reports: dict[str, WriteReport] = {}
    for lang in languages:
        cache = reuse.pages.setdefault(lang, PageCache()) if reuse else None
        pages = iter_pages(cases, vocabulary, settings, lang, shared, cache)
        if problems:
            pages = itertools.chain(pages, problem_pages(problems, valid_ids, lang))
        reports[lang] = write_tree(project.docs_dir(lang), pages, prune=False)
    if files is not None:
        report = reports[PUBLISHED_IN]
        report.written += files.written
        report.unchanged += files.unchanged
        report.kept |= files.kept
    for lang in languages:
        reports[lang].removed = prune_tree(project.docs_dir(lang), reports[lang].kept)
    return reports


def _data_sizes(folder: Path) -> dict[str, int]:
    """The size in bytes of each data file as written (a preview of one language finds the last build's)."""
    return {path.name: path.stat().st_size for path in folder.glob("*") if path.is_file()} if folder.is_dir() else {}
