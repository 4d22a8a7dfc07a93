"""MkDocs hook: lets plain `mkdocs build` / `mkdocs serve` generate the pages they build.

`casebook build` writes the pages itself and tells the hook so; under `mkdocs serve`
the hook also watches the records, templates and vocabulary.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from generator.build import PREGENERATED, PREGENERATED_ONCE, SERVING
from generator.errors import CasebookError
from generator.freshness import changed_inputs, generated
from generator.generate import Project, generate
from generator.html_body import is_html_body, use_as_content
from generator.search import index_preview
from generator.sitedir import build_lock

log = logging.getLogger("mkdocs.plugins.casebook")

_KEEP_WHITESPACE = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.S | re.I)
_INDENT = re.compile(r"[ \t\r]*\n\s*")  # a line break with the blank lines and indentation around it


def docs_dir(path: str) -> str:
    """mkdocs.yml's docs_dir, made if missing: MkDocs requires it to exist before any hook runs.

    The path is relative to the working directory, which is the project's when MkDocs is run as documented.
    """
    Path(path).mkdir(parents=True, exist_ok=True)
    return path


def _project(config) -> Project:
    root = Path(config.config_file_path).resolve().parent
    return Project.at(root, Path(os.environ["CASEBOOK_CASES"]) if os.environ.get("CASEBOOK_CASES") else None)


@event_priority(100)  # first: the pages exist before any plugin reads the docs
def on_config(config):
    if os.environ.get(PREGENERATED):
        return config
    if os.environ.pop(PREGENERATED_ONCE, None):  # `casebook serve` has just generated: not again at startup
        return config
    project, lang = _project(config), config.theme["language"]
    inputs = changed_inputs(project, lang)
    if inputs is None:  # the rebuild that our own writes to the docs directory started (freshness.py)
        return config
    serving = bool(os.environ.get(SERVING))
    try:
        with build_lock(project.work_dir, log.info):
            shown = generate(project, languages=(lang,), show_problems=serving)
    except CasebookError as exc:
        raise PluginError(str(exc)) from None
    if shown.problems:  # the preview shows them in place of the cases (generate.py); the terminal lists them too
        log.info("records with problems, left out of the preview:\n%s", "\n".join(map(str, shown.problems)))
    generated(project, lang, inputs)
    return config


class _DirtyNotice(logging.Filter):
    """Drops MkDocs' warning that a dirty build's navigation may be stale, so `serve --dirty` stays strict."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build")


def on_startup(command, dirty):
    if command == "serve":  # the environment outlives this module, which MkDocs imports again at each rebuild
        os.environ[SERVING] = "1"
    logger = logging.getLogger("mkdocs.commands.build")
    if dirty and not any(isinstance(f, _DirtyNotice) for f in logger.filters):
        logger.addFilter(_DirtyNotice())


def on_serve(server, config, builder):
    project = _project(config)
    for path in (project.cases_dir, project.vocabulary, project.root / "templates"):
        server.watch(str(path))
    index_preview(Path(config.site_dir))  # after the first build: search in the preview (generator/search.py)
    return server


def on_page_markdown(markdown: str, page, config, files) -> str:
    if not page.meta and markdown.startswith("---\n"):
        # MkDocs could not read the front matter and would treat the whole page, record text included, as
        # Markdown. Never publish that.
        raise PluginError(f"{page.file.src_uri}: the page's front matter could not be read; nothing was published")
    if is_html_body(page):  # the generator's HTML pages: no Markdown to convert (html_body.py says why)
        use_as_content(page, markdown)
    return markdown


def on_post_page(output: str, page, config) -> str:
    """Drop the blank lines and indentation Material's templates leave (a fifth of a case page's bytes).

    A line break with whitespace around it renders as one space, so one line break is kept; <pre> and
    <textarea> keep theirs.
    """
    parts = _KEEP_WHITESPACE.split(output)
    # split() yields text, then (whole match, tag name) for each kept element
    return "".join(_INDENT.sub("\n", part) if i % 3 == 0 else part if i % 3 == 1 else ""
                   for i, part in enumerate(parts))
