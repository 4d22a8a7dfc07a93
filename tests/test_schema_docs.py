"""Every setting documented, and the exported JSON Schema in step with the models and the fixtures."""

from __future__ import annotations

import inspect
import json

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from pydantic import BaseModel

from generator import schema as schema_module
from generator import vocabulary as vocabulary_module
from generator.cli import main
from generator.schema import case_json_schema
from tests.conftest import LAKESIDE, ROOT, VOCABULARY, edited, lakeside

MODELS = [model for module in (schema_module, vocabulary_module)
          for _, model in inspect.getmembers(module, inspect.isclass)
          if issubclass(model, BaseModel) and model.__module__ == module.__name__]


def test_the_models_are_found():
    names = {model.__name__ for model in MODELS}
    assert {"Case", "Partner", "Table", "Text", "Vocabulary", "Indicator"} <= names


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_field_of_every_model_has_a_description(model):
    assert (model.__doc__ or "").strip(), f"{model.__name__} has no docstring"
    undocumented = [name for name, field in model.model_fields.items() if not (field.description or "").strip()]
    assert undocumented == [], f"{model.__name__} fields without a description: {undocumented}"


def test_every_property_in_the_json_schema_has_a_description(vocabulary):
    schema = case_json_schema(vocabulary)
    missing = [f"{name}.{prop}" for name, definition in [("Case", schema), *schema["$defs"].items()]
               for prop, spec in definition.get("properties", {}).items() if not spec.get("description")]
    assert missing == []


def test_the_committed_json_schema_is_the_one_casebook_schema_prints():
    result = CliRunner().invoke(main, ["schema", "--vocabulary", str(VOCABULARY)])
    assert result.exit_code == 0, result.output
    committed = (ROOT / "case.schema.json").read_text(encoding="utf-8")
    assert committed == result.output, "case.schema.json is stale: run `casebook schema -o case.schema.json`"


# --- the JSON Schema agrees with the validator on the fixtures --------------------------------------

@pytest.fixture(scope="module")
def validator(vocabulary) -> jsonschema.Draft202012Validator:
    schema = case_json_schema(vocabulary)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def error_paths(validator, text: str) -> list[str]:
    """Where the JSON Schema finds errors in a record, as dotted paths (typed values, as an editor plugin sees them)."""
    return sorted(".".join(map(str, error.absolute_path)) for error in validator.iter_errors(yaml.safe_load(text)))


def test_the_json_schema_accepts_the_valid_fixtures(validator):
    fixtures = sorted(LAKESIDE.parent.glob("*.yaml"))
    assert fixtures
    for path in fixtures:
        assert error_paths(validator, path.read_text(encoding="utf-8")) == [], path.name


def test_the_json_schema_needs_dates_quoted(validator):
    assert error_paths(validator, edited('added: "2026-11-20"', "added: 2026-11-20")) == ["added"]


@pytest.mark.parametrize(("old", "new", "path"), [
    ("[twinning]", "[twining]", "partners.0.relationship.0"),
    ("  city: {zh", "  cty: {zh", "reporter"),
    ("translation: {en: reviewed}\n", "", ""),
    ("translation: {en: reviewed}", "translation: {en: done}", "translation.en"),
    ("founded: 1958", 'founded: "1958"', "reporter.founded"),
    ("value: 420", 'value: "420"', "reporter.figures.0.value"),
    ('since: "2016-01"', 'since: "2016-13"', "partners.0.since"),
    ("  zh: 湖畔职业技术学院结对帮扶山城职业中专", "  zh: ''", "title.zh"),
    ("{from: 2016, to: 2017}", "{to: 2017}", "source.period"),
    ("relationship: [twinning]", "relationship: []", "partners.0.relationship"),
    ("province: CN-HN\n  city", "province: CN-XX\n  city", "reporter.province"),
    ("type: text}", "type: string}", "tables.0.columns.0.type"),
])
def test_the_json_schema_rejects_invalid_records(validator, old, new, path):
    assert error_paths(validator, edited(old, new)) == [path]


def test_the_json_schema_lists_vocabulary_ids_for_autocompletion(vocabulary):
    schema = json.loads((ROOT / "case.schema.json").read_text(encoding="utf-8"))
    relationship = schema["$defs"]["Partner"]["properties"]["relationship"]["items"]
    assert relationship["enum"] == list(vocabulary.relationships)
    assert "twinning" in relationship["enum"] and relationship["x-vocabulary"] == "relationships"


def test_every_case_field_appears_in_the_fixture():
    """The fixture is the example of a complete record: it uses every section the schema has."""
    loaded = yaml.safe_load(lakeside())
    assert set(loaded) == set(json.loads((ROOT / "case.schema.json").read_text(encoding="utf-8"))["properties"])
