"""The generator, stages 1–4 of the pipeline (pipeline.py): load and validate → shared data → page producers →
write. Every record is read and validated before anything is written; then each page is written as it is rendered.

`casebook build` runs it in a forked process (build.generate_apart), a plain `mkdocs build` from its hook
(mkdocs_hook.py); the preview (preview.py) calls the same stages with its caches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .errors import Problem, ProblemsFound
from .opendata import PUBLISHED_IN
from .page_context import shared_data
from .project import LANGUAGES, Project
from .render import SitePages
from .schema import ValidCase
from .settings import load_settings
from .validate import validate_files
from .vocabulary import Vocabulary, load_vocabulary
from .write import WriteReport, own_tree, prune_tree, write_tree

# One language's pages, given whether the data files come with them and how to learn their sizes (SitePages.of)
LanguagePages = Callable[[str, bool, Callable[[], dict[str, int]]], Iterable[tuple[str, str | Iterator[str]]]]


@dataclass
class Generated:
    cases: list[ValidCase]
    reports: dict[str, WriteReport]
    problems: list[Problem]  # the preview's records with problems, shown as pages; none in a build


def generate(project: Project, languages: tuple[str, ...] = LANGUAGES,
             progress: Callable[[str], None] = lambda message: None) -> Generated:
    """Validate every record, render every page of ``languages``, then write the docs trees."""
    vocabulary, cases = load_and_validate(project)                             # 1 load.py, validate.py
    progress(f"validated {len(cases)} case{'s' if len(cases) != 1 else ''}")
    settings = load_settings(project.mkdocs_config("zh"))
    shared = shared_data(cases, vocabulary, settings)                          # 2 page_context.py
    pages = SitePages(cases, vocabulary, settings, shared)                     # 3 render.PRODUCERS
    reports = write_pages(project, languages, pages.of)                        # 4 write.py
    progress(f"rendered {sum(len(r.written) + r.unchanged for r in reports.values())} files "
             f"in {len(languages)} language{'s' if len(languages) != 1 else ''}")
    return Generated(cases, reports, [])


def load_and_validate(project: Project) -> tuple[Vocabulary, list[ValidCase]]:
    """The vocabulary and every record, validated; every problem of every record raised at once."""
    vocabulary = load_vocabulary(project.vocabulary)
    cases, problems = validate_files([project.cases_dir], vocabulary)
    if problems:
        raise ProblemsFound(problems)
    return vocabulary, cases


def write_pages(project: Project, languages: tuple[str, ...], pages: LanguagePages) -> dict[str, WriteReport]:
    """Each language's pages into its docs tree, each page written as soon as it is rendered, the data files with
    the pages of the language they are published in; then the files no longer made are removed.

    In this one process, one page at a time: rendering the languages in forked processes saved a few seconds at
    1,000 cases but each process came to copy the records it read, and with every page held until all were made,
    the generator took 5 GiB at 5,000 cases (bench/README.md).
    """
    # before the first file is written: nothing under build/ but what the generator wrote, so no link is followed
    # (write.py)
    own_tree(project.work_dir)
    sizes = partial(_data_sizes, project.docs_dir(PUBLISHED_IN) / "data")
    reports = {lang: write_tree(project.docs_dir(lang), pages(lang, lang == PUBLISHED_IN, sizes), prune=False)
               for lang in languages}
    for lang in languages:
        reports[lang].removed = prune_tree(project.docs_dir(lang), reports[lang].kept)
    return reports


def _data_sizes(folder: Path) -> dict[str, int]:
    """The size in bytes of each data file as written (a preview of one language finds the last build's)."""
    return {path.name: path.stat().st_size for path in folder.glob("*") if path.is_file()} if folder.is_dir() else {}
