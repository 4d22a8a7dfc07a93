"""Each outline heading occurs in its source, and each located figure's value inside the section it names.

The real records' half runs on the committed hashes (tests/data/source_headings.txt) without the sources, and
on the sources themselves where they lie beside the repository (../shared/sources). A record without an outline
passes: there is nothing to check yet. The machinery is tried on the fixture record and a source made up for it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from generator.load import load_file
from generator.locators import normalise
from generator.schema import Case
from generator.validate import validate_files
from generator.vocabulary import load_vocabulary
from tests.conftest import LAKESIDE, edited
from tests.source_headings import (
    SOURCE_OF,
    figure_problems,
    found_hashes,
    heading_hash,
    load_hashes,
    outline_headings,
    sections,
    source_text,
)

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(os.environ.get("CASEBOOK_SOURCES", ROOT.parent / "shared" / "sources"))
needs_sources = pytest.mark.skipif(not SOURCES.is_dir(), reason="the source documents are not beside the repo")

LAKESIDE_SOURCE = """## 湖畔职业技术学院结对帮扶工作经验交流材料

学院2016年起与山城职业中专结对。

### 一、基本情况

学院有专任教师420人，2016—2017年共实施帮扶项目15个。

### 二、主要做法

#### (一) 师资培训

山城职业中专骨干教师9人次到学院跟岗。

#### **（二）学生资助**

资助困难学生12.5万元。

### 三、下一步工作

扩大培训规模。
"""


@pytest.fixture(scope="module")
def real_cases():
    valid, problems = validate_files([ROOT / "cases"], load_vocabulary(ROOT / "vocabulary.yaml"))
    assert not problems, "\n".join(map(str, problems))
    return [(item.id, item.case) for item in valid]


def lakeside_case(vocabulary, text: str | None = None):

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "lakeside-polytechnic.yaml"
        path.write_text(text or LAKESIDE.read_text(encoding="utf-8"), encoding="utf-8")
        return Case.model_validate(load_file(path).data, context={"vocabulary": vocabulary})


# --- the machinery ----------------------------------------------------------------------------

def test_headings_are_found_whatever_their_marks_spaces_and_bracket_width(vocabulary):
    case = lakeside_case(vocabulary)
    found, missing = sections(case.source.outline, normalise(LAKESIDE_SOURCE))
    assert missing == []
    assert len(found) == len(outline_headings(case.source.outline)) == 5


def test_a_heading_not_in_the_source_is_missing(vocabulary):
    case = lakeside_case(vocabulary)
    _, missing = sections(case.source.outline, normalise(LAKESIDE_SOURCE.replace("（二）学生资助", "（二）助学")))
    assert missing == ["（二）学生资助"]


def test_each_located_figure_is_in_its_section(vocabulary):
    assert figure_problems(lakeside_case(vocabulary), LAKESIDE_SOURCE) == ([], 0)


def test_a_figure_outside_its_section_is_reported(vocabulary):
    moved = LAKESIDE_SOURCE.replace("山城职业中专骨干教师9人次到学院跟岗。", "").replace(
        "扩大培训规模。", "已培训骨干教师9人次，扩大培训规模。")
    assert figure_problems(lakeside_case(vocabulary), moved) == (
        ["measures[0].figures[0]: 9 is not in the section '二、主要做法 › （一）师资培训'"], 0)


def test_a_value_the_source_writes_in_other_forms_is_skipped_and_counted(vocabulary):
    in_words = LAKESIDE_SOURCE.replace("12.5万元", "十二万五千元")
    assert figure_problems(lakeside_case(vocabulary), in_words) == ([], 1)


def test_numbers_are_matched_whole_and_in_the_forms_reports_use(vocabulary):
    text = edited("value: 12.5, unit: cny-10k", "value: 10115, unit: cny-10k")
    case = lakeside_case(vocabulary, text)
    for written in ("10115", "10,115", "1.0115万"):
        assert figure_problems(case, LAKESIDE_SOURCE.replace("12.5万元", written + "元")) == ([], 0), written
    assert figure_problems(case, LAKESIDE_SOURCE.replace("12.5万元", "210115元"))[1] == 1  # not inside a longer one


def test_a_record_without_an_outline_has_nothing_to_check(vocabulary):
    text = LAKESIDE.read_text(encoding="utf-8")
    start, end = text.index("  outline:\n"), text.index("partners:\n")
    case = lakeside_case(vocabulary, text[:start] + text[end:])
    assert sections(case.source.outline, normalise(LAKESIDE_SOURCE)) == ([], [])
    assert figure_problems(case, "") == ([], 0)   # no section, no figure located (locators name nothing)


# --- the real records -------------------------------------------------------------------------

def test_every_record_with_an_outline_names_its_source_document(real_cases):
    outlined = {case_id for case_id, case in real_cases if case.source.outline}
    assert outlined <= set(SOURCE_OF), "add the record's source document to tests/source_headings.py SOURCE_OF"


def test_every_outline_heading_was_found_in_its_source(real_cases):
    """Without the sources: the committed hashes of the headings found (regenerated with the sources present)."""
    committed = load_hashes()
    unknown = [f"{case_id}: {heading}" for case_id, case in real_cases
               for heading in outline_headings(case.source.outline)
               if heading_hash(heading) not in committed.get(case_id, set())]
    assert unknown == [], ("headings not found in the source when tests/data/source_headings.txt was made "
                           "(`python -m tests.source_headings ../shared/sources`):\n" + "\n".join(unknown))


@needs_sources
def test_each_outline_heading_occurs_in_its_source(real_cases):
    from generator.locators import normalise
    from tests.source_headings import source_text
    missing = [f"{case_id}: {heading}" for case_id, case in real_cases if case.source.outline
               for heading in sections(case.source.outline, normalise(source_text(SOURCES, case_id)))[1]]
    assert missing == []


@needs_sources
def test_the_committed_heading_hashes_are_those_of_the_sources(real_cases):
    assert load_hashes() == found_hashes(real_cases, SOURCES), (
        "tests/data/source_headings.txt is stale: run `.venv/bin/python -m tests.source_headings ../shared/sources`")


@needs_sources
def test_each_located_figure_of_a_real_record_is_in_its_section(real_cases):
    problems = [f"{case_id}: {problem}" for case_id, case in real_cases if case.source.outline
                for problem in figure_problems(case, source_text(SOURCES, case_id))[0]]
    assert problems == []
