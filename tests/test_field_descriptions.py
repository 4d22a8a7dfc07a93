"""Each field of a record is described in both languages, stored apart (schema.Description): the editors' guide
and the form read one language, the JSON Schema and validate's hints both."""

from __future__ import annotations

import pickle
import re

import pytest
from pydantic import BaseModel

from generator.render import field_reference
from generator.schema import Case, Description, unwrap

HAN = re.compile(r"[\u4e00-\u9fff]")


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    seen.add(model)
    for field in model.model_fields.values():
        for inner in _annotations(field.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in seen:
                _models(inner, seen)
    return seen


def _annotations(annotation):
    yield unwrap(annotation)
    for arg in getattr(annotation, "__args__", ()):
        yield from _annotations(arg)


FIELDS = [(f"{model.__name__}.{name}", field) for model in sorted(_models(Case, set()), key=lambda m: m.__name__)
          for name, field in model.model_fields.items()]


@pytest.mark.parametrize(("name", "field"), FIELDS, ids=[name for name, _ in FIELDS])
def test_every_field_of_a_record_is_described_in_each_language_apart(name, field):
    description = field.description
    assert isinstance(description, Description), name
    assert description.en.endswith("."), description.en
    assert HAN.search(description.zh) and description.zh.endswith("。"), description.zh
    assert description == f"{description.en} {description.zh}"  # as the JSON Schema shows it


def test_a_description_keeps_its_languages_through_a_copy_between_processes():
    description = Case.model_fields["title"].description
    copied = pickle.loads(pickle.dumps(description))
    assert (copied, copied.en, copied.zh) == (description, "Title of the case.", "案例标题。")


@pytest.mark.parametrize(("lang", "text"), [("en", "Title of the case."), ("zh", "案例标题。")])
def test_the_editors_guide_shows_each_field_in_its_own_language(lang, text):
    assert {row["field"]: row["description"] for row in field_reference(lang)}["title"] == text
