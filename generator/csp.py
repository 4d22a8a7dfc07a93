"""The Content-Security-Policy of every built page: part of stage 5, build, after MkDocs and Pagefind, before the
swap.

Each HTML page gets a ``<meta http-equiv="Content-Security-Policy">`` right after its ``<meta charset>``: the
browser then runs no script and applies no style but the site's own files and the page's own inline scripts
(Material's, allowed by their sha256 hashes, computed here from the page as built). A script or handler that came
from record text, had escaping ever failed, would not run. The policy is computed from the built HTML, not
through a MkDocs hook, so it holds whatever engine built the pages. README ("Content-Security-Policy") lists the
directives and why each.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from pathlib import Path

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
    """A built page has no <head> to hold its policy."""


# The templates escape every '<' of record text, so each "<script" of a built page opens a real script element.
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_TYPE = re.compile(r"""\btype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_SRC = re.compile(r"(?:^|\s)src\s*=", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\s+charset\s*=[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
# Types a browser runs as script; any other (application/json …) is a data block, which no policy governs.
_SCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript",
                 "application/ecmascript"}


def inline_script_hashes(html: str) -> list[str]:
    """The CSP source expressions ('sha256-…') of the page's inline scripts, in page order, each once."""
    hashes: dict[str, None] = {}
    for match in _SCRIPT.finditer(html):
        attributes, body = match.groups()
        kind = _TYPE.search(attributes)
        script_type = next((g for g in kind.groups() if g is not None), "") if kind else ""
        if _SRC.search(attributes) or script_type.strip().lower() not in _SCRIPT_TYPES:
            continue
        # The browser hashes the script as parsed: line breaks normalised to \n, encoded as UTF-8.
        text = body.replace("\r\n", "\n").replace("\r", "\n")
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
        hashes[f"'sha256-{digest}'"] = None
    return list(hashes)


def policy(html: str) -> str:
    """The policy of one page."""
    directives = dict(FIXED)
    directives["script-src"] = " ".join([FIXED["script-src"], *inline_script_hashes(html), WASM])
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def with_policy(html: str, where: str = "a page") -> str:
    """The page with its policy as early in <head> as it can be: after <meta charset>, else first in <head>."""
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        raise PolicyFailed(f"{where} has no <head> to hold its Content-Security-Policy\n"
                           "the previous site was left as it was")
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return html[:anchor.end()] + meta + html[anchor.end():]


def add_policies(site: Path) -> dict[str, float]:
    """Add its policy to every HTML page under ``site``; returns the seconds it took, as a build stage."""
    started = time.perf_counter()
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        page.write_text(with_policy(html, page.relative_to(site).as_posix()), encoding="utf-8")
    return {"csp": time.perf_counter() - started}
