"""Pages kept between the regenerations of `casebook serve`, each reused while its inputs are the same.

After an edit of one record, most pages of the preview are made from exactly what made them last time: the
record cache (record_cache.py) hands back the very same record objects for the files that did not change, and
the templates, UI strings, vocabulary and settings are the same. A page's key is its template, the context
shared by every page (``common``) and the inputs its caller names (render_page); a page whose key equals the one
of last time is not rendered again. The pages there are many of are made so: one per case, per browse value, per
indicator, per page of the finder. Saving one case re-renders its page and those of them it appears on, and the
others come back from here. The pages made once (home, compare, map, feed, the indexes) take all the cases:
keying them would cost about as much as rendering them.

What a key compares:

- the records' objects by identity: a record read again is a new object, one not read again is the very same
  (pydantic models of the records are frozen), so an unchanged page is found without walking its cases; what
  is made from a case alone (its facet entries, its figures on an indicator's page) is named by the case;
  a small model of plain fields (a {zh, en} text made while rendering) by its values;
- plain data (strings, numbers, lists, dicts, dataclasses made while rendering) by value and type, so ``10``
  and ``10.0`` differ as they do on a page;
- the template by identity: render.fresh_environment drops every compiled template when any template file
  changed, so an edited template or include gives new template objects;
- anything else by identity.

A key holds the objects it names, so none of them can be freed and its id given to another while the key is
kept. Entries a regeneration did not use are dropped after it: the cache holds one site's pages, no more.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Hashable
from typing import Any

import jinja2
from pydantic import BaseModel

from .schema import ValidCase

_PLAIN = (str, int, float, bool, type(None))
# Made in render.py from ``vocab``, ``lang`` and ``s``, which the key holds: new objects at every render_site,
# the same for the same inputs.
DERIVED = frozenset({"h", "label"})


class _Same:
    """An object compared by identity (and kept alive as long as the key that holds it)."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and self.obj is other.obj

    def __hash__(self) -> int:
        return id(self.obj)


def fingerprint(value: Any) -> Any:
    """A hashable stand-in for ``value`` that is equal for two values only if they render the same."""
    kind = type(value)
    if kind is str:
        return value
    if kind in _PLAIN or isinstance(value, str):  # numbers and Markup, with their type: 10, 10.0 and True differ
        return kind, value
    if kind is ValidCase:  # its id and path come with its record from one check (record_cache.py)
        return _Same(value.case)
    if kind is list or kind is tuple:
        return kind, tuple([fingerprint(item) for item in value])
    if isinstance(value, dict):
        return kind, tuple([(fingerprint(key), fingerprint(item)) for key, item in dict.items(value)])
    if isinstance(value, (set, frozenset)):
        return kind, frozenset([fingerprint(item) for item in value])
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = _fields_compared(kind)
    if names:
        return kind, tuple([fingerprint(getattr(value, name)) for name in names])
    return _Same(value)


_FIELDS: dict[type, tuple[str, ...]] = {}  # by type: the fields compared by value; () for compared by identity


def _fields_compared(kind: type) -> tuple[str, ...]:
    """A dataclass's fields; a pydantic model's only when all are plain (a {zh, en} text), else by identity."""
    if dataclasses.is_dataclass(kind):
        return tuple(f.name for f in dataclasses.fields(kind))
    if issubclass(kind, BaseModel) and all(_plain(f.annotation) for f in kind.model_fields.values()):
        return tuple(kind.model_fields)
    return ()


def _plain(annotation: Any) -> bool:
    """Whether a field holds a plain value: str, a number, or one of them or None."""
    if annotation in _PLAIN:
        return True
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and all(
        arg in _PLAIN for arg in typing.get_args(annotation))


class PageCache:
    """The pages of one language's last regeneration, by key."""

    def __init__(self) -> None:
        self._pages: dict[_Key, str] = {}
        self._used: dict[_Key, str] = {}
        self.rendered = self.reused = 0

    def environment(self, env: jinja2.Environment, common: dict[str, Any]) -> CachingEnvironment:
        """``env`` for one regeneration whose pages all share ``common``: :func:`render_page` reuses pages from here."""
        shared = fingerprint({key: value for key, value in common.items() if key not in DERIVED})
        return CachingEnvironment(self, env, shared)

    def sweep(self) -> None:
        """Keep only the pages the regeneration just done used."""
        self._pages, self._used = self._used, {}

    def _page(self, key: _Key, make: Callable[[], str]) -> str:
        text = self._pages.get(key)
        if text is None:
            text = make()
            self.rendered += 1
        else:
            self.reused += 1
        self._used[key] = text
        return text


class _Key:
    """A page's key, hashed once (a dict lookup and the store after it would each hash the whole tuple)."""

    __slots__ = ("value", "hash")

    def __init__(self, value: tuple) -> None:
        self.value, self.hash = value, hash(value)

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self.hash == other.hash and self.value == other.value


class CachingEnvironment:
    """A Jinja environment as render.py and pages.py use it (``get_template``), with the cache of the preview."""

    def __init__(self, cache: PageCache, env: jinja2.Environment, shared: Any) -> None:
        self.cache, self.env, self.shared = cache, env, shared

    def get_template(self, name: str) -> jinja2.Template:
        return self.env.get_template(name)


def render_page(env: jinja2.Environment | CachingEnvironment, name: str, inputs: Any,
                make: Callable[[jinja2.Template], str]) -> str:
    """The page that ``make`` renders with template ``name`` and the common context.

    Under the preview (``env`` from :meth:`PageCache.environment`) it is the page made last time from the same
    template, common context and ``inputs``, when there is one. ``inputs`` holds everything the page shows
    besides the common context, except what ``make`` computes from it.
    """
    template = env.get_template(name)
    if not isinstance(env, CachingEnvironment):
        return make(template)
    key = _Key((_Same(template), env.shared, fingerprint(inputs)))
    return env.cache._page(key, lambda: make(template))


class PerCase:
    """Each record's part of a data file (its JSON, its CSV lines), kept while its record object is the same."""

    def __init__(self) -> None:
        self._parts: dict[Hashable, tuple[Any, str]] = {}
        self._used: dict[Hashable, tuple[Any, str]] = {}

    def get(self, what: Hashable, item: ValidCase, make: Callable[[ValidCase], str]) -> str:
        """``what`` of ``item`` (a file's name, with whatever else ``make`` uses): as made last time, or made now."""
        key = (what, item.id)
        known = self._parts.get(key)
        text = known[1] if known is not None and known[0] is item.case else make(item)
        self._used[key] = (item.case, text)
        return text

    def sweep(self) -> None:
        """Keep only the parts the regeneration just done used."""
        self._parts, self._used = self._used, {}
