"""The vocabulary's keys are ids (issue 21, attack 1), and every id reaches markup escaped.

The review's stored XSS: an indicator keyed `x"><script>alert(document.domain)</script>` validated, and the compare
page's chart wrote the key raw into its `id` and `aria-labelledby`. Now the key is refused where it is typed, and
the SVG templates are autoescaped like the pages, so even a key that got through could not become markup.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from generator.errors import ProblemsFound
from generator.render import render_site
from generator.settings import load_settings
from generator.validate import validate_files
from generator.vocabulary import Vocabulary, load_vocabulary
from tests.conftest import VOCABULARY, edited, position, write_case
from tests.output_checks import assert_well_formed_xml
from tests.site_helpers import ROOT

XSS = 'x"><script>alert(document.domain)</script>'


def vocabulary_problems(path: Path) -> list[str]:
    with pytest.raises(ProblemsFound) as caught:
        load_vocabulary(path)
    return [f"{p.line}:{p.column}: {p.field}: {p.message}" for p in caught.value.problems]


def with_key(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    text = VOCABULARY.read_text(encoding="utf-8")
    assert text.count(old) == 1
    text = text.replace(old, new)
    path = tmp_path / "vocabulary.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_the_reviewers_indicator_id_is_refused_at_its_key(tmp_path: Path) -> None:
    path, text = with_key(tmp_path, "  full-time-teachers: {", f"  '{XSS}': {{")
    line, column = position(text, f"'{XSS}'")
    assert vocabulary_problems(path) == [
        f"{line}:{column}: indicators.{XSS}: {XSS!r} is not a valid id"]


@pytest.mark.parametrize(("old", "new"), [
    ("  student-social-practice:\n", "  Student Social Practice:\n"),     # themes
    ("  registered-poor:\n", "  registered_poor:\n"),                    # terminology
    ("  campus-area: {", "  'campus-area\\n': {"),                         # indicators: a quoted line break
    ("  full-time-teachers: {", "  '全职教师': {"),
])
def test_a_key_that_is_no_id_is_refused_where_it_is(tmp_path: Path, old: str, new: str) -> None:
    path, text = with_key(tmp_path, old, new)
    problems = vocabulary_problems(path)
    assert len(problems) == 1
    line, column = position(text, new.strip().split("\n")[0].rstrip(":{ "))
    assert problems[0].startswith(f"{line}:{column}: ")
    assert problems[0].endswith("is not a valid id")


def test_every_kind_of_key_is_checked(tmp_path: Path) -> None:
    data = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
    expected = ["provinces.CN-XX"]
    for kind in ("themes", "relationships", "institution_kinds", "source_kinds", "units", "indicators", "terminology"):
        first = next(iter(data[kind]))
        data[kind] = {f"{first}<b>": copy.deepcopy(data[kind][first]), **data[kind]}
        expected.append(f"{kind}.{first}<b>")
    data["provinces"]["CN-XX"] = {"zh": "某省", "en": "Nowhere"}
    path = tmp_path / "vocabulary.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    messages = sorted(p.split(": ", 2)[1:] for p in vocabulary_problems(path))
    assert [field for field, _ in messages] == sorted(expected)
    assert ["provinces.CN-XX", "'CN-XX' is not an ISO 3166-2:CN code"] in messages


def test_a_province_key_that_is_an_iso_code_gives_its_labels() -> None:
    assert load_vocabulary(VOCABULARY).all_provinces["CN-XZ"].en == "Tibet (Xizang)"


# --- the chart escapes what it writes, ids included ---------------------------------------------------------------

def test_a_hostile_indicator_id_and_label_reach_the_chart_escaped(workdir: Path) -> None:
    """Were a key to get past the check (here the vocabulary is built without it), the chart still writes it as
    text: the SVG templates are autoescaped."""
    data = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
    data["indicators"] = {XSS if k == "teachers-trained" else k: v for k, v in data["indicators"].items()}
    data["indicators"][XSS]["en"] = "<img src=x onerror=alert(1)>"
    vocabulary = Vocabulary.model_validate(data)
    record = edited("{indicator: teachers-trained,", f"{{indicator: '{XSS}',")
    paths = [write_case(workdir / "cases", name, record) for name in ("lakeside-polytechnic", "lakeside-two")]
    valid, problems = validate_files(paths, vocabulary)
    assert problems == []
    settings = load_settings(ROOT / "mkdocs.yml")
    charts = [text for _, text in render_site(valid, vocabulary, settings, "en") if "cb-svg--bars" in text]
    assert charts, "the indicator has no chart"
    for page in charts:
        for svg in re.findall(r"<svg.*?</svg>", page, re.S):
            assert "<script" not in svg and "<img" not in svg
            assert_well_formed_xml(svg)
    assert any('id="chart-x&#34;&gt;&lt;script&gt;alert(document.domain)&lt;/script&gt;-title"' in page
               for page in charts)
