"""MkDocs hook: lets plain `mkdocs build` / `mkdocs serve` generate the pages they build.

`casebook build` writes the pages itself and tells the hook so; under `mkdocs serve`
the hook also watches the records, templates and vocabulary.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from generator.build import PREGENERATED, PREGENERATED_ONCE, SERVING
from generator.compact import compact
from generator.errors import CasebookError
from generator.freshness import changed_inputs, generated
from generator.generate import generate
from generator.html_body import is_html_body, stand_in
from generator.project import Project
from generator.search import index_preview
from generator.sitedir import build_lock

log = logging.getLogger("mkdocs.plugins.casebook")


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


def on_startup(command, dirty):
    if command == "serve":  # the environment outlives this module, which MkDocs imports again at each rebuild
        os.environ[SERVING] = "1"


def on_serve(server, config, builder):
    project = _project(config)
    for path in (project.cases_dir, project.vocabulary, project.root / "templates"):
        server.watch(str(path))
    index_preview(Path(config.site_dir), config.theme["language"])  # after the first build (generator/search.py)
    return server


_bodies: dict[str, str] = {}  # the HTML body of the page being rendered, by its source path


def on_page_markdown(markdown: str, page, config, files) -> str:
    """The generator's HTML pages: Python-Markdown converts a short stand-in, not the body (html_body.py says why)."""
    if not page.meta and markdown.startswith("---\n"):
        # MkDocs could not read the front matter and would treat the whole page, record text included, as
        # Markdown. Never publish that.
        raise PluginError(f"{page.file.src_uri}: the page's front matter could not be read; nothing was published")
    if not is_html_body(page.meta):
        return markdown
    _bodies[page.file.src_uri] = markdown
    return stand_in(markdown)


def on_page_content(html: str, page, config, files) -> str:
    return _bodies.pop(page.file.src_uri, html)


def on_post_page(output: str, page, config) -> str:
    return compact(output)
