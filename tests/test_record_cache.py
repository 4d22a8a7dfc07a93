"""The record cache of `casebook serve`: after any edit it reports exactly what a full validation would."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

import generator.record_cache
from generator.record_cache import RecordCache
from generator.validate import validate_files
from generator.vocabulary import load_vocabulary
from tests.conftest import VOCABULARY, edited, first_line, lakeside, position, write_case

CASES = Path("cases")


@pytest.fixture
def project(workdir: Path) -> Path:
    """cases/ with two valid records and a copy of the vocabulary, in the working directory."""
    shutil.copy(VOCABULARY, workdir / "vocabulary.yaml")
    for name in ("a-college", "b-college"):
        write_case(workdir / "cases", name, lakeside())
    return workdir


def replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as editors' programs save: a new file renamed over the old one (a new inode)."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def validate(cache: RecordCache) -> tuple[list[str], list[str]]:
    """The ids of the valid cases and the problems (first lines, sorted) the cache reports for cases/."""
    _, valid, problems = cache.validate(CASES, Path("vocabulary.yaml"))
    return [item.id for item in valid], sorted(first_line(p) for p in problems)


def full(project: Path) -> tuple[list[str], list[str]]:
    """The same from a full validation, for comparison."""
    valid, problems = validate_files([CASES], load_vocabulary(Path("vocabulary.yaml")))
    return [item.id for item in valid], sorted(first_line(p) for p in problems)


def test_an_edit_that_introduces_an_error_is_reported_where_it_is_and_its_fix_clears_it(project):
    cache = RecordCache()
    assert validate(cache) == (["a-college", "b-college"], [])
    broken = edited("[twinning]", "[twining]")
    replace(project / "cases" / "b-college.yaml", broken)
    line, column = position(broken, "twining")
    expected = [f"cases/b-college.yaml:{line}:{column}: partners[0].relationship[0]: "
                "unknown value 'twining' — did you mean 'twinning'?"]
    assert validate(cache) == (["a-college"], expected) == full(project)
    replace(project / "cases" / "b-college.yaml", lakeside())
    assert validate(cache) == (["a-college", "b-college"], [])


def test_an_edit_of_the_same_size_right_after_a_check_is_seen(project):
    """Written in place within the file system's timestamp granularity, the stat may not change: the cache
    reads a file changed so recently again instead of trusting its stat."""
    cache = RecordCache()
    validate(cache)
    path = project / "cases" / "a-college.yaml"
    broken = edited("founded: 1958", "founded: 1858")
    path.write_text(broken, encoding="utf-8")
    assert path.stat().st_size == len(lakeside().encode("utf-8"))
    line, column = position(broken, "1858")
    assert validate(cache)[1] == [f"cases/a-college.yaml:{line}:{column}: reporter.founded: "
                                  f"year 1858 is outside 1949–{generator.schema.last_year()}"]


def test_a_deleted_record_disappears_and_a_new_one_appears(project):
    cache = RecordCache()
    validate(cache)
    (project / "cases" / "a-college.yaml").unlink()
    assert validate(cache) == (["b-college"], [])
    write_case(project / "cases", "c-college", lakeside())
    assert validate(cache) == (["b-college", "c-college"], [])


def test_files_that_are_not_records_are_reported_as_a_full_validation_would(project):
    cache = RecordCache()
    validate(cache)
    (project / "cases" / "b-college.yaml").rename(project / "cases" / "b-college.yml")
    write_case(project / "cases", "C_College", lakeside())
    write_case(project / "cases", "d-college", "schema: [1\n")
    valid, problems = validate(cache)
    assert (valid, problems) == full(project)
    assert valid == ["a-college"] and [p.split(":")[0] for p in problems] == [
        "cases/C_College.yaml", "cases/b-college.yml", "cases/d-college.yaml"]


def test_a_vocabulary_change_checks_every_record_again(project):
    cache = RecordCache()
    validate(cache)
    vocabulary = project / "vocabulary.yaml"
    original = vocabulary.read_text(encoding="utf-8")
    term = re.search(r"^  student-aid:\n(?:    .*\n)+", original, re.M).group(0)   # the term and its definition
    assert original.count(term) == 1
    replace(vocabulary, original.replace(term, ""))
    valid, problems = validate(cache)
    line, column = position(lakeside(), "student-aid\n    title: {zh: 资助困难学生")
    assert valid == [] and problems == full(project)[1]
    assert f"cases/a-college.yaml:{line}:{column}: measures[1].theme: unknown value 'student-aid'" in problems
    replace(vocabulary, original)
    assert validate(cache) == (["a-college", "b-college"], [])


def test_only_changed_files_are_read_again(project, monkeypatch):
    cache = RecordCache()
    checked: list[list[Path]] = []
    check_files = generator.record_cache.check_files

    def spy(files, vocabulary):
        checked.append(list(files))
        return check_files(files, vocabulary)

    monkeypatch.setattr(generator.record_cache, "check_files", spy)
    monkeypatch.setattr(generator.record_cache, "RACY_NS", -1)  # trust every stat, however recent
    validate(cache)
    replace(project / "cases" / "b-college.yaml", edited("founded: 1958", "founded: 1959"))
    assert validate(cache) == (["a-college", "b-college"], [])
    assert checked == [[CASES / "a-college.yaml", CASES / "b-college.yaml"], [CASES / "b-college.yaml"]]


def test_vocabulary_problems_raise_and_leave_the_cache_usable(project):
    cache = RecordCache()
    validate(cache)
    vocabulary = project / "vocabulary.yaml"
    original = vocabulary.read_text(encoding="utf-8")
    replace(vocabulary, original + "themes: {}\n")
    with pytest.raises(generator.errors.ProblemsFound):
        validate(cache)
    replace(vocabulary, original)
    assert validate(cache) == (["a-college", "b-college"], [])
