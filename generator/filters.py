"""Every Jinja filter the templates use, registered in one place.

Whatever an editor typed reaches a page escaped. The HTML page templates and the SVG they hold are autoescaped,
and the text filters (``tx``, ``paras``, ``term`` …, render.Helpers) return escaped markup. The Markdown page (the
guide) and the hand-escaped feed template use :func:`escape_inline`, which turns every character that
Markdown, HTML, attribute lists or templates could act on into a numeric character reference. The reader
sees the character; no parser sees markup.
"""

from __future__ import annotations

import json
import re

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from .locators import place_of
from .typography import join_folded

# Characters with a meaning to HTML, Markdown (inline, block or table), attr_list,
# snippets, admonitions or Jinja. Letters, digits, CJK and ordinary punctuation pass.
_SPECIAL = set("&<>\"'\\`*_{}[]()#!|~")
# Characters that matter only at the start of a line (lists, rules, setext headings) or
# doubled (snippet markers such as --8<--).
_LINE_START = re.compile(r"^(\s*)([-+=])|([-+=])(?=[-+=])", re.MULTILINE)
_LIST_NUMBER = re.compile(r"^(\s*[0-9]+)([.)])", re.MULTILINE)  # Markdown's list numbers: ASCII digits only


# Characters that XML 1.0 cannot carry at all, even as references (C0 controls, surrogates, U+FFFE/U+FFFF), and
# those HTML and XML call errors or discourage (C1 controls, DEL, the other noncharacters). Validation refuses them;
# should one get through, the feed must still parse: each is shown as U+FFFD, the replacement character.
_UNSAFE = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
           + "".join(chr(plane << 16 | low) for plane in range(1, 17) for low in (0xFFFE, 0xFFFF)))
REPLACEMENT = "\ufffd"

_REFERENCES = {ch: f"&#{ord(ch)};" for ch in _SPECIAL}
# One regular expression over the text: most texts hold none or a few special characters, and this is several
# times faster than str.translate, which looks every character of a Chinese text up in a dict.
_SPECIAL_RE = re.compile("[" + re.escape("".join(sorted(_SPECIAL))) + _UNSAFE + "]")


def _line_start(m: re.Match) -> str:
    return f"{m.group(1)}&#{ord(m.group(2))};" if m.group(2) else f"&#{ord(m.group(3))};"


def _list_number(m: re.Match) -> str:
    return f"{m.group(1)}&#{ord(m.group(2))};"


_MARKS = ("-", "+", "=")
_DOUBLED = re.compile(r"[-+=][-+=]")


def _reference(m: re.Match) -> str:
    return _REFERENCES.get(m.group(), REPLACEMENT)


# Runs of whitespace that one line makes one space of; not the ideographic space (U+3000), which Chinese text
# uses between phrases and which str.split() would take for a separator.
_WHITESPACE = re.compile(r"[^\S\u3000]+")


def _one_line(value: object) -> str:
    return _WHITESPACE.sub(" ", str(value)).strip()


def escape_inline(value: object) -> str:
    """Plain text → Markdown/HTML/XML that displays exactly that text, on one line (a table cell, a heading, a
    feed's entry): line breaks become spaces, characters no XML may hold become U+FFFD."""
    text = _one_line(value)
    if _SPECIAL_RE.search(text):
        text = _SPECIAL_RE.sub(_reference, text)
    # Marks that matter first on a line or doubled, and list numbers; each pattern runs only when it can match.
    if ("-" in text or "+" in text or "=" in text) and (text[:1] in _MARKS or _DOUBLED.search(text)):
        text = _LINE_START.sub(_line_start, text)
    if text[:1].isdigit():
        text = _LIST_NUMBER.sub(_list_number, text)
    return text


def paragraphs(value: object) -> list[str]:
    """Split a text into paragraphs at blank lines."""
    return [p.strip() for p in re.split(r"\n\s*\n", str(value)) if p.strip()]


# LaTeX's special characters as LaTeX writes them in text. BibTeX ends a field at the brace that balances its
# opening one, counting every brace and ignoring backslashes (so \} would still close the field): braces and the
# commands that end in {} are written as a group, {\textbraceright}, which keeps every field's braces balanced
# whatever the text holds.
BIBTEX_ESCAPES = {ch: "\\" + ch for ch in "%&$#_"} | {
    "{": r"{\textbraceleft}", "}": r"{\textbraceright}", "\\": r"{\textbackslash}",
    "~": r"{\textasciitilde}", "^": r"{\textasciicircum}"}
_BIBTEX_RE = re.compile("[" + re.escape("".join(BIBTEX_ESCAPES)) + "]")


def bibtex(value: object) -> str:
    """Text as a BibTeX field value, on one line, with LaTeX's special characters escaped (and the field's braces
    balanced). The page's HTML escaping comes after."""
    return _BIBTEX_RE.sub(lambda m: BIBTEX_ESCAPES[m.group()], oneline(value))


def full_date(value: str) -> str:
    """A year, year-month or date as a full date (first of the month or year), for feeds."""
    parts = str(value).split("-") + ["01", "01"]
    return "-".join(parts[:3])


def oneline(value: object) -> str:
    """Text on one line: runs of whitespace, line breaks included, become one space."""
    return _one_line(value)


# What YAML does not allow in a file (its "printable" set excludes them), written as escapes instead. Validation
# refuses them in records; this keeps the front matter readable whatever reaches it.
_NOT_YAML_PRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def front_matter(title: object) -> Markup:
    """A page title as the YAML front matter's value: HTML-escaped (MkDocs' theme prints titles as they are), on
    one line, and quoted as JSON, which YAML reads as a double-quoted string whatever the title holds."""
    quoted = json.dumps(oneline(escape(title)), ensure_ascii=False)
    return Markup(_NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted))


def fmt(template: str, **values: object) -> Markup:
    """A UI string with ``{name}`` placeholders filled in, in an HTML page: the string and every value that is
    not already markup are escaped."""
    return escape(template).format(**values)


# The text helpers of a page's language: render.Helpers, given to every template as ``h``, whose methods say what
# each does. As filters (``m.title | tx``, ``f.unit | term("units")``) they are called directly by the compiled
# template, which costs much less than a call of ``h.tx(...)`` or of a macro.
HELPER_FILTERS = ("tx", "paras", "term", "amount", "amount_text", "cell", "facet_label", "figure_label", "period",
                  "date", "count", "number")


def _helper_filter(name: str):
    @pass_context
    def helper(context: Context, value, *args):
        return getattr(context["h"], name)(value, *args)
    helper.__name__ = name
    return helper


FILTERS = {name: _helper_filter(name) for name in HELPER_FILTERS} | {
    "esc1": escape_inline,
    "paragraphs": paragraphs,
    "full_date": full_date,
    "oneline": oneline,
    "front_matter": front_matter,
    "fmt": fmt,
    "bibtex": bibtex,
    "join_folded": join_folded,
    "located": place_of,
}
