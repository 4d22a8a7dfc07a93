"""Stage 4 — write: the one writer of the generated tree.

It refuses two pages at one path and any path outside its root, rewrites a file only
when its content changed (so preview and MkDocs redo no work for unchanged pages), and
removes files whose page no longer exists.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import stat
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


def own_tree(root: Path) -> None:
    """Make ``root`` the generator's own tree again: remove every symbolic link at or under it.

    Nothing in the generated tree is a link, so one there was put by someone else; followed, it would have the
    writer overwrite, and the pruning delete, files outside the tree (a record folder, a file of the user's).
    Removing a link never touches what it points to.
    """
    if root.is_symlink():
        root.unlink()
    pending = [root] if root.is_dir() else []
    while pending:
        with os.scandir(pending.pop()) as entries:  # a directory entry knows whether it is a link: no stat per file
            for entry in entries:
                if entry.is_symlink():
                    os.unlink(entry.path)
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))


def replace_file(path: Path, data: bytes | Iterable[bytes]) -> Path:
    """Put ``data`` at ``path`` as a new file: written to a temporary file beside it, then renamed over it.

    The temporary file is created afresh (exclusive, never through a link): a link planted at its name is removed,
    not written through; the rename replaces a link at ``path`` itself, never what it points to. Readers (MkDocs'
    watcher, the preview's server) never see half a file. Returns the path, for callers that compare first.
    """
    temporary = path.with_name(path.name + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()  # a killed write's leftover, or a link: unlinking a link leaves its target alone
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW | os.O_CLOEXEC, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.writelines([data] if isinstance(data, bytes) else data)
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return path


_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _write(path: Path, text: str | Iterable[str]) -> bool:
    """Write ``text`` (or its pieces, in order) to ``path`` unless the file holds it already; whether it wrote."""
    if isinstance(text, str):
        data = text.encode("utf-8")
        if _read_regular(path) == data:
            return False
        replace_file(path, data)
        return True
    # a file too large to hold whole (cases.json): written a piece at a time beside it, then compared
    staged = path.with_name(path.name + ".new")
    replace_file(staged, (piece.encode("utf-8") for piece in text))
    if _is_regular(path) and filecmp.cmp(staged, path, shallow=False):
        staged.unlink()
        return False
    staged.replace(path)
    return True


def _is_regular(path: Path) -> bool:
    """Whether ``path`` is a plain file itself, not a link, a folder or a device (which reading could follow or
    block on)."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _read_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a plain file (never read through a link); None otherwise."""
    if not _is_regular(path):
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY | _NO_FOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read()


def prune_tree(root: Path, keep: set[Path]) -> list[str]:
    """Remove every file under ``root`` that is not in ``keep``, and the directories left empty.

    It never leaves ``root``: a link is removed as the file it is, never followed, and a ``root`` that is itself a
    link is refused.
    """
    if root.is_symlink():
        raise WriteError(f"{root} is a symbolic link; the generated tree is the build's own, so it is not pruned "
                         "through it")
    removed: list[str] = []
    for folder, subfolders, files in os.walk(root, topdown=False):
        here = Path(folder)
        for name in files + [name for name in subfolders if (here / name).is_symlink()]:
            path = here / name
            if path not in keep:
                path.unlink()
                removed.append(path.relative_to(root).as_posix())
        if here != root and not any(here.iterdir()):
            here.rmdir()
    return sorted(removed, reverse=True)
