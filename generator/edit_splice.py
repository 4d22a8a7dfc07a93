"""Saving a record from the form without rewriting the editor's file.

The form (Decap CMS) sends the whole record back. Written out whole it would lose every comment, the key order, the
quoting and the block style the editor chose. Instead the new data is compared with the file's own data, and only
the values that changed are written into the existing text, at the place each one occupies (the composed YAML
nodes carry their start and end). An unchanged save leaves the file byte for byte as it was; a changed title
changes only that title's lines. Empty values the form adds ('' and []) and a field's default count as absent.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from pydantic_core import PydanticUndefined

from .edit_render import render_block, render_flow, render_pair, render_scalar, scalar_block
from .load import NULL_SCALARS, Loc, load_text
from .schema import model_at

_ABSENT = object()
_TRUE_FALSE = {"true": True, "false": False}


class SpliceError(Exception):
    """The new text would not hold the data the form sent (a fault of the splice, never written)."""


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


# --- the data, compared as the records mean it -------------------------------------------------------------------

def prune(value: Any, loc: Loc = ()) -> Any:
    """``value`` (at ``loc`` in a record) without what counts as absent, at every depth: None, '' and empty lists
    and mappings, and a field left at its default (status: done, target: false)."""
    if isinstance(value, dict):
        kept = {key: _ABSENT if _is_default((*loc, key), item) else prune(item, (*loc, key))
                for key, item in value.items()}
        return {key: item for key, item in kept.items() if item is not _ABSENT} or _ABSENT
    if isinstance(value, list):
        kept_items = [prune(item, (*loc, index)) for index, item in enumerate(value)]
        return [item for item in kept_items if item is not _ABSENT] or _ABSENT
    return _ABSENT if value is None or value == "" else value


def same(a: Any, b: Any) -> bool:
    """Equal as a record: numbers by value (1.50 is 1.5), booleans by meaning (True is true)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str):
        if a == b:
            return True
        number = _number(a)
        if number is not None:
            return number == _number(b)
        return a.lower() in _TRUE_FALSE and _TRUE_FALSE[a.lower()] == _TRUE_FALSE.get(b.lower())
    return a is b


def _number(text: str) -> Decimal | None:
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _default_text(loc: Loc) -> str | None:
    """The schema's default of the field at ``loc`` as the records write it ('done', 'false'), if it has one."""
    model = model_at(loc[:-1])
    field = next((f for n, f in model.model_fields.items() if (f.alias or n) == loc[-1]), None) if model else None
    if field is None or field.default is PydanticUndefined or field.default is None:
        return None
    return str(field.default).lower() if isinstance(field.default, bool) else str(field.default)


def _is_default(loc: Loc, value: Any) -> bool:
    default = _default_text(loc)
    return default is not None and isinstance(value, str) and same(value, default)


# --- the file's nodes ------------------------------------------------------------------------------------------

def node_value(node: yaml.Node) -> Any:
    """The data of ``node`` as load.py reads it: every scalar text, plain null-like scalars None."""
    if isinstance(node, yaml.MappingNode):
        return {("" if (key := node_value(k)) is None else key): node_value(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [node_value(item) for item in node.value]
    if node.style is None and node.value in NULL_SCALARS:
        return None
    return node.value


def compose(text: str) -> yaml.Node | None:
    """The node tree of ``text`` with character offsets (the pure-Python parser: its marks count characters)."""
    return yaml.compose(text, Loader=yaml.SafeLoader)


class _Splicer:
    def __init__(self, text: str):
        self.text = text
        self.edits: list[Edit] = []

    # where things are

    def end(self, node: yaml.Node) -> int:
        """Where ``node``'s own text ends: a block collection at its last value, a block scalar at its last
        character (not the line breaks and blank lines the parser counts with it)."""
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
            last = node.value[-1]
            return self.end(last[1] if isinstance(node, yaml.MappingNode) else last)
        end = node.end_mark.index
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            end = len(self.text[:end].rstrip(" \n\r"))
        return end

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        found = self.text.find("\n", index)
        return len(self.text) if found < 0 else found

    def alone_on_line(self, index: int) -> bool:
        """Whether only indentation comes before ``index`` on its line."""
        return self.text[self.line_start(index):index].strip(" ") == ""

    # the walk

    def node(self, node: yaml.Node, new: Any, loc: Loc, parent_flow: bool) -> None:
        """Make ``node`` hold ``new`` (already pruned); a change it cannot make in place is a _Rerender."""
        old = prune(node_value(node), loc)
        if same(old, new):
            return
        flow = parent_flow or bool(getattr(node, "flow_style", False))
        if isinstance(node, yaml.MappingNode) and isinstance(new, dict):
            self.mapping(node, new, loc, flow)
        elif isinstance(node, yaml.SequenceNode) and isinstance(new, list):
            self.sequence(node, new, loc, flow)
        elif isinstance(node, yaml.ScalarNode) and isinstance(new, str):
            self.scalar(node, new, loc, flow)
        else:
            raise _Rerender

    def replace_node(self, node: yaml.Node, new: Any, loc: Loc, flow: bool) -> None:
        text = render_flow(new, loc) if flow or getattr(node, "flow_style", False) else \
            render_block(new, node.start_mark.column, loc)
        self.edits.append(Edit(node.start_mark.index, self.end(node), text))

    def scalar(self, node: yaml.ScalarNode, new: str, loc: Loc, flow: bool) -> None:
        if node.style in ("|", ">") and not flow:
            folded = scalar_block(new, self.block_indent(node), node.style, self.text[node.start_mark.index:
                                                                                 self.line_end(node.start_mark.index)])
            if folded is not None:
                self.edits.append(Edit(node.start_mark.index, self.end(node), folded))
                return
        self.edits.append(Edit(node.start_mark.index, self.end(node), render_scalar(new, loc, flow)))

    def block_indent(self, node: yaml.ScalarNode) -> int:
        """The indentation of a block scalar's text, read from its first line."""
        first = self.line_end(node.start_mark.index) + 1
        line = self.text[first:self.line_end(first)]
        return len(line) - len(line.lstrip(" "))

    def mapping(self, node: yaml.MappingNode, new: dict, loc: Loc, flow: bool) -> None:
        pairs = [(node_value(k), k, v) for k, v in node.value]
        old_keys = {key for key, _, _ in pairs}
        if flow and {k for k, _, v in pairs if self.kept(v, (*loc, k))} != set(new):
            raise _Rerender
        for index, (key, key_node, value_node) in enumerate(pairs):
            old_value = prune(node_value(value_node), (*loc, key)) if self.kept(value_node, (*loc, key)) else _ABSENT
            new_value = new.get(key, _ABSENT)
            if old_value is _ABSENT and new_value is _ABSENT:
                continue  # written empty by the editor, still empty: left as it is
            if new_value is _ABSENT:
                self.delete_pair(node, index, key_node, value_node)
                continue
            try:
                self.node(value_node, new_value, (*loc, key), flow)
            except _Rerender:
                if flow:
                    raise
                self.edits.append(Edit(key_node.start_mark.index, self.end(value_node),
                                       render_pair(key, new_value, key_node.start_mark.column, (*loc, key))))
        previous: int | None = None
        for key, value in new.items():
            if key in old_keys:
                previous = next(i for i, (k, _, _) in enumerate(pairs) if k == key)
                continue
            if flow:
                raise _Rerender
            self.insert_pair(node, pairs, previous, key, value, (*loc, key))

    @staticmethod
    def kept(node: yaml.Node, loc: Loc) -> bool:
        value = node_value(node)
        return not _is_default(loc, value) and prune(value, loc) is not _ABSENT

    def delete_pair(self, node: yaml.MappingNode, index: int, key_node: yaml.Node, value_node: yaml.Node) -> None:
        start = key_node.start_mark.index
        if not self.alone_on_line(start):  # the first key of a list item, after its '- '
            if len(node.value) == 1:
                raise _Rerender
            following = node.value[index + 1][0].start_mark.index
            self.edits.append(Edit(start, following, ""))  # the next key moves up behind the '- '
            return
        self.edits.append(Edit(self.line_start(start), min(self.line_end(self.end(value_node)) + 1,
                                                            len(self.text)), ""))

    def insert_pair(self, node: yaml.MappingNode, pairs: list, previous: int | None, key: str, value: Any,
                    loc: Loc) -> None:
        column = node.start_mark.column
        entry = render_pair(key, value, column, loc)
        if previous is None:
            self.edits.append(Edit(node.start_mark.index, node.start_mark.index, entry + "\n" + " " * column))
        else:
            at = self.line_end(self.end(pairs[previous][2]))
            self.edits.append(Edit(at, at, "\n" + " " * column + entry))

    def sequence(self, node: yaml.SequenceNode, new: list, loc: Loc, flow: bool) -> None:
        items = node.value
        old = [prune(node_value(item), (*loc, index)) for index, item in enumerate(items)]
        if flow or any(item is _ABSENT for item in old):
            if len(old) != len(new):
                raise _Rerender
            for index, item in enumerate(items):
                self.item(item, new[index], (*loc, index), flow)
            return
        # Items are matched by their id where they have one (a measure keeps its place when another is removed),
        # else by their whole content; matched items are then changed in place.
        matcher = difflib.SequenceMatcher(a=[_identity(v) for v in old], b=[_identity(v) for v in new],
                                          autojunk=False)
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            if tag == "equal" or (tag == "replace" and a2 - a1 == b2 - b1):
                for offset in range(a2 - a1):
                    self.item(items[a1 + offset], new[b1 + offset], (*loc, b1 + offset), flow)
                continue
            for index in range(a1, a2):
                self.delete_item(items[index])
            if b2 > b1:
                self.insert_items(node, a1, new[b1:b2], loc, b1)

    def item(self, node: yaml.Node, new: Any, loc: Loc, flow: bool) -> None:
        try:
            self.node(node, new, loc, flow)
        except _Rerender:
            if flow:
                raise
            self.replace_node(node, new, loc, False)

    def delete_item(self, node: yaml.Node) -> None:
        dash = self.text.rfind("-", 0, node.start_mark.index)
        if dash < 0 or not self.alone_on_line(dash):
            raise _Rerender
        self.edits.append(Edit(self.line_start(dash), min(self.line_end(self.end(node)) + 1, len(self.text)), ""))

    def insert_items(self, node: yaml.SequenceNode, before: int, values: list, loc: Loc, first: int) -> None:
        column = node.start_mark.column  # the column of the '-'
        lines = ["- " + render_block(value, column + 2, (*loc, first + i)) for i, value in enumerate(values)]
        if before < len(node.value):
            at = self.line_start(node.value[before].start_mark.index)
            self.edits.append(Edit(at, at, "".join(" " * column + line + "\n" for line in lines)))
        else:
            at = self.line_end(self.end(node.value[-1]))
            self.edits.append(Edit(at, at, "".join("\n" + " " * column + line for line in lines)))


class _Rerender(Exception):
    """This node cannot take the change in place: its parent writes it anew."""


def _identity(value: Any) -> str:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return "id:" + value["id"]
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- the whole save ---------------------------------------------------------------------------------------------

def splice(text: str, new_data: Any) -> str:
    """``text`` changed only where ``new_data`` (the record as the form sent it) differs from it."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    new = prune(new_data)
    new = {} if new is _ABSENT else new
    root = compose(body) if body.strip() else None
    if root is None:  # a new record: its comments (the schema line), then the fields
        result = body + render_block(new, 0, ()) + "\n" if new else body
    elif not isinstance(root, yaml.MappingNode) or root.flow_style:
        result = render_block(new, 0, ()) + "\n"
    else:
        splicer = _Splicer(body)
        try:
            splicer.node(root, new, (), False)
        except _Rerender:
            splicer.edits = [Edit(0, splicer.end(root), render_block(new, 0, ()))]
        result = _apply(body, splicer.edits)
    written = prune(load_text(Path("record.yaml"), result).data)
    if not same({} if written is _ABSENT else written, new):
        raise SpliceError("the record's new text would not hold what the form sent")
    return bom + result


def _apply(text: str, edits: list[Edit]) -> str:
    ordered = sorted(edits, key=lambda edit: (edit.start, edit.end))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start < before.end:
            raise SpliceError("two changes of the record overlap")
    for edit in reversed(ordered):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


# --- two saves from one opened version -------------------------------------------------------------------------

class MergeConflict(Exception):
    """The form and a save made since it opened the record changed the same field in different ways."""

    def __init__(self, loc: Loc):
        super().__init__(loc)
        self.loc = loc


def merge_saves(base: Any, current: Any, sent: Any, loc: Loc = ()) -> Any:
    """What the form means to save when the file was saved again (by this form) since it opened ``base``: its own
    changes to ``base``, laid over ``current``. All three are pruned; a field both changed differently is a
    :class:`MergeConflict`."""
    if _same_or_absent(sent, base):
        return current
    if _same_or_absent(current, base) or _same_or_absent(sent, current):
        return sent
    if isinstance(base, dict) and isinstance(current, dict) and isinstance(sent, dict):
        merged = {}
        for key in [*current, *(k for k in sent if k not in current)]:
            value = merge_saves(base.get(key, _ABSENT), current.get(key, _ABSENT), sent.get(key, _ABSENT),
                                (*loc, key))
            if value is not _ABSENT:
                merged[key] = value
        return merged
    raise MergeConflict(loc)


def _same_or_absent(a: Any, b: Any) -> bool:
    return a is b if a is _ABSENT or b is _ABSENT else same(a, b)
