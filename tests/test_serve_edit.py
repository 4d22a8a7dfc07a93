"""`casebook serve` after a save: the served page shows the edit, and the preview's search catches up with it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.search import MANIFEST
from tests.browser_support import FIXTURE_CASES
from tests.site_helpers import ROOT, make_project
from tests.test_serve_search import STARTUP_LIMIT, fetch, free_port

pytestmark = pytest.mark.slow  # `casebook serve` in its own process

CASE = "lakeside-polytechnic"
TITLE = "湖畔职业技术学院结对帮扶山城职业中专"
NEW_WORD = "翡翠"  # in no fixture record


def wait_for(check, server: subprocess.Popen, log: Path, what: str):
    started = time.monotonic()
    while not (found := check()):
        assert server.poll() is None, log.read_text()
        assert time.monotonic() - started < STARTUP_LIMIT, f"{what} never happened\n{log.read_text()}"
        time.sleep(0.2)
    return found


def test_an_edit_is_served_and_then_found_by_the_preview_search(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURE_CASES)
    (project / "templates").symlink_to(ROOT / "templates")
    record = project / "cases" / f"{CASE}.yaml"
    original = record.read_text(encoding="utf-8")
    assert original.count(TITLE) == 1 and NEW_WORD not in original
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"

    def words() -> list[str] | None:  # the Chinese words of the search's manifest, written when indexing ends
        found = fetch(base + f"pagefind/{MANIFEST}")
        return json.loads(found)["words"] if found else None

    def page() -> str:
        return (fetch(base + f"cases/{CASE}/") or b"").decode("utf-8")

    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
                                  cwd=project, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            assert NEW_WORD not in wait_for(words, server, log, "the first search index")
            assert TITLE in page()
            record.write_text(original.replace(TITLE, f"{NEW_WORD}{TITLE}"), encoding="utf-8")
            wait_for(lambda: f"{NEW_WORD}{TITLE}" in page(), server, log, "the edited title on the served page")
            wait_for(lambda: NEW_WORD in (words() or []), server, log, "the edited title in the search index")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
