"""MkDocs hook: lets plain `mkdocs build` / `mkdocs serve` generate the pages they build.

`casebook build` writes the pages itself and tells the hook so (hook_mode.py); under `mkdocs serve` and
`casebook serve` the preview (preview.py) regenerates after each edit, and the hook watches the records, templates
and vocabulary.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from generator import preview
from generator.compact import compact
from generator.errors import CasebookError
from generator.generate import generate
from generator.hook_mode import HookMode, hook_mode, mode_env
from generator.html_body import is_html_body, stand_in
from generator.project import Project
from generator.sitedir import build_lock

log = logging.getLogger("mkdocs.plugins.casebook")


def _project(config) -> Project:
    root = Path(config.config_file_path).resolve().parent
    return Project.at(root, Path(os.environ["CASEBOOK_CASES"]) if os.environ.get("CASEBOOK_CASES") else None)


@event_priority(100)  # first: the pages exist before any plugin reads the docs
def on_config(config):
    mode = hook_mode()
    if mode is HookMode.PREGENERATED:
        return config
    if mode is HookMode.PREVIEW_STARTING:  # `casebook serve` has just generated: not again at startup
        os.environ.update(mode_env(HookMode.PREVIEW))
        return config
    project, lang = _project(config), config.theme["language"]
    if mode is HookMode.PREVIEW:  # after every edit: only what the edit changed (preview.py)
        preview.refresh(project, lang)
        return config
    started = time.perf_counter()
    try:
        with build_lock(project.work_dir, log.info):
            generated = generate(project, languages=(lang,))
    except CasebookError as exc:
        raise PluginError(str(exc)) from None
    written = sum(len(report.written) + len(report.removed) for report in generated.reports.values())
    log.info(f"pages generated in {time.perf_counter() - started:.2f} s: {written} files changed")
    return config


def on_startup(command, dirty):
    # the environment outlives this module, which MkDocs imports again at each rebuild
    if command == "serve" and hook_mode() is HookMode.GENERATE:
        os.environ.update(mode_env(HookMode.PREVIEW))


def on_serve(server, config, builder):
    project = _project(config)
    for path in (project.cases_dir, project.vocabulary, project.root / "templates"):
        server.watch(str(path))
    # The docs directory is the generator's output, rewritten by the rebuild that an edit starts: watched, each
    # rebuild would start one more, which readers' requests wait for. The records and templates it is made from
    # are watched instead.
    server.unwatch(config.docs_dir)
    preview.CasesWatch(server, project.cases_dir, project.work_dir / "preview")  # the cases folder moved away and back
    # Only requests addressed to the preview's own names; no traceback for a path that is no text (preview.py).
    extra = [name for name in os.environ.get(preview.ALLOWED_HOSTS, "").split(",") if name]
    server.set_app(preview.guarded(server.get_app(), preview.allowed_names(config.dev_addr.host, extra),
                                   config.dev_addr.port))
    return server


def on_post_build(config):
    if hook_mode() is HookMode.PREVIEW:  # after every build of the preview: its search, in the background
        preview.index_served(Path(config.site_dir), config.theme["language"])


# The HTML body of the page being rendered, by its source path: at module level, where a hook keeps state.
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
