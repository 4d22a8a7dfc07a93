"""The benchmark's Markdown table: one row per figure, one column per number of cases; the machine it ran on."""

from __future__ import annotations

import contextlib
import datetime
import os
import platform
import subprocess
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench import mechanisms
from bench.workspace import ROOT

MiB = 1024 * 1024


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
