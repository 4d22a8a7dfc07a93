"""Pages whose body the generator wrote as HTML (front matter ``body: html``), used by MkDocs as they are.

Python-Markdown would parse such a body only to hand the same HTML back, and at 1,000 cases that parse was nine
tenths of each MkDocs build. So the MkDocs hook, through documented events only, gives Python-Markdown a short
stand-in for the body (:func:`stand_in`: the page's sections as Markdown headings with their ids, from which MkDocs
makes the table of contents and learns the anchors other pages link to) and then puts the body itself in place of
what the stand-in rendered to. The page in the docs tree keeps its whole body, so an engine that runs no hooks
(Zensical) builds the same page: Python-Markdown passes its HTML blocks through.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from typing import Any

HTML_BODY = "html"
TOC_DEPTH = 3  # sections and their parts (h2, h3); a case page's measures (h4) would make the list a page long
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>')
_PERMALINK = '<a class="headerlink"'  # ends the heading's text
_TAG = re.compile(r"<[^>]*>")
# What Python-Markdown reads as syntax in a heading's text, escaped with a backslash so a heading stays its text
# (braces included: nothing in an editor's text becomes an attribute).
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()>#+\-.!])")


def is_html_body(meta: Mapping[str, Any]) -> bool:
    return meta.get("body") == HTML_BODY


def stand_in(body: str, depth: int = TOC_DEPTH) -> str:
    """The Markdown MkDocs converts for ``body``: its headings of levels 2 to ``depth``, each with its id."""
    lines = []
    for level_text, anchor, name in _headings(body):
        level = int(level_text)
        if 2 <= level <= depth:
            text = html.unescape(_TAG.sub("", name)).replace("&", "&amp;").replace("<", "&lt;")
            text = _MARKDOWN_SYNTAX.sub(r"\\\1", text)
            lines.append(f"{'#' * level} {text} {{#{anchor}}}")
    return "\n\n".join(lines) + "\n"


def _headings(body: str) -> Iterator[tuple[str, str, str]]:
    """(level, id, text as markup) of each heading with an id, in one pass: each search goes on from where the last
    ended. A heading's text ends at its permalink or, where it has none (a measure's title inside its fold's
    summary: a link there would be a control inside a control), at its closing tag."""
    at = 0
    while (start := _HEADING.search(body, at)) is not None:
        close = body.find(f"</h{start.group(1)}>", start.end())
        if close < 0:
            return
        permalink = body.find(_PERMALINK, start.end(), close)
        end = permalink if permalink >= 0 else close
        yield start.group(1), start.group(2), body[start.end():end]
        at = close
