"""Saving a record from the form writes only what changed into the editor's own text (edit_splice.py)."""

from __future__ import annotations

import copy
import difflib
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.edit_splice import splice
from generator.load import load_text
from tests.real_cases import ROOT

REAL_RECORDS = sorted((ROOT / "cases").glob("*.yaml"))
DECAP = ROOT / "tools" / "decap"


def leaves_text(value: Any) -> Any:
    """Data as load.py reads it (every scalar text): the form's JSON numbers and booleans become their YAML text."""
    if isinstance(value, dict):
        return {str(key): leaves_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [leaves_text(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or isinstance(value, str):
        return value
    return str(value)


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed and the lines added between two texts."""
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def data_of(text: str) -> dict:
    return copy.deepcopy(load_text(Path("x.yaml"), text).data)


@pytest.mark.parametrize("path", REAL_RECORDS, ids=lambda p: p.stem)
def test_an_unchanged_record_stays_byte_identical(path: Path):
    text = path.read_text(encoding="utf-8")
    assert splice(text, data_of(text)) == text


@pytest.mark.parametrize("path", REAL_RECORDS, ids=lambda p: p.stem)
def test_the_record_as_decap_sends_it_back_unchanged_leaves_the_file_as_it_was(path: Path):
    """Decap parses the file as YAML 1.2 (numbers, booleans) and writes it out in its own style: only the
    meaning counts, so an untouched form changes nothing."""
    rewritten = subprocess.run(["node", str(DECAP / "decap-yaml-rewrite.js"), str(path)], capture_output=True,
                               text=True, check=True).stdout
    text = path.read_text(encoding="utf-8")
    assert rewritten != text  # Decap's own writer would rewrite it
    assert splice(text, data_of(rewritten)) == text


@pytest.mark.parametrize("path", REAL_RECORDS, ids=lambda p: p.stem)
def test_a_changed_title_changes_only_that_titles_line(path: Path):
    text = path.read_text(encoding="utf-8")
    data = data_of(text)
    data["title"]["en"] = "A new title: with a colon, and a comma"
    removed, added = changed_lines(text, splice(text, data))
    title_line = text.splitlines()[text.splitlines().index("title:") + 2]
    assert title_line.startswith("  en: ")
    assert removed == [title_line]
    assert added == ['  en: "A new title: with a colon, and a comma"']


def test_a_folded_text_keeps_its_style_and_indentation():
    text = "summary:\n  zh: 摘要\n  en: >-\n    An old text that is folded\n    over two lines.\nadded: \"2020\"\n"
    data = data_of(text)
    data["summary"]["en"] = ("A new text. " * 12).strip()
    new = splice(text, data)
    assert new.startswith("summary:\n  zh: 摘要\n  en: >-\n    A new text.")
    assert new.endswith('\nadded: "2020"\n')
    assert all(len(line) <= 92 for line in new.splitlines())
    assert load_text(Path("x.yaml"), new).data["summary"]["en"] == ("A new text. " * 12).strip()


def test_comments_key_order_and_quoting_elsewhere_are_kept():
    text = ("# a comment the editor wrote\nschema: 1\nadded: '2020-01'  # quoted in single quotes\n"
            "title: {zh: 标题, en: Title}\nsummary:\n  # why the summary says so\n  zh: 摘要\n")
    data = data_of(text)
    data["title"]["zh"] = "新标题"
    assert splice(text, data) == text.replace("{zh: 标题,", "{zh: 新标题,")


def test_empty_values_the_form_adds_count_as_absent():
    text = "title: {zh: 标题}\nmeasures:\n  - theme: x\n    title: {zh: 举措}\n"
    data = data_of(text)
    data["title"]["en"] = ""
    data["figures"] = []
    data["measures"][0].update({"detail": {"zh": "", "en": ""}, "partners": [], "figures": [], "status": "done"})
    data["source"] = {"pages": None}
    assert splice(text, data) == text


def test_a_measure_added_with_two_figures_goes_after_the_last_one():
    text = "measures:\n  - id: one\n    theme: x\n    title: {zh: 一}\ntranslation: {en: pending}\n"
    data = data_of(text)
    data["measures"].append({"id": "two", "theme": "y", "title": {"zh": "二"},
                             "figures": [{"indicator": "a", "value": 3, "unit": "person"}]})
    new = splice(text, leaves_text(data))
    assert new == ("measures:\n  - id: one\n    theme: x\n    title: {zh: 一}\n"
                   "  - id: two\n    theme: y\n    title: {zh: 二}\n    figures:\n"
                   "      - indicator: a\n        value: 3\n        unit: person\n"
                   "translation: {en: pending}\n")


def test_a_removed_item_takes_only_its_own_lines():
    text = ("measures:\n  - id: one\n    theme: x\n  # about two\n  - id: two\n    theme: y\n"
            "  - id: three\n    theme: z\n")
    data = data_of(text)
    del data["measures"][1]
    data["measures"][1]["theme"] = "w"
    assert splice(text, data) == "measures:\n  - id: one\n    theme: x\n  # about two\n  - id: three\n    theme: w\n"


def test_a_field_the_form_changes_to_its_default_is_kept_as_written():
    text = "timeline:\n  - when: \"2016\"\n    event: {zh: 事}\n    status: done\n"
    data = data_of(text)
    del data["timeline"][0]["status"]  # the form left the select at its default
    assert splice(text, data) == text


def test_dates_numbers_and_words_are_quoted_as_the_records_quote_them():
    text = "source:\n  kind: report\n"
    data = data_of(text)
    data["source"].update({"issued": "2017", "pages": "yes", "period": {"from": "2016"}})
    assert splice(text, data) == 'source:\n  kind: report\n  issued: "2017"\n  pages: "yes"\n  period:\n' \
                                 '    from: 2016\n'
