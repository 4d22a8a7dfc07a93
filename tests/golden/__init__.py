"""The golden tree: every page and data file the generator makes of the fixture records, committed under
tests/golden/tree/ (``zh/`` and ``en/``, the two docs trees MkDocs builds), so that a change to any template or to
the generator shows up in review as a diff of the output. tests/test_golden.py compares a fresh generation with
it byte for byte.

After a deliberate change to the output, regenerate it and review the diff::

    .venv/bin/python -m tests.golden
"""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

from generator.generate import generate
from generator.project import Project
from tests.site_helpers import FIXTURES, make_project

TREE = Path(__file__).resolve().parent / "tree"
# Every part of a case page at least once: a full record, a minimal one, one awaiting its English, and the two
# the browser tests read.
RECORDS = [FIXTURES / "cases" / "lakeside-polytechnic.yaml", FIXTURES / "minimal" / "minimal-college.yaml",
           FIXTURES / "pending" / "pending-college.yaml", *sorted((FIXTURES / "browser").glob("*.yaml"))]
LANGUAGES = ("zh", "en")


def generate_tree(workdir: Path) -> dict[str, bytes]:
    """The generated docs trees of the fixture records: {"zh/path" or "en/path": bytes}."""
    project = Project.at(make_project(workdir, RECORDS))
    # the test address make_project gives (site_helpers.TEST_SITE_URL), whatever the environment says (!ENV)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CASEBOOK_")}
    with mock.patch.dict(os.environ, environment, clear=True):
        generate(project)
    return {f"{lang}/{path.relative_to(project.docs_dir(lang)).as_posix()}": path.read_bytes()
            for lang in LANGUAGES for path in sorted(project.docs_dir(lang).rglob("*")) if path.is_file()}


def committed_tree() -> dict[str, bytes]:
    return {path.relative_to(TREE).as_posix(): path.read_bytes()
            for path in sorted(TREE.rglob("*")) if path.is_file()}
