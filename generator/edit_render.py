"""New values written as the records write them: the part of a save that is not in the file yet (edit_splice.py).

A scalar is plain where YAML reads it back as the same text and quoted where it would not be (a date, a year in a
text field, "yes"); a changed folded text keeps its ``>-`` and its indentation; a new mapping has its fields in
the schema's order, a short ``{zh, en}`` pair and a short list of ids on one line, as `casebook new` writes them.
"""

from __future__ import annotations

import json
import typing
from typing import Any

import yaml

from .load import Loc
from .schema import model_at

INDENT = 2  # how far a nested block goes in, as `casebook new` and the records write it
FOLD_WIDTH = 88  # where a long English text is folded (`>-`), as the records fold theirs


def _plain_typed(loc: Loc) -> bool:
    """Whether the field at ``loc`` holds a number, year or boolean, which the records write unquoted."""
    if not loc or isinstance(loc[-1], int):
        return False
    model = model_at(loc[:-1])
    field = next((f for n, f in model.model_fields.items() if (f.alias or n) == loc[-1]), None) if model else None
    if field is None:
        return False
    return _holds(field.annotation, (int, float, bool))


def _holds(annotation: Any, kinds: tuple[type, ...]) -> bool:
    return annotation in kinds or any(_holds(arg, kinds) for arg in typing.get_args(annotation))


def render_scalar(value: str, loc: Loc, flow: bool) -> str:
    """A scalar as the records write it: plain where YAML reads it back as the same text (numbers, years and
    booleans only in their own fields), double-quoted otherwise."""
    if value and _plain_ok(value, flow) and (_plain_typed(loc) or _resolves_to_text(value)):
        return value
    return json.dumps(value, ensure_ascii=False)


def _plain_ok(value: str, flow: bool) -> bool:
    analysis = yaml.emitter.Emitter(None, allow_unicode=True).analyze_scalar(value)  # PyYAML's own test
    return not analysis.multiline and (analysis.allow_flow_plain if flow else analysis.allow_block_plain)


def _resolves_to_text(value: str) -> bool:
    resolved = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False))
    return resolved == "tag:yaml.org,2002:str"


def scalar_block(value: str, indent: int, style: str, header: str) -> str | None:
    """``value`` as a block scalar in the node's own style and indentation, when it can be written so exactly."""
    if style == ">" and ("\n" in value or "  " in value or value != value.strip() or not value):
        return None
    if style == "|" and (value != value.rstrip("\n") + "\n" * (value.endswith("\n")) or not value.strip()):
        return None
    if header.strip() not in (">-", ">", "|-", "|"):
        return None
    lines = _wrap(value, max(FOLD_WIDTH - indent, 40)) if style == ">" else value.rstrip("\n").split("\n")
    chomp = header.strip()
    if chomp in (">", "|") and not value.endswith("\n"):
        chomp += "-"
    return chomp + "".join("\n" + (" " * indent + line if line else "") for line in lines)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current]


def in_schema_order(value: dict, loc: Loc) -> list[tuple[str, Any]]:
    """The fields of a new mapping in the order the schema declares them (as `casebook new` writes a record)."""
    model = model_at(loc)
    order = {f.alias or n: i for i, (n, f) in enumerate(model.model_fields.items())} if model else {}
    return sorted(value.items(), key=lambda item: order.get(item[0], len(order)))


def render_flow(value: Any, loc: Loc) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render_scalar(k, (), True)}: {render_flow(v, (*loc, k))}"
                               for k, v in in_schema_order(value, loc)) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(render_flow(v, (*loc, i)) for i, v in enumerate(value)) + "]"
    return render_scalar(value, loc, True)


def _is_text_pair(value: Any) -> bool:
    return isinstance(value, dict) and set(value) <= {"zh", "en"} and all(isinstance(v, str) for v in value.values())


def render_pair(key: str, value: Any, column: int, loc: Loc) -> str:
    """``key: value`` with the key at ``column``; a container goes on the lines below, one step in."""
    shown_key = render_scalar(key, (), False)
    if isinstance(value, str) or (_is_text_pair(value) and len(render_flow(value, loc)) + column < 100) or \
            (isinstance(value, list) and all(isinstance(v, str) for v in value) and len(value) <= 6):
        shown = render_scalar(value, loc, False) if isinstance(value, str) else render_flow(value, loc)
        return f"{shown_key}: {shown}"
    return f"{shown_key}:\n{' ' * (column + INDENT)}{render_block(value, column + INDENT, loc)}"


def render_block(value: Any, column: int, loc: Loc) -> str:
    """``value`` in block style; its first line goes where it is put, the others start at ``column``."""
    if isinstance(value, dict):
        if _is_text_pair(value) and len(render_flow(value, loc)) + column < 100:
            return render_flow(value, loc)
        return ("\n" + " " * column).join(render_pair(k, v, column, (*loc, k)) for k, v in in_schema_order(value, loc))
    if isinstance(value, list):
        return ("\n" + " " * column).join("- " + render_block(v, column + 2, (*loc, i)) for i, v in enumerate(value))
    return render_scalar(value, loc, False)
