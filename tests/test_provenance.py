"""Locators against the source's outline, and figures' places in the results chain: one test per rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ProblemsFound
from generator.validate import validate_files
from generator.vocabulary import load_vocabulary
from tests.conftest import ROOT, edited, lakeside, position

SHOWN = "cases/lakeside-polytechnic.yaml"
TEACHER_TRAINING = "    source_at: 二、主要做法 › （一）师资培训\n"
OUTLINE_START = "  outline:\n"


def at(text: str, needle: str, field: str, message: str, offset: int = 0) -> str:
    line, column = position(text, needle, offset)
    return f"{SHOWN}:{line}:{column}: {field}: {message}"


def without_outline(text: str) -> str:
    """The record without its source.outline (the last heading ends the block)."""
    last = "    - heading: 三、下一步工作\n      en: 3. Next steps\n"
    return text[:text.index(OUTLINE_START)] + text[text.index(last) + len(last):]


def text_line_of(needle: str) -> str:
    """The one line of the fixture that holds ``needle``, with its newline."""
    [line] = [line for line in lakeside().splitlines(keepends=True) if needle in line]
    return line


# --- locators -----------------------------------------------------------------------------

def test_a_locator_that_names_no_heading_is_refused_with_the_closest_heading(workdir, vocabulary, check):
    text = edited(TEACHER_TRAINING, "    source_at: 二、主要做法 › （一）教师培训\n")
    assert check(text) == [at(text, "二、主要做法 › （一）教师培训", "measures[0].source_at",
                              "'二、主要做法 › （一）教师培训' is not a heading of source.outline")]
    _, problems = validate_files([Path("cases")], vocabulary)
    assert "the closest heading is '二、主要做法 › （一）师资培训'" in problems[0].hint


def test_a_heading_without_the_headings_above_it_is_no_locator(check):
    text = edited(TEACHER_TRAINING, "    source_at: （一）师资培训\n")
    assert check(text) == [at(text, "source_at: （一）", "measures[0].source_at",
                              "'（一）师资培训' is not a heading of source.outline", len("source_at: "))]


def test_headings_are_compared_without_spaces_marks_or_bracket_width(check):
    assert check(edited(TEACHER_TRAINING, "    source_at: '**二、主要做法**›(一) 师资培训'\n")) == []


def test_untitled_stretches_and_the_text_before_the_first_heading_are_locators(check):
    assert check(edited(TEACHER_TRAINING, "    source_at: untitled slide after 二、主要做法\n")) == []
    text = edited(TEACHER_TRAINING, "    source_at: untitled slide after 四、成效\n")
    assert check(text) == [at(text, "untitled slide after 四、成效", "measures[0].source_at",
                              "'untitled slide after 四、成效' is not a heading of source.outline")]


def test_a_record_with_an_outline_locates_each_measure_figure_and_event(check):
    text = edited(TEACHER_TRAINING, "")
    line, column = position(text, "  - theme: teacher-development", 4)
    assert check(text) == [f"{SHOWN}:{line}:{column}: measures[0].source_at: required once source.outline is "
                           "given: where in the source this comes from"]
    text = edited(", source_at: before the first heading}", "}")
    assert [problem.split(": ")[1] for problem in check(text)] == ["timeline[0].source_at"]


def test_a_figure_inside_a_measure_inherits_its_measures_locator(check):
    assert "source_at" not in lakeside().split("- {indicator: teachers-trained")[1].split("\n")[0]
    assert check(lakeside()) == []


def test_a_record_without_an_outline_needs_no_locators(check):
    text = without_outline(lakeside())
    assert "outline" not in text
    text = text.replace(", source_at: 一、基本情况}", "}").replace(", source_at: before the first heading}", "}")
    text = "\n".join(line for line in text.split("\n") if "source_at" not in line)
    assert "source_at" not in text
    assert check(text) == []


# --- the results chain --------------------------------------------------------------------

def test_overriding_an_indicators_chain_needs_a_reason(check):
    text = edited("chain: output,\n" + text_line_of("chain_note:"), "chain: output}\n")
    assert check(text) == [at(text, "output}", "measures[1].figures[0].chain",
                              "chain output differs from indicator 'student-aid-funding', which is input, "
                              "without a chain_note")]


def test_a_reason_without_an_override_is_refused(check):
    text = edited("chain: output,", "chain: input,")
    assert check(text) == [at(text, "{zh: 资助金", "measures[1].figures[0].chain_note",
                              "chain_note explains no override: the figure is input, its default")]


def test_reporter_and_partner_figures_are_context(check):
    assert check(edited("span: as-of, source_at", "span: as-of, chain: context, source_at")) == []
    text = edited("span: as-of, source_at", "span: as-of, chain: input, source_at")
    assert check(text) == [at(text, "input, source_at", "reporter.figures[0].chain",
                              "a figure of the reporter is context, not input")]


def test_a_span_is_a_known_word_or_an_ordered_period(check):
    text = edited('span: {from: "2016", to: "2017"}', 'span: {from: "2017", to: "2016-05"}')
    assert check(text) == [at(text, '{from: "2017"', "figures[0].span",
                              "span starts on 2017 but ends earlier, on 2016-05")]
    assert check(edited('span: {from: "2016", to: "2017"}', 'span: {from: "2016-03", to: "2016"}')) == []
    text = edited("unit: person-times, span: year}", "unit: person-times, span: yearly}")
    assert check(text) == [at(text, "yearly}", "measures[0].figures[0].span",
                              "unknown value 'yearly' — did you mean 'year'?")]


def test_outline_text_is_exempt_from_the_typography_checks(check):
    text = edited("    - heading: 一、基本情况\n      en: 1. Background\n",
                  "    - heading: '### 一、 基本情况 (2016)'\n      en: 1. Background\n")
    text = text.replace("source_at: 一、基本情况}", "source_at: 一、基本情况（2016）}")
    assert check(text) == []


# --- the vocabulary ---------------------------------------------------------------------------

def vocabulary_problems(tmp_path: Path, old: str, new: str) -> list[str]:
    text = (ROOT / "vocabulary.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "vocabulary.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ProblemsFound) as raised:
        load_vocabulary(path)
    return [str(problem).split("\n")[0].split(": ", 1)[1] for problem in raised.value.problems]


def test_every_indicator_says_where_it_sits_in_the_results_chain(tmp_path):
    assert vocabulary_problems(tmp_path, "unit: cny-10k, chain: input, summable: true}\n  student-aid-funding",
                               "unit: cny-10k, summable: true}\n  student-aid-funding") == [
        "indicators.funding.chain: Field required"]
    assert vocabulary_problems(tmp_path, "unit: cny-10k, chain: input, summable: true}\n  student-aid-funding",
                               "unit: cny-10k, chain: result, summable: true}\n  student-aid-funding") == [
        "indicators.funding.chain: Input should be 'outcome', 'output' or 'input'"]


def test_a_concept_names_another_units_count_of_the_same_thing(tmp_path):
    assert vocabulary_problems(tmp_path, "concept: teachers-trained}", "concept: teachers-traind}") == [
        "indicators.teachers-trained-people.concept: unknown indicator 'teachers-traind'"]
    assert vocabulary_problems(tmp_path, "concept: teachers-trained}", "concept: staff-sent-people}") == [
        "indicators.teachers-trained-people.concept: 'staff-sent-people' is not another unit's count of the same "
        "thing"]
