"""Lighthouse (mobile profile) over each page type of a built site, in both languages, served with gzip and without.

    python -m bench.lighthouse [SITE_DIR] [--only gzip|plain] [--pages home,catalogue,...] [--runs N] [--json DIR]
    python -m bench.lighthouse --synthetic 1000 --project DIR [--pages catalogue]

The site is served on localhost by a small server of our own (``http.server`` that gzips text types when
the browser asks, as GitHub Pages does, on one port, and sends every file as it is on another). Lighthouse
comes from ``bench/node_modules`` (``scripts/lighthouse`` installs it with ``npm ci``) and drives the
system's Chromium; nothing reaches the network. Prints one Markdown table; with ``--runs N`` each figure
is the median of N runs (Lighthouse's scores vary by a point or two between runs on a busy machine).
With ``--synthetic N`` the site is a throwaway project of N synthetic records (as ``bench.run`` makes one) in
``--project DIR``, built there once (``python -m generator build``) and kept: a later run measures it again.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.in_browser import serve_directory
from bench.workspace import child_env, make_project

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "bench" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ("--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
                  "--disable-component-update --disable-sync")
# What a static host compresses (GitHub Pages gzips text, not images or fonts already compressed).
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/xml",
                    "application/manifest+json", "image/svg+xml", "application/wasm")
LANGUAGES = {"zh": "", "en": "en/"}
KiB = 1024


@dataclass(frozen=True)
class PageType:
    name: str
    path: str  # under a language's root; "{case}" is the first case's id

    def url_path(self, lang: str, case: str) -> str:
        return "/" + LANGUAGES[lang] + self.path.format(case=case)


PAGE_TYPES = (
    PageType("home", ""),
    PageType("catalogue", "cases/"),
    PageType("case", "cases/{case}/"),
    PageType("glossary", "glossary/"),
    PageType("map", "map/"),
    PageType("compare", "compare/"),
)


def synthetic_site(count: int, directory: Path, seed: int) -> Path:
    """The built site of a project of ``count`` synthetic records in ``directory``, built unless it is there."""

    site = directory / "site"
    if (site / "index.html").is_file():
        log(f"{site}: built already, measured as it is")
        return site
    log(f"writing {count:,} synthetic records into {directory} and building them")
    make_project(directory, count, seed)
    subprocess.run([sys.executable, "-m", "generator", "build", "-q"], cwd=directory, env=child_env(), check=True)
    return site


def log(message: str) -> None:
    print(f"[lighthouse {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the server ------------------------------------------------------------------------------------

class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's files; with ``compress`` set, gzips text types for a browser that accepts gzip."""

    compress = False

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
        pass

    def send_head(self):  # type: ignore[override]
        if not self.compress or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder with a slash
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        if not path.is_file() or not content_type.startswith(COMPRESSED_TYPES):
            return super().send_head()
        body = gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    """What send_head returns: a file-like object that copyfile reads and closes."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@functools.lru_cache(maxsize=4096)
def gzipped(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


@contextmanager
def serve(site: Path, compress: bool) -> Iterator[str]:
    with serve_directory(site, type("Handler", (SiteHandler,), {"compress": compress})) as base:
        yield base


# --- Lighthouse ------------------------------------------------------------------------------------

def lighthouse(url: str, report: Path) -> dict[str, Any]:
    """One Lighthouse run (mobile, the default form factor and throttling) over ``url``; its JSON report."""
    command = ["node", str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
               "--only-categories=performance,accessibility", "--no-enable-error-reporting",
               f"--chrome-flags={CHROMIUM_FLAGS}"]
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not report.is_file():
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def figures(report: dict[str, Any]) -> dict[str, Any]:
    audits = report["audits"]
    categories = report["categories"]

    def score(name: str) -> int | None:
        value = categories[name]["score"]
        return None if value is None else round(value * 100)

    def numeric(name: str) -> float | None:
        return audits.get(name, {}).get("numericValue")

    failed = sorted(audit_id for ref in categories["accessibility"]["auditRefs"]
                    if (audit_id := ref["id"]) in audits and audits[audit_id].get("score") == 0 and ref["weight"] > 0)
    blocking = [item["url"] for item in audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])]
    return {
        "performance": score("performance"), "accessibility": score("accessibility"),
        "fcp": numeric("first-contentful-paint"), "lcp": numeric("largest-contentful-paint"),
        "tbt": numeric("total-blocking-time"), "cls": numeric("cumulative-layout-shift"),
        "bytes": numeric("total-byte-weight"), "failed": failed, "blocking": blocking,
    }


def median_figures(runs: list[dict[str, Any]]) -> dict[str, Any]:
    merged = dict(runs[0])
    for key in ("performance", "accessibility", "fcp", "lcp", "tbt", "cls", "bytes"):
        values = [run[key] for run in runs if run[key] is not None]
        merged[key] = statistics.median(values) if values else None
    merged["failed"] = sorted({audit for run in runs for audit in run["failed"]})
    return merged


def first_case(site: Path) -> str:
    cases = sorted(p.parent.name for p in (site / "cases").glob("*/index.html") if p.parent.name != "page")
    if not cases:
        raise SystemExit(f"{site}: no case pages under cases/: is this a built casebook site?")
    return cases[0]


# --- the table -------------------------------------------------------------------------------------

def cell(value: float | None, scale: float = 1.0, digits: int = 0) -> str:
    return "—" if value is None else f"{value / scale:,.{digits}f}"


def table(rows: list[tuple[str, str, str, dict[str, Any]]]) -> str:
    lines = ["| page | language | served | performance | accessibility | FCP (s) | LCP (s) | TBT (ms) | CLS "
             "| bytes (KiB) |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for page, lang, served, f in rows:
        lines.append(f"| {page} | {lang} | {served} | {cell(f['performance'])} | {cell(f['accessibility'])} "
                     f"| {cell(f['fcp'], 1000, 1)} | {cell(f['lcp'], 1000, 1)} | {cell(f['tbt'])} "
                     f"| {cell(f['cls'], 1, 3)} | {cell(f['bytes'], KiB)} |")
    return "\n".join(lines)


def notes(rows: list[tuple[str, str, str, dict[str, Any]]]) -> str:
    """What keeps a page below 100: the accessibility audits it fails and its render-blocking files."""
    lines = [f"- {page} {lang} ({served}): accessibility audits failed: {', '.join(f['failed'])}"
             for page, lang, served, f in rows if f["failed"]]
    blocking: dict[str, list[str]] = {}  # the same files block most pages: one line for each set of them
    for page, lang, served, f in rows:
        if f["blocking"]:
            names = sorted({re.sub(r"^https?://[^/]+(/en)?", "", url) for url in f["blocking"]})
            blocking.setdefault(", ".join(names), []).append(f"{page} {lang} ({served})")
    lines += [f"- render-blocking on {'; '.join(pages)}: {names}" for names, pages in blocking.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lighthouse", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site", help="the built site (default site/)")
    parser.add_argument("--pages", default=",".join(p.name for p in PAGE_TYPES),
                        help="page types, comma-separated (default: all of them)")
    parser.add_argument("--languages", default="zh,en")
    parser.add_argument("--only", choices=("gzip", "plain"), help="serve only with gzip, or only without")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the figures are their medians")
    parser.add_argument("--json", type=Path, metavar="DIR", help="keep Lighthouse's JSON reports in DIR")
    parser.add_argument("--notes", action="store_true", help="also list failed accessibility audits and "
                        "render-blocking files")
    parser.add_argument("--synthetic", type=int, metavar="N", help="measure a site of N synthetic cases (built in "
                        "--project DIR unless built there already) instead of SITE_DIR")
    parser.add_argument("--project", type=Path, metavar="DIR", help="the synthetic project's folder, kept")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic records (default 1)")
    args = parser.parse_args(argv)
    if args.synthetic:
        if not args.project:
            parser.error("--synthetic needs --project DIR (the project is kept there)")
        args.site = synthetic_site(args.synthetic, args.project.resolve(), args.seed)
    if not LIGHTHOUSE.is_file():
        raise SystemExit("Lighthouse is not installed: run ./scripts/lighthouse (it installs bench/node_modules)")
    if not CHROMIUM.is_file():
        raise SystemExit(f"{CHROMIUM} is missing: ./scripts/test installs Chromium with apt-get")
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site}: no index.html: build the site first (./scripts/build-site)")
    wanted = args.pages.split(",")
    pages = [p for p in PAGE_TYPES if p.name in wanted]
    if unknown := set(wanted) - {p.name for p in PAGE_TYPES}:
        raise SystemExit(f"unknown page types: {', '.join(sorted(unknown))}")
    case = first_case(site)
    modes = [m for m in (("gzip", True), ("plain", False)) if args.only in (None, m[0])]
    reports = args.json or Path(tempfile.mkdtemp(prefix="casebook-lighthouse-"))
    reports.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for served, compress in modes:
            with serve(site, compress) as base:
                for page in pages:
                    for lang in args.languages.split(","):
                        path = page.url_path(lang, case)
                        if not (site / path.lstrip("/") / "index.html").is_file():
                            log(f"{path}: not in this site, left out")
                            continue
                        runs = []
                        for run in range(args.runs):
                            report = reports / f"{page.name}-{lang}-{served}-{run + 1}.json"
                            runs.append(figures(lighthouse(base + path, report)))
                            log(f"{path} {served} run {run + 1}: performance {runs[-1]['performance']}, "
                                f"accessibility {runs[-1]['accessibility']}")
                        rows.append((page.name, lang, served, median_figures(runs)))
    finally:
        if not args.json:
            shutil.rmtree(reports, ignore_errors=True)
    version = json.loads((LIGHTHOUSE.parent.parent / "package.json").read_text())["version"]
    chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"Lighthouse {version}, mobile profile (simulated throttling), {chromium}; case page /cases/{case}/; "
          f"{args.runs} run(s) each, median\n")
    print(table(rows))
    if args.notes and (text := notes(rows)):
        print("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
