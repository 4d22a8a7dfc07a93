"""Built pages without the blank lines and indentation the theme's templates leave (a fifth of a case page's bytes).

Every built page gets it, whichever engine built it: MkDocs through the hook (``on_post_page``), Zensical's output
in `casebook build` (build.py).
"""

from __future__ import annotations

import re
from pathlib import Path

_KEEP_WHITESPACE = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.S | re.I)
_INDENT = re.compile(r"[ \t\r]*\n\s*")  # a line break with the blank lines and indentation around it


def compact(html: str) -> str:
    """A line break with whitespace around it renders as one space, so one line break is kept; <pre> and
    <textarea> keep theirs."""
    parts = _KEEP_WHITESPACE.split(html)
    # split() yields text, then (whole match, tag name) for each kept element
    return "".join(_INDENT.sub("\n", part) if i % 3 == 0 else part if i % 3 == 1 else ""
                   for i, part in enumerate(parts))


def compact_site(site: Path) -> None:
    """:func:`compact` every HTML page of a built site, in place."""
    for page in site.rglob("*.html"):
        page.write_text(compact(page.read_text(encoding="utf-8")), encoding="utf-8")
