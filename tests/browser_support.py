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

import pytest

from tests.site_helpers import FIXTURES, build, make_project

# The lakeside fixture (every section) and two more records that differ in reporter, province and period.
FIXTURE_CASES = sorted((FIXTURES / "cases").glob("*.yaml")) + sorted((FIXTURES / "browser").glob("*.yaml"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-default-apps", "--disable-sync", "--disable-extensions"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TIMEOUT_MS = 15_000


# Who publishes the fixture site and how to reach them (extra.casebook): no repository, so a case's "Report an error"
# is an e-mail to the contact.
PUBLISHER, CONTACT = "Casebook Test Press", "editors@casebook.test"


def build_fixture_site(directory: Path) -> Path:
    """`casebook build` of a project holding the fixture records; returns the site directory."""
    return build(make_project(directory, FIXTURE_CASES, casebook={"publisher": PUBLISHER, "contact": CONTACT}))


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


class Watch:
    """What a page did that a reader should never see: console errors, script errors, requests off this machine."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.external: list[str] = []

    def attach(self, page: object) -> None:
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("response", lambda response: response.status >= 400 and self.errors.append(
            f"HTTP {response.status}: {response.url}"))

        def route(route: object) -> None:
            if is_local(route.request.url):
                route.continue_()
            else:
                self.external.append(route.request.url)
                route.abort()

        page.route("**/*", route)

    def check(self) -> None:
        assert not self.external, f"requests left localhost: {self.external}"
        assert not self.errors, f"console errors: {self.errors}"


# Every Content-Security-Policy violation of a page, kept in window.__csp and reported as a console error (which
# fails the test: Watch), whether or not the browser logs it itself.
REPORT_VIOLATIONS = """window.__csp = [];
document.addEventListener("securitypolicyviolation", e => {
  const text = `CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(text);
  console.error(text);
});"""


def open_page(browser: object, watch: Watch, **context_options: object) -> tuple[object, object]:
    context = browser.new_context(**context_options)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    watch.attach(page)
    return context, page


@contextmanager
def chromium() -> Iterator[object]:
    """The system's Chromium, driven by Playwright; a test that needs it fails (not skips) when it is missing."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    if executable is None:
        pytest.fail("Chromium is not installed: ./scripts/test installs it (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def watched_page(browser: object, **context_options: object) -> Iterator[object]:
    """A page in a context of its own; on leaving, the context closes and what the page did wrong fails the test."""
    watch = Watch()
    context, page = open_page(browser, watch, **context_options)
    try:
        yield page
    finally:
        context.close()
    watch.check()
