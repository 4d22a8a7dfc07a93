"""Patterns say what they mean (issue 21, attacks 8, 9, 10, 16 and 17): an id ends where it ends, a date has ASCII
digits, a host is the host it looks like, a figure is published as written, and no case id is a name the site uses.

The record's patterns are run by three engines: Python's re (validate, `casebook new`), pydantic's (the schema)
and, for an editor's autocompletion and checks, the JSON Schema's, which is ECMAScript's (run here by Node). Each
must refuse the same texts.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import Annotated

import pytest
from pydantic import Field, TypeAdapter, ValidationError

from generator.errors import printable
from generator.schema import CASE_ID_PATTERN, DATE_PATTERN, URL_PATTERN, case_json_schema
from generator.validate import validate_files
from tests.conftest import edited, lakeside, position, write_case
from tests.test_cli import run

SHOWN = "cases/lakeside-polytechnic.yaml"
HOSTILE = ["evil\n", "２０２６", "٢٠١٦", "2026\n", "https://evil.example/\n", "lakeside\n"]


def at(text: str, needle: str, field: str, message: str) -> str:
    line, column = position(text, needle)
    return f"{SHOWN}:{line}:{column}: {field}: {message}"


def schema_patterns(vocabulary) -> set[str]:
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(case_json_schema(vocabulary))
    return found


def test_the_schema_exports_the_patterns_python_checks(vocabulary) -> None:
    assert schema_patterns(vocabulary) == {CASE_ID_PATTERN, DATE_PATTERN, URL_PATTERN}
    assert all(r"\d" not in pattern for pattern in schema_patterns(vocabulary))


@pytest.mark.parametrize("pattern", [CASE_ID_PATTERN, DATE_PATTERN, URL_PATTERN])
def test_python_refuses_a_final_line_break_and_other_scripts_digits(pattern: str) -> None:
    assert [text for text in HOSTILE if re.fullmatch(pattern, text)] == []


@pytest.mark.parametrize("pattern", [CASE_ID_PATTERN, DATE_PATTERN, URL_PATTERN])
def test_pydantic_refuses_them(pattern: str) -> None:
    adapter = TypeAdapter(Annotated[str, Field(pattern=pattern)])
    accepted = []
    for text in HOSTILE:
        try:
            adapter.validate_python(text)
            accepted.append(text)
        except ValidationError:
            pass
    assert accepted == []
    assert adapter.validate_python({CASE_ID_PATTERN: "lakeside", DATE_PATTERN: "2026",
                                    URL_PATTERN: "https://a.example/"}[pattern])


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_the_json_schema_patterns_refuse_them_in_an_ecmascript_engine(vocabulary) -> None:
    # with and without the u flag: JSON Schema validators use either
    script = """
        const [patterns, texts] = JSON.parse(process.argv[1]);
        const accepted = [];
        for (const p of patterns) for (const flags of ["", "u"]) for (const t of texts)
            if (new RegExp(p, flags).test(t)) accepted.push([p, flags, t]);
        console.log(JSON.stringify(accepted));
    """
    patterns = sorted(schema_patterns(vocabulary))
    result = subprocess.run(["node", "-e", script, json.dumps([patterns, HOSTILE])], capture_output=True,
                            text=True, timeout=60, check=True)
    assert json.loads(result.stdout) == []
    controls = subprocess.run(["node", "-e", script, json.dumps([[DATE_PATTERN], ["2026-11-20"]])],
                              capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(controls.stdout) == [[DATE_PATTERN, "", "2026-11-20"], [DATE_PATTERN, "u", "2026-11-20"]]


# --- attack 8: a case id with a final line break -------------------------------------------------------------

def test_new_refuses_an_id_with_a_final_line_break(workdir) -> None:
    result = run("new", "evil\n")
    assert result.exit_code == 2, result.output
    assert result.output == ("error: 'evil\\n' is not a valid case id: use lower-case ascii letters, digits and "
                             "hyphens, e.g. hunan-industry-polytechnic\n")
    assert not (workdir / "cases").exists()


def test_a_record_named_with_a_final_line_break_is_refused(workdir, vocabulary) -> None:
    path = write_case(workdir / "cases", "evil\n", lakeside())
    valid, problems = validate_files([path], vocabulary)
    assert valid == []
    assert [(p.line, p.column, p.message) for p in problems] == [
        (*position(lakeside(), "schema: 1"), "file name 'evil\\n.yaml' is not a valid case id")]


# --- attack 16: ids the site's cases/ folder uses ---------------------------------------------------------------

def test_new_refuses_page_and_says_why(workdir) -> None:
    result = run("new", "page")
    assert result.exit_code == 2, result.output
    assert result.output == ("error: 'page' cannot be a case id: the site's cases/page/ holds the catalogue's "
                             "further list pages (ids the site keeps: page)\n")
    assert not (workdir / "cases").exists()


def test_a_record_named_page_is_refused(check) -> None:
    line, column = position(lakeside(), "schema: 1")
    assert check(lakeside(), "page") == [
        f"cases/page.yaml:{line}:{column}: 'page' cannot be a case id: the site's cases/page/ holds the catalogue's "
        "further list pages (ids the site keeps: page)"]
    assert check(lakeside(), "pages") == []


# --- attack 9: other scripts' digits in dates -----------------------------------------------------------------

def test_dates_in_other_scripts_digits_are_refused(check) -> None:
    text = edited('added: "2026-11-20"', 'added: "２０２６"')
    text = edited('issued: "2017-12"', 'issued: "٢٠١٦"', text)
    assert check(text) == [at(text, '"２０２６"', "added", "'２０２６' is not a date"),
                           at(text, '"٢٠١٦"', "source.issued", "'٢٠١٦' is not a date")]


def test_other_scripts_digits_are_not_a_number(check) -> None:
    text = edited("value: 420, unit: person", "value: '４２０', unit: person")
    assert check(text) == [at(text, "'４２０'", "reporter.figures[0].value", "'４２０' is not a number")]


# --- attack 10: host lookalikes ---------------------------------------------------------------------------------

URL = "https://lakeside.example.org/reports/twinning-2017.html"


LOOKALIKE = ("has a host with characters that look like others or show as nothing (full-width letters or dots, 。, "
             "zero-width spaces)")


@pytest.mark.parametrize(("url", "message"), [
    ("https://ｅｖｉｌ.example/", LOOKALIKE),
    ("https://good.example。evil.example/", LOOKALIKE),
    ("https://good.example．evil.example/", LOOKALIKE),
    ("https://go\u200bod.example/", LOOKALIKE),
    ("https://good\u2060.example/", LOOKALIKE),
    ("https://good.example:99999/", "has no valid port (1 to 65535)"),
    ("https://good.example:0/", "has no valid port (1 to 65535)"),
    ("https://good..example/", "has no valid host name"),
])
def test_a_host_that_looks_like_another_is_refused(check, url: str, message: str) -> None:
    text = edited(f'url: "{URL}"', f'url: "{url}"')
    # an invisible character in a message is shown escaped (errors.printable), so the reader sees where it is
    assert check(text) == [at(text, f'"{url}"', "source.url", printable(f"'{url}' {message}"))]


@pytest.mark.parametrize("url", ["https://例子.测试/report", "https://xn--fsqu00a.xn--0zwm56d/report",
                                 "https://good.example:8443/report", "http://[::1]:8080/report"])
def test_real_hosts_and_ports_are_accepted(check, url: str) -> None:
    assert check(edited(f'url: "{URL}"', f'url: "{url}"')) == []


# --- attack 17: figures with more precision than a published figure keeps ---------------------------------------

def test_a_figure_that_would_be_published_as_another_number_is_refused(check) -> None:
    value = "999999999999999.999999999999999999999"
    text = edited("value: 420, unit: person", f"value: {value}, unit: person")
    assert check(text) == [at(text, value, "reporter.figures[0].value",
                              f"'{value}' has more than 15 significant digits, more than a "
                              "published figure keeps: it would be shown as another number")]


@pytest.mark.parametrize("value", ["12345678901234.5", "0.000000000000012345", "1.50000000000000000000", "-420"])
def test_fifteen_significant_digits_are_a_figure(check, value: str) -> None:
    assert check(edited("value: 420, unit: person", f"value: {value}, unit: person")) == []
