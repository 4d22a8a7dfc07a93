"""Helpers for whole-build tests: a throwaway casebook project and a real `casebook build` of it."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PROJECT_FILES = ("mkdocs.base.yml", "mkdocs.yml", "mkdocs.en.yml", "vocabulary.yaml", "site_overrides",
                 "generator/mkdocs_hook.py", "generator/section_hook.py")
PAGEFIND_SIGNATURE = b"pagefind_dcd"


def make_project(directory: Path, cases: Path | list[Path] | None = None) -> Path:
    """A project in ``directory``: the repository's configuration, vocabulary and overrides, and the given cases."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source, target = ROOT / name, directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    cases_dir = directory / "cases"
    cases_dir.mkdir()
    files = sorted(cases.glob("*.yaml")) if isinstance(cases, Path) else list(cases or [])
    for file in files:
        shutil.copy2(file, cases_dir / file.name)
    return directory


def casebook(project: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the real `casebook` command line in ``project``; output and errors are captured as text."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=project, capture_output=True, text=True,
                          timeout=600)


def build(project: Path, *args: str) -> Path:
    """`casebook build` the project; fails the test with MkDocs' output if the build fails. Returns the site."""
    result = casebook(project, "build", "-q", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def search_pages(site: Path) -> list[dict]:
    """What Pagefind indexed of one language's site (``site`` or ``site/en``): one entry a page, with its
    ``url`` (from that site's root), indexed ``content``, ``meta`` (title) and ``anchors`` (headings with ids).

    These are the bundle's fragment files: gzip-compressed JSON after Pagefind's signature.
    """
    pages = []
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(PAGEFIND_SIGNATURE), fragment
        pages.append(json.loads(data[len(PAGEFIND_SIGNATURE):]))
    return pages
