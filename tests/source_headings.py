"""The records' outlines against their sources (tests/test_source_outline.py): headings, sections, figures.

Each outline heading must occur in its source, compared as generator/locators.py compares headings (whitespace,
Markdown marks and bracket and punctuation width set aside). A heading's section runs from where it occurs to
where the next heading outside it occurs. A located figure's value, written as the source writes numbers
(10115, 10,115, 1.0115万 …), must occur inside the section its locator names; a value the source writes in none
of those forms (in words, say) is skipped and counted.

The sources are not part of the repository, so ``tests/data/source_headings.txt`` holds, per record, a truncated
SHA-256 of each normalised heading found in its source: without the sources, every heading of an outline must be
among them. Regenerate it after an outline changes, with the sources beside the repository:

    .venv/bin/python -m tests.source_headings ../shared/sources
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.locators import SEPARATOR, glossed_paths, heading_path_of, normalise, normalised_path
from generator.schema import Case, Figure, Heading

HASHES = Path(__file__).resolve().parent / "data" / "source_headings.txt"
HEX_DIGITS = 16
# Which source document each real record is drawn from (the files of ../shared/sources, by their number).
SOURCE_OF = {"hunan-industry-polytechnic": "000", "hubei-engineering-vocational-college": "001",
             "guangdong-industry-polytechnic": "002", "shanghai-vocational-education": "003",
             "tianjin-vocational-institute": "004"}


def heading_hash(heading: str) -> str:
    return hashlib.sha256(normalise(heading).encode("utf-8")).hexdigest()[:HEX_DIGITS]


def source_text(sources: Path, case_id: str) -> str:
    [path] = sources.glob(f"{SOURCE_OF[case_id]}_*.txt")
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Section:
    """Where one heading path's text lies in the normalised source."""

    path: str    # normalised heading path
    start: int
    end: int


def sections(outline: list[Heading], text: str) -> tuple[list[Section], list[str]]:
    """Each heading path's section of ``text`` (normalised), and the headings that do not occur in it.

    Headings are found in document order, each after the one before (a deck repeats its part titles); the section
    of a heading ends where the next heading that is not under it begins.
    """
    paths = list(glossed_paths(outline))
    found: list[tuple[tuple[Heading, ...], int]] = []
    missing: list[str] = []
    at = 0
    for path in paths:
        wanted = normalise(path[-1].heading)
        index = text.find(wanted, at)
        if index < 0:
            index = text.find(wanted)
        if index < 0:
            missing.append(path[-1].heading)
            continue
        found.append((path, index))
        at = index + len(wanted)
    result = []
    for n, (path, start) in enumerate(found):
        end = next((other_start for other, other_start in found[n + 1:]
                    if other[:len(path)] != path and other_start > start), len(text))
        result.append(Section(normalised_path(SEPARATOR.join(e.heading for e in path)), start, end))
    return result, missing


def located_figures(case: Case) -> Iterator[tuple[str, Figure, str]]:
    """(where, figure, locator) of every figure with a locator of its own or its measure's."""
    for m, measure in enumerate(case.measures):
        for i, figure in enumerate(measure.figures):
            if figure.source_at or measure.source_at:
                yield f"measures[{m}].figures[{i}]", figure, figure.source_at or measure.source_at
    for where, figures in (("figures", case.figures), ("reporter.figures", case.reporter.figures),
                           *((f"partners[{p}].figures", partner.figures) for p, partner in enumerate(case.partners))):
        for i, figure in enumerate(figures):
            if figure.source_at:
                yield f"{where}[{i}]", figure, figure.source_at


def number_forms(value: int | float) -> list[str]:
    """How a Chinese report may write ``value``: plain, with thousands separators, in 万 or 亿."""
    plain = f"{value:g}" if isinstance(value, float) else str(value)
    forms = {plain, f"{value:,}" if isinstance(value, int) else plain}
    for scale, mark in ((10_000, "万"), (100_000_000, "亿")):
        if abs(value) >= scale:
            forms.add(f"{value / scale:g}{mark}")
    if isinstance(value, int) and 0 < value < len(_HAN_DIGITS):
        forms.update(_HAN_DIGITS[value])  # 四所学校, 两个: small counts in words
    return sorted(forms, key=len, reverse=True)


_HAN_DIGITS = ((), ("一",), ("二", "两"), ("三",), ("四",), ("五",), ("六",), ("七",), ("八",), ("九",), ("十",))
_HAN_NUMERAL = "零一二三四五六七八九十百千万亿两"


def occurs(form: str, text: str) -> bool:
    """Whether the number ``form`` stands in ``text`` as a number of its own (not inside a longer one): digits not
    next to a digit or a digit's decimal point or separator (the comma after a clause, "，4名", is no separator),
    a numeral in words not next to another numeral."""
    if form[0] in _HAN_NUMERAL:
        return re.search(rf"(?<![{_HAN_NUMERAL}]){re.escape(form)}(?![{_HAN_NUMERAL}])", text) is not None
    return re.search(rf"(?<!\d)(?<!\d[.,]){re.escape(form)}(?!\d|[.,]\d)", text) is not None


def figure_problems(case: Case, raw: str) -> tuple[list[str], int]:
    """Located figures whose value the source writes elsewhere but not in their section; and how many figures were
    skipped because the source writes their value in none of the forms tried. A record without an outline has
    nothing to check."""
    if not case.source.outline:
        return [], 0
    text = normalise(raw)
    found, _ = sections(case.source.outline, text)
    by_path = {section.path: section for section in found}
    first = min((section.start for section in found), default=len(text))
    problems, skipped = [], 0
    for where, figure, locator in located_figures(case):
        forms = [form for form in number_forms(figure.value) if occurs(normalise(form), text)]
        if not forms:
            skipped += 1
            continue
        path = heading_path_of(locator) or ""
        section = Section("", 0, first) if not path else by_path.get(normalised_path(path))
        if section is None:
            continue  # its heading is missing from the source: reported as such
        if not any(occurs(normalise(form), text[section.start:section.end]) for form in forms):
            problems.append(f"{where}: {figure.value} is not in the section '{locator}'")
    return problems, skipped


def load_hashes(path: Path = HASHES) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        if line and not line.startswith("#"):
            case_id, digest = line.split()
            found.setdefault(case_id, set()).add(digest)
    return found


def outline_headings(outline: list[Heading]) -> list[str]:
    return [path[-1].heading for path in glossed_paths(outline)]


def found_hashes(cases: list[tuple[str, Case]], sources: Path) -> dict[str, set[str]]:
    """Per record, the hashes of its outline's headings that occur in its source."""
    result: dict[str, set[str]] = {}
    for case_id, case in cases:
        if case.source.outline:
            text = normalise(source_text(sources, case_id))
            result[case_id] = {heading_hash(h) for h in outline_headings(case.source.outline) if normalise(h) in text}
    return result


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python -m tests.source_headings SOURCES_DIR   (e.g. ../shared/sources)", file=sys.stderr)
        return 2
    from generator.validate import validate_files
    from generator.vocabulary import load_vocabulary

    root = Path(__file__).resolve().parent.parent
    valid, problems = validate_files([root / "cases"], load_vocabulary(root / "vocabulary.yaml"))
    if problems:
        print("\n".join(map(str, problems)), file=sys.stderr)
        return 1
    hashes = found_hashes([(item.id, item.case) for item in valid], Path(argv[0]))
    header = ("# Per record, SHA-256 (first 16 hex digits) of each normalised heading of its source.outline found in\n"
              "# its source document. Made by: python -m tests.source_headings ../shared/sources\n")
    HASHES.write_text(header + "".join(f"{case_id} {digest}\n" for case_id in sorted(hashes)
                                       for digest in sorted(hashes[case_id])), encoding="ascii")
    print(f"wrote {sum(map(len, hashes.values()))} heading hashes of {len(hashes)} records to {HASHES}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
