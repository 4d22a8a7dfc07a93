"""Helpers for tests of the real records in cases/ and their source documents."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from generator.schema import Case
from generator.validate import validate_files
from generator.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "sources"


@cache
def real_case(case_id: str) -> Case:
    """The validated record cases/<case_id>.yaml (the test fails with every problem if it is invalid)."""
    valid, problems = validate_files([ROOT / "cases" / f"{case_id}.yaml"], load_vocabulary(ROOT / "vocabulary.yaml"))
    assert not problems, "\n".join(map(str, problems))
    return valid[0].case


@cache
def source_text(name: str) -> str:
    """A source document's text with all whitespace removed (extraction breaks lines mid-sentence)."""
    return "".join((SOURCES / name).read_text(encoding="utf-8").split())


def figures_of(case: Case) -> list:
    """Every figure in a record: headline, reporter's, each partner's and each measure's."""
    return [*case.figures, *case.reporter.figures, *(f for p in case.partners for f in p.figures),
            *(f for m in case.measures for f in m.figures)]
