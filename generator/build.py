"""Stages 5–8 of the pipeline (pipeline.py), and the forked process stages 1–4 run in: both MkDocs builds side by
side into a staging directory, indexed for search (Pagefind), each page's security policy, swapped in only on
success.

MkDocs writes in place, so it never targets the live site: a failed or interrupted
build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .compact import compact_site
from .errors import CasebookError, DiskFull, disk_full, no_space_message, printable
from .generate import Generated, generate
from .hook_mode import HookMode, mode_env
from .load_parallel import can_fork
from .project import LANGUAGES, Project
from .search import SearchIndexFailed, index_sites
from .settings import load_settings
from .sitedir import PinnedSite, mark_site, swap_in

# MkDocs 1.6 prints an end-of-life banner that editors can do nothing about.
QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


class BuildFailed(CasebookError):
    """MkDocs reported an error (in strict mode, any warning)."""


@dataclass
class BuildReport:
    case_ids: list[str]  # the cases built; not the records themselves, which the build lets go once generated
    seconds: dict[str, float]


ENGINES = ("mkdocs", "zensical")  # MkDocs with Material, the default; or Zensical, its authors' successor


def build_with_engine(project: Project, staging: Path, engine: str, parallel: bool, epoch: int,
                      lock: tuple[int, ...], progress: Callable[[str], None]) -> dict[str, float]:
    """Stage 5: every language built from its docs tree into ``staging/<lang>``, by MkDocs (the languages side by
    side, unless not ``parallel``) or by Zensical; seconds per language."""
    env = {**os.environ, **QUIET_ENV, **mode_env(HookMode.PREGENERATED), "SOURCE_DATE_EPOCH": str(epoch),
           **english_address()}
    if engine == "zensical":
        progress(f"building {', '.join(LANGUAGES)} with Zensical")
        seconds = _run_zensical(project, staging, env, lock)
    else:
        progress(f"building {', '.join(LANGUAGES)} with MkDocs{' in parallel' if parallel else ''}")
        seconds = _run_mkdocs(project, staging, env, parallel, lock)
    if not load_settings(project.mkdocs_config("zh")).site_url:
        _remove_sitemaps(staging)
    return seconds


def index_search(staging: Path, lock: tuple[int, ...], progress: Callable[[str], None]) -> dict[str, float]:
    """Stage 6: each language's search index into its own site (search.py says why); a failure keeps the old
    site."""
    progress(f"indexing {', '.join(LANGUAGES)} for search with Pagefind")
    try:
        return index_sites({lang: staging / lang for lang in LANGUAGES}, lock)
    except (SearchIndexFailed, DiskFull) as exc:
        raise type(exc)(f"{exc}\nthe previous site was left as it was") from None


def swap_site(staging: Path, pin: PinnedSite) -> None:
    """Stage 8: the languages assembled into one site (English at /en/), marked as a build's, swapped in."""
    assembled = staging / "zh"
    (staging / "en").rename(assembled / "en")
    mark_site(assembled)
    swap_in(assembled, pin)


def _remove_sitemaps(staging: Path) -> None:
    """A site without an address has no sitemap: a sitemap lists absolute addresses, and without site_url the
    engines list the pages' paths instead (MkDocs) or cannot make one. Removed after either engine built it."""
    for lang in LANGUAGES:
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (staging / lang / name).unlink(missing_ok=True)


def english_address() -> dict[str, str]:
    """CASEBOOK_SITE_URL_EN (mkdocs.en.yml's site_url) from CASEBOOK_SITE_URL when only that is set: a local build
    that names the site's address gets the English site's at /en/, as the generator's citations give it."""
    root = os.environ.get("CASEBOOK_SITE_URL", "").rstrip("/")
    return {"CASEBOOK_SITE_URL_EN": f"{root}/en/"} if root and not os.environ.get("CASEBOOK_SITE_URL_EN") else {}


def generate_apart(project: Project, progress: Callable[[str], None]) -> tuple[list[str], int]:
    """Stages 1–4 (generate.py) in a forked process; the ids of the cases built and the build's date.

    A process does not give the memory of the objects it frees back to the system (the records and what was made
    from them: a gigabyte and a half at 5,000 cases), and both MkDocs builds start once the pages are written: the
    generator's process ends first. Where forking is not safe (no fork, or other threads running), it runs here.
    """
    if not can_fork():
        return _generated(generate(project, progress=progress))
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_generate_in_child, args=(project, progress, sender))
    # Ctrl-C reaches every process of the terminal: the child, forked ignoring it, leaves it to this one, which ends
    # the child and stops with one message (cli), not with a traceback from each process.
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        child.start()
    finally:
        signal.signal(signal.SIGINT, interrupt)
    sender.close()
    try:
        status, payload = pickle.loads(receiver.recv_bytes())
    except EOFError:  # the process ended without a word: killed, or out of memory
        status, payload = "failed", RuntimeError("the generator's process ended without a result")
    except BaseException:  # Ctrl-C: the generator's work is of no more use
        child.kill()
        raise
    finally:
        receiver.close()
        child.join()
    if status == "failed":
        raise payload
    return payload


def _generate_in_child(project: Project, progress: Callable[[str], None], sender: Any) -> None:
    try:
        message: tuple[str, Any] = ("done", _generated(generate(project, progress=progress)))
    except BaseException as exc:
        message = ("failed", exc)
    try:
        data = pickle.dumps(message)
    except Exception:  # an error that cannot be pickled: its type and words
        data = pickle.dumps(("failed", RuntimeError(f"{type(message[1]).__name__}: {message[1]}")))
    sender.send_bytes(data)
    sender.close()


def _generated(generated: Generated) -> tuple[list[str], int]:
    return [item.id for item in generated.cases], source_date_epoch(generated)


def source_date_epoch(generated: Generated) -> int:
    """A build date taken from the records (the newest `added`), so two builds are byte-identical."""
    newest = max((item.case.added for item in generated.cases), default="2000-01-01")
    parts = [int(p) for p in newest.split("-")] + [1, 1]
    day = datetime.datetime(parts[0], parts[1], parts[2], tzinfo=datetime.UTC)
    return int(day.timestamp())


def _run_mkdocs(project: Project, staging: Path, env: dict[str, str], parallel: bool,
                lock: tuple[int, ...]) -> dict[str, float]:
    def start(lang: str) -> subprocess.Popen:
        # No --quiet: it raises MkDocs' log level above WARNING, so --strict would count no warnings.
        command = [sys.executable, "-m", "mkdocs", "build", "--strict",
                   "-f", str(project.mkdocs_config(lang)), "-d", str(staging / lang)]
        return subprocess.Popen(command, cwd=project.root, env=env, stdout=subprocess.PIPE, pass_fds=lock,
                                stderr=subprocess.STDOUT, text=True)

    seconds: dict[str, float] = {}
    failures: list[str] = []
    pending = list(LANGUAGES)
    while pending:
        batch, pending = (pending, []) if parallel else (pending[:1], pending[1:])
        began = time.perf_counter()
        running = {lang: start(lang) for lang in batch}
        try:
            for lang, process in running.items():
                output, _ = process.communicate()
                seconds[f"mkdocs {lang}"] = time.perf_counter() - began
                if process.returncode != 0:
                    failures.append(f"MkDocs build of the {lang} site failed:\n{without_tracebacks(output)}")
        finally:
            for process in running.values():
                if process.poll() is None:
                    process.kill()
                    process.wait()
    if failures:
        if disk_full(staging):
            raise DiskFull(f"MkDocs could not write the site: {no_space_message(staging)}\n"
                           "the previous site was left as it was")
        raise BuildFailed("\n".join(failures) + "\nthe previous site was left as it was")
    return seconds


def without_tracebacks(output: str) -> str:
    """A tool's output with each Python traceback reduced to its last line, the error's type and message: MkDocs
    logs what failed, then prints the traceback of where, which is MkDocs' business, not the editor's."""
    kept: list[str] = []
    inside = False
    for line in output.strip().splitlines():
        if line.startswith("Traceback (most recent call last):"):
            inside = True
        elif not line.strip() or (inside and line[:1].isspace()):
            continue  # a frame of the traceback, or a blank line between its parts
        elif line.startswith(("During handling of the above exception", "The above exception was the direct cause")):
            continue
        else:
            inside = False
            kept.append(printable(line))  # a file name in it shown as errors.printable says
    return "\n".join(dict.fromkeys(kept))  # MkDocs logs an error, then raises it again: said once


def _run_zensical(project: Project, staging: Path, env: dict[str, str], lock: tuple[int, ...]) -> dict[str, float]:
    """Each language with Zensical, from the same configuration, docs trees and overrides as MkDocs.

    Zensical runs no MkDocs hooks, which the pages do not need: they are generated already and carry their whole
    body (html_body.py). It writes only inside the project, so each language is built in a directory under
    .casebook/ (the configurations' ``site_dir`` reads CASEBOOK_SITE_DIR) and then moved to the staging directory.
    Languages one after the other: Zensical already uses every core.
    """
    work = project.root / ".casebook"
    if work.is_symlink():  # the build's own, as build/ is (write.own_tree): a link there is removed, not followed
        work.unlink()
    work.mkdir(exist_ok=True)
    seconds: dict[str, float] = {}
    inside = Path(tempfile.mkdtemp(prefix="zensical-", dir=work))
    try:
        for lang in LANGUAGES:
            began = time.perf_counter()
            built = inside / lang
            command = [sys.executable, "-m", "zensical", "build", "--strict", "-f", str(project.mkdocs_config(lang))]
            process = subprocess.run(command, cwd=project.root, env={**env, "CASEBOOK_SITE_DIR": str(built)},
                                     pass_fds=lock, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            seconds[f"zensical {lang}"] = time.perf_counter() - began
            if process.returncode != 0 or not built.is_dir():
                raise BuildFailed(f"Zensical build of the {lang} site failed:\n{process.stdout.strip()}\n"
                                  "the previous site was left as it was")
            compact_site(built)  # what the MkDocs hook does to each page (compact.py)
            shutil.move(built, staging / lang)
    finally:
        shutil.rmtree(inside, ignore_errors=True)
    return seconds

