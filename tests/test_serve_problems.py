"""`casebook serve` with a broken record: the preview keeps answering and shows the problems in place of the case."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.preview import allowed_names, host_allowed
from tests.browser_support import FIXTURE_CASES
from tests.site_helpers import ROOT, make_project
from tests.test_serve_search import STARTUP_LIMIT, fetch, free_port

pytestmark = pytest.mark.slow  # `casebook serve` in its own process

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


def wait_without(url: str, gone: str, server: subprocess.Popen, log: Path) -> None:
    started = time.monotonic()
    while (page := fetch(url)) is None or gone in page.decode("utf-8"):
        assert server.poll() is None, log.read_text()
        assert time.monotonic() - started < STARTUP_LIMIT, f"{gone!r} never went\n{log.read_text()}"
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


# --- issue 21, attack 13: the preview's guard, a broken vocabulary, the cases folder moved away and back ----------

def _request(port: int, path: str, host: str) -> tuple[int, str]:
    """A raw GET (the path sent as given, percent escapes and all) with the Host header ``host``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@contextmanager
def _preview(tmp_path: Path, *options: str) -> Iterator[tuple[Path, int, subprocess.Popen, Path]]:
    project = make_project(tmp_path / "project", FIXTURE_CASES)
    (project / "templates").symlink_to(ROOT / "templates")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}", *options],
                                  cwd=project, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(f"http://127.0.0.1:{port}/cases/{CASE}/", "湖畔职业技术学院结对帮扶山城职业中专", server, log)
            yield project, port, server, log
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def test_the_preview_answers_its_own_names_only_and_never_fails_on_a_path(tmp_path: Path) -> None:
    with _preview(tmp_path, "--allow-host", "laptop.local") as (_, port, server, log):
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}",
                     f"laptop.local:{port}"):
            assert _request(port, f"/cases/{CASE}/", host)[0] == 200, host
        for host in (f"evil.example:{port}", "localhost:1", f"127.0.0.1.evil.example:{port}", "", f"[::2]:{port}"):
            status, text = _request(port, "/problems/", host)  # DNS rebinding: the page would read local paths
            assert status == 403, host
            assert "answers only requests addressed to" in text and "--allow-host NAME" in text
        for path in ("/cases/%00/", "/%00", "/cases/%ff/", "/%c3%28/"):
            assert _request(port, path, f"127.0.0.1:{port}")[0] == 400, path
        assert server.poll() is None
    assert "Traceback" not in log.read_text()


def test_a_broken_vocabulary_is_a_problem_page_and_the_preview_keeps_answering(tmp_path: Path) -> None:
    with _preview(tmp_path) as (project, port, server, log):
        vocabulary = project / "vocabulary.yaml"
        original = vocabulary.read_text(encoding="utf-8")
        vocabulary.write_text(original + "themes: [broken\n", encoding="utf-8")
        home = wait_for(f"http://127.0.0.1:{port}/", "预览无法生成", server, log)
        assert f"vocabulary.yaml:{original.count(chr(10)) + 1}:" in home
        assert "预览无法生成" in fetch(f"http://127.0.0.1:{port}/problems/").decode("utf-8")
        assert "湖畔职业技术学院" in fetch(f"http://127.0.0.1:{port}/cases/{CASE}/").decode("utf-8")  # the last pages
        vocabulary.write_text(original, encoding="utf-8")
        wait_without(f"http://127.0.0.1:{port}/", "预览无法生成", server, log)


def test_the_cases_folder_moved_away_and_back_is_noticed_and_said(tmp_path: Path) -> None:
    with _preview(tmp_path) as (project, port, server, log):
        away = tmp_path / "cases-away"
        (project / "cases").rename(away)
        home = wait_for(f"http://127.0.0.1:{port}/", "预览无法生成", server, log)
        assert "the cases folder cases is missing" in home
        assert "the cases folder cases was moved away or removed" in log.read_text()
        away.rename(project / "cases")
        wait_without(f"http://127.0.0.1:{port}/", "预览无法生成", server, log)
        record = project / "cases" / f"{CASE}.yaml"
        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("结对帮扶山城职业中专", "结对帮扶山城职业中专（已改）"), encoding="utf-8")
        wait_for(f"http://127.0.0.1:{port}/cases/{CASE}/", "山城职业中专（已改）", server, log)  # edits reload again
        assert "the cases folder cases is back" in log.read_text()


@pytest.mark.parametrize(("listen", "extra", "header", "port", "answered"), [
    ("127.0.0.1", (), "127.0.0.1:8000", 8000, True),
    ("127.0.0.1", (), "localhost", 8000, False),  # no port: port 80 only
    ("127.0.0.1", (), "localhost", 80, True),
    ("0.0.0.0", (), "0.0.0.0:8000", 8000, False),  # a wildcard names no host
    ("::", (), "[::]:8000", 8000, False),
    ("192.168.1.5", (), "192.168.1.5:8000", 8000, True),  # the -a host
    ("::1", (), "[::1]:8000", 8000, True),
    ("0.0.0.0", ("Laptop.local",), "laptop.local:8000", 8000, True),
    ("127.0.0.1", (), "[::1]8000", 8000, False),
    ("127.0.0.1", (), "localhost:8000:8000", 8000, False),
])
def test_which_hosts_the_preview_answers(listen: str, extra: tuple[str, ...], header: str, port: int,
                                         answered: bool) -> None:
    assert host_allowed(header, allowed_names(listen, extra), port) is answered
