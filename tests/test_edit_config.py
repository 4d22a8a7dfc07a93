"""The browser form's configuration is generated from the schema and the vocabulary, and committed."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.edit_config import KEPT_OUT, form_config, form_config_text
from generator.schema import Case, Measure, model_at
from generator.vocabulary import load_vocabulary
from tests.real_cases import ROOT

COMMITTED = ROOT / "generator" / "data" / "edit-form.yml"


def fields_by_name(fields: list[dict]) -> dict[str, dict]:
    return {field["name"]: field for field in fields}


def test_the_committed_configuration_is_the_one_the_schema_and_vocabulary_give():
    assert COMMITTED.read_text(encoding="utf-8") == form_config_text(load_vocabulary(ROOT / "vocabulary.yaml")), \
        "the form's configuration drifted from the schema: run `casebook edit-config -o generator/data/edit-form.yml`"


def test_every_field_of_the_record_is_in_the_form_with_a_bilingual_label_and_its_hint():
    fields = fields_by_name(form_config(load_vocabulary(ROOT / "vocabulary.yaml"))["fields"])
    record_fields = [f.alias or n for n, f in Case.model_fields.items()]
    assert [name for name in record_fields if name not in KEPT_OUT] == list(fields)[2:]  # after case id and hash
    measure = fields_by_name(fields["measures"]["fields"])
    assert list(measure) == [f.alias or n for n, f in Measure.model_fields.items()]
    assert measure["theme"]["label"] == "所属主题 Theme"
    assert measure["theme"]["hint"] == "Theme the measure belongs to. 所属主题。"
    assert fields["measures"]["summary"] == "{{fields.theme}}: {{fields.title.zh}}"
    for name, field in fields.items():
        if name not in ("opened_sha256", "schema"):
            assert re.fullmatch(r"\S*[\u4e00-\u9fff]\S* [A-Z][a-z ]+", field["label"]), field["label"]


def test_required_fields_are_marked_and_optional_ones_are_not():
    fields = fields_by_name(form_config(load_vocabulary(ROOT / "vocabulary.yaml"))["fields"])
    assert "required" not in fields["title"] and "required" not in fields["partners"]
    assert fields["figures"]["required"] is False and fields["measures"]["required"] is False
    title = fields_by_name(fields["title"]["fields"])
    assert "required" not in title["zh"] and title["en"]["required"] is False  # English may wait (pending)
    assert title["zh"]["label"] == "中文 Chinese" and title["en"]["label"] == "英文 English"


def test_ids_and_dates_carry_their_patterns_and_controlled_values_are_selects_with_both_labels():
    fields = fields_by_name(form_config(load_vocabulary(ROOT / "vocabulary.yaml"))["fields"])
    partner = fields_by_name(fields["partners"]["fields"])
    assert partner["id"]["pattern"][0] == r"^[a-z0-9]+(-[a-z0-9]+)*$"
    assert fields["added"]["pattern"] == [r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$",
                                          "格式 format: 2016, 2016-01, 2016-01-15"]
    assert partner["relationship"]["widget"] == "select" and partner["relationship"]["multiple"] is True
    province = fields_by_name(partner["region"]["fields"])["province"]
    assert {"label": "湖南省 Hunan (CN-HN)", "value": "CN-HN"} in province["options"]
    assert model_at(("partners", 0, "region")) is not None


def test_a_theme_added_to_the_vocabulary_is_in_the_select_once_regenerated(tmp_path: Path):
    vocabulary = (ROOT / "vocabulary.yaml").read_text(encoding="utf-8").replace(
        "themes:\n", "themes:\n  digital-classrooms:\n    zh: 数字课堂\n    en: Digital classrooms\n", 1)
    (tmp_path / "vocabulary.yaml").write_text(vocabulary, encoding="utf-8")
    output = tmp_path / "edit-form.yml"
    result = CliRunner().invoke(main, ["edit-config", "--vocabulary", str(tmp_path / "vocabulary.yaml"),
                                       "-o", str(output)])
    assert result.exit_code == 0, result.output
    fields = fields_by_name(yaml.safe_load(output.read_text(encoding="utf-8"))["fields"])
    theme = fields_by_name(fields["measures"]["fields"])["theme"]
    assert {"label": "数字课堂 Digital classrooms (digital-classrooms)", "value": "digital-classrooms"} \
        in theme["options"]
