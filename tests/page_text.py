"""The text a reader sees on a built page, for checks of wording, numbers and typography over whole sites.

Block elements (paragraphs, cells, list items, headings …) end a run of text, as the browser lays them out;
inline elements (links, emphasis, spans) do not, so a space a template puts between "返回" and a link is found.
Scripts, styles and the hidden search data are skipped; title and aria-label texts are read too (hover texts).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

BLOCKS = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "dialog", "div", "dl", "dt",
          "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
          "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
          "tr", "ul", "svg", "text", "title", "desc", "g", "a", "label", "button", "input", "select", "option",
          "html", "body", "head"}
# Line breaks and runs of ASCII whitespace, which a browser shows as one space; not the ideographic space (U+3000).
_WHITESPACE = re.compile(r"[^\S\u3000]+")
SKIPPED = {"script", "style", "template", "noscript"}


class _Text(HTMLParser):
    def __init__(self, svg_links_are_blocks: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.in_svg = 0

    def _end_run(self) -> None:
        run = "".join(self.current)
        if run.strip():
            self.runs.append(_WHITESPACE.sub(" ", run).strip() if "\n" in run else run.strip())
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        if tag == "svg":
            self.in_svg += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "alt") and value and value.strip():
                self.runs.append(value.strip())
        if tag in BLOCKS and (tag != "a" or self.in_svg):
            self._end_run()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        if tag == "svg":
            self.in_svg = max(0, self.in_svg - 1)
        if tag in BLOCKS and (tag != "a" or self.in_svg):
            self._end_run()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)


def visible_runs(html: str) -> list[str]:
    """The page's text as runs, each what one block holds (whitespace inside a run kept as the page has it,
    line breaks of the HTML source made single spaces, as a browser shows them)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser._end_run()
    return parser.runs


def built_pages(site: Path, lang: str) -> list[Path]:
    """Every HTML page of one language's site (``site`` holds Chinese at its root and English under en/)."""
    pages = sorted(site.rglob("*.html"))
    english = site / "en"
    return [p for p in pages if (english in p.parents) == (lang == "en")]
