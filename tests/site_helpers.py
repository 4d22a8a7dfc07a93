"""Helpers for whole-build tests: a throwaway casebook project and a real `casebook build` of it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PROJECT_FILES = ("mkdocs.yml", "mkdocs.en.yml", "vocabulary.yaml", "site_overrides", "generator/mkdocs_hook.py")


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
