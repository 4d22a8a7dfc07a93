"""What `casebook serve` adds to MkDocs' preview server, through its documented ``on_serve`` event and the server's
public methods only (mkdocs_hook.on_serve): a guard in front of its WSGI application, and a watch on the cases
folder that survives the folder being moved away and back.

The guard. The preview serves drafts and, on /problems/, the project's local paths. A page on another site can
reach it through DNS rebinding (a name of its own that resolves to 127.0.0.1): the browser then sends that name as
the Host, so only the preview's own names are answered, and the others get 403 with a message. A path with a NUL
byte or bytes that are no UTF-8 is answered 400 (MkDocs' server failed on it with a traceback and 500).

The cases folder. MkDocs' watcher stops for good when the folder it watches disappears, and says nothing; a watch on
the folder that holds it notices the cases folder going and coming back, says so, watches it again and has the
preview regenerated (by a file the preview writes into a folder the server watches: its public ``watch``).

The regeneration. After each edit the hook (mkdocs_hook.py, in the preview mode: hook_mode.py) has this module
make the pages again through the generator's own stages (generate.py), with what the preview keeps between them:
the checked records (record_cache.py), the pages and the data files' parts (page_cache.py), so only what the edit
changed is read and rendered again. A record with problems does not stop it: its page shows them, and /problems/
lists them all; what stops every page is shown on the home page. Then the served site is indexed for search in
the background. No stage knows of any of this.

The benchmark's switch. ``CASEBOOK_PREVIEW_WITHOUT`` (hidden: bench/run.py alone sets it) names the mechanisms to
leave out, comma-separated: ``record-cache``, ``page-cache``, ``dirty`` (MkDocs' --dirty rebuilds, `casebook
serve`). Each is measured with and without in one run, and kept only while it gains.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from .errors import CasebookError, Problem, ProblemsFound, UsageError, display_path
from .generate import Generated, write_pages
from .page_cache import PageCache, PerCase
from .page_context import shared_data
from .project import Project
from .record_cache import RecordCache
from .render import SitePages, fresh_environment, ui_strings
from .schema import is_case_id
from .search import SearchIndexFailed, index_site, pagefind_binary
from .settings import load_settings
from .sitedir import build_lock
from .validate import validate_files
from .vocabulary import load_vocabulary
from .write import own_tree, replace_file, write_tree

ALLOWED_HOSTS = "CASEBOOK_ALLOW_HOSTS"  # `casebook serve --allow-host NAME`: names added, comma-separated
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARDS = ("", "0.0.0.0", "::", "[::]")  # listening on every address names no host a browser would send
log = logging.getLogger("mkdocs.casebook.preview")

App = Callable[[dict, Callable], Iterable[bytes]]


def allowed_names(listen_host: str, extra: Iterable[str] = ()) -> set[str]:
    """The host names the preview answers to: its local names, the ``-a`` host unless a wildcard, and ``extra``."""
    host = f"[{listen_host}]" if ":" in listen_host and not listen_host.startswith("[") else listen_host
    names = {*LOCAL_NAMES, *(name.strip().lower() for name in extra if name.strip())}
    if host.lower() not in WILDCARDS:
        names.add(host.lower())
    return names


def host_allowed(header: str, names: set[str], port: int) -> bool:
    """Whether a request's Host header names the preview: one of ``names``, with the port it listens on."""
    header = header.strip().lower()
    if header.startswith("["):
        name, _, rest = header.partition("]")
        name, port_text = name + "]", rest.removeprefix(":") if rest.startswith(":") else None
        if rest and port_text is None:
            return False
    else:
        name, colon, port_text = header.partition(":")
        port_text = port_text if colon else None
    if port_text is None:
        return name in names and port == 80
    return name in names and port_text == str(port)


def guarded(app: App, names: set[str], port: int) -> App:
    """``app`` behind the guard: 403 for a Host that is not the preview's, 400 for a path that is not text."""
    shown = ", ".join(f"{name}:{port}" for name in sorted(names))

    def guard(environ: dict, start_response: Callable) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST", "")
        if not host_allowed(host, names, port):
            log.info(f"refused a request for the host {host!r}: not a name of the preview")
            return _answer(start_response, "403 Forbidden",
                           f"This preview answers only requests addressed to {shown}; this one was addressed to "
                           f"{host!r}. A page of another site must not read the preview. To open it under another "
                           "name, start it with `casebook serve --allow-host NAME`.\n")
        path = environ.get("PATH_INFO", "").encode("latin-1")  # WSGI gives the path's bytes as Latin-1 text
        try:
            if b"\0" in path:
                raise ValueError
            path.decode("utf-8")
        except ValueError:
            return _answer(start_response, "400 Bad Request",
                           "The address holds a NUL byte or bytes that are not UTF-8 text: no page has such a path.\n")
        return app(environ, start_response)

    return guard


def _answer(start_response: Callable, status: str, text: str) -> list[bytes]:
    body = text.encode("utf-8")
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


class CasesWatch(FileSystemEventHandler):
    """Watches the folder that holds the cases folder: when the cases folder goes, says so and has the preview
    show it; when it comes back, watches it again (MkDocs' watch of it has stopped) and has the preview regenerated.
    """

    def __init__(self, server, cases_dir: Path, wake_dir: Path) -> None:
        self.server, self.cases_dir, self.wake = server, cases_dir, wake_dir / "wake"
        self.present = cases_dir.is_dir()
        self.lock = threading.Lock()
        wake_dir.mkdir(parents=True, exist_ok=True)
        server.watch(str(wake_dir))
        server.observer.schedule(self, str(cases_dir.parent), recursive=False)

    def on_any_event(self, event: FileSystemEvent) -> None:
        with self.lock:
            present = self.cases_dir.is_dir()
            if present == self.present:
                return
            self.present = present
            shown = display_path(self.cases_dir)
            if present:
                log.info(f"the cases folder {shown} is back: watching it again and regenerating the preview")
                self.server.unwatch(str(self.cases_dir))
                self.server.watch(str(self.cases_dir))
            else:
                log.warning(f"the cases folder {shown} was moved away or removed: the preview keeps the pages it "
                            "last made and says so until the folder is back")
            replace_file(self.wake, str(os.getpid()).encode() + os.urandom(8).hex().encode())  # a change to see


WITHOUT = "CASEBOOK_PREVIEW_WITHOUT"  # the benchmark's switch (the module's docstring)


def uses(mechanism: str) -> bool:
    """Whether the preview uses ``mechanism`` (all, unless the benchmark's switch names it)."""
    return mechanism not in os.environ.get(WITHOUT, "").split(",")


@dataclass
class Regenerated(Generated):
    rendered: int = 0   # pages of page_cache.PER_ITEM's templates rendered again
    reused: int = 0     # … and reused from the last regeneration


@dataclass
class Preview:
    """What one project's preview keeps of its last regeneration, to make only what changed."""

    records: RecordCache = field(default_factory=RecordCache)
    pages: dict[str, PageCache] = field(default_factory=dict)   # by language
    data: PerCase = field(default_factory=PerCase)

    def regenerate(self, project: Project, languages: tuple[str, ...]) -> Regenerated:
        """The generator's stages with the preview's caches; records with problems shown in place of their cases."""
        if uses("record-cache"):   # 1: only the records changed since the last regeneration are read again
            vocabulary, cases, problems = self.records.validate(project.cases_dir, project.vocabulary)
        else:
            vocabulary = load_vocabulary(project.vocabulary)
            cases, problems = validate_files([project.cases_dir], vocabulary)
        settings = load_settings(project.mkdocs_config("zh"))
        shared = shared_data(cases, vocabulary, settings)                                          # 2
        reuse = {"environment": self._environment, "each_case": self.data.get} if uses("page-cache") else {}
        site = SitePages(cases, vocabulary, settings, shared, **reuse)                             # 3
        valid_ids = {item.id for item in cases}

        def pages(lang: str, with_data: bool, data_sizes: Callable[[], dict[str, int]]) -> Iterable:
            shown = site.of(lang, with_data, data_sizes)
            return itertools.chain(shown, problem_pages(problems, valid_ids, lang)) if problems else shown

        caches = [self.pages.setdefault(lang, PageCache()) for lang in languages]
        before = [(cache.rendered, cache.reused) for cache in caches]
        reports = write_pages(project, languages, pages)                                           # 4
        for cache in (*caches, self.data):
            cache.sweep()
        return Regenerated(cases, reports, problems,
                           sum(c.rendered - b[0] for c, b in zip(caches, before, strict=True)),
                           sum(c.reused - b[1] for c, b in zip(caches, before, strict=True)))

    def _environment(self, lang: str) -> object:
        return self.pages.setdefault(lang, PageCache()).environment(fresh_environment())


# By project root. At module level: MkDocs imports its hook module again at every rebuild, but this module stays
# imported for the life of the preview.
_PREVIEWS: dict[Path, Preview] = {}


def regenerate(project: Project, languages: tuple[str, ...]) -> Regenerated:
    """:meth:`Preview.regenerate` with what this process's preview of ``project`` kept."""
    return _PREVIEWS.setdefault(project.root, Preview()).regenerate(project, languages)


def refresh(project: Project, lang: str) -> None:
    """The hook's regeneration after an edit (mkdocs_hook.on_config in the preview mode); what stops every page is
    shown on the home page and /problems/, and the preview keeps answering."""
    started = time.perf_counter()
    try:
        with build_lock(project.work_dir, log.info):
            if not project.cases_dir.is_dir():
                raise UsageError(f"the cases folder {display_path(project.cases_dir)} is missing (moved away or "
                                 "removed?); put it back and the preview regenerates")
            shown = regenerate(project, (lang,))
    except CasebookError as exc:
        # A failed build would hold every request until the next good one (MkDocs' server waits for it).
        problems = exc.problems if isinstance(exc, ProblemsFound) else [Problem("", 0, 0, "", str(exc))]
        with build_lock(project.work_dir, log.info):
            show_blocked(project, (lang,), problems)
        log.warning("the preview cannot make its pages; it shows the last ones until this is fixed:\n%s",
                    "\n".join(map(str, problems)))
        return
    written = sum(len(report.written) + len(report.removed) for report in shown.reports.values())
    log.info(f"pages generated in {time.perf_counter() - started:.2f} s: {written} files changed "
             f"({shown.rendered} pages rendered again, {shown.reused} reused)")
    if shown.problems:  # shown in place of the cases; the terminal lists them too
        log.info("records with problems, left out of the preview:\n%s", "\n".join(map(str, shown.problems)))


def show_blocked(project: Project, languages: tuple[str, ...], problems: list[Problem]) -> None:
    """The preview when it cannot make its pages (blocked_pages): the problems on the home page and on
    /problems/; every other page stays as the last regeneration left it, so the preview keeps answering."""
    own_tree(project.work_dir)
    for lang in languages:
        write_tree(project.docs_dir(lang), blocked_pages(problems, lang), prune=False)


def problem_pages(problems: list[Problem], valid_ids: set[str], lang: str) -> list[tuple[str, str]]:
    """The preview's pages for records with problems: each in place of its case, and one page listing them all."""
    template, strings = fresh_environment().get_template("problems.html.j2"), ui_strings(lang)
    common = {"lang": lang, "s": strings, "updated": ""}
    by_file: dict[str, list[Problem]] = {}
    for problem in sorted(problems):
        by_file.setdefault(problem.path, []).append(problem)
    pages = [("problems/index.md", template.render(common, title=strings.problems.all_title,
                                                   intro=strings.problems.all_intro, problems=sorted(problems)))]
    for path, listed in by_file.items():
        case_id = PurePath(path).stem
        if is_case_id(case_id) and case_id not in valid_ids:
            pages.append((f"cases/{case_id}/index.md", template.render(common, title=strings.problems.title,
                                                                 intro=strings.problems.intro, problems=listed)))
    return pages


def blocked_pages(problems: list[Problem], lang: str) -> list[tuple[str, str]]:
    """The preview's home page and problem list when no page can be made (the vocabulary, the configuration or the
    cases folder is broken or missing): the problems, in place of the home page and on /problems/."""
    template, strings = fresh_environment().get_template("problems.html.j2"), ui_strings(lang)
    page = template.render({"lang": lang, "s": strings, "updated": ""}, title=strings.problems.blocked_title,
                           intro=strings.problems.blocked_intro, problems=sorted(problems))
    return [("index.md", page), ("problems/index.md", page)]


# Served site → whether a build ended while its indexing ran (index it again). At module level for the reason
# _PREVIEWS is: the hook that starts an indexing is a new module at every rebuild.
_indexing: dict[str, bool] = {}
_indexing_lock = threading.Lock()


def index_served(site: Path, lang: str) -> None:
    """Index the served site for search in the background, after each of its builds (mkdocs_hook.on_post_build).

    The preview shows an edit at once; its search finds the edited pages when Pagefind has indexed the site again
    (a line in the log says so), which takes as long as indexing the language in a build: Pagefind cannot update
    one page of an index. One indexing runs at a time; a build that ends while it runs has the site indexed once
    more when it is done, so the index catches up with the last edit.
    """
    try:
        pagefind_binary()
    except SearchIndexFailed as exc:
        log.info(f"search is not available in the preview: {exc}")
        return
    with _indexing_lock:
        if str(site) in _indexing:  # an indexing is under way: one more when it ends
            _indexing[str(site)] = True
            return
        _indexing[str(site)] = False
    log.info("indexing the preview for search (Pagefind), in the background")

    def run() -> None:
        while True:
            try:
                problem = index_site(site, lang, nice=True)  # niced: the rebuilds after an edit come first
            except OSError as exc:
                problem = str(exc)
            with _indexing_lock:
                again = _indexing[str(site)]
                if again:
                    _indexing[str(site)] = False
                else:
                    del _indexing[str(site)]
            if problem:
                log.info(f"search is not available in the preview: {problem}")
            elif not again:
                log.info("search index of the preview ready")
            if not again:
                return

    threading.Thread(target=run, daemon=True).start()
