"""The Content-Security-Policy of every built page: part of stage 5, build, after MkDocs and Pagefind, before the
swap.

Each HTML page gets a ``<meta http-equiv="Content-Security-Policy">`` right after its ``<meta charset>``: the
browser then runs no script and applies no style but the site's own files and the page's own inline scripts
(Material's, allowed by their sha256 hashes, computed here from the page as built). A script or handler that came
from record text, had escaping ever failed, would not run. The policy is computed from the built HTML, not
through a MkDocs hook, so it holds whatever engine built the pages. README ("Content-Security-Policy") lists the
directives and why each.

Only the theme's scripts are trusted as they stand: those outside the page's content (Material's ``<article
class="md-content__inner">``), which vary with the page's depth. Inside it, where the generated body goes, the
only script allowed is one the project's own templates write word for word (the finder's first-paint script in
site_overrides/main.html); any other ``<script`` there fails the build, so a script that reached a page through
the body, had escaping ever failed, is refused rather than trusted by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Iterator
from pathlib import Path

from .compact import compact
from .errors import CasebookError

# Directives that do not depend on the page; script-src gets the page's hashes.
#   default-src 'self'         anything not named below (fonts, manifests, media) only from the site itself
#   script-src 'self' …        the site's script files, the page's inline scripts by hash; 'wasm-unsafe-eval' lets
#                              Pagefind compile its WebAssembly on the page when its worker cannot start (in the
#                              worker, which this policy does not govern, it needs nothing); eval() of JavaScript
#                              stays forbidden
#   style-src 'self'           the site's style sheets only: no page has a <style> or style attribute, and scripts
#                              set styles through the CSSOM, which the policy does not restrict
#   img-src 'self' data:       the site's images, and the data: SVG icons Material's style sheets draw with
#   connect-src 'self'         Pagefind fetches its index, fragments and WebAssembly from the site
#   worker-src 'self'          Pagefind's web worker, pagefind-worker.js of the site
#   object-src 'none'          no plug-ins
#   base-uri 'self'            no <base> can send relative links elsewhere
#   form-action 'none'         no form on the site submits (Material's palette form is only a set of radio buttons)
# frame-ancestors cannot be set by a <meta> (browsers ignore it there and say so): a host that wants it sends it
# as a header.
FIXED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'none'",
}
WASM = "'wasm-unsafe-eval'"

# The browser form of `casebook edit` (edit_server.py), sent as a header with that page only; it is no page of the
# site and never gets the readers' policy. Decap CMS compiles code at run time ('unsafe-eval') and styles its
# widgets with inline styles ('unsafe-inline' for styles only; no inline script runs); it loads everything from the
# edit server, talks only to it, and may not be framed.
EDIT_FORM_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
                    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
                    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class PolicyFailed(CasebookError):
    """A built page has no <head> to hold its policy, or a script in its content that the templates did not write."""


# The templates escape every '<' of record text, so each "<script" of a built page opens a real script element.
_SCRIPT_OPEN = re.compile(r"<script\b", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</script\s*+>", re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_SRC = re.compile(r"(?:^|\s)src\s*=", re.IGNORECASE)
# The theme's element that holds the page's content: from its start tag to the page's last </article> (the widest
# reading, should the content ever hold an article of its own).
_CONTENT = re.compile(r"<article\b[^>]*\bmd-content__inner\b[^>]*>", re.IGNORECASE)
_CONTENT_END = "</article"
_CHARSET = re.compile(r"<meta\s+charset\s*=[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
# Types a browser runs as script; any other (application/json …) is a data block, which no policy governs.
_SCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript",
                 "application/ecmascript"}


def _scripts(html: str) -> Iterator[tuple[int, str, str]]:
    """(where it starts, its attributes, its text) of each script element of ``html``, in one pass: each search
    goes on from where the last one ended, so no page, however it is made, takes more than one reading."""
    at = 0
    while (opening := _SCRIPT_OPEN.search(html, at)) is not None:
        tag_end = html.find(">", opening.end())
        closing = _SCRIPT_CLOSE.search(html, tag_end + 1) if tag_end >= 0 else None
        if closing is None:
            return
        yield opening.start(), html[opening.end():tag_end], html[tag_end + 1:closing.start()]
        at = closing.end()


def _inline_scripts(html: str) -> Iterator[tuple[int, str]]:
    """(where it starts, its text as the browser hashes it) of each script of ``html`` the browser runs inline."""
    for at, attributes, body in _scripts(html):
        kind = _TYPE.search(attributes)
        script_type = next((g for g in kind.groups() if g is not None), "") if kind else ""
        if _SRC.search(attributes) or script_type.strip().lower() not in _SCRIPT_TYPES:
            continue
        # The browser hashes the script as parsed: line breaks normalised to \n, encoded as UTF-8.
        yield at, body.replace("\r\n", "\n").replace("\r", "\n")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_script_hashes(html: str) -> list[str]:
    """The CSP source expressions ('sha256-…') of the page's inline scripts, in page order, each once."""
    return list(dict.fromkeys(_hash(text) for _, text in _inline_scripts(html)))


def shipped_scripts(overrides: Path) -> frozenset[str]:
    """The inline scripts the project's theme templates (``overrides``, site_overrides/) write as they stand, as a
    built page holds them (compacted): the only scripts a page's content may hold."""
    texts = (path.read_text(encoding="utf-8") for path in sorted(overrides.rglob("*.html")))
    return frozenset(compact(text) for html in texts for _, text in _inline_scripts(html)
                     if "{{" not in text and "{%" not in text)


def content_span(html: str) -> tuple[int, int] | None:
    """Where the page's content is (Material's article, the generated body within it), or None for a page
    without one."""
    start = _CONTENT.search(html)
    if start is None:
        return None
    end = html.lower().rfind(_CONTENT_END)
    return start.start(), end if end > start.end() else len(html)


def foreign_scripts(html: str, shipped: frozenset[str]) -> list[str]:
    """The start of each ``<script`` in the page's content that is not one of the ``shipped`` scripts (one with
    a src, or of any type, counts: the content holds no script of its own)."""
    span = content_span(html)
    if span is None:
        return []
    start, end = span
    allowed = {at for at, text in _inline_scripts(html) if text in shipped}
    found = []
    at = _SCRIPT_OPEN.search(html, start, end)
    while at is not None:
        if at.start() not in allowed:
            found.append(html[at.start():at.start() + 80].split("\n")[0])  # enough to find it by
        at = _SCRIPT_OPEN.search(html, at.end(), end)
    return found


def policy(html: str) -> str:
    """The policy of one page."""
    directives = dict(FIXED)
    directives["script-src"] = " ".join([FIXED["script-src"], *inline_script_hashes(html), WASM])
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def with_policy(html: str, where: str = "a page", shipped: frozenset[str] = frozenset()) -> str:
    """The page with its policy as early in <head> as it can be: after <meta charset>, else first in <head>.
    A script in the page's content other than the ``shipped`` ones is refused."""
    foreign = foreign_scripts(html, shipped)
    if foreign:
        raise PolicyFailed(f"{where}: a script in the page's content that no template of the project writes: "
                           f"{foreign[0]!r}{f' (and {len(foreign) - 1} more)' if len(foreign) > 1 else ''}\n"
                           "a page's content is the generated body, which holds no script: a template or a text "
                           "let one through, and the site would run it\nthe previous site was left as it was")
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        raise PolicyFailed(f"{where} has no <head> to hold its Content-Security-Policy\n"
                           "the previous site was left as it was")
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return html[:anchor.end()] + meta + html[anchor.end():]


def add_policies(site: Path, overrides: Path) -> dict[str, float]:
    """Add its policy to every HTML page under ``site`` (``overrides``: the theme templates that write the only
    scripts a page's content may hold); returns the seconds it took, as a build stage."""
    started = time.perf_counter()
    shipped = shipped_scripts(overrides)
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        page.write_text(with_policy(html, page.relative_to(site).as_posix(), shipped), encoding="utf-8")
    return {"csp": time.perf_counter() - started}
