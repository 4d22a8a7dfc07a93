"""Hostile records and hostile files in cases/: each attack gives its exact located message, never a traceback.

The output side of the same attacks (HTML, CSV, feed, BibTeX, JSON) is tested where those files are made.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.cli import main
from generator.load import LoadError, read_file
from generator.validate import validate_files
from tests.conftest import edited, first_line, lakeside, position, write_case

SHOWN = "cases/lakeside-polytechnic.yaml"
TITLE = "  en: Lakeside Polytechnic twins with Shancheng Vocational School"


def at(text: str, needle: str, field: str, message: str, offset: int = 0) -> str:
    line, column = position(text, needle, offset)
    return f"{SHOWN}:{line}:{column}: {field}: {message}"


# Characters no page, feed or front matter can carry; YAML's double-quoted escapes let an editor type them.
@pytest.mark.parametrize(("escape", "described"), [
    ("\\x07", "a control character (U+0007)"),
    ("\\r", "a control character (U+000D)"),
    ("\\x1b[31m", "a control character (U+001B)"),  # a terminal colour sequence
    ("\\x7f", "a control character (U+007F)"),
    ("\\x85", "a control character (U+0085)"),
    ("\\u009f", "a control character (U+009F)"),
    ("\\uFFFE", "a noncharacter (U+FFFE)"),
    ("\\uFDD0", "a noncharacter (U+FDD0)"),
    ("\\U0010FFFF", "a noncharacter (U+10FFFF)"),
])
def test_unpublishable_characters_are_refused_where_they_are(check, escape: str, described: str) -> None:
    text = edited(TITLE, f'  en: "[x](javascript:alert(1)){escape} twins"')
    assert check(text) == [at(text, '"[x]', "title.en", f"text holds {described} at character 25, "
                                                        "which cannot be published")]


def test_every_unpublishable_text_is_reported_in_one_run(check) -> None:
    text = edited(TITLE, '  en: "a\\x00b"')
    text = edited("  name: {zh: 湖畔职业技术学院, en: Lakeside Polytechnic}",
                  '  name: {zh: "湖畔\\x08职业技术学院", en: Lakeside Polytechnic}', text)
    assert check(text) == [
        at(text, '"a\\x00b"', "title.en", "text holds a control character (U+0000) at character 2, "
                                          "which cannot be published"),
        at(text, '"湖畔\\x08', "reporter.name.zh", "text holds a control character (U+0008) at character 3, "
                                                  "which cannot be published"),
    ]


def test_tab_newline_and_ordinary_text_are_published(check) -> None:
    assert check(edited(TITLE, '  en: "Lakeside\\tPolytechnic — twins\\nwith «Shancheng» 山城 🙂"')) == []


def test_an_unpublishable_field_name_is_reported_at_the_key_without_printing_it(check) -> None:
    text = edited("schema: 1\n", 'schema: 1\n"evil\\x1b]0;title\\x07": x\n')
    line, column = position(text, '"evil')
    assert check(text) == [f"{SHOWN}:{line}:{column}: a field name holds a control character (U+001B) at character 5"]


@pytest.mark.parametrize(("date", "message"), [
    ("2026-02-30", "'2026-02-30' is not a day of the calendar"),
    ("2026-11-31", "'2026-11-31' is not a day of the calendar"),
    ("2023-02-29", "'2023-02-29' is not a day of the calendar"),
])
def test_dates_must_be_days_of_the_calendar(check, date: str, message: str) -> None:
    text = edited('added: "2026-11-20"', f'added: "{date}"')
    assert check(text) == [at(text, f'"{date}"', "added", message)]


def test_a_leap_day_is_a_date(check) -> None:
    assert check(edited('added: "2026-11-20"', 'added: "2024-02-29"')) == []


def test_a_number_of_400_digits_is_refused_in_a_table_cell_and_a_figure(check) -> None:
    huge = "9" * 400
    row = "[{zh: 勤工助学, en: Work-study}, "
    text = edited(f"{row}1.2, 0, 1.2]", f"{row}{huge}, 0, 1.2]")
    text = edited("value: 420, unit: person", f"value: -{huge}.5, unit: person", text)
    shown = f"{'9' * 20}…{'9' * 8}"
    assert check(text) == [
        at(text, f"-{huge}.5", "reporter.figures[0].value",
           f"'-{'9' * 19}…{'9' * 6}.5' has more than 15 digits before the point"),
        at(text, f"{huge}, 0", "tables[0].rows[1][1]", f"'{shown}' has more than 15 digits before the point"),
    ]


def test_fifteen_digits_are_a_number(check) -> None:
    assert check(edited("value: 420, unit: person", "value: 999999999999999, unit: person")) == []


def test_a_case_id_longer_than_100_characters_is_refused(check) -> None:
    name = "a" * 249
    line, column = position(lakeside(), "schema: 1")
    assert check(lakeside(), name) == [f"cases/{name}.yaml:{line}:{column}: file name '{name}.yaml' is not a valid "
                                       "case id"]
    assert check(lakeside(), "a" * 100) == []


def test_a_partner_id_longer_than_100_characters_is_refused(check) -> None:
    long_id = "s" * 101
    text = lakeside().replace("shancheng-vocational-school", long_id)
    line, column = position(text, f"id: {long_id}", 4)
    assert f"{SHOWN}:{line}:{column}: partners[0].id: is 101 characters long, over the limit of 100" in check(text)


# Files in cases/ that are not plain files: refused with a message, never followed, read or waited on.

def _problems(workdir: Path, vocabulary) -> list[str]:
    _, problems = validate_files([Path("cases")], vocabulary)
    return [first_line(p) for p in sorted(problems)]


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.symlink_to("/dev/zero"), "is a symbolic link; a case record must be a file of its own"),
    (lambda p: p.symlink_to(p.name), "is a symbolic link; a case record must be a file of its own"),  # a loop
    (lambda p: p.symlink_to("../../etc/passwd"), "is a symbolic link; a case record must be a file of its own"),
    (lambda p: os.mkfifo(p), "is a named pipe (FIFO), not a file"),
    (lambda p: p.mkdir(), "is a directory, not a file"),
])
def test_what_is_not_a_plain_file_is_refused(workdir: Path, vocabulary, make, message: str) -> None:
    write_case(workdir / "cases", "lakeside-polytechnic", lakeside())
    make(workdir / "cases" / "evil.yaml")
    assert _problems(workdir, vocabulary) == [f"cases/evil.yaml:1:1: {message}"]


def test_a_device_is_not_read() -> None:
    with pytest.raises(LoadError) as refused:
        read_file(Path("/dev/zero"))
    assert first_line(refused.value.problem) == "/dev/zero:1:1: is a device, not a file"


def test_a_file_over_the_limit_is_refused_without_reading_it_whole(workdir: Path, vocabulary) -> None:
    path = write_case(workdir / "cases", "big", b"")
    with path.open("wb") as out:
        out.truncate(50 * 1024 * 1024 * 1024)  # a sparse 50 GiB file: reading it whole would exhaust memory
    assert _problems(workdir, vocabulary) == ["cases/big.yaml:1:1: file is 53,687,091,200 bytes, over the limit "
                                              "of 1,048,576"]


def test_cli_reports_hostile_files_without_a_traceback(workdir: Path, capsys: pytest.CaptureFixture) -> None:
    (workdir / "cases").mkdir()
    os.mkfifo(workdir / "cases" / "pipe.yaml")
    (workdir / "cases" / "loop.yaml").symlink_to("loop.yaml")
    with pytest.raises(SystemExit) as exited:
        main(["validate", "--vocabulary", str(Path(__file__).parent.parent / "vocabulary.yaml")])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "cases/pipe.yaml:1:1: is a named pipe (FIFO), not a file" in err
    assert "cases/loop.yaml:1:1: is a symbolic link" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("character", "described"), [
    ("\ufdd0", "a noncharacter (U+FDD0)"),
    ("\U0001fffe", "a noncharacter (U+1FFFE)"),
    ("\U0010ffff", "a noncharacter (U+10FFFF)"),
])
def test_noncharacters_that_yaml_lets_through_unescaped_are_refused(check, character: str, described: str) -> None:
    text = edited(TITLE, f"  en: Lakeside{character} twins")
    assert check(text) == [at(text, "Lakeside" + character, "title.en",
                              f"text holds {described} at character 9, which cannot be published")]


@pytest.mark.parametrize("character", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_bidirectional_controls_are_refused_written_or_escaped(check, character: str) -> None:
    for written in (character, f"\\u{ord(character):04X}"):
        text = edited(TITLE, f'  en: "Lakeside{written} twins"')
        assert check(text) == [at(text, '"Lakeside', "title.en", f"text holds a bidirectional control character "
                                  f"(U+{ord(character):04X}) at character 9, which cannot be published")]
