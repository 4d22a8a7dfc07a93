"""Validation of records: one test per kind of mistake, each asserting file, line, column and message."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from generator.errors import ProblemsFound
from generator.validate import validate_files
from tests.conftest import edited, first_line, lakeside, position, write_case

SHOWN = "cases/lakeside-polytechnic.yaml"
NEXT_YEAR = datetime.date.today().year + 1
UNEXPLAINED = ("about: student-aid", "about: shancheng-vocational-school")  # the table's note now concerns a partner


def at(text: str, needle: str, field: str, message: str, offset: int = 0) -> str:
    line, column = position(text, needle, offset)
    return f"{SHOWN}:{line}:{column}: {field}: {message}"


def test_the_fixture_is_valid(check):
    assert check(lakeside()) == []


# --- case ids -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Lakeside-Polytechnic", "lakeside_polytechnic", "lakeside--polytechnic",
                                  "-lakeside", "湖畔职院", "lakeside polytechnic"])
def test_file_name_must_be_a_valid_case_id(check, name):
    line, column = position(lakeside(), "schema: 1")
    assert check(lakeside(), name) == [
        f"cases/{name}.yaml:{line}:{column}: file name '{name}.yaml' is not a valid case id"]


def test_case_id_must_be_unique(workdir, vocabulary):
    for region in ("east", "west"):
        write_case(workdir / "cases" / region, "lakeside-polytechnic", lakeside())
    valid, problems = validate_files([Path("cases/east"), Path("cases/west")], vocabulary)
    line, column = position(lakeside(), "schema: 1")
    assert [first_line(p) for p in problems] == [
        f"cases/west/lakeside-polytechnic.yaml:{line}:{column}: "
        "case id 'lakeside-polytechnic' is also used by cases/east/lakeside-polytechnic.yaml"]
    assert [case.path for case in valid] == [Path("cases/east/lakeside-polytechnic.yaml")]


def test_a_file_named_twice_is_checked_once(workdir, vocabulary):
    path = write_case(workdir / "cases", "lakeside-polytechnic", lakeside())
    valid, problems = validate_files([Path("cases"), Path("cases") / path.name], vocabulary)
    assert problems == []
    assert [case.id for case in valid] == ["lakeside-polytechnic"]


# --- references inside a record ---------------------------------------------------------

def test_measure_partner_must_exist(check):
    text = edited("    partners: [shancheng-vocational-school]\n    figures:\n      - {indicator: teachers",
                  "    partners: [shancheng-vocational-scool]\n    figures:\n      - {indicator: teachers")
    assert check(text) == [at(text, "shancheng-vocational-scool", "measures[0].partners[0]",
                              "no partner with id 'shancheng-vocational-scool' — "
                              "did you mean 'shancheng-vocational-school'?")]


def test_partner_ids_are_unique(check):
    second = ("  - id: shancheng-vocational-school\n    name: {zh: 云雾县, en: Yunwu County}\n    kind: region\n"
              "    region: {province: CN-HN}\n    relationship: [designated-assistance]\n")
    text = edited("measures:\n", second + "measures:\n")
    line = position(text, "    name: {zh: 云雾县")[0] - 1
    assert check(text) == [f"{SHOWN}:{line}:9: partners[1].id: partner id 'shancheng-vocational-school' is used twice"]


# --- vocabulary ---------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "value", "field", "message"), [
    ("[twinning]", "[twining]", "twining", "partners[0].relationship[0]",
     "unknown value 'twining' — did you mean 'twinning'?"),
    ("theme: student-aid", "theme: studentaid", "studentaid", "measures[1].theme",
     "unknown value 'studentaid' — did you mean 'student-aid'?"),
    ("kind: experience-report", "kind: experience-reports", "experience-reports", "source.kind",
     "unknown value 'experience-reports' — did you mean 'experience-report'?"),
    ("kind: secondary-vocational-school", "kind: secondary-vocational-schools", "secondary-vocational-schools",
     "partners[0].kind", "unknown value 'secondary-vocational-schools' — did you mean 'secondary-vocational-school'?"),
    ("indicator: projects", "indicator: project", "project", "figures[0].indicator",
     "unknown value 'project' — did you mean 'projects'?"),
    ("unit: project,", "unit: projekt,", "projekt", "figures[0].unit",
     "unknown value 'projekt' — did you mean 'project'?"),
    ("      province: CN-HN", "      province: cn-hn", "cn-hn", "partners[0].region.province", "unknown value 'cn-hn'"),
])
def test_vocabulary_ids_must_exist(check, old, new, value, field, message):
    text = edited(old, new)
    assert check(text) == [at(text, new, field, message, new.index(value))]


# --- years and dates ----------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "field", "year"), [
    ("founded: 1958", "founded: 1948", "reporter.founded", 1948),
    ("founded: 1958", f"founded: {NEXT_YEAR + 1}", "reporter.founded", NEXT_YEAR + 1),
    ("    year: 2016", "    year: 1066", "policies[0].year", 1066),
    ('when: "2016"', 'when: "1900"', "measures[1].when", 1900),
    ("{from: 2016, to: 2017}", "{from: 1940, to: 2017}", "source.period.from", 1940),
])
def test_years_lie_between_1949_and_next_year(check, old, new, field, year):
    text = edited(old, new)
    value_starts = new.index(str(year)) - new.count('"') // 2  # a quoted value starts at its quote
    assert check(text) == [at(text, new, field, f"year {year} is outside 1949–{NEXT_YEAR}", value_starts)]


def test_next_year_is_allowed(check):
    assert check(edited("    year: 2016", f"    year: {NEXT_YEAR}")) == []


def test_period_must_not_end_before_it_starts(check):
    text = edited("{from: 2016, to: 2017}", "{from: 2017, to: 2016}")
    assert check(text) == [at(text, "{from: 2017", "source.period", "period starts in 2017 but ends earlier, in 2016")]


@pytest.mark.parametrize("date", ["2017-13", "2017-1", "17-12", "2017/12", "December 2017", "2017-02-30x"])
def test_dates_are_a_year_year_month_or_day(check, date):
    text = edited('issued: "2017-12"', f'issued: "{date}"')
    assert check(text) == [at(text, f'"{date}"', "source.issued", f"'{date}' is not a date")]


def test_unquoted_dates_stay_text_and_validate(check):
    assert check(edited('since: "2016-01"', "since: 2016-01")) == []


# --- figures --------------------------------------------------------------------------------

def test_figure_unit_must_be_the_indicators_unit(workdir, vocabulary):
    text = edited("value: 420, unit: person,", "value: 420, unit: person-times,")
    path = write_case(workdir / "cases", "lakeside-polytechnic", text)
    _, problems = validate_files([Path("cases") / path.name], vocabulary)
    assert [first_line(p) for p in problems] == [at(
        text, "value: 420, unit: person-times,", "reporter.figures[0].unit",
        "unit 'person-times' does not match indicator 'full-time-teachers', which is counted in 'person'", 18)]
    assert problems[0].hint == "write unit: person, or choose another indicator"


@pytest.mark.parametrize("value", ["4 20", "420人", "four hundred", ".nan", "inf", "0x1A", "42%"])
def test_figure_value_must_be_a_plain_number(check, value):
    text = edited("value: 420", f"value: {value}")
    assert check(text) == [at(text, f"{value}, unit: person", "reporter.figures[0].value",
                              f"'{value}' is not a number")]


# --- tables ---------------------------------------------------------------------------------

def test_text_cell_in_number_column(check):
    text = edited("[{zh: 勤工助学, en: Work-study}, 1.2, 0,", "[{zh: 勤工助学, en: Work-study}, {zh: 一, en: one}, 0,")
    assert check(text) == [at(text, "{zh: 一", "tables[0].rows[1][1]",
                              "cell does not match column 'y2016' of type number")]


def test_number_cell_in_text_column(check):
    text = edited("[{zh: 勤工助学, en: Work-study}, 1.2", "[3, 1.2")
    assert check(text) == [at(text, "3, 1.2", "tables[0].rows[1][0]", "cell does not match column 'item' of type text")]


def test_fraction_in_integer_column(check):
    text = edited("y2016, label: {zh: 2016年, en: \"2016\"}, type: number",
                  "y2016, label: {zh: 2016年, en: \"2016\"}, type: integer")
    assert check(text) == [
        at(text, "1.2, 0, 1.2]", "tables[0].rows[1][1]", "cell does not match column 'y2016' of type integer"),
        at(text, "8.2, 8.5, 16.7]", "tables[0].totals[1]", "cell does not match column 'y2016' of type integer"),
    ]


def test_plain_word_cell_is_neither_number_nor_text(check):
    text = edited("1.2, 0, 1.2]", "1.2, zero, 1.2]")
    assert check(text) == [at(text, "zero", "tables[0].rows[1][2]", "'zero' is neither a number nor a text")]


def test_row_must_have_one_cell_per_column(check):
    text = edited("1.2, 0, 1.2]", "1.2, 0]")
    assert check(text) == [at(text, "[{zh: 勤工助学", "tables[0].rows[1]",
                              "row has 3 cells but the table has 4 columns")]


def test_totals_must_equal_the_sum_of_the_rows(check):
    text = edited(*UNEXPLAINED, text=edited("8.2, 8.5, 16.7]", "8.2, 8.4, 16.6]"))
    assert check(text) == [
        at(text, "8.4, 16.6]", "tables[0].totals[2]", "total 8.4 does not equal the sum of the rows (8.5)"),
        at(text, "16.6]", "tables[0].totals[3]", "total 16.6 does not equal the sum of the rows (16.7)"),
    ]


def test_subtotal_column_must_equal_the_sum_of_its_columns(check):
    text = edited(*UNEXPLAINED, text=edited("7, 8.5, 15.5]", "7, 8.5, 16.5]"))
    assert check(text) == [
        at(text, "16.5]", "tables[0].rows[0][3]", "subtotal 16.5 does not equal the sum of y2016, y2017 (15.5)"),
        at(text, "16.7]", "tables[0].totals[3]", "total 16.7 does not equal the sum of the rows (17.7)"),
    ]


def test_an_editor_note_about_the_table_explains_its_totals(check):
    assert "about: student-aid" in lakeside()
    assert check(edited("7, 8.5, 15.5]", "7, 8.5, 16.5]")) == []
    assert check(edited("8.2, 8.5, 16.7]", "8.2, 8.4, 16.6]")) == []


def test_sum_of_must_name_a_column(check):
    text = edited("sum_of: [y2016, y2017]", "sum_of: [y2016, y2018]")
    assert check(text) == [at(text, "[y2016, y2018]", "tables[0].columns[3].sum_of",
                              "no column with id 'y2018' — did you mean 'y2017'?")]


def test_sum_of_cannot_add_up_text(check):
    text = edited(*UNEXPLAINED, text=edited("sum_of: [y2016, y2017]", "sum_of: [item, y2017]"))
    assert check(text) == [at(text, "[item, y2017]", "tables[0].columns[3].sum_of",
                              "column 'item' holds text and cannot be added up")]


# --- English ----------------------------------------------------------------------------------

TITLE_EN = "  en: Lakeside Polytechnic twins with Shancheng Vocational School\n"


@pytest.mark.parametrize("state", ["reviewed", "draft"])
def test_english_is_required_unless_translation_is_pending(check, state):
    text = edited("{en: reviewed}", f"{{en: {state}}}", text=edited(TITLE_EN, ""))
    assert check(text) == [at(text, "  zh: 湖畔职业技术学院结对", "title", "English text is missing", 2)]


def test_english_in_a_table_cell_is_required(check):
    text = edited("{zh: 勤工助学, en: Work-study}", "{zh: 勤工助学}")
    assert check(text) == [at(text, "{zh: 勤工助学}", "tables[0].rows[1][0]", "English text is missing")]


def test_english_may_wait_while_translation_is_pending(check):
    assert check(edited("{en: reviewed}", "{en: pending}", text=edited(TITLE_EN, ""))) == []


def test_translation_state_is_checked(check):
    text = edited("{en: reviewed}", "{en: reveiwed}")
    assert check(text) == [at(text, "reveiwed", "translation.en",
                              "unknown value 'reveiwed' — did you mean 'reviewed'?")]


# --- unknown and missing fields ---------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "field", "suggestion"), [
    ("  city: {zh", "  cty: {zh", "reporter.cty", "city"),
    ("timeline:", "timelines:", "timelines", "timeline"),
    ("    since:", "    sence:", "partners[0].sence", "since"),
])
def test_unknown_field_is_an_error_with_a_suggestion(check, old, new, field, suggestion):
    text = edited(old, new)
    key = field.rsplit(".", 1)[-1]
    assert check(text) == [at(text, f"{key}:", field, f"unknown field '{key}' — did you mean '{suggestion}'?")]


def test_unknown_field_hint_lists_the_allowed_fields(workdir, vocabulary):
    text = edited("    since:", "    sence:")
    path = write_case(workdir / "cases", "lakeside-polytechnic", text)
    _, problems = validate_files([Path("cases") / path.name], vocabulary)
    assert [p.hint for p in problems] == [
        "fields allowed here: id, name, kind, region, relationship, since, honours, figures"]


def test_unknown_field_without_a_close_match(check):
    text = edited("  city: {zh", "  motto: {zh")
    assert check(text) == [at(text, "motto:", "reporter.motto", "unknown field 'motto'")]


def test_misspelt_required_field_is_also_missing(check):
    text = edited("{from: 2016, to: 2017}", "{form: 2016, to: 2017}")
    assert check(text) == [at(text, "{form", "source.period.from", "required field is missing"),
                           at(text, "form:", "source.period.form", "unknown field 'form' — did you mean 'from'?")]


def test_missing_required_field(check):
    text = edited("  kind: experience-report\n", "")
    assert check(text) == [at(text, "title: {zh: 湖畔职业技术学院结对帮扶工作", "source.kind",
                              "required field is missing")]


def test_empty_required_field(check):
    text = edited("  kind: experience-report\n", "  kind:\n")
    assert check(text) == [at(text, "  kind:\n", "source.kind", "required field is empty", 7)]


def test_text_must_be_zh_and_en(check):
    text = edited("  city: {zh: 长沙市, en: Changsha}", "  city: 长沙市")
    assert check(text) == [at(text, "长沙市", "reporter.city", "expected a mapping of fields")]


def test_list_expected(check):
    text = edited("relationship: [twinning]", "relationship: twinning")
    assert check(text) == [at(text, "relationship: twinning", "partners[0].relationship",
                              "expected a list: [a, b] or one '- ' line per item", 14)]


def test_unsupported_record_format(check):
    text = edited("schema: 1", "schema: 2")
    assert check(text) == [at(text, "2\nadded", "schema",
                              "record format 2 is not supported; this casebook reads format 1")]


def test_a_record_must_be_a_mapping(check):
    assert check("- just a list\n") == [f"{SHOWN}:1:1: a case record must be a mapping of fields"]


def test_an_empty_file_is_reported(check):
    assert check("# nothing yet\n") == [f"{SHOWN}:1:1: a case record must be a mapping of fields"]


# --- all problems at once -----------------------------------------------------------------------------

def test_every_problem_is_reported_sorted_by_file_and_line(workdir, vocabulary):
    late = edited("[twinning]", "[twining]", text=edited("founded: 1958", "founded: 1948"))
    early = edited("{en: reviewed}", "{en: pending}", text=edited("  city: {zh", "  cty: {zh"))
    write_case(workdir / "cases", "b-college", late)
    write_case(workdir / "cases", "a-college", early)
    write_case(workdir / "cases", "lakeside-polytechnic", lakeside())
    valid, problems = validate_files([Path("cases")], vocabulary)
    assert [case.id for case in valid] == ["lakeside-polytechnic"]
    b_founded, b_twining, a_city = position(late, "1948"), position(late, "twining"), position(early, "cty")
    assert [first_line(p) for p in ProblemsFound(problems).problems] == [
        f"cases/a-college.yaml:{a_city[0]}:{a_city[1]}: reporter.cty: unknown field 'cty' — did you mean 'city'?",
        f"cases/b-college.yaml:{b_founded[0]}:{b_founded[1]}: reporter.founded: year 1948 is outside 1949–{NEXT_YEAR}",
        f"cases/b-college.yaml:{b_twining[0]}:{b_twining[1]}: partners[0].relationship[0]: "
        "unknown value 'twining' — did you mean 'twinning'?",
    ]


def test_a_broken_file_does_not_hide_problems_in_others(workdir, vocabulary):
    write_case(workdir / "cases", "a-college", "title: [unclosed\n")
    write_case(workdir / "cases", "b-college", edited("founded: 1958", "founded: 1948"))
    _, problems = validate_files([Path("cases")], vocabulary)
    assert [p.path for p in problems] == ["cases/a-college.yaml", "cases/b-college.yaml"]


# --- plans and results, partner profiles ------------------------------------------------------------------

def test_a_figure_of_a_planned_measure_must_be_a_target(check):
    text = edited('    when: "2017-08"\n', '    when: "2017-08"\n    status: planned\n')
    assert check(text) == [at(text, "{indicator: teachers-trained, value: 9", "measures[0].figures[0].target",
                              "a figure of a planned measure must be a target")]
    fixed = text.replace("value: 9, unit: person-times,", "value: 9, target: true, unit: person-times,")
    assert check(fixed) == []


def test_status_is_done_or_planned(check):
    text = edited("  - {when: \"2016-01\", event:", "  - {when: \"2016-01\", status: plan, event:")
    assert check(text) == [at(text, "plan, event", "timeline[0].status",
                              "unknown value 'plan' — did you mean 'planned'?")]


def test_a_partner_figure_unit_is_checked(check):
    text = edited("    relationship: [twinning]\n",
                  "    relationship: [twinning]\n    figures:\n"
                  "      - {indicator: staff-total, value: 80, unit: mu, source_at: 一、基本情况}\n")
    assert check(text) == [at(text, "mu, source_at", "partners[0].figures[0].unit",
                              "unit 'mu' does not match indicator 'staff-total', which is counted in 'person'")]


# --- terminology: one English rendering per term ------------------------------------------------------------

def test_english_using_a_known_variant_of_a_term_the_chinese_has_is_reported(workdir, vocabulary):
    text = edited("en: Twinning agreement signed}", "en: Pairing assistance agreement signed}")
    path = write_case(workdir / "cases", "lakeside-polytechnic", text)
    _, problems = validate_files([Path("cases") / path.name], vocabulary)
    assert [first_line(p) for p in problems] == [at(
        text, "Pairing assistance agreement", "timeline[0].event.en",
        "'Pairing assistance' renders 结对帮扶, which the casebook writes 'twinning'")]
    assert problems[0].hint == "write 'twinning' (vocabulary.yaml, terminology)"


def test_every_variant_in_a_record_is_reported_in_one_run(check):
    text = edited("en: Twinning agreement signed}", "en: Pairing assistance agreement signed}")
    text = edited("title: {zh: 骨干教师跟岗培训, en: Job-shadowing for key teachers}",
                  "title: {zh: 骨干教师跟岗培训（援藏）, en: Job-shadowing for key teachers (Tibet aid)}", text)
    assert [line.split(": ", 2)[1] for line in check(text)] == ["measures[0].title.en", "timeline[0].event.en"]


@pytest.mark.parametrize("zh, en", [
    ("签订结对帮扶协议", "Twinning agreement signed"),                                  # the canonical rendering
    ("签订结对协议", "Pairing assistance agreement signed"),                            # the Chinese lacks the term
    ("对口支援与对口帮扶协议", "Paired support and paired assistance agreement"),        # each term its own rendering
    ("签订结对帮扶协议", "Twinning (not one-to-one-assistance-like) agreement signed"),  # words inside others
])
def test_a_rendering_is_accepted_where_no_term_is_rendered_another_way(check, zh, en):
    assert check(edited("{zh: 签订结对帮扶协议, en: Twinning agreement signed}", f"{{zh: {zh}, en: {en}}}")) == []
