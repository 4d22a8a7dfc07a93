"""The preview under `casebook serve`: from saving an edit to the served page (and the preview's search) showing it,
with each of the preview's mechanisms and without it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

from bench import synth
from bench.process_tree import stop_group, wait_until_idle
from bench.workspace import child_env
from generator.load import load_file
from generator.preview import WITHOUT as PREVIEW_WITHOUT
from generator.project import Project

PREVIEW_TIMEOUT = 120.0
SEARCH_READY = "search index of the preview ready"  # generator/preview.py index_served logs it
# The preview's mechanisms (generator.preview.WITHOUT), each measured left out: its gain
PREVIEW_MECHANISMS = ("page-cache", "record-cache", "dirty")


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
