"""Search in the preview: `casebook serve` indexes the served site with Pagefind once, after its first build."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser_support import FIXTURE_CASES
from tests.site_helpers import ROOT, make_project

pytestmark = pytest.mark.slow  # `casebook serve` in its own process

STARTUP_LIMIT = 180.0  # seconds: only so that a broken preview cannot hang the test run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except (urllib.error.URLError, OSError):
        return None


@pytest.mark.parametrize(("lang", "mount"), [("zh", "/"), ("en", "/en/")])
def test_preview_has_a_search_index_of_its_language(tmp_path: Path, lang: str, mount: str) -> None:
    project = make_project(tmp_path / "project", FIXTURE_CASES)
    (project / "templates").symlink_to(ROOT / "templates")  # `casebook serve` watches the project's templates
    port = free_port()
    base = f"http://127.0.0.1:{port}{mount}"
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--lang", lang, "-a", f"127.0.0.1:{port}"],
                              cwd=project, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        started = time.monotonic()
        while (manifest := fetch(base + "pagefind/casebook-search.json")) is None:  # written last
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() - started < STARTUP_LIMIT, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        bundles = json.loads(manifest)["bundles"]
        assert bundles == ["cases-1/"]
        for bundle in ("pagefind/", *(f"pagefind/{part}" for part in bundles)):
            languages = json.loads(fetch(base + bundle + "pagefind-entry.json"))["languages"]
            assert list(languages) == [lang] and languages[lang]["page_count"] > 0
        case_page = fetch(base + "cases/lakeside-polytechnic/").decode("utf-8")
        assert 'data-bundle="../../pagefind/"' in case_page  # the page's search loads this bundle when opened
        assert fetch(base + "pagefind/pagefind.js")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
