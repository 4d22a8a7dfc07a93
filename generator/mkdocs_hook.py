"""MkDocs hook: lets plain `mkdocs build` / `mkdocs serve` generate the pages they build.

`casebook build` writes the pages itself and tells the hook so; under `mkdocs serve`
the hook also watches the records, templates and vocabulary.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from generator.build import PREGENERATED
from generator.errors import CasebookError
from generator.generate import Project, generate


def docs_dir(path: str) -> str:
    """mkdocs.yml's docs_dir, made if missing: MkDocs requires it to exist before any hook runs.

    The path is relative to the working directory, which is the project's when MkDocs is run as documented.
    """
    Path(path).mkdir(parents=True, exist_ok=True)
    return path


def _project(config) -> Project:
    root = Path(config.config_file_path).resolve().parent
    return Project.at(root, Path(os.environ["CASEBOOK_CASES"]) if os.environ.get("CASEBOOK_CASES") else None)


@event_priority(100)  # before the search plugin reads the jieba dictionary we write
def on_config(config):
    if os.environ.get(PREGENERATED):
        return config
    try:
        generate(_project(config), languages=(config.theme["language"],))
    except CasebookError as exc:
        raise PluginError(str(exc)) from None
    return config


def on_serve(server, config, builder):
    project = _project(config)
    for path in (project.cases_dir, project.vocabulary, project.root / "templates"):
        server.watch(str(path))
    return server
