"""Pages kept between the regenerations of `casebook serve`, each reused while its inputs are the same.

After an edit of one record, most pages of the preview are made from exactly what made them last time: the
record cache (record_cache.py) hands back the very same record objects for the files that did not change, and
the templates, UI strings, vocabulary and settings are the same. A page's key is its template and everything
it is rendered from, the context shared by every page (``common``) included; a page whose key equals the one of
last time is not rendered again. So saving one case re-renders that case's page and the listing pages it
appears on (a browse page, a compare page, a page of the finder, the home page …), and the others come back
from here.

What a key compares:

- the records' objects by identity: a record read again is a new object, one not read again is the very same
  (pydantic models of the records are frozen), so an unchanged page is found without walking its cases;
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
# The templates of the pages there are many of: one per case, per browse value, per indicator, per page of the
# finder. The pages made once (home, compare, map, feed, the browse and glossary indexes) are rendered anew: they
# take all the cases, and keying them would cost more than rendering them.
PER_ITEM = frozenset({"case.html.j2", "browse_facet.html.j2", "compare_indicator.html.j2", "catalogue.html.j2"})


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
        self._pages: dict[Any, str] = {}
        self._used: dict[Any, str] = {}
        self.rendered = self.reused = 0

    def environment(self, env: jinja2.Environment, common: dict[str, Any]) -> _CachingEnvironment:
        """``env`` whose templates, rendered with ``common`` first, come from this cache while their key holds."""
        shared = fingerprint({key: value for key, value in common.items() if key not in DERIVED})
        return _CachingEnvironment(self, env, common, shared)

    def sweep(self) -> None:
        """Keep only the pages the regeneration just done used."""
        self._pages, self._used = self._used, {}

    def _render(self, key: Any, make: Callable[[], str]) -> str:
        text = self._pages.get(key)
        if text is None:
            text = make()
            self.rendered += 1
        else:
            self.reused += 1
        self._used[key] = text
        return text


class _CachingEnvironment:
    """The part of a Jinja environment that render.py and pages.py use: ``get_template``."""

    def __init__(self, cache: PageCache, env: jinja2.Environment, common: dict[str, Any], shared: Any) -> None:
        self._cache, self._env, self._common, self._shared = cache, env, common, shared

    def get_template(self, name: str) -> jinja2.Template | _CachingTemplate:
        template = self._env.get_template(name)
        return _CachingTemplate(self, template) if name in PER_ITEM else template


class _CachingTemplate:
    def __init__(self, owner: _CachingEnvironment, template: jinja2.Template) -> None:
        self._owner, self._template = owner, template

    def render(self, *args: Any, **context: Any) -> str:
        owner = self._owner
        # rendered with the pages' common context (as all are): its key made once; else its own arguments are
        shared = owner._shared if len(args) == 1 and args[0] is owner._common else fingerprint(args)
        key = (_Same(self._template), shared, fingerprint(context))
        return owner._cache._render(key, lambda: self._template.render(*args, **context))


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
