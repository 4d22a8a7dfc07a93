"""Fingerprints of the source documents for the own-words check (tests/test_own_words.py), and the check itself.

Punctuation does not hide a copied clause: before comparing, punctuation, spaces, digits and Latin letters are
removed from the sources and from the records, leaving runs of Han characters. A record copies its source where
one of its runs shares :data:`WINDOW` consecutive Han characters with a source. Exempt are the names the record
itself gives (institutions, partners, places, honours, titles, policies, the source's table captions and outline
headings), anything in 《》 or “”, and clauses that are only a list of short items separated by 、 (a list of
majors or schools copied from the source is a fact, not a sentence).

The sources are not part of the repository, so the check compares hashes: ``tests/data/source_windows.txt``
holds a truncated SHA-256 of every WINDOW-character window of the sources' Han text, not the text. Regenerate it
after a source changes; ``--measure`` prints, for each window of :data:`MEASURED`, the runs of the five records
that share one with a source (the measurement the window was chosen by):

    .venv/bin/python -m tests.source_windows ../shared/sources
    .venv/bin/python -m tests.source_windows --measure ../shared/sources
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.schema import Case, Heading, Text, iter_texts

WINDOW = 14
MEASURED = (12, 14, 16, 18)
LIST_ITEM_LIMIT = 12  # characters of an item in an exempt 、-list
HASHES = Path(__file__).resolve().parent / "data" / "source_windows.txt"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
NOT_HAN = re.compile(f"[^{HAN}]+")
BREAK = "|"  # stands where an exempt stretch was taken out: no run continues across it
QUOTED = re.compile(r"《[^》]*》|“[^”]*”")
# A clause: the text between marks that end one ('、' joins the items of a list inside a clause).
CLAUSE = re.compile(r"[^，。；：！？,.;:!?（）()\n]+")
HEX_DIGITS = 16  # 64 bits: a chance collision among tens of thousands of windows is negligible


def han_text(text: str) -> str:
    """``text`` with everything but Han characters removed."""
    return NOT_HAN.sub("", text)


def window_hash(window: str) -> str:
    return hashlib.sha256(window.encode("utf-8")).hexdigest()[:HEX_DIGITS]


def windows(run: str, size: int = WINDOW) -> list[str]:
    return [run[i:i + size] for i in range(len(run) - size + 1)]


def source_hashes(sources: Path, size: int = WINDOW) -> set[str]:
    """The hashes of every window of the Han text of each source document ``sources/*.txt``."""
    return {window_hash(w) for path in sorted(sources.glob("*.txt"))
            for w in windows(han_text(path.read_text(encoding="utf-8")), size)}


def load_hashes(path: Path = HASHES) -> set[str]:
    return {line for line in path.read_text(encoding="ascii").splitlines() if line and not line.startswith("#")}


# --- the record's side ---------------------------------------------------------------------

def record_names(case: Case) -> list[str]:
    """The names and titles the record gives, longest first: they may stand as the source writes them."""
    texts: list[Text | None] = [case.reporter.name, case.reporter.city, case.source.title, case.source.publisher,
                                case.source.author, case.source.held_by, *case.reporter.honours]
    for partner in case.partners:
        texts += [partner.name, partner.region.prefecture, partner.region.county, *partner.honours]
    for policy in case.policies:
        texts += [policy.title, policy.issuer]
    for voice in case.voices:
        texts += [voice.who, voice.role]
    texts += [table.title for table in case.tables]  # the source's own captions
    names = [text.zh for text in texts if text is not None]
    names += [policy.number for policy in case.policies if policy.number]
    names += list(_headings(case.source.outline))
    return sorted({name for name in names if name}, key=len, reverse=True)


def _headings(outline: list[Heading]) -> Iterator[str]:
    for entry in outline:
        yield entry.heading
        yield from _headings(entry.sections)


def _is_short_list(clause: str) -> bool:
    items = clause.split("、")
    return len(items) > 1 and all(len(han_text(item)) <= LIST_ITEM_LIMIT for item in items)


def exempted(text: str, names: Iterable[str]) -> str:
    """``text`` with names, quoted titles and short 、-lists replaced by a break."""
    for name in names:  # before the quotes go: a name may contain a quoted part
        text = text.replace(name, BREAK)
    text = QUOTED.sub(BREAK, text)
    return CLAUSE.sub(lambda clause: BREAK if _is_short_list(clause.group()) else clause.group(), text)


def copied_runs(text: str, hashes: set[str], names: Iterable[str] = (), size: int = WINDOW) -> list[str]:
    """The stretches of ``text`` (exempt parts taken out) whose Han characters share a ``size``-character window
    with a source, each as the record writes it (punctuation and all), overlapping windows merged."""
    found = []
    for piece in exempted(text, names).split(BREAK):
        positions = [i for i, ch in enumerate(piece) if NOT_HAN.fullmatch(ch) is None]
        han = "".join(piece[i] for i in positions)
        spans: list[list[int]] = []
        for start in range(len(han) - size + 1):
            if window_hash(han[start:start + size]) in hashes:
                if spans and start <= spans[-1][1]:
                    spans[-1][1] = start + size
                else:
                    spans.append([start, start + size])
        found += [piece[positions[start]:positions[end - 1] + 1] for start, end in spans]
    return found


def copied_in_case(case_id: str, case: Case, hashes: set[str], size: int = WINDOW) -> list[str]:
    """``case_id: field: stretch`` for every copied stretch of a record's Chinese texts."""
    names = record_names(case)
    return [f"{case_id}: {_shown_loc(loc)}: {run}" for loc, text in iter_texts(case)
            for run in copied_runs(text.zh, hashes, names, size)]


def _shown_loc(loc: tuple) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


# --- the command ---------------------------------------------------------------------------

def _measure(sources: Path) -> int:
    from generator.validate import validate_files
    from generator.vocabulary import load_vocabulary

    root = Path(__file__).resolve().parent.parent
    valid, problems = validate_files([root / "cases"], load_vocabulary(root / "vocabulary.yaml"))
    for problem in problems:
        print(problem, file=sys.stderr)
    for size in MEASURED:
        hashes = source_hashes(sources, size)
        copied = [line for item in valid for line in copied_in_case(item.id, item.case, hashes, size)]
        print(f"== window {size}: {len(copied)} runs")
        print("\n".join(copied))
    return 0


def main(argv: list[str]) -> int:
    measure = argv[:1] == ["--measure"]
    args = argv[1:] if measure else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python -m tests.source_windows [--measure] SOURCES_DIR   (e.g. ../shared/sources)",
              file=sys.stderr)
        return 2
    if measure:
        return _measure(Path(args[0]))
    hashes = source_hashes(Path(args[0]))
    if not hashes:
        print(f"no {WINDOW} Han characters in {args[0]}/*.txt", file=sys.stderr)
        return 1
    header = (f"# SHA-256 (first {HEX_DIGITS} hex digits) of every {WINDOW}-character window of the Han text\n"
              "# (punctuation, spaces, digits and Latin letters removed) of the source documents.\n"
              "# Made by: python -m tests.source_windows ../shared/sources\n")
    HASHES.write_text(header + "".join(f"{h}\n" for h in sorted(hashes)), encoding="ascii")
    print(f"wrote {len(hashes)} hashes to {HASHES}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
