"""bench/lighthouse.py's server: gzip for text types when the browser asks (as GitHub Pages serves), the files as
they are otherwise. Lighthouse itself is not run here: it is a benchmark, installed by scripts/lighthouse."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

import pytest

from bench.lighthouse import first_case, serve, table

pytestmark = pytest.mark.slow  # the benchmark's: its static server

HTML = "<!doctype html><title>案例</title>" + "<p>对口帮扶</p>" * 200


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "cases" / "b-college").mkdir(parents=True)
    (tmp_path / "cases" / "a-college").mkdir(parents=True)
    (tmp_path / "cases" / "page" / "2").mkdir(parents=True)
    for folder in (tmp_path, tmp_path / "cases" / "a-college", tmp_path / "cases" / "b-college",
                   tmp_path / "cases" / "page" / "2"):
        (folder / "index.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "card.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(500))
    return tmp_path


def get(url: str, gzip_ok: bool) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return dict(response.headers), response.read()


def test_text_is_gzipped_when_asked_and_only_then(site: Path) -> None:
    with serve(site, compress=True) as base:
        headers, body = get(f"{base}/cases/a-college/", gzip_ok=True)
        assert headers["Content-Encoding"] == "gzip" and headers["Content-Type"].startswith("text/html")
        assert int(headers["Content-Length"]) == len(body) < len(HTML.encode()) / 5
        assert gzip.decompress(body).decode() == HTML
        headers, body = get(f"{base}/cases/a-college/", gzip_ok=False)
        assert "Content-Encoding" not in headers and body.decode() == HTML
        headers, body = get(f"{base}/card.png", gzip_ok=True)  # images go as they are
        assert "Content-Encoding" not in headers and body == (site / "card.png").read_bytes()


def test_the_plain_server_never_compresses(site: Path) -> None:
    with serve(site, compress=False) as base:
        headers, body = get(f"{base}/", gzip_ok=True)
        assert "Content-Encoding" not in headers and body.decode() == HTML


def test_the_case_page_is_the_first_case_and_the_table_has_a_row_per_run(site: Path) -> None:
    assert first_case(site) == "a-college"
    figures = {"performance": 98, "accessibility": 100, "fcp": 1200.0, "lcp": 1640.0, "tbt": 40.0, "cls": 0.0041,
               "bytes": 133 * 1024, "failed": [], "blocking": []}
    lines = table([("case", "zh", "gzip", figures)]).splitlines()
    assert lines[2] == "| case | zh | gzip | 98 | 100 | 1.2 | 1.6 | 40 | 0.004 | 133 |"
