"""Checks that an output is valid and inert whatever the records hold: shared by the output tests and the property
test (tests/test_outputs.py, tests/test_outputs_property.py).

Each check takes the text of a generated file and fails the test with what it found.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.dom.minidom
from collections.abc import Iterable
from functools import cache

import jsonschema
import pybtex.errors
from pybtex.database import Entry, parse_string

from generator.filters import BIBTEX_ESCAPES, oneline
from tests.site_html import Element, parse

# What a spreadsheet program reads as the start of a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_COLUMNS = {"cases.csv": {"period_from", "period_to", "partners", "measures", "figures"},
                   "figures.csv": {"value"}}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data")


def data_texts(files: list[tuple[str, str | Iterable[str]]]) -> dict[str, str]:
    """The open-data files by path, each whole (generator.opendata gives cases.json in pieces)."""
    return {path: text if isinstance(text, str) else "".join(text) for path, text in files}


def csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "UTF-8 with a byte-order mark"
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def assert_no_formula(name: str, text: str) -> list[dict[str, str]]:
    """Every cell of a CSV file is inert: a text cell never starts a formula, a numeric cell is a number."""
    rows = csv_rows(text)
    for number, row in enumerate(rows, start=2):
        for column, cell in row.items():
            if column in NUMERIC_COLUMNS[name]:
                assert cell == "" or re.fullmatch(r"-?\d+(\.\d+)?", cell), f"{name}:{number}: {column}={cell!r}"
            else:
                assert not cell.startswith(FORMULA_START), f"{name}:{number}: {column}={cell!r} starts a formula"
    return rows


def shown(cell: str) -> str:
    """A text cell as the editor wrote it: without the apostrophe that keeps it from being a formula."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def assert_well_formed_xml(text: str) -> xml.dom.minidom.Document:
    """The text parses as XML 1.0 (minidom, i.e. expat, refuses any character XML cannot carry)."""
    return xml.dom.minidom.parseString(text.encode("utf-8"))


@cache
def _schema(schema_text: str) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_text)
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


def assert_cases_json_valid(cases_json: str, schema_json: str) -> dict:
    """Every record in cases.json validates against the published case.schema.json."""
    data = json.loads(cases_json)
    validator = _schema(schema_json)
    for case_id, record in data["cases"].items():
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(record)]
        assert not errors, f"cases.json: {case_id}:\n" + "\n".join(errors)
    return data


# ---------------------------------------------------------------- BibTeX

_UNESCAPE = {latex: ch for ch, latex in BIBTEX_ESCAPES.items()}
_UNESCAPE_RE = re.compile("|".join(map(re.escape, sorted(_UNESCAPE, key=len, reverse=True))))


def unescape_bibtex(value: str) -> str:
    """A field's text back as the reader sees it: every LaTeX escape of the bibtex filter read back."""
    return _UNESCAPE_RE.sub(lambda m: _UNESCAPE[m.group()], value)


def bibtex_blocks(html: str) -> list[str]:
    """The text of every BibTeX block of a page (entities decoded, as a reader copies it)."""
    def raw(node: Element) -> str:
        return "".join(c if isinstance(c, str) else raw(c) for c in node.children)
    return [raw(pre) for pre in parse(html).find_all("pre", cls="cb-bibtex")]


def parse_bibtex(text: str) -> Entry:
    """The case's entry of ``text`` (the block also cites the case's source), every entry parsed strictly by pybtex
    (an unbalanced brace or a repeated field is an error)."""
    pybtex.errors.set_strict_mode(True)
    entries = parse_string(text, "bibtex").entries
    assert [key.split("-")[0] for key in entries] in (["casebook"], ["casebook", "source"]), text
    return next(entry for key, entry in entries.items() if key.startswith("casebook-"))


def field_names(entry: Entry) -> set[str]:
    return {name.lower() for name in entry.fields} | {name.lower() for name in entry.persons}


def braced_text(value: str) -> str:
    """The text of a field written in an extra pair of braces ({{…}}, so BibTeX keeps its case)."""
    assert value.startswith("{") and value.endswith("}"), value
    return unescape_bibtex(value[1:-1])


def assert_bibtex_holds(entry: Entry, title: str, author: str) -> None:
    """The title and author fields hold exactly the editor's text (on one line)."""
    assert braced_text(entry.fields["title"]) == oneline(title)
    (person,) = entry.persons["author"]
    assert braced_text(str(person)) == oneline(author)


# ---------------------------------------------------------------- HTML


def body(page: str) -> str:
    """A generated page without its front matter."""
    if page.startswith("---\n"):
        return page[page.index("\n---\n", 4) + 5:]
    return page


def tags_and_attributes(html: str) -> tuple[set[str], set[tuple[str, str]]]:
    """The element names and (element, attribute) names of an HTML text."""
    elements = list(parse(html).iter())[1:]
    return {e.tag for e in elements}, {(e.tag, name) for e in elements for name in e.attrs}


def assert_inert_html(where: str, html: str, tags: set[str], attributes: set[tuple[str, str]]) -> None:
    """No element or attribute but those the templates make, and no link that runs a script or holds data."""
    for element in list(parse(html).iter())[1:]:
        assert element.tag in tags, f"{where}: a <{element.tag}> element the templates never make"
        for name, value in element.attrs.items():
            assert (element.tag, name) in attributes, f"{where}: <{element.tag} {name}=…> the templates never make"
            if name in URL_ATTRIBUTES:
                target = re.sub(r"[\x00-\x20]", "", value or "").lower()
                assert not target.startswith(("javascript:", "data:", "vbscript:")), f"{where}: {name}={value!r}"

