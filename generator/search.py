"""The search index, as Material's search plugin makes it but leaner and faster (set up by the MkDocs hook).

Material's plugin stays in mkdocs.yml (plain configuration, also understood by Zensical); the hook swaps
the class of the plugin's index object for :class:`CasebookSearchIndex`, which

- segments Chinese with jieba as Material does (each Han run cut separately and joined with \\u200b), but
  caches the result of every run (names, labels and headings recur on every page) and cuts nothing on the
  English site, whose separator has no \\u200b;
- indexes listing pages (catalogue, browse, compare, map, data) by their title only: their text repeats the
  case pages, which are what a reader looks for;
- leaves out case-page sections that only repeat the page (the citation, the translation status) and
  sections without text (their heading alone is also in the page's text);
- writes the index as UTF-8 without spaces, not with \\uXXXX escapes (six bytes a Chinese character).
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from backrefs import bre
from material.plugins.search.plugin import SearchIndex, SearchPlugin

from .render import LANGUAGES, ui_strings

try:
    import jieba
except ImportError:  # Material indexes without segmentation then, and so do we
    jieba = None

# Pages whose text is a list of cases (or figures) already on the case pages: indexed by title only.
LISTING_PAGES = ("browse/", "compare/", "map/", "data/")
CATALOGUE = "cases/"
HAN = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)  # Material's expression, compiled once
_CACHE_LIMIT = 500_000


def _redundant_sections() -> dict[str, frozenset[str]]:
    """Case-page headings whose sections only repeat the page: the citation and the translation status."""
    return {lang: frozenset(ui_strings(lang)["case"][key] for key in ("citation", "translation"))
            for lang in LANGUAGES}


class CasebookSearchIndex(SearchIndex):
    """Material's SearchIndex with the changes listed in the module's docstring."""

    _segmented: dict[str, str] = {}  # shared by every index of the process (mkdocs serve rebuilds)
    _redundant: dict[str, frozenset[str]] | None = None

    def add_entry_from_context(self, page: Any) -> None:
        listing = page.url == CATALOGUE or page.url.startswith(LISTING_PAGES)
        if listing and not (page.meta.get("search") or {}).get("exclude"):
            title = escape(str(page.meta.get("title", page.title)), quote=False)
            self.entries.append({"location": page.url, "title": self._segment(title), "text": ""})
            return
        super().add_entry_from_context(page)

    def create_entry_for_section(self, section: Any, toc: Any, url: str, page: Any) -> None:
        if section.id and url.startswith(CATALOGUE) and url != CATALOGUE:
            if not "".join(section.text).strip():
                return
            if "".join(section.title).strip() in self._redundant_headings():
                return
        super().create_entry_for_section(section, toc, url, page)

    def _redundant_headings(self) -> frozenset[str]:
        if CasebookSearchIndex._redundant is None:
            CasebookSearchIndex._redundant = _redundant_sections()
        lang = "zh" if self.segments() else "en"
        return CasebookSearchIndex._redundant.get(lang, frozenset())

    def segments(self) -> bool:
        """Whether Chinese is cut into words: only where \\u200b separates search terms (the Chinese site)."""
        return jieba is not None and "\\u200b" in str(self.config.get("separator") or "")

    def _segment_chinese(self, data: str) -> str:
        return self._segment(data)

    def _segment(self, data: str) -> str:
        if not self.segments():
            return data
        cache = CasebookSearchIndex._segmented
        if len(cache) > _CACHE_LIMIT:
            cache.clear()

        def replace(match: Any) -> str:
            run = match.group(0)
            cut = cache.get(run)
            if cut is None:
                cut = cache[run] = "\u200b" + "\u200b".join(jieba.cut(run)) + "\u200b"
            return cut

        return HAN.sub(replace, data).strip("\u200b")

    def generate_search_index(self, prev: Any) -> str:
        # Material's method, including its merging under `mkdocs serve --dirty`, but written as UTF-8.
        if prev and self.entries:  # a dirty rebuild indexed the changed pages only: replace their entries
            changed = {entry["location"].partition("#")[0] for entry in self.entries}
            self.entries = [e for e in prev.entries if e["location"].partition("#")[0] not in changed] + self.entries
        elif prev:
            self.entries = prev.entries
        config = {key: self.config[key] for key in ("lang", "separator", "pipeline", "fields")}
        return json.dumps({"config": config, "docs": self.entries}, ensure_ascii=False, separators=(",", ":"),
                          default=str)


def install(config: Any) -> None:
    """Make the search plugin of ``config`` (if any, and once it has set up its index) use CasebookSearchIndex."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if isinstance(plugin, SearchPlugin) and isinstance(index, SearchIndex):
            index.__class__ = CasebookSearchIndex
