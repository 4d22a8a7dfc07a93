"""Fingerprints of the source documents for the own-words check (tests/test_own_words.py).

A run is a stretch of consecutive Han characters; punctuation, digits, Latin letters and spaces end it
(whitespace is removed first: text extraction breaks lines mid-sentence). A record copies its source where one
of its runs shares :data:`WINDOW` consecutive characters with a run of a source. The sources are not part of the
repository, so the check compares hashes: ``tests/data/source_windows.txt`` holds a truncated SHA-256 of every
WINDOW-character window of the sources' runs, not their text. Regenerate it after a source changes:

    .venv/bin/python -m tests.source_windows ../shared/sources
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

WINDOW = 20
HASHES = Path(__file__).resolve().parent / "data" / "source_windows.txt"
HAN_RUN = re.compile(rf"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{{{WINDOW},}}")
HEX_DIGITS = 16  # 64 bits: a chance collision among a few thousand windows is negligible


def han_runs(text: str) -> list[str]:
    """The runs of at least WINDOW Han characters in ``text``, whitespace removed first."""
    return HAN_RUN.findall("".join(text.split()))


def window_hash(window: str) -> str:
    return hashlib.sha256(window.encode("utf-8")).hexdigest()[:HEX_DIGITS]


def windows(run: str) -> list[str]:
    return [run[i:i + WINDOW] for i in range(len(run) - WINDOW + 1)]


def source_hashes(sources: Path) -> set[str]:
    """The hashes of every window of every run of the source documents ``sources/*.txt``."""
    return {window_hash(w) for path in sorted(sources.glob("*.txt"))
            for run in han_runs(path.read_text(encoding="utf-8")) for w in windows(run)}


def load_hashes(path: Path = HASHES) -> set[str]:
    return {line for line in path.read_text(encoding="ascii").splitlines() if line and not line.startswith("#")}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python -m tests.source_windows SOURCES_DIR   (e.g. ../shared/sources)", file=sys.stderr)
        return 2
    hashes = source_hashes(Path(argv[0]))
    if not hashes:
        print(f"no runs of {WINDOW} Han characters in {argv[0]}/*.txt", file=sys.stderr)
        return 1
    header = (f"# SHA-256 (first {HEX_DIGITS} hex digits) of every {WINDOW}-character window of the runs of Han\n"
              "# characters in the source documents. Made by: python -m tests.source_windows ../shared/sources\n")
    HASHES.write_text(header + "".join(f"{h}\n" for h in sorted(hashes)), encoding="ascii")
    print(f"wrote {len(hashes)} hashes to {HASHES}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
