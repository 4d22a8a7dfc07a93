"""Built pages without the blank lines and indentation the theme's templates leave (a fifth of a case page's bytes).

Every built page gets it, whichever engine built it: MkDocs through the hook (``on_post_page``), Zensical's output
in `casebook build` (build.py).
"""

from __future__ import annotations

import re
from pathlib import Path

# Elements whose whitespace is their content.
_KEPT = re.compile(r"<(pre|textarea)\b", re.I)
_KEPT_END = {"pre": re.compile(r"</pre>", re.I), "textarea": re.compile(r"</textarea>", re.I)}
# A line break with the blank lines and indentation around it. It starts only where a run of spaces starts and
# takes the run whole (possessive): `[ \t\r]*\n` tried again at every space of a run with no line break after it,
# n² steps (an English text of 300,000 spaces made the build take 80 s).
_INDENT = re.compile(r"(?<![ \t\r])[ \t\r]*+\n\s*+")


def compact(html: str) -> str:
    """A line break with whitespace around it renders as one space, so one line break is kept; <pre> and
    <textarea> keep theirs. One pass: an element that is never closed is looked for only once."""
    parts: list[str] = []
    done = 0  # the page up to here is in parts
    unclosed: set[str] = set()  # elements with no end tag after where one was last looked for
    at = _KEPT.search(html)
    while at is not None:
        tag = at.group(1).lower()
        end = None if tag in unclosed else _KEPT_END[tag].search(html, at.end())
        if end is None:
            unclosed.add(tag)
            at = _KEPT.search(html, at.end())
            continue
        parts += [_INDENT.sub("\n", html[done:at.start()]), html[at.start():end.end()]]
        done = end.end()
        at = _KEPT.search(html, done)
    parts.append(_INDENT.sub("\n", html[done:]))
    return "".join(parts)


def compact_site(site: Path) -> None:
    """:func:`compact` every HTML page of a built site, in place."""
    for page in site.rglob("*.html"):
        page.write_text(compact(page.read_text(encoding="utf-8")), encoding="utf-8")
