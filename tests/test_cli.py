"""The casebook command line, run as an editor would: exit status and output checked together."""

from __future__ import annotations

import datetime
import json
import re
import socket

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.schema import Case
from tests.conftest import VOCABULARY, edited, lakeside, position, write_case

VOCAB = ["--vocabulary", str(VOCABULARY)]
NEXT_YEAR = datetime.date.today().year + 1


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def located_lines(output: str) -> list[str]:
    """The problem lines of an output, without hints and the closing count."""
    return [line for line in output.splitlines() if not line.startswith("    hint: ") and not line.endswith(" found")]


# --- validate ---------------------------------------------------------------------------------

def test_validate_good_records_prints_a_one_line_summary(workdir):
    write_case(workdir / "cases", "lakeside-polytechnic", lakeside())
    result = run("validate", *VOCAB)
    assert result.exit_code == 0, result.output
    assert result.output == "1 case valid\n"


def test_validate_counts_several_cases(workdir):
    write_case(workdir / "cases", "lakeside-polytechnic", lakeside())
    write_case(workdir / "cases", "lakeside-polytechnic-east", lakeside())
    result = run("validate", "cases", *VOCAB)
    assert result.exit_code == 0, result.output
    assert result.output == "2 cases valid\n"


def test_validate_a_directory_of_broken_records_prints_every_problem(workdir):
    twining = edited("[twinning]", "[twining]", text=edited("founded: 1958", "founded: 1948"))
    aliased = edited("city: {zh: 长沙市", "city: &city {zh: 长沙市")
    no_english = edited("  en: Lakeside Polytechnic twins with Shancheng Vocational School\n", "")
    write_case(workdir / "cases", "c-college", twining)
    write_case(workdir / "cases", "a-college", aliased)
    write_case(workdir / "cases", "b-college", no_english)
    write_case(workdir / "cases", "d-college", lakeside())
    result = run("validate", "cases", *VOCAB)
    assert result.exit_code == 1, result.output
    (c15, c15col), (c33, c33col) = position(twining, "1948"), position(twining, "twining")
    alias, title = position(aliased, "&city"), position(no_english, "  zh: 湖畔职业技术学院结对", 2)
    assert located_lines(result.output) == [
        f"cases/a-college.yaml:{alias[0]}:{alias[1]}: reporter.city: anchors (&city) are not allowed",
        f"cases/b-college.yaml:{title[0]}:{title[1]}: title: English text is missing",
        f"cases/c-college.yaml:{c15}:{c15col}: reporter.founded: year 1948 is outside 1949–{NEXT_YEAR}",
        f"cases/c-college.yaml:{c33}:{c33col}: partners[0].relationship[0]: "
        "unknown value 'twining' — did you mean 'twinning'?",
    ]
    assert "    hint: add 'en:', or set translation.en: pending until it is written" in result.output
    assert result.output.endswith("4 problems found\n")
    assert "Traceback" not in result.output


def test_validate_one_file_by_path(workdir):
    path = write_case(workdir / "cases", "lakeside-polytechnic", edited("schema: 1", "schema: 2"))
    result = run("validate", "cases/lakeside-polytechnic.yaml", *VOCAB)
    line, column = position(path.read_text(encoding="utf-8"), "2\nadded")
    assert result.exit_code == 1, result.output
    assert result.output == (f"cases/lakeside-polytechnic.yaml:{line}:{column}: schema: "
                             "record format 2 is not supported; this casebook reads format 1\n1 problem found\n")


def test_validate_a_missing_path_is_a_usage_error(workdir):
    result = run("validate", "cases/nowhere.yaml", *VOCAB)
    assert result.exit_code == 2, result.output
    assert result.output == "error: no such file or directory: cases/nowhere.yaml\n"


def test_validate_an_unknown_option_is_a_usage_error(workdir):
    result = run("validate", "--strictest", *VOCAB)
    assert result.exit_code == 2, result.output
    assert result.output.endswith("Error: No such option '--strictest'.\n")


def test_validate_reports_a_broken_vocabulary_with_its_location(workdir):
    needle = "teachers-trained: {zh: 培训教师, en: Teachers trained, unit: person-times"
    text = VOCABULARY.read_text(encoding="utf-8")
    (workdir / "vocabulary.yaml").write_text(edited(needle, needle + "s", text=text), encoding="utf-8")
    write_case(workdir / "cases", "lakeside-polytechnic", lakeside())
    result = run("validate")
    line, column = position(text, needle, needle.index("person-times"))
    assert result.exit_code == 1, result.output
    assert located_lines(result.output) == [
        f"vocabulary.yaml:{line}:{column}: indicators.teachers-trained.unit: unknown unit 'person-timess'"]


def test_validate_never_shows_a_traceback_for_unsafe_yaml(workdir):
    write_case(workdir / "cases", "lakeside-polytechnic",
               edited("  founded: 1958", "  founded: !!python/object/apply:os.system [echo]"))
    result = run("validate", *VOCAB)
    assert result.exit_code == 1, result.output
    assert "reporter.founded: tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed" in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


# --- new --------------------------------------------------------------------------------------

def test_new_writes_a_skeleton_with_every_section(workdir):
    result = run("new", "xijiang-polytechnic")
    assert result.exit_code == 0, result.output
    assert result.output == ("wrote cases/xijiang-polytechnic.yaml: fill it in, "
                             "then run `casebook validate cases/xijiang-polytechnic.yaml`\n")
    lines = (workdir / "cases" / "xijiang-polytechnic.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../case.schema.json"
    top_level = {m.group(1) for line in lines if (m := re.match(r"(?:# )?([a-z_]+):", line))}
    assert top_level == {field.alias or name for name, field in Case.model_fields.items()}
    # every field's comment is bilingual: English, then Chinese
    commented = [line for line in lines if re.match(r"\s*(# )?\s*(- )?[a-z_]+:", line)]
    assert commented and all(re.search(r"# .*[A-Za-z].*[\u4e00-\u9fff]", line) for line in commented)
    # the fields that locate and type a record's statements, each once where it first appears (a heading's
    # sections are headings again: shown as a list, not unfolded without end)
    keys = [m.group(1) for line in lines if (m := re.match(r"\s*(?:# )?\s*(?:- )?([a-z_]+):", line))]
    new_fields = {"lead", "held_by", "outline", "heading", "sections", "span", "chain", "chain_note", "source_at"}
    assert new_fields <= set(keys)
    assert keys.count("sections") == 1 and any(line.strip().startswith("#     sections: []") for line in lines)


def test_new_refuses_to_overwrite(workdir):
    path = write_case(workdir / "cases", "lakeside-polytechnic", lakeside())
    result = run("new", "lakeside-polytechnic")
    assert result.exit_code == 2, result.output
    assert result.output == "error: cases/lakeside-polytechnic.yaml already exists; edit it, or choose another id\n"
    assert path.read_text(encoding="utf-8") == lakeside()


@pytest.mark.parametrize("case_id", ["Xijiang", "xijiang_polytechnic", "xijiang-", "西江", "../escape"])
def test_new_refuses_an_invalid_id(workdir, case_id):
    result = run("new", case_id)
    assert result.exit_code == 2, result.output
    assert result.output == (f"error: '{case_id}' is not a valid case id: use lower-case ascii letters, digits "
                             "and hyphens, e.g. hunan-industry-polytechnic\n")
    assert not any(workdir.rglob("*.yaml"))


def test_an_unfilled_skeleton_names_each_empty_required_field(workdir):
    assert run("new", "xijiang-polytechnic").exit_code == 0
    text = (workdir / "cases" / "xijiang-polytechnic.yaml").read_text(encoding="utf-8")
    result = run("validate", *VOCAB)
    assert result.exit_code == 1, result.output
    kind = position(text, "\n  kind:  # What kind of body it is.", 8)
    assert (f"cases/xijiang-polytechnic.yaml:{kind[0]}:{kind[1]}: reporter.kind: required field is empty"
            in result.output)
    assert "partners[0].relationship: must not be empty" in result.output


# How an editor fills in the skeleton: a value for each open field, a few optional ones uncommented.
# A value of "" uncomments a mapping's header line.
FILLED = {
    "title.zh": "西江职业技术学院对口帮扶凉山职业技术学校",
    "title.en": "Xijiang Polytechnic supports Liangshan Vocational School",
    "summary.zh": "西江职业技术学院自2018年起对口帮扶凉山职业技术学校，以师资培训和专业共建为重点。",
    "summary.en": "Since 2018 Xijiang Polytechnic has supported Liangshan Vocational School, training teachers "
                  "and building majors together.",
    "reporter.name.zh": "西江职业技术学院",
    "reporter.name.en": "Xijiang Polytechnic",
    "reporter.kind": "higher-vocational-college",
    "reporter.province": "CN-GD",
    "reporter.city": "",
    "reporter.city.zh": "肇庆市",
    "reporter.city.en": "Zhaoqing",
    "reporter.founded": "1985",
    "source.title.zh": "西江职业技术学院东西部协作工作总结",
    "source.title.en": "Xijiang Polytechnic east–west cooperation work summary",
    "source.kind": "work-summary",
    "source.issued": '"2019-12"',
    "source.period.from": "2018",
    "source.period.to": "2019",
    "partners.id": "liangshan-vocational-school",
    "partners.name.zh": "凉山职业技术学校",
    "partners.name.en": "Liangshan Vocational School",
    "partners.kind": "secondary-vocational-school",
    "partners.region.province": "CN-SC",
    "partners.relationship": "[east-west-cooperation, twinning]",
    "partners.since": '"2018-03"',
    "translation.en": "draft",
}
FIELD_LINE = re.compile(r"^(?P<indent>\s*)(?P<hash># )?(?P<inner>\s*)(?P<dash>- )?(?P<key>[a-z_]+):(?P<rest>.*)$")


def fill_skeleton(text: str, values: dict[str, str]) -> str:
    """Give each field named in ``values`` (by dotted path, list items unindexed) its value, uncommenting it."""
    out, stack, used = [], [], set()
    for line in text.splitlines():
        match = FIELD_LINE.match(line)
        if not match or line.startswith("# yaml-language-server"):
            out.append(line)
            continue
        dash = match["dash"] or ""
        depth = len(match["indent"]) + len(match["inner"]) + len(dash)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        stack.append((depth, match["key"]))
        path = ".".join(key for _, key in stack)
        if path in values:
            comment = match["rest"].split("#", 1)[1]
            value = f" {values[path]}" if values[path] else ""
            line = f"{match['indent']}{match['inner']}{dash}{match['key']}:{value}  #{comment}"
            used.add(path)
        out.append(line)
    assert used == set(values), f"not in the skeleton: {set(values) - used}"
    return "\n".join(out) + "\n"


def test_a_filled_in_skeleton_validates(workdir):
    assert run("new", "xijiang-polytechnic").exit_code == 0
    path = workdir / "cases" / "xijiang-polytechnic.yaml"
    path.write_text(fill_skeleton(path.read_text(encoding="utf-8"), FILLED), encoding="utf-8")
    result = run("validate", *VOCAB)
    assert result.exit_code == 0, result.output + path.read_text(encoding="utf-8")
    assert result.output == "1 case valid\n"
    status = run("status", *VOCAB)
    assert status.exit_code == 0, status.output
    # title, summary, reporter name and city, source title, partner name: six texts, all in English
    assert status.output.splitlines()[0] == "xijiang-polytechnic: 6/6 text fields in English (100%), translation draft"


def test_a_half_filled_skeleton_points_at_what_is_left(workdir):
    assert run("new", "xijiang-polytechnic").exit_code == 0
    path = workdir / "cases" / "xijiang-polytechnic.yaml"
    values = {**FILLED, "partners.region.province": "Sichuan"}
    text = fill_skeleton(path.read_text(encoding="utf-8"), values)
    path.write_text(text, encoding="utf-8")
    result = run("validate", *VOCAB)
    line, column = position(text, "province: Sichuan", 10)
    assert result.exit_code == 1, result.output
    assert located_lines(result.output) == [
        f"cases/xijiang-polytechnic.yaml:{line}:{column}: partners[0].region.province: unknown value 'Sichuan'"]


# --- schema -----------------------------------------------------------------------------------

def test_schema_prints_json_schema(workdir):
    result = run("schema", *VOCAB)
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Casebook case record"
    assert set(schema["properties"]) == {field.alias or name for name, field in Case.model_fields.items()}


def test_schema_writes_a_file(workdir):
    result = run("schema", "-o", "case.schema.json", *VOCAB)
    assert result.exit_code == 0, result.output
    assert result.output == "wrote case.schema.json\n"
    assert (workdir / "case.schema.json").read_text(encoding="utf-8") == run("schema", *VOCAB).output


# --- status -----------------------------------------------------------------------------------

def test_status_of_a_fully_translated_case(workdir):
    write_case(workdir / "cases", "lakeside-polytechnic", lakeside())
    texts = lakeside().count("zh:")  # every text has exactly one 'zh:'
    result = run("status", *VOCAB)
    assert result.exit_code == 0, result.output
    assert result.output == (f"lakeside-polytechnic: {texts}/{texts} text fields in English (100%), "
                             "translation reviewed\n"
                             f"total: {texts}/{texts} text fields in English (100%) in 1 case\n")


def test_status_lists_the_texts_still_missing_english(workdir):
    text = edited("{en: reviewed}", "{en: pending}",
                  text=edited("  en: Lakeside Polytechnic twins with Shancheng Vocational School\n", "",
                              text=edited("{zh: 山城职业中专, en: Shancheng Vocational School}", "{zh: 山城职业中专}")))
    write_case(workdir / "cases", "lakeside-polytechnic", text)
    texts = text.count("zh:")
    done = texts - 2
    percent = f"{100 * done / texts:.0f}%"
    result = run("status", *VOCAB)
    assert result.exit_code == 0, result.output
    assert result.output == (f"lakeside-polytechnic: {done}/{texts} text fields in English ({percent}), "
                             "translation pending\n"
                             "  missing en: title\n"
                             "  missing en: partners[0].name\n"
                             f"total: {done}/{texts} text fields in English ({percent}) in 1 case\n")


def test_status_reports_invalid_records_too(workdir):
    write_case(workdir / "cases", "lakeside-polytechnic", lakeside())
    write_case(workdir / "cases", "broken", edited("founded: 1958", "founded: 1948"))
    result = run("status", *VOCAB)
    assert result.exit_code == 1, result.output
    assert "lakeside-polytechnic: " in result.output
    assert "cases/broken.yaml:" in result.output and result.output.endswith("1 problem found\n")


# --- help -------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [[], *([name] for name in sorted(main.commands))])
def test_every_command_has_help_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert re.search(r"^\s+casebook \w+", result.output, re.MULTILINE), result.output


# --- edges found in review ----------------------------------------------------------------------

def test_validate_without_a_vocabulary_file_is_a_usage_error(workdir):
    write_case(workdir / "cases", "lakeside-polytechnic", lakeside())
    result = run("validate")
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: no vocabulary file at vocabulary.yaml")


def test_new_in_another_directory_points_the_schema_line_at_the_project_schema(workdir):
    result = run("new", "xijiang-polytechnic", "--cases", "records/2026")
    assert result.exit_code == 0, result.output
    first = (workdir / "records" / "2026" / "xijiang-polytechnic.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../case.schema.json"


def test_a_yml_record_is_reported_not_skipped(workdir):
    (workdir / "cases").mkdir()
    (workdir / "cases" / "lakeside-polytechnic.yml").write_text(lakeside(), encoding="utf-8")
    result = run("validate", *VOCAB)
    assert result.exit_code == 1, result.output
    assert located_lines(result.output) == [
        "cases/lakeside-polytechnic.yml:1:1: a case record's file name must end in .yaml"]


@pytest.mark.parametrize("written", ["4_20", "1e3", "420 人", "0x1A"])
def test_a_number_must_be_written_plainly(workdir, written):
    text = edited("value: 420", f"value: {written}")
    write_case(workdir / "cases", "lakeside-polytechnic", text)
    result = run("validate", *VOCAB)
    assert result.exit_code == 1, result.output
    line, column = position(text, f"value: {written}", len("value: "))
    assert located_lines(result.output) == [
        f"cases/lakeside-polytechnic.yaml:{line}:{column}: reporter.figures[0].value: '{written}' is not a number"]


def test_usage_messages_name_the_command_casebook(workdir):
    result = run("frobnicate")
    assert result.exit_code == 2, result.output
    assert "Usage: casebook [OPTIONS] COMMAND" in result.output


# --- paths, addresses and ports the machine refuses: a message and exit code 2, never a traceback ----------------

def _refused(result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_new_into_a_file_is_refused(workdir):
    (workdir / "notes.txt").write_text("mine\n", encoding="utf-8")
    _refused(run("new", "my-college", "--cases", "notes.txt"), "--cases notes.txt is not a directory")
    assert (workdir / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_new_refuses_an_id_over_100_characters(workdir):
    _refused(run("new", "a" * 101), "is 101 characters long; a case id has at most 100")


def test_schema_into_a_missing_directory_or_onto_a_directory_is_refused(workdir):
    _refused(run("schema", "-o", "no/such/dir/x.json", *VOCAB), "there is no directory no/such/dir")
    (workdir / "out").mkdir()
    _refused(run("schema", "-o", "out", *VOCAB), "-o out is a directory")


@pytest.mark.parametrize("name", ["cases/lakeside-polytechnic.yaml", "vocabulary.yaml", "notes.json"])
def test_schema_onto_a_file_that_is_no_schema_is_refused_and_left_as_it_was(workdir, name):
    """`casebook schema -o cases/<record>.yaml` replaced the record with the schema, and -o vocabulary.yaml the
    vocabulary: an editor's file lost to a mistyped path."""
    (workdir / name).parent.mkdir(exist_ok=True)
    (workdir / name).write_text("the editor's own words\n", encoding="utf-8")
    _refused(run("schema", "-o", name, *VOCAB), f"-o {name} already holds something other than a case record's schema")
    assert (workdir / name).read_text(encoding="utf-8") == "the editor's own words\n"


def test_schema_replaces_a_schema_it_wrote(workdir):
    (workdir / "case.schema.json").write_text('{"title": "Casebook case record", "old": true}\n', encoding="utf-8")
    assert run("schema", "-o", "case.schema.json", *VOCAB).exit_code == 0
    assert (workdir / "case.schema.json").read_text(encoding="utf-8") == run("schema", *VOCAB).output


@pytest.mark.parametrize("address", ["127.0.0.1:99999", "127.0.0.1:0", "127.0.0.1", "localhost:http",
                                     "127.0.0.1:\u00b2", "127.0.0.1:\uff18\uff10\uff19\uff11"])
def test_serve_refuses_an_address_without_a_usable_port(workdir, address):
    (workdir / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (workdir / "cases").mkdir()
    _refused(run("serve", "-a", address), "give a host and a port from 1 to 65535")


def test_serve_refuses_a_port_in_use(workdir):
    (workdir / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (workdir / "cases").mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        _refused(run("serve", "-a", f"127.0.0.1:{port}"), "another preview may be running")
