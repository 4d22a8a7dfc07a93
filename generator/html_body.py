"""Pages whose body the generator wrote as HTML (front matter ``body: html``), taken by MkDocs as they are.

Python-Markdown would parse such a body only to hand the same HTML back, and at 1,000 cases that parse was
nine tenths of each MkDocs build. The MkDocs hook gives these pages a render step that uses the body as the
page's content and reads the table of contents from its headings (h2 and h3, each with an id, as the
templates write them), which is what Python-Markdown's toc extension would have found.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.structure.toc import get_toc

HTML_BODY = "html"
TOC_DEPTH = 3  # sections and their parts (h2, h3); a case page's measures (h4) would make the list a page long
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)<a class="headerlink"', re.S)
_ID = re.compile(r'\bid="([^"]+)"')


def is_html_body(page: Any) -> bool:
    return page.meta.get("body") == HTML_BODY


def toc_tokens(html: str, depth: int = TOC_DEPTH) -> list[dict[str, Any]]:
    """The nested headings of levels 2 to ``depth``, in MkDocs' toc-token form."""
    top: list[dict[str, Any]] = []
    open_levels: list[dict[str, Any]] = []  # the last heading seen at each nesting level
    for level_text, anchor, name in _HEADING.findall(html):
        level = int(level_text)
        if not 2 <= level <= depth:
            continue
        token = {"level": level, "id": anchor, "name": name, "children": []}
        while open_levels and open_levels[-1]["level"] >= level:
            open_levels.pop()
        (open_levels[-1]["children"] if open_levels else top).append(token)
        open_levels.append(token)
    return top


def use_as_content(page: Any, html: str) -> None:
    """Make ``page`` render to ``html`` itself, with the table of contents and anchors read from it."""

    def render(config: Any, files: Any) -> None:
        page.content = html
        page.toc = get_toc(toc_tokens(html))
        page.present_anchor_ids = set(_ID.findall(html))

    page.render = render
