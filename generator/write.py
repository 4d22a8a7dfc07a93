"""Stage 4 — write: the one writer of the generated tree.

It refuses two pages at one path and any path outside its root, rewrites a file only
when its content changed (so preview and MkDocs redo no work for unchanged pages), and
removes files whose page no longer exists.
"""

from __future__ import annotations

import contextlib
import filecmp
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import CasebookError


class WriteError(CasebookError):
    """Two pages claim one path, or a path leaves the output directory."""


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: set[Path] = field(default_factory=set)  # every file of the tree: those written and those unchanged


def safe_join(root: Path, relative: str) -> Path:
    """``root/relative``, refusing absolute paths and any ``..`` that would leave ``root``."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise WriteError(f"refusing to write outside {root}: {relative!r}")
    return root.joinpath(*parts)


def write_tree(root: Path, pages: Iterable[tuple[str, str | Iterable[str]]], prune: bool = True) -> WriteReport:
    """Make ``root`` hold exactly ``pages`` (path → text): write what changed, remove what is gone.

    Each page is written as it comes, so a build never holds a whole language's pages in memory (at 5,000 cases
    they took gigabytes); a refused path stops the writing, and nothing is ever written outside ``root``. The docs
    tree is the generator's own working copy: the site is only replaced once everything has built (build.py).
    """
    report = WriteReport()
    made: set[Path] = set()  # directories known to exist: one mkdir per directory, not per file
    for relative, text in pages:
        path = safe_join(root, relative)
        if path in report.kept:
            raise WriteError(f"two pages would be written to {relative}; is a case id the same as a site page?")
        report.kept.add(path)
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        if _write(path, text):
            report.written.append(path.relative_to(root).as_posix())
        else:
            report.unchanged += 1
    if prune:
        report.removed = prune_tree(root, report.kept)
    return report


def _write(path: Path, text: str | Iterable[str]) -> bool:
    """Write ``text`` (or its pieces, in order) to ``path`` unless the file holds it already; whether it wrote."""
    temporary = path.with_name(path.name + ".tmp")
    if isinstance(text, str):
        data = text.encode("utf-8")
        with contextlib.suppress(FileNotFoundError, NotADirectoryError, IsADirectoryError):
            if path.read_bytes() == data:
                return False
        temporary.write_bytes(data)
    else:  # a file too large to hold whole (cases.json): written a piece at a time, then compared
        with temporary.open("w", encoding="utf-8", newline="") as out:
            out.writelines(text)
        with contextlib.suppress(FileNotFoundError, NotADirectoryError, IsADirectoryError):
            if filecmp.cmp(temporary, path, shallow=False):
                temporary.unlink()
                return False
    temporary.replace(path)  # readers (MkDocs' watcher) never see half a file
    return True


def prune_tree(root: Path, keep: set[Path]) -> list[str]:
    """Remove every file under ``root`` that is not in ``keep``, and the directories left empty."""
    removed: list[str] = []
    if root.is_dir():
        for path in sorted(root.rglob("*"), reverse=True):
            if path.is_file() and path not in keep:
                path.unlink()
                removed.append(path.relative_to(root).as_posix())
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return removed
