"""Every Jinja filter the templates use, registered in one place.

Whatever an editor typed reaches a page only through :func:`escape_text`, which turns
every character that Markdown, HTML, attribute lists or templates could act on into a
numeric character reference. The reader sees the character; no parser sees markup.
"""

from __future__ import annotations

import re

# Characters with a meaning to HTML, Markdown (inline, block or table), attr_list,
# snippets, admonitions or Jinja. Letters, digits, CJK and ordinary punctuation pass.
_SPECIAL = set("&<>\"'\\`*_{}[]()#!|~")
# Characters that matter only at the start of a line (lists, rules, setext headings) or
# doubled (snippet markers such as --8<--).
_LINE_START = re.compile(r"^(\s*)([-+=])|([-+=])(?=[-+=])", re.MULTILINE)
_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)
_INDENT = re.compile(r"^[ \t]", re.MULTILINE)  # four spaces or a tab would start a code block


def escape_text(value: object) -> str:
    """Plain text → Markdown/HTML that displays exactly that text, in any block or inline context."""
    text = str(value)
    out = "".join(f"&#{ord(ch)};" if ch in _SPECIAL else ch for ch in text)
    out = _LINE_START.sub(lambda m: f"{m.group(1)}&#{ord(m.group(2))};" if m.group(2) else f"&#{ord(m.group(3))};", out)
    out = _LIST_NUMBER.sub(lambda m: f"{m.group(1)}&#{ord(m.group(2))};", out)
    return _INDENT.sub(lambda m: f"&#{ord(m.group())};", out)


def escape_inline(value: object) -> str:
    """Like :func:`escape_text`, for one line (table cell, heading, card): line breaks become spaces."""
    return escape_text(" ".join(str(value).split()))


def paragraphs(value: object) -> list[str]:
    """Split a text into paragraphs at blank lines."""
    return [p.strip() for p in re.split(r"\n\s*\n", str(value)) if p.strip()]


def number(value: int | float) -> str:
    """A figure with thousands separators and no trailing .0, as both languages write it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.10g}"


_BIBTEX_SPECIAL = {ch: "\\" + ch for ch in "{}%&$#_"} | {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}",
                                                          "^": r"\textasciicircum{}"}


def bibtex(value: object) -> str:
    """Text as a BibTeX field value: LaTeX's special characters escaped (HTML escaping comes after, with esc1)."""
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in " ".join(str(value).split()))


def full_date(value: str) -> str:
    """A year, year-month or date as a full date (first of the month or year), for feeds."""
    parts = str(value).split("-") + ["01", "01"]
    return "-".join(parts[:3])


FILTERS = {
    "esc": escape_text,
    "esc1": escape_inline,
    "paragraphs": paragraphs,
    "number": number,
    "full_date": full_date,
    "bibtex": bibtex,
}
