"""The throwaway project each measurement builds in, the environment of the commands it starts, and its log."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from bench import synth
from generator.build import QUIET_ENV
from generator.project import Project

ROOT = Path(__file__).resolve().parent.parent
# As tests/site_helpers.PROJECT_FILES, plus templates/: `casebook serve` watches the project's templates/.
PROJECT_FILES = ("mkdocs.base.yml", "mkdocs.yml", "mkdocs.en.yml", "vocabulary.yaml", "site_overrides",
                 "generator/mkdocs_hook.py", "generator/section_hook.py", "templates")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def make_project(directory: Path, count: int, seed: int) -> Project:
    """A casebook project in ``directory`` (as tests/site_helpers.make_project makes one) with synthetic cases."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source, target = ROOT / name, directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
    cases = directory / "cases"
    shutil.rmtree(cases, ignore_errors=True)
    synth.write_cases(count, cases, seed)
    return Project.at(directory)


def clean(project: Project) -> None:
    """Remove the generated pages and the site, so the next build is a clean one."""
    for path in (project.work_dir, project.root / "site", project.root / "baseline" / "site"):
        shutil.rmtree(path, ignore_errors=True)


def child_env() -> dict[str, str]:
    """The environment of every command we start: quiet MkDocs, and `bench`/`generator` importable."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, **QUIET_ENV, "PYTHONPATH": path}
