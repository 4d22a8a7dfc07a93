"""Totals across cases or years only where adding means something: one unit, no running total, nothing undated,
no two figures of one case over overlapping periods; otherwise the compare page says why there is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.compare import compare_rows, totals, why_no_total
from generator.generate import generate
from generator.project import Project
from generator.validate import validate_files
from tests.conftest import edited, write_case
from tests.site_helpers import make_project

TRAINED = "      - {indicator: teachers-trained, value: 9, unit: person-times, span: year}\n"


def with_figures(*figures: str) -> str:
    """The fixture record with its teacher-training measure holding ``figures`` (flow mappings, one a line)."""
    return edited(TRAINED, "".join(f"      - {{indicator: teachers-trained, unit: person-times, {f}}}\n"
                                   for f in figures))


def row_of(tmp_path: Path, vocabulary, *records: str):
    paths = [write_case(tmp_path / "cases", f"case-{n}", text) for n, text in enumerate(records)]
    cases, problems = validate_files(paths, vocabulary)
    assert problems == []
    return next(r for r in compare_rows(cases, vocabulary) if r.indicator == "teachers-trained")


@pytest.mark.parametrize(("figures", "why"), [
    (['value: 10115, span: cumulative, when: "2021-06"', 'value: 1000, span: half-year, when: "2021-06"'],
     "cumulative"),
    (["value: 9"], "undated"),
    (['value: 9, span: year, when: "2017"', 'value: 4, span: {from: "2017-03", to: "2018-02"}'], "overlapping"),
    (['value: 9, span: half-year, when: "2017-03"', 'value: 4, span: half-year, when: "2017-05"'], "overlapping"),
    (['value: 9, span: as-of, when: "2016"', 'value: 4, span: as-of, when: "2017"'], "overlapping"),  # one stock
    (['value: 9, span: as-of, when: "2018"', 'value: 4, span: year, when: "2017"'], "overlapping"),
])
def test_no_total_where_adding_would_count_twice_or_blindly(tmp_path, vocabulary, figures, why):
    row = row_of(tmp_path, vocabulary, with_figures(*figures))
    assert why_no_total(row) == why
    assert totals([row]) == []


def test_figures_of_separate_periods_or_cases_are_added(tmp_path, vocabulary):
    row = row_of(tmp_path, vocabulary,
                 with_figures('value: 9, span: half-year, when: "2017-03"',
                              'value: 4, span: half-year, when: "2017-09"',
                              'value: 5, span: {from: "2018-01", to: "2018-12-31"}'),
                 with_figures('value: 7, span: year, when: "2017"'))
    assert why_no_total(row) is None
    [total] = totals([row])
    assert (total.value, total.cases, total.figures) == (9 + 4 + 5 + 7, 2, 4)


def test_a_target_neither_adds_to_a_total_nor_stops_one(tmp_path, vocabulary):
    row = row_of(tmp_path, vocabulary, with_figures('value: 9, span: year, when: "2017"', "value: 500, target: true"))
    assert [t.value for t in totals([row])] == [9]


# --- what the pages say -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    """The generated compare pages of a casebook whose teachers are counted cumulatively, in people too."""
    directory = tmp_path_factory.mktemp("totals")
    text = with_figures('value: 10115, span: cumulative, when: "2021-06"',
                        'value: 1000, span: half-year, when: "2021-06"')
    text = text.replace('value: 1000, span: half-year, when: "2021-06"}\n',
                        'value: 1000, span: half-year, when: "2021-06"}\n'
                        "      - {indicator: teachers-trained-people, value: 9, unit: person, span: year}\n")
    cases = directory / "records"
    write_case(cases, "lakeside-polytechnic", text)
    project = Project.at(make_project(directory / "project", cases))
    generate(project)
    return {f"{lang}/{page}": (project.docs_dir(lang) / page / "index.md").read_text(encoding="utf-8")
            for lang in ("zh", "en") for page in ("compare", "compare/teachers-trained",
                                                  "compare/teachers-trained-people")}


@pytest.mark.parametrize(("lang", "sentence"), [
    ("en", "Not added up: at least one figure is a running total (cumulative), which already holds earlier figures."),
    ("zh", "不作合计：至少有一个数字是累计数，已包含此前的数字。"),
])
def test_the_compare_pages_say_why_there_is_no_total(pages, lang, sentence):
    assert sentence in pages[f"{lang}/compare/teachers-trained"]
    assert sentence in pages[f"{lang}/compare"]
    assert "11,115" not in pages[f"{lang}/compare"] and "11115" not in pages[f"{lang}/compare"]


@pytest.mark.parametrize(("lang", "heading", "units"), [
    ("en", '<th scope="rowgroup" colspan="4">Teachers trained <span class="cb-meta">',
     "Not added together: person-times, people are counted apart."),
    ("zh", '<th scope="rowgroup" colspan="4">培训教师<span class="cb-meta">', "不相加：人次、人分别统计。"),
])
def test_one_concept_in_two_units_shares_a_heading_and_is_never_added_across_units(pages, lang, heading, units):
    compare = pages[f"{lang}/compare"]
    assert heading + units in compare
    assert units in pages[f"{lang}/compare/teachers-trained-people"]
    assert '<a href="../teachers-trained/">' in pages[f"{lang}/compare/teachers-trained-people"]
