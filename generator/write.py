"""Stage 4 — write: the one writer of the generated tree.

It refuses two pages at one path and any path outside its root, rewrites a file only
when its content changed (so preview and MkDocs redo no work for unchanged pages), and
removes files whose page no longer exists.
"""

from __future__ import annotations

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


def safe_join(root: Path, relative: str) -> Path:
    """``root/relative``, refusing absolute paths and any ``..`` that would leave ``root``."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise WriteError(f"refusing to write outside {root}: {relative!r}")
    return root.joinpath(*parts)


def write_tree(root: Path, pages: list[tuple[str, str]], prune: bool = True) -> WriteReport:
    """Make ``root`` hold exactly ``pages`` (path → text): write what changed, remove what is gone."""
    report = WriteReport()
    wanted: dict[Path, str] = {}
    for relative, text in pages:
        path = safe_join(root, relative)
        if path in wanted:
            raise WriteError(f"two pages would be written to {relative}; is a case id the same as a site page?")
        wanted[path] = text
    made: set[Path] = set()  # directories known to exist: one mkdir per directory, not per file
    for path, text in sorted(wanted.items()):
        data = text.encode("utf-8")
        try:
            if path.read_bytes() == data:
                report.unchanged += 1
                continue
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            pass
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)  # readers (MkDocs' watcher) never see half a file
        report.written.append(path.relative_to(root).as_posix())
    if prune:
        report.removed = prune_tree(root, set(wanted))
    return report


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
