"""Stage 1 — load: strict, safe YAML with the position of every key and value.

Every scalar is loaded as text (the schema does all typing), so ``no``, ``2016-01``
or ``010`` never change meaning behind an editor's back. The tree is built from
libyaml's event stream without recursion, which lets us refuse aliases, tags and
duplicate keys at the place they occur and survive any nesting depth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, display_path

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
NULL_SCALARS = frozenset({"", "~", "null", "Null", "NULL"})

Loc = tuple[str | int, ...]


@dataclass
class Document:
    """A loaded YAML file: plain data plus the (line, column) of every path in it."""

    path: Path
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    @property
    def shown_path(self) -> str:
        return display_path(self.path)

    def position(self, loc: Loc) -> tuple[int, int]:
        """Position of ``loc`` or of its nearest parent that exists (for missing fields)."""
        loc = tuple(loc)
        while loc and loc not in self.positions:
            loc = loc[:-1]
        return self.positions.get(loc, (1, 1))

    def problem(self, loc: Loc, message: str, hint: str = "", at_key: bool = False) -> Problem:
        key = tuple(loc)
        line, column = self.key_positions[key] if at_key and key in self.key_positions else self.position(key)
        return Problem(self.shown_path, line, column, format_loc(loc), message, hint)


class LoadError(Exception):
    """The file cannot be read as a record; carries one located problem."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def format_loc(loc: Loc) -> str:
    """``('partners', 0, 'relationship')`` → ``partners[0].relationship``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _mark(event: yaml.Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _decode(path: Path, raw: bytes) -> str:
    shown = display_path(path)
    if len(raw) > MAX_FILE_BYTES:
        raise LoadError(Problem(shown, 1, 1, "", f"file is {len(raw):,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                                "a case record is a few kilobytes; split the file or remove pasted material"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise LoadError(Problem(shown, line, column, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                                "save the file as UTF-8 in your editor")) from None


_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent
_MappingStart, _MappingEnd = yaml.MappingStartEvent, yaml.MappingEndEvent
_SequenceStart, _SequenceEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_DocumentStart, _StreamEnd = yaml.DocumentStartEvent, yaml.StreamEndEvent


def load_text(path: Path, text: str) -> Document:
    """Parse ``text`` (the contents of ``path``) into a :class:`Document`."""
    doc = Document(path, None)
    shown = doc.shown_path
    positions, key_positions = doc.positions, doc.key_positions

    def fail(at: tuple[int, int], message: str, hint: str = "", loc: Loc = ()) -> LoadError:
        return LoadError(Problem(shown, at[0], at[1], format_loc(loc), message, hint))

    # Each open container: [value, loc, key, loc of key, is a mapping]. A mapping's key is None while it waits
    # for its next key; a sequence's stays None. This loop runs once per YAML event (hundreds of thousands per
    # build), so it dispatches on the event's exact class, most frequent first, and looks each thing up once.
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates: only possible when called with a str, not from a file
        raise fail(_text_position(text, exc.start), f"not valid Unicode (character U+{ord(text[exc.start]):04X})",
                   "save the file as UTF-8 in your editor") from None
    loader = None
    try:
        loader = yaml.CSafeLoader(text)
        get_event = loader.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is _Scalar or kind is _MappingStart or kind is _SequenceStart:
                if event.anchor is not None:
                    raise fail(_mark(event), f"anchors (&{event.anchor}) are not allowed",
                               "write each value out in full", _current_loc(stack))
                tag = event.tag
                if tag is not None and tag != "!":
                    raise fail(_mark(event), f"tags ({tag}) are not allowed",
                               "remove the tag; every value is plain text that the schema checks",
                               _current_loc(stack))
                start = event.start_mark
                at = (start.line + 1, start.column + 1)
                top = stack[-1] if stack else None
                if kind is _Scalar:
                    value = event.value
                    if value in NULL_SCALARS and event.implicit[0] and not event.style:
                        value = None
                    if top is None:
                        positions[()] = at
                        root = value
                    elif top[4]:
                        if top[2] is None:  # a key
                            key = "" if value is None else value
                            loc = (*top[1], key)
                            if key in top[0]:
                                first = key_positions[loc]
                                raise fail(at, f"duplicate key '{key}' (first given at line {first[0]})",
                                           "keep one of the two; YAML would silently drop the first", loc)
                            top[2], top[3] = key, loc
                            key_positions[loc] = positions[loc] = at
                        else:
                            positions[top[3]] = at
                            top[0][top[2]] = value
                            top[2] = None
                    else:
                        items = top[0]
                        positions[(*top[1], len(items))] = at
                        items.append(value)
                    continue
                # a container starts
                if top is None:
                    loc = ()
                elif top[4]:
                    if top[2] is None:
                        raise fail(at, "a mapping key must be plain text", "", top[1])
                    loc = top[3]
                else:
                    loc = (*top[1], len(top[0]))
                if len(stack) >= MAX_DEPTH:
                    raise fail(at, f"nesting deeper than {MAX_DEPTH} levels",
                               "a case record is only a few levels deep; check for unbalanced brackets",
                               _current_loc(stack))
                positions[loc] = at
                mapping = kind is _MappingStart
                stack.append([{} if mapping else [], loc, None, None, mapping])
            elif kind is _MappingEnd or kind is _SequenceEnd:
                value = stack.pop()[0]
                if not stack:
                    root = value
                else:
                    top = stack[-1]
                    if top[4]:
                        top[0][top[2]] = value
                        top[2] = None
                    else:
                        top[0].append(value)
            elif kind is _Alias:
                raise fail(_mark(event), f"aliases (*{event.anchor}) are not allowed",
                           "write the value out in full", _current_loc(stack))
            elif kind is _DocumentStart:
                documents += 1
                if documents > 1:
                    raise fail(_mark(event), "more than one YAML document in the file",
                               "remove the '---' line; one file holds one case")
            elif kind is _StreamEnd or event is None:
                break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or str(exc)
        raise fail(at, f"YAML syntax error: {message}",
                   "check indentation and that every ':' after a key is followed by a space") from None
    except yaml.reader.ReaderError as exc:  # a control character; its position is a byte offset
        before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
        raise fail(_text_position(text, len(before)), f"character U+{exc.character:04X} is not allowed in YAML",
                   "remove control characters from the file") from None
    except yaml.YAMLError as exc:
        raise fail((1, 1), f"YAML error: {exc}", "check the file's syntax") from None
    finally:
        if loader is not None:
            loader.dispose()
    doc.data = root
    positions.setdefault((), (1, 1))
    return doc


def _text_position(text: str, index: int) -> tuple[int, int]:
    """(line, column) of character ``index`` of ``text``, both counted from 1."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _current_loc(stack: list[list[Any]]) -> Loc:
    """Where the next node goes; a mapping still waiting for its key is located by the mapping itself."""
    if not stack:
        return ()
    container, loc, key, key_loc, mapping = stack[-1]
    if mapping:
        return loc if key is None else key_loc
    return (*loc, len(container))


def load_file(path: Path) -> Document:
    """Read and parse one YAML file; every failure is a :class:`LoadError`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(Problem(display_path(path), 1, 1, "", f"cannot read file: {exc.strerror}")) from None
    return load_text(path, _decode(path, raw))
