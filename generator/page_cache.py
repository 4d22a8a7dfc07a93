"""Pages kept between the regenerations of `casebook serve`, each reused while its inputs are the same.

After an edit of one record, most pages of the preview are made from exactly what made them last time: the
record cache (record_cache.py) hands back the very same record objects for the files that did not change, and
the templates, UI strings, vocabulary and settings are the same. A page's key is what its render call is given:
its template, the context shared by every page (``common``) and the page's own arguments. The cache wraps that
call from outside (CachingEnvironment, which the preview hands the page producers in place of the Jinja
environment), so no producer names what its page depends on; a page whose key equals the one of last time is
not rendered again. The pages there are many of are made so: one per case, per browse value, per
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
import operator
import types
import typing
from collections.abc import Callable, Hashable
from typing import Any

import jinja2
from pydantic import BaseModel

from .schema import ValidCase

_PLAIN = (str, int, float, bool, type(None))
# Made in render.page_context from ``vocab``, ``lang`` and ``s``, which the key holds: new objects at every
# regeneration, the same for the same inputs.
DERIVED = frozenset({"h", "label"})


class Fingerprints:
    """Hashable stand-ins for values, equal for two values only if they render the same.

    An object compared by identity stands as its id, a bare int (a number stands with its type): comparing keys
    is then the interpreter's own work, not a method call for each record a page shows. Its id is its alone while
    it lives, so ``held`` keeps every such object alive, and each key made here holds ``held``.
    """

    def __init__(self) -> None:
        self.held: list[Any] = []

    def same(self, value: Any) -> int:
        self.held.append(value)
        return id(value)

    def of(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return value
        how = _HOW.get(kind)
        if how is None:
            how = _HOW[kind] = _how(kind)
        # a type stands as its id too: classes live as long as the process, and a tuple of numbers and strings
        # alone is one the garbage collector stops tracking, so the keys the preview keeps cost its collections
        # nothing
        if how is _VALUE:
            return id(kind), value
        if how is _CASE:   # its id and path come with its record from one check (record_cache.py)
            return self.same(value.case)
        if how is _ITEMS:  # one tuple, its type's id first, then its items' (so, fewer objects to make and collect)
            return id(kind), *map(self.of, value)
        if how is _MAPPING:
            return id(kind), *[part for key, item in dict.items(value) for part in (self.of(key), self.of(item))]
        if how is _SET:
            return id(kind), frozenset(map(self.of, value))
        if how is _IDENTITY:
            return self.same(value)
        return id(kind), *map(self.of, how(value))


# How a type's values are compared, when not by the fields a getter of them gives
_VALUE, _CASE, _ITEMS, _MAPPING, _SET, _IDENTITY = (object() for _ in range(6))
# A pure memo table (what a type is compared by does not change): by type, how its values are compared.
_HOW: dict[type, Any] = {}


def _how(kind: type) -> Any:
    if kind in _PLAIN or issubclass(kind, str):  # numbers and Markup, with their type: 10, 10.0 and True differ
        return _VALUE
    if kind is ValidCase:
        return _CASE
    if issubclass(kind, (list, tuple)):
        return _ITEMS
    if issubclass(kind, dict):
        return _MAPPING
    if issubclass(kind, (set, frozenset)):
        return _SET
    names = _fields_compared(kind)
    if not names:
        return _IDENTITY
    return operator.attrgetter(*names) if len(names) > 1 else lambda value: (getattr(value, names[0]),)


def _fields_compared(kind: type) -> tuple[str, ...]:
    """A dataclass's fields that take part in its comparison; a pydantic model's only when all are plain (a {zh, en}
    text); none (compared by identity) otherwise."""
    if dataclasses.is_dataclass(kind):
        return tuple(f.name for f in dataclasses.fields(kind) if f.compare)
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

    def environment(self, env: jinja2.Environment) -> CachingEnvironment:
        """``env`` for one regeneration: the templates of :data:`PER_ITEM` render through this cache."""
        return CachingEnvironment(self, env)

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
    """A page's key, hashed once (a dict lookup and the store after it would each hash the whole tuple), holding the
    objects it names by their ids (Fingerprints)."""

    __slots__ = ("value", "hash", "held")

    def __init__(self, value: tuple, held: list[Any]) -> None:
        self.value, self.hash, self.held = value, hash(value), held

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self.hash == other.hash and self.value == other.value


# The templates there are many pages of: one per case, per page of the finder, per browse value, per indicator.
PER_ITEM = frozenset({"case.html.j2", "catalogue.html.j2", "browse_facet.html.j2", "compare_indicator.html.j2"})


class CachingEnvironment:
    """A Jinja environment as the page producers use it (``get_template``), whose :data:`PER_ITEM` templates render
    through the cache: the producers do not know it is there."""

    def __init__(self, cache: PageCache, env: jinja2.Environment) -> None:
        self.cache, self.env, self.fingerprints = cache, env, Fingerprints()
        self._common: tuple[dict[str, Any], Any] | None = None

    def get_template(self, name: str) -> jinja2.Template | _CachingTemplate:
        template = self.env.get_template(name)
        return _CachingTemplate(self, template) if name in PER_ITEM else template

    def common_key(self, common: dict[str, Any]) -> Any:
        """The key of the context every page shares, made once for the one dict a regeneration passes."""
        if self._common is None or self._common[0] is not common:
            self._common = common, self.fingerprints.of({key: value for key, value in common.items()
                                                          if key not in DERIVED})
        return self._common[1]


class _CachingTemplate:
    """A template whose ``render`` is the page made last time from the same template and the same inputs (the
    common context and the page's own), when there is one."""

    def __init__(self, env: CachingEnvironment, template: jinja2.Template) -> None:
        self.env, self.template = env, template

    def render(self, common: dict[str, Any], **inputs: Any) -> str:
        fingerprints = self.env.fingerprints
        key = _Key((fingerprints.same(self.template), self.env.common_key(common), fingerprints.of(inputs)),
                   fingerprints.held)
        return self.env.cache._page(key, lambda: self.template.render(common, **inputs))


class PerCase:
    """Each record's part of a data file (its JSON, its CSV lines), kept while its record object is the same: its
    ``get`` is the ``each_case`` of the page producers' context (page_context.EachCase)."""

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
