"""`casebook serve` with a broken record: the preview keeps answering and shows the problems in place of the case."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from browser_support import FIXTURE_CASES
from site_helpers import ROOT, make_project
from test_serve_search import STARTUP_LIMIT, fetch, free_port

CASE = "lakeside-polytechnic"


def wait_for(url: str, wanted: str, server: subprocess.Popen, log: Path) -> str:
    started = time.monotonic()
    while True:
        page = fetch(url)
        if page is not None and wanted in page.decode("utf-8"):
            return page.decode("utf-8")
        assert server.poll() is None, log.read_text()
        assert time.monotonic() - started < STARTUP_LIMIT, f"{wanted!r} never appeared\n{log.read_text()}"
        time.sleep(0.3)


def test_a_broken_record_shows_its_problems_in_the_preview_until_it_is_fixed(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURE_CASES)
    (project / "templates").symlink_to(ROOT / "templates")
    record = project / "cases" / f"{CASE}.yaml"
    original = record.read_text(encoding="utf-8")
    assert original.count('added: "2026-11-20"') == 1
    port = free_port()
    url = f"http://127.0.0.1:{port}/cases/{CASE}/"
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
                                  cwd=project, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(url, "湖畔职业技术学院结对帮扶山城职业中专", server, log)
            line = original[:original.index('added: "2026-11-20"')].count("\n") + 1
            record.write_text(original.replace('added: "2026-11-20"', 'added: "2026-02-30"'), encoding="utf-8")
            page = wait_for(url, "此案例记录有问题", server, log)
            assert f"cases/{CASE}.yaml:{line}:8" in page and "is not a day of the calendar" in page
            listing = fetch(f"http://127.0.0.1:{port}/problems/").decode("utf-8")
            assert f"cases/{CASE}.yaml:{line}:8" in listing
            record.write_text(original, encoding="utf-8")
            page = wait_for(url, "湖畔职业技术学院结对帮扶山城职业中专", server, log)
            assert "此案例记录有问题" not in page
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
