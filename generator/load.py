"""Stage 1 — load: strict, safe YAML with the position of every key and value.

Every scalar is loaded as text (the schema does all typing), so ``no``, ``2016-01``
or ``010`` never change meaning behind an editor's back. The tree is built from
libyaml's event stream without recursion, which lets us refuse aliases, tags and
duplicate keys at the place they occur and survive any nesting depth.

One walker (:func:`_walk`) reads the event stream, with or without positions. Every
file is walked without them: most files need nothing else. Positions cost as much
again (a tuple and two dict entries per value) and are needed only to report a
problem, so the located walk, which records them and locates every refusal, runs when
a file is refused or when a :class:`Document` is first asked where something is.
"""

from __future__ import annotations

import contextlib
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
        self.root_position = root_position  # known without the located walk, for problems about the whole file
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
        """Where each value starts, by its path; found by the located walk when first asked for."""
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
        data, root_position, _, _ = _walk(path, text, yaml.CSafeLoader, located=False)
        return Document(path, data, text, root_position)
    except (_Refused, yaml.YAMLError):
        pass
    # The located walk says what is wrong and where (it raises). Should it accept what the walk without positions
    # refused, its result stands: it is the reference.
    data, positions, key_positions = _load_located(path, text)
    doc = Document(path, data, text, positions[()])
    doc._positions, doc._key_positions = positions, key_positions
    return doc


class _Refused(Exception):
    """The walk without positions met something the located walk refuses (and says where)."""


_NO_KEY = object()  # a mapping waiting for its next key


def _load_located(path: Path, text: str) -> tuple[Any, Positions, Positions]:
    """The data of ``text`` with the position of every value and key; every refusal is a located LoadError."""
    try:
        data, _, positions, key_positions = _walk(path, text, yaml.CSafeLoader, located=True)
        return data, positions, key_positions
    except yaml.YAMLError as exc:
        libyaml_error = exc
    # libyaml scans ahead of the events it has handed out and has limits of its own (PyYAML 6.0.4's stops at 1,000
    # nesting levels): it can stop before this loader's checks have seen the events they refuse. The pure-Python
    # parser of the same grammar has no such limits, so our own refusal, when there is one, is the one reported.
    with contextlib.suppress(yaml.YAMLError):  # the same syntax error, or one only the pure-Python parser finds
        _walk(path, text, yaml.SafeLoader, located=True)
    raise _syntax_problem(path, text, libyaml_error) from None


def _syntax_problem(path: Path, text: str, exc: yaml.YAMLError) -> LoadError:
    """The LoadError saying where libyaml found ``text`` not to be YAML, and why."""
    shown = display_path(path)
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        at = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return LoadError(Problem(shown, *at, "", f"YAML syntax error: {exc.problem or exc}",
                                 "check indentation and that every ':' after a key is followed by a space"))
    if isinstance(exc, yaml.reader.ReaderError):  # a control character; its position is a byte offset
        before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
        return LoadError(Problem(shown, *_text_position(text, len(before)), "",
                                 f"character U+{exc.character:04X} is not allowed in YAML",
                                 "remove control characters from the file"))
    return LoadError(Problem(shown, 1, 1, "", f"YAML error: {exc}", "check the file's syntax"))


def _walk(path: Path, text: str, loader_class: type,
          located: bool) -> tuple[Any, tuple[int, int], Positions, Positions]:
    """The data of ``text`` and where it starts; when ``located``, also the position of every value and key.

    Every file is walked without positions: most need nothing else, and positions cost as much again (a tuple and
    two dict entries per value). A refusal is then a bare :class:`_Refused`, and the caller walks again located,
    which raises the :class:`LoadError` saying what and where. The parser's own errors (``yaml.YAMLError``) pass
    through. This runs once per YAML event of every record (about 2,000 per record), so the current container,
    whether it is a mapping, its pending key and the locations are locals, not entries of the stack.
    """
    positions: Positions = {}
    key_positions: Positions = {}
    stack: list[tuple[Any, bool, Loc]] = []  # the enclosing containers, each with whether it is a mapping, its loc
    container: Any = None
    mapping = False
    no_key = _NO_KEY  # (a local: read at every event)
    key: Any = no_key
    loc: Loc = ()  # the container's location (kept only when located)
    key_loc: Loc = ()  # the location of the pending key's value (kept only when located)
    root: Any = None
    root_at = (1, 1)
    documents = 0
    loader = None
    try:
        loader = loader_class(text)
        get_event = loader.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is _Scalar or kind is _MappingStart or kind is _SequenceStart:
                if event.anchor is not None or event.tag is not None and event.tag != "!":
                    raise _anchor_or_tag(path, located, event, _next_loc(container, mapping, key, loc, key_loc))
                if kind is _Scalar:
                    value = event.value
                    if len(value) < 5 and value in NULL_SCALARS and event.implicit[0] and not event.style:
                        value = None  # (the length first: hashing a long text only to find it is not null costs)
                    if mapping:
                        if key is no_key:
                            key = "" if value is None else value
                            if located:
                                key_loc = (*loc, key)
                                if key in container:
                                    raise _refusal(path, located, _mark(event), key_loc,
                                                   f"duplicate key '{key}' (first given at line "
                                                   f"{key_positions[key_loc][0]})",
                                                   "keep one of the two; YAML would silently drop the first")
                                key_positions[key_loc] = positions[key_loc] = _mark(event)
                            elif key in container:
                                raise _Refused
                        else:
                            container[key] = value
                            key = no_key
                            if located:
                                positions[key_loc] = _mark(event)
                    elif container is None:
                        root = value
                        root_at = positions[()] = _mark(event)
                    else:
                        if located:
                            positions[(*loc, len(container))] = _mark(event)
                        container.append(value)
                    continue
                # a container starts
                if mapping and key is no_key:
                    raise _refusal(path, located, _mark(event), loc, "a mapping key must be plain text")
                if len(stack) >= MAX_DEPTH:
                    raise _refusal(path, located, _mark(event), _next_loc(container, mapping, key, loc, key_loc),
                                   f"nesting deeper than {MAX_DEPTH} levels",
                                   "a case record is only a few levels deep; check for unbalanced brackets")
                child: Any = {} if kind is _MappingStart else []
                child_loc = _next_loc(container, mapping, key, loc, key_loc) if located else ()
                if mapping:
                    container[key] = child
                    if located:
                        positions[child_loc] = _mark(event)
                elif container is None:
                    root = child
                    root_at = positions[()] = _mark(event)
                else:
                    if located:
                        positions[child_loc] = _mark(event)
                    container.append(child)
                stack.append((container, mapping, loc))
                container, mapping, key, loc = child, kind is _MappingStart, no_key, child_loc
            elif kind is _MappingEnd or kind is _SequenceEnd:
                container, mapping, loc = stack.pop()
                key = no_key  # a mapping's value is complete: it waits for its next key
            elif kind is _Alias:
                raise _refusal(path, located, _mark(event), _next_loc(container, mapping, key, loc, key_loc),
                               f"aliases (*{event.anchor}) are not allowed", "write the value out in full")
            elif kind is _DocumentStart:
                documents += 1
                if documents > 1:
                    raise _refusal(path, located, _mark(event), (), "more than one YAML document in the file",
                                   "remove the '---' line; one file holds one case")
            elif kind is _StreamEnd or event is None:
                break
    finally:
        if loader is not None:
            loader.dispose()
    positions.setdefault((), (1, 1))
    return root, root_at, positions, key_positions


def _next_loc(container: Any, mapping: bool, key: Any, loc: Loc, key_loc: Loc) -> Loc:
    """Where the next node goes; a mapping still waiting for its key is located by the mapping itself."""
    if container is None:
        return ()
    if mapping:
        return loc if key is _NO_KEY else key_loc
    return (*loc, len(container))


def _anchor_or_tag(path: Path, located: bool, event: yaml.NodeEvent, loc: Loc) -> Exception:
    """The refusal of a node that carries an anchor or a tag (kept out of the walk's loop: it runs at every event)."""
    if event.anchor is not None:
        return _refusal(path, located, _mark(event), loc, f"anchors (&{event.anchor}) are not allowed",
                        "write each value out in full")
    return _refusal(path, located, _mark(event), loc, f"tags ({event.tag}) are not allowed",
                    "remove the tag; every value is plain text that the schema checks")


def _refusal(path: Path, located: bool, at: tuple[int, int], loc: Loc, message: str, hint: str = "") -> Exception:
    """What the walk raises where it refuses ``text``: the located problem, or (without positions) a bare
    :class:`_Refused`."""
    if not located:
        return _Refused()
    return LoadError(Problem(display_path(path), at[0], at[1], format_loc(loc), message, hint))


def _text_position(text: str, index: int) -> tuple[int, int]:
    """(line, column) of character ``index`` of ``text``, both counted from 1."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


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
