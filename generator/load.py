"""Stage 1 — load: strict, safe YAML with the position of every key and value.

Every scalar is loaded as text (the schema does all typing), so ``no``, ``2016-01``
or ``010`` never change meaning behind an editor's back. The tree is built from
libyaml's event stream without recursion, which lets us refuse aliases, tags and
duplicate keys at the place they occur and survive any nesting depth.

Two passes read the same event stream. The first builds only the data: it is what
every file gets, and most files need nothing else. Positions cost as much again (a
tuple and two dict entries per value) and are needed only to report a problem, so
the second pass, which records them and locates every refusal, runs when a file is
refused or when a :class:`Document` is first asked where something is.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, display_path

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
NULL_SCALARS = frozenset({"", "~", "null", "Null", "NULL"})

Loc = tuple[str | int, ...]
Positions = dict[Loc, tuple[int, int]]


class Document:
    """A loaded YAML file: plain data plus the (line, column) of every path in it."""

    def __init__(self, path: Path, data: Any, text: str | bytes, root_position: tuple[int, int] = (1, 1)):
        self.path = path
        self.data = data
        self._text = text  # or the file's bytes, already known to be UTF-8: decoded only if positions are needed
        self.root_position = root_position  # known without the located pass, for problems about the whole file
        self._positions: Positions | None = None
        self._key_positions: Positions = {}

    @property
    def source(self) -> bytes:
        """The file's contents as UTF-8."""
        return self._text if isinstance(self._text, bytes) else self._text.encode("utf-8", "surrogatepass")

    @property
    def shown_path(self) -> str:
        return display_path(self.path)

    @property
    def positions(self) -> Positions:
        """Where each value starts, by its path; found by the located pass when first asked for."""
        if self._positions is None:
            text = self._text if isinstance(self._text, str) else _decode(self.path, self._text)
            _, self._positions, self._key_positions = _load_located(self.path, text)
        return self._positions

    @property
    def key_positions(self) -> Positions:
        """Where each mapping key starts, by the path of its value."""
        self.positions  # noqa: B018 — computes both
        return self._key_positions

    def position(self, loc: Loc) -> tuple[int, int]:
        """Position of ``loc`` or of its nearest parent that exists (for missing fields)."""
        if not loc:
            return self.root_position
        positions = self.positions
        loc = tuple(loc)
        while loc and loc not in positions:
            loc = loc[:-1]
        return positions.get(loc, (1, 1))

    def problem(self, loc: Loc, message: str, hint: str = "", at_key: bool = False) -> Problem:
        key = tuple(loc)
        key_positions = self.key_positions
        line, column = key_positions[key] if at_key and key in key_positions else self.position(key)
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


def _too_large(shown: str, size: int) -> Problem:
    return Problem(shown, 1, 1, "", f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                   "a case record is a few kilobytes; split the file or remove pasted material")


def _decode(path: Path, raw: bytes) -> str:
    shown = display_path(path)
    if len(raw) > MAX_FILE_BYTES:
        raise LoadError(_too_large(shown, len(raw)))
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
    """Parse ``text`` (the contents of ``path``) into a :class:`Document`; every refusal is a :class:`LoadError`."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates: only possible when called with a str, not from a file
        raise LoadError(Problem(display_path(path), *_text_position(text, exc.start), "",
                                f"not valid Unicode (character U+{ord(text[exc.start]):04X})",
                                "save the file as UTF-8 in your editor")) from None
    try:
        data, root_position = _load_data(text)
        return Document(path, data, text, root_position)
    except (_Refused, yaml.YAMLError):
        pass
    # The located pass says what is wrong and where (it raises). Should it accept what the fast pass refused,
    # its result stands: it is the reference.
    data, positions, key_positions = _load_located(path, text)
    doc = Document(path, data, text, positions[()])
    doc._positions, doc._key_positions = positions, key_positions
    return doc


class _Refused(Exception):
    """The fast pass met something the located pass refuses (and says where)."""


_NO_KEY = object()  # a mapping waiting for its next key


def _load_data(text: str) -> tuple[Any, tuple[int, int]]:
    """The data of ``text`` and where it starts; :class:`_Refused` where :func:`_load_located` raises a LoadError.

    This runs once per YAML event of every record (about 2,000 per record), so it keeps the current container,
    whether it is a mapping and its pending key in locals, and refuses without saying why.
    """
    stack: list[tuple[Any, bool]] = []  # the enclosing containers, each with whether it is a mapping
    container: Any = None
    mapping = False
    key: Any = _NO_KEY
    root: Any = None
    root_at = (1, 1)
    documents = 0
    loader = yaml.CSafeLoader(text)
    try:
        get_event = loader.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is _Scalar:
                if event.anchor is not None or event.tag is not None and event.tag != "!":
                    raise _Refused
                value = event.value
                if len(value) < 5 and value in NULL_SCALARS and event.implicit[0] and not event.style:
                    value = None  # (the length first: hashing a long text only to find it is not null costs)
                if mapping:
                    if key is _NO_KEY:
                        key = "" if value is None else value
                        if key in container:
                            raise _Refused  # a duplicate key
                    else:
                        container[key] = value
                        key = _NO_KEY
                elif container is None:
                    root, root_at = value, (event.start_mark.line + 1, event.start_mark.column + 1)
                else:
                    container.append(value)
            elif kind is _MappingStart or kind is _SequenceStart:
                if event.anchor is not None or event.tag is not None and event.tag != "!" or len(stack) >= MAX_DEPTH:
                    raise _Refused
                child: Any = {} if kind is _MappingStart else []
                if mapping:
                    if key is _NO_KEY:
                        raise _Refused  # a mapping or sequence as a key
                    container[key] = child
                elif container is None:
                    root, root_at = child, (event.start_mark.line + 1, event.start_mark.column + 1)
                else:
                    container.append(child)
                stack.append((container, mapping))
                container, mapping, key = child, kind is _MappingStart, _NO_KEY
            elif kind is _MappingEnd or kind is _SequenceEnd:
                container, mapping = stack.pop()
                key = _NO_KEY  # a mapping's value is complete: it waits for its next key
            elif kind is _Alias:
                raise _Refused
            elif kind is _DocumentStart:
                documents += 1
                if documents > 1:
                    raise _Refused
            elif kind is _StreamEnd or event is None:
                return root, root_at
    finally:
        loader.dispose()


def _load_located(path: Path, text: str) -> tuple[Any, Positions, Positions]:
    """The data of ``text`` with the position of every value and key; every refusal is a located LoadError."""
    shown = display_path(path)
    positions: Positions = {}
    key_positions: Positions = {}

    def fail(at: tuple[int, int], message: str, hint: str = "", loc: Loc = ()) -> LoadError:
        return LoadError(Problem(shown, at[0], at[1], format_loc(loc), message, hint))

    # Each open container: [value, loc, key, loc of key, is a mapping]. A mapping's key is None while it waits
    # for its next key; a sequence's stays None.
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
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
    positions.setdefault((), (1, 1))
    return root, positions, key_positions


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
    return load_bytes(path, read_file(path))


def load_bytes(path: Path, raw: bytes) -> Document:
    """Parse the bytes read from ``path``; every failure is a :class:`LoadError`."""
    return load_text(path, _decode(path, raw))


_NOT_REGULAR = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a device",
                stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}


def read_file(path: Path) -> bytes:
    """The bytes of ``path``, a regular file read no further than the size limit; anything else is a
    :class:`LoadError`.

    A symbolic link is refused rather than followed: a link committed to the repository could point anywhere
    (``/dev/zero``, a pipe that never ends, a loop). O_NONBLOCK keeps opening a FIFO from waiting for a writer.
    """
    shown = display_path(path)

    def refused(message: str, hint: str = "") -> LoadError:
        return LoadError(Problem(shown, 1, 1, "", message, hint))

    try:
        if path.is_symlink():
            raise refused("is a symbolic link; a case record must be a file of its own",
                          "replace the link with a copy of the file it points to")
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise refused(f"cannot read file: {exc.strerror}") from None
    try:
        status = os.fstat(descriptor)
        kind = stat.S_IFMT(status.st_mode)
        if kind != stat.S_IFREG:
            raise refused(f"is {_NOT_REGULAR.get(kind, 'not a regular file')}, not a file",
                          "a case record is a plain .yaml file")
        if status.st_size > MAX_FILE_BYTES:
            raise LoadError(_too_large(shown, status.st_size))
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)  # one byte more than the limit tells that it is over
    except OSError as exc:
        raise refused(f"cannot read file: {exc.strerror}") from None
    finally:
        os.close(descriptor)
