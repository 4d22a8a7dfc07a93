"""Chinese typography and record words in the Chinese texts of a record, and the source's web addresses:
what `casebook validate` reports, where, and what a folded text becomes on the page."""

from __future__ import annotations

import pytest

from generator import typography
from generator.render import Helpers, ui_strings
from generator.schema import Text
from generator.typography import join_folded
from tests.conftest import edited, position

SHOWN = "cases/lakeside-polytechnic.yaml"
SUMMARY = "湖畔职业技术学院自2016年起与山城职业中专结对，"
NOTE = "来源中的表格缺少单位说明。"


def at(text: str, needle: str, field: str, message: str, offset: int = 0) -> str:
    line, column = position(text, needle, offset)
    return f"{SHOWN}:{line}:{column}: {field}: {message}"


def test_a_space_typed_in_chinese_text_is_reported_where_it_is(check):
    text = edited(SUMMARY, "湖畔职业技术学院 自2016年起与山城职业中专结对， ")
    assert check(text) == [
        at(text, " 自2016", "summary.zh", "stray space in Chinese text: '技术学院 自201'"),
        at(text, " 围绕", "summary.zh", "stray space in Chinese text: '专结对， 围绕师资'"),
    ]


def test_half_width_brackets_in_chinese_text_are_reported(check):
    text = edited(NOTE, "来源中的表格(2017)缺少单位说明。")
    assert check(text) == [
        at(text, "(2017", "editor_notes[0].note.zh", "half-width bracket in Chinese text: '中的表格(2017'"),
        at(text, ")缺少", "editor_notes[0].note.zh", "half-width bracket in Chinese text: '2017)缺少单位'"),
    ]


@pytest.mark.parametrize("word", ["at-least", "person-times"])
def test_record_words_in_chinese_text_are_reported(check, word):
    text = edited(NOTE, f"来源中的表格缺少单位说明，记为下限（{word}）。")
    message = f"record-format word in Chinese text: '{word}'"
    assert check(text) == [at(text, f"（{word}", "editor_notes[0].note.zh", message, 1)]


def test_the_problem_carries_a_hint(workdir, vocabulary):
    from pathlib import Path

    from generator.validate import validate_files
    from tests.conftest import write_case
    write_case(workdir / "cases", "lakeside-polytechnic", edited(NOTE, "来源中的表格(2017)缺少单位说明。"))
    _, problems = validate_files([Path("cases/lakeside-polytechnic.yaml")], vocabulary)
    assert problems and all("full-width brackets （ ）" in str(p) for p in problems)


def test_a_folded_line_break_is_no_problem_and_the_page_joins_it(check, vocabulary):
    text = edited(f"  zh: {SUMMARY}", f"  zh: >-\n    {SUMMARY}\n    围绕")
    text = text.replace("    围绕围绕", "    围绕")
    assert check(text) == []
    helpers = Helpers(vocabulary, "zh", ui_strings("zh"))
    folded = Text(zh="第一句。 第二句 接着\n写 English 词")
    assert str(helpers.tx(folded)) == "第一句。第二句接着写 English 词"


def test_an_ideographic_space_is_kept():
    assert join_folded("教育部\u3000财政部") == "教育部\u3000财政部"


URL = 'url: "https://lakeside.example.org/reports/twinning-2017.html"'


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,<b>x</b>", "/reports/x.html",
                                     "reports/x.html", "lakeside.example.org/x", "ftp://lakeside.example.org/x",
                                     "https://", "https://lakeside.example.org/a b", "JaVaScRiPt:alert(1)",
                                     "https://lakeside.example.org@evil.example/x", "https://u:p@evil.example/x",
                                     "https://evil.example\\\\@lakeside.example.org/", "HTTPS://LAKESIDE.EXAMPLE.ORG/"])
@pytest.mark.parametrize("field", ["url", "archived_url"])
def test_source_addresses_must_be_absolute_http(check, field, address):
    key = URL if field == "url" else 'archived_url: "https://web.archive.org/web/2018/'
    text = edited(key, f'{field}: "{address}"' + ("" if field == "url" else "\n  x_: \""))
    if field == "archived_url":   # the old value's tail is left as an unknown field's value: drop it
        text = text.replace('\n  x_: "https://lakeside.example.org/reports/twinning-2017.html"', "")
    problems = check(text)
    assert len(problems) == 1 and problems[0].startswith(f"{SHOWN}:") and f"source.{field}" in problems[0], problems
    assert "address" in problems[0] or "user" in problems[0], problems


def test_sources_may_have_no_address(check):
    from tests.conftest import lakeside
    text = "\n".join(line for line in lakeside().splitlines() if not line.startswith(("  url:", "  archived_url:")))
    assert check(text) == []


NUMBER_MESSAGE = "number not grouped: '{}'"


def test_an_ungrouped_number_in_prose_is_reported_in_either_language(check):
    text = edited(SUMMARY, "湖畔职业技术学院自2016年起与山城职业中专结对，累计培训10115人次，")
    text = edited("training teachers,", "training teachers 10115 times,", text)
    assert check(text) == [
        at(text, "10115人次", "summary.zh", NUMBER_MESSAGE.format("10115")),
        at(text, "10115 times", "summary.en", NUMBER_MESSAGE.format("10115")),
    ]


@pytest.mark.parametrize("written", [
    "累计培训10,115人次",      # grouped in threes
    "累计培训1.5万人次",       # in 万
    "累计培训4224人次",        # four digits stay ungrouped
    "按湘教通〔2016〕13245号文件",  # a document number
    "依第12345号通知",          # a document number
    "来源写“累计培训10115人次”",  # a quotation keeps the source's writing
    "联系电话13812345678",     # a phone number
    "来源标号为2016-10115",    # a code written with a hyphen
    "占比为3.141592",          # the digits after a decimal point
])
def test_numbers_that_are_no_ungrouped_amount_are_no_problem(check, written):
    text = edited(SUMMARY, f"湖畔职业技术学院自2016年起与山城职业中专结对，{written}，")
    assert check(text) == []


def test_the_number_problem_says_how_to_write_it(workdir, vocabulary):
    from pathlib import Path

    from generator.validate import validate_files
    from tests.conftest import write_case
    write_case(workdir / "cases", "lakeside-polytechnic", edited(NOTE, "来源中的表格缺少单位说明，共28000人。"))
    _, problems = validate_files([Path("cases/lakeside-polytechnic.yaml")], vocabulary)
    assert [p.hint for p in problems] == [typography.NUMBER_HINT]
    assert "10,115" in typography.NUMBER_HINT and "万" in typography.NUMBER_HINT
