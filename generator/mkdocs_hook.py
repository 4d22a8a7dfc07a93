"""MkDocs hook: lets plain `mkdocs build` / `mkdocs serve` generate the pages they build.

`casebook build` writes the pages itself and tells the hook so; under `mkdocs serve`
the hook also watches the records, templates and vocabulary.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from generator.build import PREGENERATED, PREGENERATED_ONCE, SERVING
from generator.compact import compact
from generator.errors import CasebookError, Problem, ProblemsFound, UsageError, display_path
from generator.generate import generate, show_blocked
from generator.html_body import is_html_body, stand_in
from generator.preview import ALLOWED_HOSTS, CasesWatch, allowed_names, guarded
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
    serving = bool(os.environ.get(SERVING))
    started = time.perf_counter()
    try:
        with build_lock(project.work_dir, log.info):
            if serving and not project.cases_dir.is_dir():
                raise UsageError(f"the cases folder {display_path(project.cases_dir)} is missing (moved away or "
                                 "removed?); put it back and the preview regenerates")
            # the preview regenerates after every edit: only what the edit changed (page_cache.py)
            shown = generate(project, languages=(lang,), show_problems=serving, incremental=serving)
    except CasebookError as exc:
        if not serving:
            raise PluginError(str(exc)) from None
        # The preview keeps answering: a failed build would hold every request until the next good one (MkDocs'
        # server waits for it). Its home page and /problems/ show what stops it (generate.show_blocked).
        problems = exc.problems if isinstance(exc, ProblemsFound) else [Problem("", 0, 0, "", str(exc))]
        with build_lock(project.work_dir, log.info):
            show_blocked(project, (lang,), problems)
        log.warning("the preview cannot make its pages; it shows the last ones until this is fixed:\n%s",
                    "\n".join(map(str, problems)))
        return config
    written = sum(len(report.written) + len(report.removed) for report in shown.reports.values())
    log.info(f"pages generated in {time.perf_counter() - started:.2f} s: {written} files changed")
    if shown.problems:  # the preview shows them in place of the cases (generate.py); the terminal lists them too
        log.info("records with problems, left out of the preview:\n%s", "\n".join(map(str, shown.problems)))
    return config


def on_startup(command, dirty):
    if command == "serve":  # the environment outlives this module, which MkDocs imports again at each rebuild
        os.environ[SERVING] = "1"


def on_serve(server, config, builder):
    project = _project(config)
    for path in (project.cases_dir, project.vocabulary, project.root / "templates"):
        server.watch(str(path))
    # The docs directory is the generator's output, rewritten by the rebuild that an edit starts: watched, each
    # rebuild would start one more, which readers' requests wait for. The records and templates it is made from
    # are watched instead.
    server.unwatch(config.docs_dir)
    CasesWatch(server, project.cases_dir, project.work_dir / "preview")  # the cases folder moved away and back
    # Only requests addressed to the preview's own names; no traceback for a path that is no text (preview.py).
    extra = [name for name in os.environ.get(ALLOWED_HOSTS, "").split(",") if name]
    server.set_app(guarded(server.get_app(), allowed_names(config.dev_addr.host, extra), config.dev_addr.port))
    return server


def on_post_build(config):
    if os.environ.get(SERVING):  # after every build of the preview: its search (generator/search.py)
        index_preview(Path(config.site_dir), config.theme["language"])


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
