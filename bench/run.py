"""Measure the casebook at scale: stage times, memory, sizes, preview and search, against mkdocs-static-i18n.

    python -m bench.run                      # N = 100 and 1,000, with the static-i18n baseline
    python -m bench.run --sizes 5000         # one size; the baseline is skipped above --baseline-max
    python -m bench.run --sizes 20 --quick --skip-baseline   # a smoke run

For each N a throwaway project (the repository's configuration, vocabulary and overrides,
N synthetic records from ``bench.synth``) is built several ways; one Markdown table with a
column per N goes to standard output, progress to standard error. bench/README.md says what
each figure means and which targets they are held against.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import gc
import gzip
import http.server
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bench import mechanisms, synth
from generator.build import QUIET_ENV
from generator.hook_mode import HookMode, mode_env
from generator.load import load_file
from generator.opendata import data_files
from generator.pipeline import build_site
from generator.preview import WITHOUT as PREVIEW_WITHOUT
from generator.project import Project
from generator.render import LANGUAGES, render_site, shared_data
from generator.settings import load_settings
from generator.validate import validate_files
from generator.vocabulary import Vocabulary, load_vocabulary
from generator.write import write_tree

try:
    import psutil
except ImportError:  # peak memory is then reported as not measured
    psutil = None

ROOT = Path(__file__).resolve().parent.parent
# As tests/site_helpers.PROJECT_FILES, plus templates/: `casebook serve` watches the project's templates/.
PROJECT_FILES = ("mkdocs.base.yml", "mkdocs.yml", "mkdocs.en.yml", "vocabulary.yaml", "site_overrides",
                 "generator/mkdocs_hook.py", "generator/section_hook.py", "templates")



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
PREVIEW_TIMEOUT = 120.0
SEARCH_READY = "search index of the preview ready"  # generator/preview.py index_served logs it
# The preview's mechanisms (generator.preview.WITHOUT), each measured left out: its gain
PREVIEW_MECHANISMS = ("page-cache", "record-cache", "dirty")
MiB = 1024 * 1024


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the throwaway project ---------------------------------------------------------------------

def make_project(directory: Path, count: int, seed: int) -> Project:
    """A casebook project in ``directory`` (as tests/site_helpers.make_project makes one) with synthetic cases."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source, target = ROOT / name, directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
    cases = directory / "cases"
    shutil.rmtree(cases, ignore_errors=True)
    synth.write_cases(count, cases, seed)
    return Project.at(directory)


def clean(project: Project) -> None:
    """Remove the generated pages and the site, so the next build is a clean one."""
    for path in (project.work_dir, project.root / "site", project.root / "baseline" / "site"):
        shutil.rmtree(path, ignore_errors=True)


def child_env() -> dict[str, str]:
    """The environment of every command we start: quiet MkDocs, and `bench`/`generator` importable."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, **QUIET_ENV, "PYTHONPATH": path}


# --- memory: the process tree, polled --------------------------------------------------------------

@dataclass
class TreeSample:
    peak_rss: int | None = None  # bytes, the largest sum of RSS over the tree seen at one time
    # the same with PSS: a page shared by several processes (forked ones share the parent's) counted once
    peak_pss: int | None = None
    seen: dict[int, tuple[str, float, float]] = field(default_factory=dict)  # pid → (command, first, last seen)

    def span(self, needle: str) -> float | None:
        """Seconds between first and last sight of the process whose command line contains ``needle``."""
        spans = [last - first for command, first, last in self.seen.values() if needle in command]
        return max(spans) if spans else None


@contextlib.contextmanager
def watch_tree(pid: int, interval: float = 0.05) -> Iterator[TreeSample]:
    """Poll the RSS of process ``pid`` and all its descendants until the block ends."""
    sample = TreeSample()
    if psutil is None:
        yield sample
        return
    stop = threading.Event()

    def poll() -> None:
        try:
            root = psutil.Process(pid)
        except psutil.Error:
            return
        while not stop.is_set():
            now = time.perf_counter()
            total = proportional = 0
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for process in processes:
                try:
                    memory = process.memory_full_info()
                    total += memory.rss
                    proportional += getattr(memory, "pss", memory.rss)  # PSS where the system tells it (Linux)
                    # read the command line every time: a child seen between fork and exec still shows ours;
                    # an exited child not yet reaped (a zombie) shows none and no longer counts as running
                    command = " ".join(process.cmdline())
                    if command:
                        first = sample.seen.get(process.pid, ("", now, now))[1]
                        sample.seen[process.pid] = (command, first, now)
                except psutil.Error:
                    continue
            sample.peak_rss = max(sample.peak_rss or 0, total)
            sample.peak_pss = max(sample.peak_pss or 0, proportional)
            stop.wait(interval)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield sample
    finally:
        stop.set()
        thread.join()


def run_command(command: list[str], cwd: Path, timeout: float | None = None,
                env: dict[str, str] | None = None) -> tuple[float, TreeSample, float, str]:
    """Run ``command``; its wall time, memory sample, CPU seconds (user+sys of the whole tree) and output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env or child_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    with watch_tree(process.pid) as sample:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop_group(process)
            raise
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{output[-4000:]}")
    return wall, sample, cpu, output


def stop_group(process: subprocess.Popen) -> None:
    """Stop ``process`` and everything it started (it leads its own process group)."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


# --- the measurements -------------------------------------------------------------------------------

def generator_stages(project: Project, scratch: Path) -> tuple[dict[str, float], dict[str, list[tuple[str, str]]]]:
    """Time load+validate, render of each language, the data files and write, calling the generator's functions
    directly and one after another (a build does render and data files side by side: see the build's figures)."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    vocabulary = load_vocabulary(project.vocabulary)
    cases, problems = validate_files([project.cases_dir], vocabulary)
    seconds["validate"] = time.perf_counter() - started
    if problems:
        raise RuntimeError(f"{len(problems)} problems in the synthetic records, e.g. {problems[0]}")
    settings = load_settings(project.mkdocs_config("zh"))
    rendered = {}
    began = time.perf_counter()
    shared = shared_data(cases, vocabulary, settings)
    seconds["shared data"] = time.perf_counter() - began
    for lang in LANGUAGES:
        began = time.perf_counter()
        rendered[lang] = render_site(cases, vocabulary, settings, lang, shared)
        seconds[f"render {lang}"] = time.perf_counter() - began
    began = time.perf_counter()
    files = [(path, text if isinstance(text, str) else "".join(text))  # written twice below: made whole
             for path, text in data_files(cases, vocabulary, settings.site_url, settings.data_license)]
    seconds["data files"] = time.perf_counter() - began
    began = time.perf_counter()
    for lang, pages in rendered.items():
        pages += files
        write_tree(scratch / lang, pages)
    seconds["write"] = time.perf_counter() - began
    return seconds, rendered


def in_process_build(project: Project) -> dict[str, float]:
    """A clean build through generator.pipeline.build_site, with its own stage times and each MkDocs build's span."""
    clean(project)
    with watch_tree(os.getpid()) as sample:
        report = build_site(project, project.root / "site")
    seconds = dict(report.seconds)
    parallel = max(seconds.get(f"mkdocs {lang}", 0.0) for lang in LANGUAGES)
    seconds["mkdocs parallel"] = parallel
    indexing = sum(seconds.get(f"pagefind {lang}", 0.0) for lang in LANGUAGES)  # one after the other
    seconds["pagefind total"] = indexing
    seconds["assembly"] = seconds["total"] - seconds["generate"] - parallel - indexing - seconds.get("csp", 0.0)
    for lang in LANGUAGES:  # build_site collects the builds in turn; the process tree shows when each one ended
        span = sample.span(str(project.mkdocs_config(lang)))
        if span is not None:
            seconds[f"mkdocs {lang}"] = span
    return seconds


def cli_build(project: Project, engine: str = "mkdocs") -> dict[str, Any]:
    clean(project)
    wall, sample, cpu, _ = run_command([sys.executable, "-m", "generator", "build", "-q", "--engine", engine],
                                       project.root)
    prefix = "" if engine == "mkdocs" else f"{engine} "
    return {f"{prefix}cli wall": wall, f"{prefix}cli cpu": cpu, f"{prefix}cli peak": sample.peak_rss,
            f"{prefix}cli pss": sample.peak_pss}


def directory_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def site_figures(site: Path, case_ids: list[str], prefix: str) -> dict[str, Any]:
    """Total size, case-page sizes (both languages) and search-index sizes of a built site."""
    pages = [site / lang_dir / "cases" / case_id / "index.html" for lang_dir in ("", "en") for case_id in case_ids]
    sizes = [p.stat().st_size for p in pages if p.is_file()]
    figures: dict[str, Any] = {f"{prefix}site bytes": directory_bytes(site),
                               f"{prefix}case median": statistics.median(sizes) if sizes else None,
                               f"{prefix}case max": max(sizes) if sizes else None,
                               f"{prefix}case pages": len(sizes)}
    largest = max(site.rglob("*.html"), key=lambda p: p.stat().st_size, default=None)
    if largest is not None:
        figures[f"{prefix}largest page"] = largest.stat().st_size
        figures[f"{prefix}largest page path"] = "/" + largest.relative_to(site).parent.as_posix().strip(".") + "/"
    indexes = search_index_files(site)
    raw = gz = 0
    for lang, files in indexes.items():
        data = [index.read_bytes() for index in files]
        figures[f"{prefix}index {lang} raw"] = sum(len(d) for d in data)
        figures[f"{prefix}index {lang} gz"] = sum(len(gzip.compress(d, compresslevel=6)) for d in data)
        raw += figures[f"{prefix}index {lang} raw"]
        gz += figures[f"{prefix}index {lang} gz"]
    figures[f"{prefix}index raw"], figures[f"{prefix}index gz"] = raw, gz
    langs = [lang for lang in ("zh", "en") if f"{prefix}index {lang} raw" in figures]
    if langs:
        figures[f"{prefix}index lang raw"] = max(figures[f"{prefix}index {lang} raw"] for lang in langs)
        figures[f"{prefix}index lang gz"] = max(figures[f"{prefix}index {lang} gz"] for lang in langs)
    figures[f"{prefix}index files"] = sum(len(files) for files in indexes.values())
    return figures


def search_index_files(site: Path) -> dict[str, list[Path]]:
    """Each language's search index files in a built site.

    Ours: the language's Pagefind bundles (``pagefind/`` at the root of its site and the case bundles in it): their
    pf_meta, wasm, index chunks and fragments (Pagefind compresses them itself), not the scripts. The baseline:
    Material's ``search/search_index.json`` (mkdocs-static-i18n writes one, for both languages, counted as zh).
    """
    found: dict[str, list[Path]] = {}
    for root in (site / "pagefind", site / "en" / "pagefind"):
        for bundle in (root, *sorted(root.glob("cases-*"))):
            entry = bundle / "pagefind-entry.json"
            if not entry.is_file():
                continue
            languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
            for name, language in languages.items():
                found.setdefault(name, []).extend(sorted([
                    *bundle.glob(f"pagefind.{language['hash']}.pf_meta"),
                    bundle / f"wasm.{language['wasm'] or 'unknown'}.pagefind",
                    *(p for part in ("index", "fragment", "filter") for p in (bundle / part).glob(f"{name}_*"))]))
    for index in sorted(site.rglob("search/search_index.json")):
        found.setdefault("en" if index.parent.parent.name == "en" else "zh", []).append(index)
    return found


BASELINE_CONFIG = """\
# The same pages built "the usual way": one MkDocs + Material build with mkdocs-static-i18n,
# both languages in one docs tree (folder structure), one search plugin with jieba, and the
# automatic navigation listing every page, as the plugin's documentation sets it up.
INHERIT: ../mkdocs.yml
docs_dir: docs
site_dir: site
strict: false
nav: null
hooks: []
theme:
  custom_dir: overrides
plugins:
  - search:
      separator: '[\\s\\u200b\\u3000\\-、。，．？！；：（）《》“”]+'
      jieba_dict_user: {jieba}
  - i18n:
      docs_structure: folder
      languages:
        - locale: zh
          default: true
          name: 中文
          build: true
        - locale: en
          name: English
          build: true
          site_name: Vocational Education Assistance Casebook
extra:
  alternate:
    - {{name: 中文, link: /, lang: zh}}
    - {{name: English, link: /en/, lang: en}}
"""


JIEBA_FREQUENCY = 100000  # high enough that jieba keeps a listed name as one word


def jieba_user_dictionary(project: Project) -> str:
    """The baseline's jieba user dictionary, as the casebook made one for Material's search before it used
    Pagefind: names from the records and the vocabulary's Chinese labels, one entry a line."""
    vocabulary: Vocabulary = load_vocabulary(project.vocabulary)
    cases, _ = validate_files([project.cases_dir], vocabulary)
    words: set[str] = set()
    for kind in ("themes", "relationships", "institution_kinds", "source_kinds", "indicators", "provinces"):
        words.update(label.zh for label in vocabulary.terms(kind).values())
    for item in cases:
        case = item.case
        words.add(case.reporter.name.zh)
        for partner in case.partners:
            words.add(partner.name.zh)
            words.update(t.zh for t in (partner.region.prefecture, partner.region.county) if t)
    entries = sorted({"".join(w.split()) for w in words if w and any("\u4e00" <= ch <= "\u9fff" for ch in w)})
    return "".join(f"{word} {JIEBA_FREQUENCY} nz\n" for word in entries)


def write_baseline(project: Project, rendered: dict[str, list[tuple[str, str]]]) -> Path:
    """The baseline's project: docs/zh/… and docs/en/… from our rendered Markdown, its mkdocs.yml, our assets."""
    base = project.root / "baseline"
    shutil.rmtree(base, ignore_errors=True)
    for lang, pages in rendered.items():
        write_tree(base / "docs" / lang, pages)
    shutil.copytree(project.root / "site_overrides" / "assets", base / "overrides" / "assets")
    jieba = base / "jieba_user_dict.txt"
    jieba.write_text(jieba_user_dictionary(project), encoding="utf-8")
    (base / "mkdocs.yml").write_text(BASELINE_CONFIG.format(jieba=jieba), encoding="utf-8")
    return base


def baseline_build(project: Project, rendered: dict[str, list[tuple[str, str]]], timeout: float) -> dict[str, Any]:
    base = write_baseline(project, rendered)
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(base / "mkdocs.yml")]
    try:
        wall, sample, cpu, _ = run_command(command, base, timeout=timeout)
    except subprocess.TimeoutExpired:
        # How far it got: MkDocs writes each page as it renders it, so the pages in its site tell its pace.
        total = sum(len(pages) for pages in rendered.values())
        written = sum(1 for _ in (base / "site").rglob("*.html"))
        return {"base wall": f"> {timeout:.0f} s (stopped: {written:,} of {total:,} pages written)",
                "base per page": timeout / written if written else None}
    except RuntimeError as exc:  # a stopped or failed baseline must not lose the figures already taken
        log(str(exc).splitlines()[0])
        return {"base wall": "failed (see log)"}
    return {"base wall": wall, "base cpu": cpu, "base peak": sample.peak_rss, "base pss": sample.peak_pss}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError):
        return None


def tree_cpu_seconds(pid: int) -> float:
    """User + system seconds used so far by the process ``pid``, its children, and the children it has reaped."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def wait_until_idle(pid: int, timeout: float, window: float = 1.0) -> None:
    """Until the process tree of ``pid`` used less than a tenth of a core over ``window`` seconds, or ``timeout``."""
    if psutil is None:
        time.sleep(window)
        return
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        before = tree_cpu_seconds(pid)
        time.sleep(window)
        if tree_cpu_seconds(pid) - before < window / 10:
            return


def preview(project: Project, case_id: str, startup_timeout: float, without: str = "") -> dict[str, Any]:
    """`casebook serve` on the project: seconds from saving a changed title until the served page shows it, and
    until the preview's search index has it (the log's next "search index of the preview ready").

    The edit is saved once the server has finished what it does after starting (indexing the preview for search,
    in the background): the figure is the latency of an edit, not of an edit competing with that for the cores.
    ``without`` names preview mechanisms to leave out (generator.preview.WITHOUT), to measure their gain.
    """
    path = project.cases_dir / f"{case_id}.yaml"
    original = path.read_text(encoding="utf-8")
    title = load_file(path).data["title"]["zh"]
    edited, new_title = synth.retitle(original, title)
    port = free_port()
    url = f"http://127.0.0.1:{port}/cases/{case_id}/"
    log_path = project.root / f"serve{'-without-' + without if without else ''}.log"
    log_file = log_path.open("w")
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project.root, env={**child_env(), PREVIEW_WITHOUT: without}, stdout=log_file,
                              stderr=subprocess.STDOUT, start_new_session=True)
    figures: dict[str, Any] = {}

    def indexed() -> int:
        return log_path.read_text(encoding="utf-8", errors="replace").count(SEARCH_READY)

    try:
        while (page := fetch(url)) is None or title not in page:
            if server.poll() is not None or time.perf_counter() - started > startup_timeout:
                figures["serve startup"] = "failed (see serve.log)" if server.poll() is not None else "timed out"
                return figures
            time.sleep(0.1)
        figures["serve startup"] = time.perf_counter() - started
        while not indexed() and time.perf_counter() - started < startup_timeout:  # its first search index
            time.sleep(0.2)
        wait_until_idle(server.pid, timeout=startup_timeout)
        indexed_before = indexed()
        saved = time.perf_counter()
        path.write_text(edited, encoding="utf-8")
        while time.perf_counter() - saved < PREVIEW_TIMEOUT:
            page = fetch(url)
            if page is not None and new_title in page:
                figures["preview"] = time.perf_counter() - saved
                break
            time.sleep(0.05)
        else:
            figures["preview"] = f"> {PREVIEW_TIMEOUT:.0f} s"
        while not without and time.perf_counter() - saved < startup_timeout:
            if indexed() > indexed_before:
                figures["preview search"] = time.perf_counter() - saved
                break
            time.sleep(0.2)
    finally:
        stop_group(server)
        log_file.close()
        path.write_text(original, encoding="utf-8")
    return figures


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


def search_queries(project: Project) -> tuple[str, str]:
    """A partner's Chinese and English name, from a case whose English is written."""
    for path in sorted(project.cases_dir.glob("*.yaml")):
        data = load_file(path).data
        if data["translation"]["en"] != "pending":
            name = data["partners"][0]["name"]
            return name["zh"], name["en"]
    data = load_file(sorted(project.cases_dir.glob("*.yaml"))[0]).data
    return data["partners"][0]["name"]["zh"], data["reporter"]["name"]["en"]


# --- one size, all figures ---------------------------------------------------------------------------

@dataclass
class Options:
    seed: int = 1
    baseline: bool = True
    baseline_max: int = 1000
    baseline_timeout: float = 1800.0
    serve: bool = True
    search: bool = True
    mechanisms: bool = True
    mechanisms_max: int = 1000  # also the largest N built with Zensical
    zensical: bool = True


def measure(count: int, directory: Path, options: Options) -> dict[str, Any]:
    figures: dict[str, Any] = {"n": count}
    log(f"N={count}: writing {count} synthetic records")
    project = make_project(directory, count, options.seed)
    case_ids = sorted(p.stem for p in project.cases_dir.glob("*.yaml"))
    figures["yaml bytes"] = directory_bytes(project.cases_dir)

    log(f"N={count}: generator stages (validate, render, write)")
    stages, rendered = generator_stages(project, directory / "stage-scratch")
    shutil.rmtree(directory / "stage-scratch", ignore_errors=True)
    figures.update(stages)

    log(f"N={count}: clean build in process (generator.pipeline.build_site)")
    figures.update(in_process_build(project))

    log(f"N={count}: clean build through the command line")
    figures.update(cli_build(project))
    figures.update(site_figures(project.root / "site", case_ids, ""))

    if options.baseline and count <= options.baseline_max:
        log(f"N={count}: the same pages with mkdocs-static-i18n (one build)")
        figures.update(baseline_build(project, rendered, options.baseline_timeout))
        if isinstance(figures["base wall"], float):
            figures.update(site_figures(project.root / "baseline" / "site", case_ids, "base "))
    elif options.baseline:
        figures["base wall"] = f"not run (N > --baseline-max {options.baseline_max})"
    del rendered

    zh_query, en_query = search_queries(project)
    figures["query zh"], figures["query en"] = zh_query, en_query
    if options.search:
        log(f"N={count}: first search results in Chromium ({zh_query} / {en_query})")
        queries = [("search zh", "/", zh_query), ("search en", "/en/", en_query)]
        figures.update(search_times(project.root / "site", queries, PAGEFIND))
        if isinstance(figures.get("base wall"), float):
            figures.update(search_times(project.root / "baseline" / "site",
                                        [(f"base {key}", path, query) for key, path, query in queries], MATERIAL))
        log(f"N={count}: the finder: ticking filters in Chromium")
        figures.update(finder_figures(project.root / "site"))
    if options.zensical and count <= options.mechanisms_max:
        log(f"N={count}: clean build with Zensical (casebook build --engine zensical)")
        figures.update(cli_build(project, "zensical"))
        clean(project)
    if options.mechanisms and count <= options.mechanisms_max:
        log(f"N={count}: each performance mechanism, with and without (bench/mechanisms.py)")
        figures.update(mechanisms.measure(project.root))
    if options.serve:
        log(f"N={count}: preview of an edit under casebook serve")
        timeout = max(120.0, count * 0.5)
        figures.update(preview(project, case_ids[len(case_ids) // 2], startup_timeout=timeout))
        for mechanism in PREVIEW_MECHANISMS:
            log(f"N={count}: preview of an edit without {mechanism}")
            without = preview(project, case_ids[len(case_ids) // 2], startup_timeout=timeout, without=mechanism)
            figures[f"preview without {mechanism}"] = without.get("preview", without.get("serve startup"))
    return figures


# --- the table ---------------------------------------------------------------------------------------

def seconds(value: Any) -> str:
    return f"{value:.2f}"


def mib(value: Any) -> str:
    return f"{value / MiB:,.1f}"


def kib(value: Any) -> str:
    return f"{value / 1024:,.1f}"


def _ratio(top: str, bottom: str) -> Callable[[dict[str, Any]], Any]:
    def compute(f: dict[str, Any]) -> Any:
        a, b = f.get(top), f.get(bottom)
        return a / b if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None
    return compute


def _sum(*keys: str) -> Callable[[dict[str, Any]], Any]:
    def compute(f: dict[str, Any]) -> Any:
        values = [f.get(k) for k in keys]
        return sum(values) if all(isinstance(v, (int, float)) for v in values) else None
    return compute


def _per(key: str, per: float, unit: float = 1.0) -> Callable[[dict[str, Any]], Any]:
    def compute(f: dict[str, Any]) -> Any:
        value = f.get(key)
        return value / f["n"] * per * unit if isinstance(value, (int, float)) else None
    return compute


def _gain(with_it: str, without: str) -> Callable[[dict[str, Any]], Any]:
    def compute(f: dict[str, Any]) -> Any:
        a, b, build = f.get(with_it), f.get(without), f.get("cli wall")
        numbers = all(isinstance(v, (int, float)) for v in (a, b, build))
        return (b - a) / build if numbers and build else None
    return compute


def _per_page(key: str) -> Callable[[dict[str, Any]], Any]:
    def compute(f: dict[str, Any]) -> Any:
        value = f.get(key)
        return value * 1000 if isinstance(value, (int, float)) else None
    return compute


# (label, key or function of the figures, format)
ROWS: list[tuple[str, Any, Callable[[Any], str]]] = [
    ("synthetic records, YAML (MiB)", "yaml bytes", mib),
    ("load + validate (s)", "validate", seconds),
    ("compare rows, once (s)", "shared data", seconds),
    ("render zh (s)", "render zh", seconds),
    ("render en (s)", "render en", seconds),
    ("data files, once (s)", "data files", seconds),
    ("write docs trees (s)", "write", seconds),
    ("generator stage in build_site, in its own process (s)", "generate", seconds),
    ("generator stage per 1,000 cases (s)", _per("generate", 1000), seconds),
    ("MkDocs zh build (s)", "mkdocs zh", seconds),
    ("MkDocs en build (s)", "mkdocs en", seconds),
    ("MkDocs, both in parallel, wall (s)", "mkdocs parallel", seconds),
    ("Pagefind search index zh (s)", "pagefind zh", seconds),
    ("Pagefind search index en (s)", "pagefind en", seconds),
    ("Pagefind, both languages, one after the other (s)", "pagefind total", seconds),
    ("Content-Security-Policy of every page (s)", "csp", seconds),
    ("assembly and swap (s)", "assembly", seconds),
    ("build_site total (s)", "total", seconds),
    ("**`python -m generator build -q`, wall (s)**", "cli wall", seconds),
    ("  CPU time, whole process tree (s)", "cli cpu", seconds),
    ("  time per case (ms)", _per("cli wall", 1, 1000), seconds),
    ("  peak RSS, process tree (MiB)", "cli peak", mib),
    ("  peak PSS, process tree: shared pages once (MiB)", "cli pss", mib),
    ("the same build with Zensical, `--engine zensical`, wall (s)", "zensical cli wall", seconds),
    ("  peak PSS (MiB)", "zensical cli pss", mib),
    ("site size (MiB)", "site bytes", mib),
    ("case page HTML, median (KiB)", "case median", kib),
    ("case page HTML, largest (KiB)", "case max", kib),
    ("largest HTML page of the site (KiB)", "largest page", kib),
    ("  which page", "largest page path", str),
    ("search index zh, raw / gzip (KiB)", ("index zh raw", "index zh gz"), kib),
    ("search index en, raw / gzip (KiB)", ("index en raw", "index en gz"), kib),
    ("search indexes together, raw / gzip (KiB)", ("index raw", "index gz"), kib),
    ("first search result zh, open + type → result (s)", "search zh", seconds),
    ("  of which after typing (s)", "search zh after typing", seconds),
    ("  search files downloaded by then (KiB)", "search zh bytes", kib),
    ("first search result en, open + type → result (s)", "search en", seconds),
    ("  of which after typing (s)", "search en after typing", seconds),
    ("  search files downloaded by then (KiB)", "search en bytes", kib),
    ("finder: tick a filter → list painted, median of 10 (ms)", "finder filter ms", lambda v: f"{v:.1f}"),
    ("  slowest of the 10 (ms)", "finder filter ms max", lambda v: f"{v:.1f}"),
    ("  finder page HTML (KiB)", "finder page bytes", kib),
    ("  finder data, raw / gzip (KiB)", ("finder data bytes", "finder data gz"), kib),
    ("`casebook serve` startup (s)", "serve startup", seconds),
    ("**preview of an edit: save → served page shows it (s)**", "preview", seconds),
    ("  save → the preview's search finds it (s)", "preview search", seconds),
    ("  without the page cache (s)", "preview without page-cache", seconds),
    ("  without the record cache, so without the page cache too (s)", "preview without record-cache", seconds),
    ("  without MkDocs --dirty (s)", "preview without dirty", seconds),
    *[row for name, with_it, without in mechanisms.GAINS for row in (
        (f"mechanism: {name}: its stage with / without it (s)", (with_it, without), seconds),
        ("  gain, share of the clean build (CLI wall)", _gain(with_it, without), lambda v: f"{v:.1%}"))],
    *[(f"mechanism: {name}: peak PSS of a clean build with / without it (MiB)", (with_it, without), mib)
      for name, with_it, without in mechanisms.MEMORY],
    ("static-i18n: MkDocs build, wall (s)", "base wall", seconds),
    ("  if stopped: its time per page written so far (ms)", _per_page("base per page"), seconds),
    ("static-i18n: CPU time (s)", "base cpu", seconds),
    ("static-i18n: + generator stage = total (s)", _sum("generate", "base wall"), seconds),
    ("**ratio static-i18n total / ours (CLI wall)**", lambda f: _ratio("base total", "cli wall")(
        {**f, "base total": _sum("generate", "base wall")(f)}), lambda v: f"{v:.2f}×"),
    ("ratio of the MkDocs stages alone", _ratio("base wall", "mkdocs parallel"), lambda v: f"{v:.2f}×"),
    ("static-i18n: peak RSS (MiB)", "base peak", mib),
    ("static-i18n: peak PSS (MiB)", "base pss", mib),
    ("static-i18n: site size (MiB)", "base site bytes", mib),
    ("static-i18n: case page HTML, median (KiB)", "base case median", kib),
    ("static-i18n: case page HTML, largest (KiB)", "base case max", kib),
    ("static-i18n: largest HTML page (KiB)", "base largest page", kib),
    ("static-i18n: search index, raw / gzip (KiB)", ("base index raw", "base index gz"), kib),
    ("**search indexes ours / static-i18n, raw / gzip**",
     lambda f: (_ratio("index raw", "base index raw")(f), _ratio("index gz", "base index gz")(f)),
     lambda v: f"{v:.2f}"),
    ("**one language's index / static-i18n index, raw / gzip**",
     lambda f: (_ratio("index lang raw", "base index raw")(f), _ratio("index lang gz", "base index gz")(f)),
     lambda v: f"{v:.2f}"),
    ("static-i18n: first search result zh (s)", "base search zh", seconds),
    ("  search files downloaded by then (KiB)", "base search zh bytes", kib),
    ("static-i18n: first search result en (s)", "base search en", seconds),
    ("  search files downloaded by then (KiB)", "base search en bytes", kib),
]


def cell(figures: dict[str, Any], key: Any, fmt: Callable[[Any], str]) -> str:
    if callable(key):
        value = key(figures)
    elif isinstance(key, tuple):
        value = tuple(figures.get(k) for k in key)
    else:
        value = figures.get(key)
    if isinstance(value, tuple):
        parts = [cell({"v": v}, "v", fmt) for v in value]
        return " / ".join(parts) if any(p != "—" for p in parts) else "—"
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return fmt(value)


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| figure | " + " | ".join(f"N = {r['n']:,}" for r in results) + " |",
             "|---|" + "---:|" * len(results)]
    for label, key, fmt in ROWS:
        lines.append(f"| {label} | " + " | ".join(cell(r, key, fmt) for r in results) + " |")
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown memory"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    commit = "unknown"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
        commit += " (with uncommitted changes)" if dirty.strip() else ""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    versions = []
    for package in ("mkdocs", "mkdocs-material", "pagefind", "mkdocs-static-i18n", "jieba"):
        with contextlib.suppress(Exception):
            versions.append(f"{package} {version(package)}")
    return "\n".join([
        f"- machine: {cores} cores ({cpu}), {memory}; load average before the run {load}",
        f"- date: {date}; commit {commit}",
        f"- Python {platform.python_version()}; {', '.join(versions)}",
    ])


def parse_sizes(values: list[str] | None) -> list[int]:
    sizes: list[int] = []
    for value in values or ["100,1000"]:
        for part in value.split(","):
            if part.strip():
                size = int(part.replace("_", "").strip())
                if size < 1:
                    raise argparse.ArgumentTypeError("sizes must be positive")
                sizes.append(size)
    return list(dict.fromkeys(sizes))


def main(argv: list[str] | None = None) -> int:
    gc.disable()  # the generator's stages timed here run as under the casebook command line (generator/cli.py)
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", action="append", metavar="N[,N…]",
                        help="numbers of cases, comma-separated; may be repeated (default 100,1000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic records (default 1)")
    parser.add_argument("--skip-baseline", action="store_true", help="do not build with mkdocs-static-i18n")
    parser.add_argument("--baseline-max", type=int, default=1000,
                        help="largest N the baseline is built for (its automatic navigation grows with N²; "
                             "default 1000)")
    parser.add_argument("--baseline-timeout", type=float, default=1800.0,
                        help="seconds after which the baseline build is stopped (default 1800)")
    parser.add_argument("--skip-serve", action="store_true", help="do not time the preview under casebook serve")
    parser.add_argument("--skip-search", action="store_true", help="do not time search in Chromium")
    parser.add_argument("--skip-mechanisms", action="store_true",
                        help="do not measure each performance mechanism with and without it (bench/mechanisms.py)")
    parser.add_argument("--mechanisms-max", type=int, default=1000,
                        help="largest N the mechanisms are measured and Zensical is timed for (default 1000)")
    parser.add_argument("--skip-zensical", action="store_true", help="do not time a build with Zensical")
    parser.add_argument("--quick", action="store_true", help="same as --skip-serve --skip-search --skip-mechanisms")
    parser.add_argument("--finder-only", type=int, metavar="N",
                        help="only the finder at N cases: its page and data set into a copy of the built site/")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the projects in DIR/n<N> and keep them (default: a temporary directory)")
    args = parser.parse_args(argv)
    sizes = parse_sizes(args.sizes)
    options = Options(seed=args.seed, baseline=not args.skip_baseline, baseline_max=args.baseline_max,
                      baseline_timeout=args.baseline_timeout, serve=not (args.skip_serve or args.quick),
                      search=not (args.skip_search or args.quick),
                      mechanisms=not (args.skip_mechanisms or args.quick), mechanisms_max=args.mechanisms_max,
                      zensical=not (args.skip_zensical or args.quick))
    os.environ.update(mode_env(HookMode.GENERATE))
    if args.finder_only:
        with tempfile.TemporaryDirectory(prefix="casebook-bench-") as scratch:
            figures = finder_only(args.finder_only, Path(scratch), args.seed)
        print(f"finder at N = {figures['n']:,}: tick a filter → list painted: median "
              f"{figures['finder filter ms']:.1f} ms, slowest {figures['finder filter ms max']:.1f} ms; page "
              f"{kib(figures['finder page bytes'])} KiB, data {kib(figures['finder data bytes'])} KiB "
              f"({kib(figures['finder data gz'])} KiB gzip)")
        return 0
    info = machine()
    results = []
    with contextlib.ExitStack() as stack:
        root = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="casebook-bench-")))
        for count in sizes:
            results.append(measure(count, root / f"n{count}", options))
            log(f"N={count}: done\n{table(results[-1:])}")  # each size's figures as soon as they are taken
            if args.keep is None:
                shutil.rmtree(root / f"n{count}", ignore_errors=True)
    print(f"## Casebook benchmark (seed {args.seed})\n")
    print(info + "\n")
    print(table(results))
    queries = "; ".join(f"N={r['n']}: “{r['query zh']}” / “{r['query en']}”" for r in results)
    print(f"\nSearch queries (a partner's name): {queries}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
