"""Helpers for the browser tests: the fixture site, a local web server for it, and the system's Chromium.

The browser is Debian's Chromium (installed by scripts/test), never one downloaded by Playwright.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from tests.site_helpers import FIXTURES, build, make_project

# The lakeside fixture (every section) and two more records that differ in reporter, province and period.
FIXTURE_CASES = sorted((FIXTURES / "cases").glob("*.yaml")) + sorted((FIXTURES / "browser").glob("*.yaml"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-default-apps", "--disable-sync", "--disable-extensions"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def build_fixture_site(directory: Path) -> Path:
    """`casebook build` of a project holding the fixture records; returns the site directory."""
    return build(make_project(directory, FIXTURE_CASES))


def chromium_path() -> str | None:
    """The system's Chromium (Debian's package; Google Chrome where a CI runner ships that instead)."""
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) from a thread; yields the base URL, ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def is_local(url: str) -> bool:
    """True for URLs that stay on this machine (the test server, data: and blob: URLs, about:blank)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS
