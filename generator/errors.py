"""User-facing problems and the one exception family the CLI turns into messages."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

INTERRUPTED = 130  # Ctrl-C: the exit code a shell gives a command ended by SIGINT
INTERRUPTED_MESSAGE = "interrupted (Ctrl-C): stopped; nothing unfinished was put in place"


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an editor's file: ``path:line:col: field: message``."""

    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{printable(self.path)}:{self.line}:{self.column}"
        message, hint = _lines_printable(self.message), _lines_printable(self.hint)
        text = f"{printable(self.field)}: {message}" if self.field else message
        text = f"{where}: {text}" if self.path else text  # a problem of no file (the preview's cases folder gone)
        return f"{text}\n    hint: {hint}" if hint else text


class CasebookError(Exception):
    """Any error meant for the user: printed as a message, never as a traceback."""

    exit_code = 1


class ProblemsFound(CasebookError):
    """Records (or the vocabulary) have problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # pickled with its problems (from the build's generator process: build.generate_apart)
        return ProblemsFound, (self.problems,)


class UsageError(CasebookError):
    """The command was called wrongly (bad id, missing path …)."""

    exit_code = 2


class DiskFull(UsageError):
    """The machine has no space left where the build writes: an environment that refuses (exit code 2)."""


_LOW_SPACE = 1024 * 1024  # less than this left: a write that failed there failed for want of space


def disk_full(path: Path) -> bool:
    """Whether the file system holding ``path`` has (next to) no space left for this process."""
    try:
        stats = os.statvfs(path)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < _LOW_SPACE


def no_space_message(path: Path) -> str:
    """Where space ran out: the file system (by its mount point) that holds ``path``, a build's passing folder."""
    mount = Path(os.path.abspath(path))
    while not os.path.ismount(mount):
        mount = mount.parent
    return f"no space left on the file system at {printable(str(mount))} ({_free(path)} free); free some space " \
           "and build again"


def _free(path: Path) -> str:
    stats = os.statvfs(path)
    return f"{stats.f_bavail * stats.f_frsize / 1024:,.0f} KiB"


def display_path(path: Path | str) -> str:
    """A path as the editor would type it: relative to the working directory when possible, its control characters
    escaped (:func:`printable`)."""
    try:  # abspath, not resolve(): a path through a link loop is still shown, and links are not followed
        return printable(str(Path(os.path.abspath(path)).relative_to(Path.cwd())))
    except (ValueError, OSError):
        return printable(str(path))


def _lines_printable(text: str) -> str:
    """:func:`printable` line by line: a message of several lines keeps them (a file name quoted in it does not)."""
    return "\n".join(map(printable, text.split("\n")))


def printable(text: str) -> str:
    """``text`` with its control and invisible format characters written as Python escapes (``\\x1b``, ``\\u202e``):
    a file name is shown as it is, and cannot retitle the terminal, move its cursor or reorder the line."""
    if text.isprintable():
        return text
    return "".join(ascii(char)[1:-1] if unicodedata.category(char) in ("Cc", "Cf") else char for char in text)
