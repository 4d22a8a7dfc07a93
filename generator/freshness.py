"""Whether a language's pages are still those of their inputs, so that `casebook serve` skips regenerating them.

MkDocs rebuilds after every change in its docs directory too, so each regeneration that writes pages is followed
by one more rebuild, whose regeneration would write nothing and costs as much (rendering every page). The stat
of every input file (records, vocabulary, templates, the MkDocs configuration the generator reads) is taken
before each regeneration; the next one is skipped when they are all the same, and the files that had changed
just before (records.RACY_NS says why their stat alone does not tell) still have the same contents.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from .project import Project
from .record_cache import Stamp, settled, stamp
from .render import TEMPLATES


@dataclass(frozen=True)
class Inputs:
    """The stat of every file under some paths, when it was taken, and the digest of each file that had not
    settled then (they are the files just edited, which the rebuild after ours sees again at once)."""

    taken_ns: int
    stamps: dict[Path, Stamp | None]
    digests: dict[Path, bytes | None]

    @classmethod
    def of(cls, paths: list[Path]) -> Inputs:
        taken = time.time_ns()
        files = [file for path in paths for file in (sorted(path.rglob("*")) if path.is_dir() else [path])]
        stamps = {file: stamp(file) for file in files if not file.is_dir()}
        return cls(taken, stamps, {file: _digest(file) for file, seen in stamps.items()
                                   if seen is not None and not settled(seen, taken)})

    def same_as(self, earlier: Inputs) -> bool:
        return self.stamps == earlier.stamps and all(
            seen is not None and (settled(seen, earlier.taken_ns) or _digest(file) == earlier.digests[file])
            for file, seen in earlier.stamps.items())


def _digest(path: Path) -> bytes | None:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return None


_GENERATED: dict[tuple[Path, str], Inputs] = {}


def inputs_of(project: Project) -> list[Path]:
    """Every file or directory the generated pages are made from (templates: the ones render.py reads)."""
    return [project.cases_dir, project.vocabulary, project.mkdocs_config("zh"), TEMPLATES]


def changed_inputs(project: Project, lang: str) -> Inputs | None:
    """The inputs of ``lang``'s pages now, or None when they are those the pages were last generated from (and
    the pages are still there)."""
    now = Inputs.of(inputs_of(project))
    last = _GENERATED.get((project.root, lang))
    return None if last is not None and now.same_as(last) and project.docs_dir(lang).is_dir() else now


def generated(project: Project, lang: str, inputs: Inputs) -> None:
    """Remember that ``lang``'s pages were generated from ``inputs``."""
    _GENERATED[(project.root, lang)] = inputs
