"""Checked records kept between the rebuilds of `casebook serve`, so that an edit re-reads only what changed.

The preview keeps one (preview.Preview): MkDocs re-imports its hook module on every rebuild, but the generator's
modules stay imported. A file's check is reused while its stat (modification and change times, size, inode) is the
one it had when it was read; changed and new files are read again, deleted ones dropped, and the checks across
records run on the whole set each time, so the problems are exactly those a full validation would report. Anything the
checks depend on besides the file (the vocabulary, today's year, the working directory that paths are shown
from) invalidates every entry when it changes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .schema import ValidCase, last_year
from .validate import CheckedFile, case_files, check_files, combine
from .vocabulary import Vocabulary, load_vocabulary

# A file written again within its file system's timestamp granularity (a few milliseconds here, up to two
# seconds on some) can keep its stat. A file changed this recently before it was read is therefore read again
# at the next rebuild rather than trusted.
RACY_NS = 2_000_000_000

Stamp = tuple[int, int, int, int]


def stamp(path: Path) -> Stamp | None:
    """What a file's stat says of its contents; None for a file that is gone."""
    try:
        stat = path.stat()
    except OSError:  # gone since the directory was listed: checking it reports that
        return None
    return stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino


def settled(seen: Stamp, read_ns: int) -> bool:
    """Whether a file with this stat, read at ``read_ns``, had stopped changing when it was read."""
    return read_ns - max(seen[0], seen[1]) > RACY_NS


@dataclass(frozen=True)
class _Read:
    """A file's stat when it was read, and when that was."""

    stamp: Stamp | None
    read_ns: int

    def still(self, now: Stamp | None) -> bool:
        """Whether the file is surely as it was read."""
        return now is not None and now == self.stamp and settled(now, self.read_ns)


class RecordCache:
    """The last check of every record file of one project, and the vocabulary it was checked against."""

    def __init__(self) -> None:
        self._context: tuple[Path, Path, int] | None = None  # vocabulary file, working directory, last year
        self._vocabulary: tuple[_Read, Vocabulary] | None = None
        self._files: dict[Path, tuple[_Read, CheckedFile]] = {}

    def validate(self, cases_dir: Path, vocabulary_path: Path) -> tuple[Vocabulary, list[ValidCase], list[Problem]]:
        """The vocabulary, the valid cases and every problem, as validate_files would find them."""
        vocabulary = self._current_vocabulary(vocabulary_path)
        files = case_files([cases_dir])
        read = time.time_ns()
        stamps = {path: stamp(path) for path in files}
        stale = [path for path in files if path not in self._files or not self._files[path][0].still(stamps[path])]
        checked = dict(zip(stale, check_files(stale, vocabulary), strict=True))
        self._files = {path: (_Read(stamps[path], read), checked[path]) if path in checked else self._files[path]
                       for path in files}
        return vocabulary, *combine([self._files[path][1] for path in files])

    def _current_vocabulary(self, path: Path) -> Vocabulary:
        """The vocabulary, loaded again when its file changed; when it differs, every record is checked again."""
        context = (path.resolve(), Path.cwd(), last_year())
        if context != self._context:
            self._context, self._vocabulary, self._files = context, None, {}
        read = time.time_ns()
        now = stamp(path)
        if self._vocabulary is not None and self._vocabulary[0].still(now):
            return self._vocabulary[1]
        vocabulary = load_vocabulary(path)  # its problems raise, and leave the cache as it was
        if self._vocabulary is not None and vocabulary == self._vocabulary[1]:
            vocabulary = self._vocabulary[1]  # the same terms: the records' checks stand
        else:
            self._files = {}
        self._vocabulary = _Read(now, read), vocabulary
        return vocabulary
