"""Figures taken in Chromium on a built site: the first search result (ours and the baseline's) and the case
finder's filters; the static server they and bench/lighthouse.py use."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import shutil
import statistics
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bench.workspace import ROOT, make_project
from generator.render import render_site
from generator.settings import load_settings
from generator.validate import validate_files
from generator.vocabulary import load_vocabulary


@dataclass(frozen=True)
class SearchUI:
    """How a reader searches a built site, and which of the page's downloads are the search's."""

    open: str  # clicked to start searching
    field: str  # clicked, then typed into
    result: str  # a search result
    files: tuple[str, ...]  # parts of the URL paths of the search's own files (its scripts and its index)


# Ours: the search dialog (site_overrides/partials/search.html), opened from the header; it loads Pagefind's
# pagefind.js and each language's bundles (at its site's root) when it opens.
PAGEFIND = SearchUI(open=".md-header .cb-search__button", field="dialog.cb-search__dialog input[type=search]",
                    result="dialog.cb-search__dialog .cb-search__results a",
                    files=("/pagefind/", "/assets/search"))
# The baseline: Material's search field and lunr, with its index of both languages.
MATERIAL = SearchUI(open="input.md-search__input", field="input.md-search__input", result=".md-search-result__item",
                    files=("/search/search_index.json", "/workers/search.", "/javascripts/lunr/"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@contextlib.contextmanager
def serve_directory(directory: Path, handler: type[http.server.SimpleHTTPRequestHandler] | None = None
                    ) -> Iterator[str]:
    """A static web server on localhost for ``directory``, in a thread; yields its base URL. ``handler``: the
    request handler (default: one that logs nothing)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — the base class names it so
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler or Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def search_times(site: Path, queries: list[tuple[str, str, str]], ui: SearchUI) -> dict[str, Any]:
    """Per (key, path, query): seconds from opening the page and typing the query to the first search result, and
    the bytes of the search's own files (``ui.files``) the page had downloaded by then."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return {key: "no chromium" for key, _, _ in queries}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {key: "no playwright" for key, _, _ in queries}
    figures: dict[str, Any] = {}
    with serve_directory(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for key, path, query in queries:
                context = browser.new_context(viewport={"width": 1280, "height": 800})  # a fresh cache each time
                page = context.new_page()
                fetched: set[str] = set()
                page.on("request", lambda request, fetched=fetched: fetched.add(urlsplit(request.url).path))
                try:
                    started = time.perf_counter()
                    page.goto(base + path, wait_until="domcontentloaded")
                    page.click(ui.open)  # ours: the search's script (deferred) has run by domcontentloaded
                    page.click(ui.field)
                    page.keyboard.type(query)
                    typed = time.perf_counter()
                    page.wait_for_selector(ui.result, timeout=60_000)
                    done = time.perf_counter()
                    figures[key] = done - started
                    figures[key + " after typing"] = done - typed
                    files = [site / unquote(p).lstrip("/") for p in fetched if any(part in p for part in ui.files)]
                    figures[key + " bytes"] = sum(f.stat().st_size for f in files if f.is_file())
                except Exception as exc:  # noqa: BLE001 — one failed measurement must not lose the others
                    figures[key] = f"failed: {type(exc).__name__}"
                finally:
                    context.close()
        finally:
            browser.close()
    return figures


# The finder's filters the benchmark applies in turn: the first value of each filter, then two together.
FINDER_STEPS = ["fieldset[data-facet=relationship] input", "fieldset[data-facet=theme] input",
                "fieldset[data-facet=to] input", "fieldset[data-facet=from] input", "fieldset[data-facet=kind] input"]
FINDER_SCRIPT = """async (selector) => {
    const form = document.getElementById("cb-finder-form");
    const times = [];
    for (const wanted of selector) {
        for (const box of form.querySelectorAll(wanted + ":checked")) box.click();   // clear this filter first
        const box = form.querySelector(wanted);
        const started = performance.now();
        box.click();   // the finder filters, recounts and re-lists in its change handler
        await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));   // … and the page is painted
        times.push(performance.now() - started);
    }
    return times;
}"""


def finder_figures(site: Path, path: str = "en/cases/") -> dict[str, Any]:
    """Milliseconds from ticking a filter to the painted list (median and slowest of the steps, each step adding
    one more filter), and the bytes of the finder page and of its data (raw and gzip)."""
    page_file, data_file = site / path / "index.html", site / path / "finder.json"
    figures: dict[str, Any] = {"finder page bytes": page_file.stat().st_size,
                               "finder data bytes": data_file.stat().st_size,
                               "finder data gz": len(gzip.compress(data_file.read_bytes()))}
    chromium = shutil.which("chromium")
    if chromium is None:
        return figures | {"finder filter ms": "no chromium"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return figures | {"finder filter ms": "no playwright"}
    with serve_directory(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"{base}/{path}")
            page.wait_for_selector("#cb-finder[data-loaded]", state="attached", timeout=60_000)
            times = page.evaluate(FINDER_SCRIPT, FINDER_STEPS) + page.evaluate(FINDER_SCRIPT, FINDER_STEPS)
            figures["finder cases"] = page.evaluate("document.querySelectorAll('#cb-finder-list .cb-case-card').length")
        finally:
            browser.close()
    figures["finder filter ms"] = statistics.median(times)
    figures["finder filter ms max"] = max(times)
    return figures


def finder_only(count: int, directory: Path, seed: int) -> dict[str, Any]:
    """The finder at ``count`` cases without a whole build: the finder page and its data rendered from synthetic
    records, set into a copy of the repository's built site (``site/``, whose header, styles and scripts they
    share), then measured as :func:`finder_figures` does."""
    built = ROOT / "site" / "en" / "cases" / "index.html"
    if not built.is_file():
        raise SystemExit("--finder-only needs the repository's built site: run ./scripts/build-site first")
    project = make_project(directory, count, seed)
    vocabulary = load_vocabulary(project.vocabulary)
    cases, problems = validate_files([project.cases_dir], vocabulary)
    if problems:
        raise RuntimeError(f"{len(problems)} problems in the synthetic records, e.g. {problems[0]}")
    pages = dict(render_site(cases, vocabulary, load_settings(project.mkdocs_config("zh")), "en"))
    site = directory / "site"
    shutil.copytree(ROOT / "site", site)
    body = pages["cases/index.md"].split("\n---\n", 1)[1]   # after the front matter
    html = (site / "en" / "cases" / "index.html").read_text(encoding="utf-8")
    opening = '<article class="md-content__inner md-typeset">'
    before, _, rest = html.partition(opening)
    after = rest[rest.index("</article>"):]
    (site / "en" / "cases" / "index.html").write_text(before + opening + body + after, encoding="utf-8")
    (site / "en" / "cases" / "finder.json").write_text(pages["cases/finder.json"], encoding="utf-8")
    return {"n": count} | finder_figures(site)
