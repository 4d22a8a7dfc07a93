"""What `casebook validate` says for each type of schema error: one record per row of validate._BY_TYPE, each
checked for its location, message and hint, and for producing that type of error."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from generator.load import load_text
from generator.schema import Case
from generator.validate import _BY_TYPE, validate_files
from tests.conftest import edited, first_line, position, write_case

SHOWN = "cases/lakeside-polytechnic.yaml"
LONG_ID = "a" * 101
DATE_HINT = 'write a year, year-month or date in quotes: "2016", "2016-01" or "2016-01-15"'
RELATIONSHIP = "Relationship type(s) with the reporter. 帮扶关系类型。"
FOUNDED = "Year founded. 建校（成立）年份。"
PAGES = "Pages the case draws on, e.g. 12-18. 页码。"
ADDRESS = '"https://lakeside.example.org/reports/twinning-2017.html"'

# (error type, old text, new text, where the problem is, offset, field, message, hint)
ROWS = [
    ("extra_forbidden", "  city: {zh", "  motto: {zh", "motto:", 0, "reporter.motto", "unknown field 'motto'",
     "fields allowed here: name, kind, province, city, founded, honours, figures"),
    ("missing", "  kind: experience-report\n", "", "title: {zh: 湖畔职业技术学院结对帮扶工作", 0, "source.kind",
     "required field is missing", "Kind of document. 文献类型。"),
    ("int_parsing", "  founded: 1958", "  founded: 1958年", "1958年", 0, "reporter.founded",
     "'1958年' is not a whole number", FOUNDED),
    ("int_type", "  founded: 1958", "  founded: [1958]", "[1958]", 0, "reporter.founded",
     "a list is not a whole number", FOUNDED),
    ("string_pattern_mismatch", '  issued: "2017-12"', '  issued: "2017-13"', '"2017-13"', 0, "source.issued",
     "'2017-13' is not a date", DATE_HINT),
    ("string_pattern_mismatch", f"  url: {ADDRESS}", '  url: "ftp://lakeside.example.org/r.pdf"', '"ftp:', 0,
     "source.url", "'ftp://lakeside.example.org/r.pdf' is not an absolute http(s) address",
     "write the whole address in lower-case scheme, e.g. https://www.example.edu.cn/report.pdf"),
    ("string_pattern_mismatch", "  - id: shancheng-vocational-school", "  - id: Shancheng", "Shancheng\n", 0,
     "partners[0].id", "'Shancheng' is not a valid id", "use lower-case ascii letters, digits and hyphens"),
    ("literal_error", "translation: {en: reviewed}", "translation: {en: revieved}", "revieved", 0, "translation.en",
     "unknown value 'revieved' — did you mean 'reviewed'?", "expected 'pending', 'draft' or 'reviewed'"),
    ("model_type", "  city: {zh: 长沙市, en: Changsha}", "  city: 长沙市", "长沙市", 0, "reporter.city",
     "expected a mapping of fields", "City. 所在城市。"),
    ("list_type", "relationship: [twinning]", "relationship: twinning", "relationship: twinning", 14,
     "partners[0].relationship", "expected a list: [a, b] or one '- ' line per item", RELATIONSHIP),
    ("string_type", '  pages: "3-9"', "  pages: [3, 9]", "[3, 9]", 0, "source.pages", "expected text, not a list",
     PAGES),
    ("too_short", "relationship: [twinning]", "relationship: []", "[]", 0, "partners[0].relationship",
     "must not be empty", RELATIONSHIP),
    ("string_too_short", '  pages: "3-9"', '  pages: ""', '""', 0, "source.pages", "must not be empty", PAGES),
    ("string_too_long", "  - id: shancheng-vocational-school", f"  - id: {LONG_ID}", LONG_ID, 0, "partners[0].id",
     "is 101 characters long, over the limit of 100", "use a shorter id"),
    ("number_range", "value: 420,", "value: 12345678901234567,", "12345678901234567", 0, "reporter.figures[0].value",
     "'12345678901234567' has more than 15 digits before the point", "check the number for a typing mistake"),
    ("calendar", '  issued: "2017-12"', '  issued: "2017-02-29"', '"2017-02-29"', 0, "source.issued",
     "'2017-02-29' is not a day of the calendar",
     'check the day and the month, e.g. "2016-02-29" but not "2017-02-29"'),
]


@pytest.mark.parametrize(("kind", "old", "new", "needle", "offset", "field", "message", "hint"), ROWS,
                         ids=[f"{row[0]}-{i}" for i, row in enumerate(ROWS)])
def test_each_type_of_schema_error_is_said_at_its_field_with_a_hint(workdir, vocabulary, kind, old, new, needle,
                                                                     offset, field, message, hint):
    text = edited(old, new)
    errors = _schema_errors(text, vocabulary)
    assert kind in errors, f"the record gives {errors}, not {kind}"
    path = write_case(workdir / "cases", "lakeside-polytechnic", text)
    _, problems = validate_files([Path("cases") / path.name], vocabulary)
    line, column = position(text, needle, offset)
    assert [(first_line(p), p.hint) for p in problems] == [(f"{SHOWN}:{line}:{column}: {field}: {message}", hint)]


def test_every_row_of_the_table_has_a_record_that_produces_it():
    assert {row[0] for row in ROWS} == set(_BY_TYPE)


def _schema_errors(text: str, vocabulary) -> set[str]:
    """The types of the errors pydantic finds in ``text``."""
    try:
        Case.model_validate(load_text(Path("x.yaml"), text).data, context={"vocabulary": vocabulary})
    except ValidationError as exc:
        return {error["type"] for error in exc.errors()}
    return set()
