"""The skeleton written by ``casebook new``, derived from the schema so it never drifts from it."""

from __future__ import annotations

import datetime
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .schema import Case, Text, unwrap


def case_skeleton(case_id: str, today: datetime.date | None = None, schema_path: str = "../case.schema.json") -> str:
    """A record with every section, each field commented with what goes there.

    Required fields are left open to fill in; optional ones are commented out, so the
    skeleton validates as soon as the required ones are filled.
    """
    today = today or datetime.date.today()
    head = [f"# yaml-language-server: $schema={schema_path}",
            f"# Case '{case_id}'. Fill in the open fields; uncomment the optional ones you need.",
            f"# 案例“{case_id}”。填写未注释的字段；需要的可选字段去掉行首的 # 后填写。", ""]
    values = {"schema": "1", "added": f'"{today.isoformat()}"'}
    return "\n".join(head + _mapping_lines(Case, values)) + "\n"


def _mapping_lines(model: type[BaseModel], values: dict[str, str] | None = None,
                   within_comment: bool = False, within: tuple[type[BaseModel], ...] = ()) -> list[str]:
    lines: list[str] = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        # Both languages of a text are to be filled in, even though English may wait.
        open_field = field.is_required() or model is Text or within_comment
        block = _field_lines(key, field, (values or {}).get(key), within_comment or not open_field, (*within, model))
        lines.extend(block if open_field else ["# " + line for line in block])
    return lines


def _field_lines(key: str, field: FieldInfo, value: str | None, within_comment: bool,
                 within: tuple[type[BaseModel], ...]) -> list[str]:
    comment = f"  # {field.description}"
    vocabulary = _vocabulary_kind(field)
    if vocabulary:
        comment += f" [vocabulary.yaml: {vocabulary}]"
    annotation = unwrap(field.annotation)
    if value is not None:
        return [f"{key}: {value}{comment}"]
    if _word_or_mapping(field.annotation):  # a span: its description lists both forms
        return [f"{key}:{comment}"]
    if typing.get_origin(annotation) is list:
        item = unwrap(typing.get_args(annotation)[0])
        # A model inside itself (a heading's sections) is shown once: its fields are already above.
        if isinstance(item, type) and issubclass(item, BaseModel) and item not in within:
            return [f"{key}:{comment}",
                    *_indent(_list_item(_mapping_lines(item, within_comment=within_comment, within=within)))]
        return [f"{key}: []{comment}"]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [f"{key}:{comment}", *_indent(_mapping_lines(annotation, within_comment=within_comment,
                                                            within=within))]
    return [f"{key}:{comment}"]


def _word_or_mapping(annotation: Any) -> bool:
    """Whether a field takes either a word or a mapping (span: cumulative, or span: {from, to})."""
    members = [unwrap(arg) for arg in typing.get_args(annotation) if arg is not type(None)]
    return any(typing.get_origin(m) is typing.Literal for m in members) and any(
        isinstance(m, type) and issubclass(m, BaseModel) for m in members)


def _list_item(lines: list[str]) -> list[str]:
    """Turn a mapping's lines into one list item: '- ' before the first key, the rest aligned."""
    return [("- " + line) if i == 0 else ("  " + line) for i, line in enumerate(lines)]


def _indent(lines: list[str]) -> list[str]:
    return ["  " + line for line in lines]


def _vocabulary_kind(field: FieldInfo) -> str | None:
    if isinstance(field.json_schema_extra, dict) and "x-vocabulary" in field.json_schema_extra:
        return str(field.json_schema_extra["x-vocabulary"])

    def find(annotation: Any) -> str | None:
        for meta in getattr(annotation, "__metadata__", ()):
            extra = getattr(meta, "json_schema_extra", None)
            if isinstance(extra, dict) and "x-vocabulary" in extra:
                return str(extra["x-vocabulary"])
        return next((found for arg in typing.get_args(annotation) if (found := find(arg))), None)
    return find(field.annotation)

