"""Measure the casebook at scale: stage times, memory, sizes, preview and search, against mkdocs-static-i18n.

    python -m bench.run                      # N = 100 and 1,000, with the static-i18n baseline
    python -m bench.run --sizes 5000         # one size; the baseline is skipped above --baseline-max
    python -m bench.run --sizes 20 --quick --skip-baseline   # a smoke run

For each N a throwaway project (the repository's configuration, vocabulary and overrides,
N synthetic records from ``bench.synth``) is built several ways; one Markdown table with a
column per N goes to standard output, progress to standard error. bench/README.md says what
each figure means and which targets they are held against.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import mechanisms
from bench.baseline import baseline_build
from bench.in_browser import MATERIAL, PAGEFIND, finder_figures, finder_only, search_times
from bench.preview_latency import PREVIEW_MECHANISMS, preview
from bench.process_tree import run_command, watch_tree
from bench.table import kib, machine, table
from bench.workspace import clean, log, make_project
from generator.hook_mode import HookMode, mode_env
from generator.load import load_file
from generator.opendata import data_files
from generator.pipeline import build_site
from generator.project import Project
from generator.render import LANGUAGES, render_site, shared_data
from generator.settings import load_settings
from generator.validate import validate_files
from generator.vocabulary import load_vocabulary
from generator.write import write_tree

# --- the measurements -------------------------------------------------------------------------------

def generator_stages(project: Project, scratch: Path) -> tuple[dict[str, float], dict[str, list[tuple[str, str]]]]:
    """Time load+validate, render of each language, the data files and write, calling the generator's functions
    directly and one after another (a build does render and data files side by side: see the build's figures)."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    vocabulary = load_vocabulary(project.vocabulary)
    cases, problems = validate_files([project.cases_dir], vocabulary)
    seconds["validate"] = time.perf_counter() - started
    if problems:
        raise RuntimeError(f"{len(problems)} problems in the synthetic records, e.g. {problems[0]}")
    settings = load_settings(project.mkdocs_config("zh"))
    rendered = {}
    began = time.perf_counter()
    shared = shared_data(cases, vocabulary, settings)
    seconds["shared data"] = time.perf_counter() - began
    for lang in LANGUAGES:
        began = time.perf_counter()
        rendered[lang] = render_site(cases, vocabulary, settings, lang, shared)
        seconds[f"render {lang}"] = time.perf_counter() - began
    began = time.perf_counter()
    files = [(path, text if isinstance(text, str) else "".join(text))  # written twice below: made whole
             for path, text in data_files(cases, vocabulary, settings.site_url, settings.data_license)]
    seconds["data files"] = time.perf_counter() - began
    began = time.perf_counter()
    for lang, pages in rendered.items():
        pages += files
        write_tree(scratch / lang, pages)
    seconds["write"] = time.perf_counter() - began
    return seconds, rendered


def in_process_build(project: Project) -> dict[str, float]:
    """A clean build through generator.pipeline.build_site, with its own stage times and each MkDocs build's span."""
    clean(project)
    with watch_tree(os.getpid()) as sample:
        report = build_site(project, project.root / "site")
    seconds = dict(report.seconds)
    parallel = max(seconds.get(f"mkdocs {lang}", 0.0) for lang in LANGUAGES)
    seconds["mkdocs parallel"] = parallel
    indexing = sum(seconds.get(f"pagefind {lang}", 0.0) for lang in LANGUAGES)  # one after the other
    seconds["pagefind total"] = indexing
    seconds["assembly"] = seconds["total"] - seconds["generate"] - parallel - indexing - seconds.get("csp", 0.0)
    for lang in LANGUAGES:  # build_site collects the builds in turn; the process tree shows when each one ended
        span = sample.span(str(project.mkdocs_config(lang)))
        if span is not None:
            seconds[f"mkdocs {lang}"] = span
    return seconds


def cli_build(project: Project, engine: str = "mkdocs") -> dict[str, Any]:
    clean(project)
    wall, sample, cpu, _ = run_command([sys.executable, "-m", "generator", "build", "-q", "--engine", engine],
                                       project.root)
    prefix = "" if engine == "mkdocs" else f"{engine} "
    return {f"{prefix}cli wall": wall, f"{prefix}cli cpu": cpu, f"{prefix}cli peak": sample.peak_rss,
            f"{prefix}cli pss": sample.peak_pss}


def directory_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def site_figures(site: Path, case_ids: list[str], prefix: str) -> dict[str, Any]:
    """Total size, case-page sizes (both languages) and search-index sizes of a built site."""
    pages = [site / lang_dir / "cases" / case_id / "index.html" for lang_dir in ("", "en") for case_id in case_ids]
    sizes = [p.stat().st_size for p in pages if p.is_file()]
    figures: dict[str, Any] = {f"{prefix}site bytes": directory_bytes(site),
                               f"{prefix}case median": statistics.median(sizes) if sizes else None,
                               f"{prefix}case max": max(sizes) if sizes else None,
                               f"{prefix}case pages": len(sizes)}
    largest = max(site.rglob("*.html"), key=lambda p: p.stat().st_size, default=None)
    if largest is not None:
        figures[f"{prefix}largest page"] = largest.stat().st_size
        figures[f"{prefix}largest page path"] = "/" + largest.relative_to(site).parent.as_posix().strip(".") + "/"
    indexes = search_index_files(site)
    raw = gz = 0
    for lang, files in indexes.items():
        data = [index.read_bytes() for index in files]
        figures[f"{prefix}index {lang} raw"] = sum(len(d) for d in data)
        figures[f"{prefix}index {lang} gz"] = sum(len(gzip.compress(d, compresslevel=6)) for d in data)
        raw += figures[f"{prefix}index {lang} raw"]
        gz += figures[f"{prefix}index {lang} gz"]
    figures[f"{prefix}index raw"], figures[f"{prefix}index gz"] = raw, gz
    langs = [lang for lang in ("zh", "en") if f"{prefix}index {lang} raw" in figures]
    if langs:
        figures[f"{prefix}index lang raw"] = max(figures[f"{prefix}index {lang} raw"] for lang in langs)
        figures[f"{prefix}index lang gz"] = max(figures[f"{prefix}index {lang} gz"] for lang in langs)
    figures[f"{prefix}index files"] = sum(len(files) for files in indexes.values())
    return figures


def search_index_files(site: Path) -> dict[str, list[Path]]:
    """Each language's search index files in a built site.

    Ours: the language's Pagefind bundles (``pagefind/`` at the root of its site and the case bundles in it): their
    pf_meta, wasm, index chunks and fragments (Pagefind compresses them itself), not the scripts. The baseline:
    Material's ``search/search_index.json`` (mkdocs-static-i18n writes one, for both languages, counted as zh).
    """
    found: dict[str, list[Path]] = {}
    for root in (site / "pagefind", site / "en" / "pagefind"):
        for bundle in (root, *sorted(root.glob("cases-*"))):
            entry = bundle / "pagefind-entry.json"
            if not entry.is_file():
                continue
            languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
            for name, language in languages.items():
                found.setdefault(name, []).extend(sorted([
                    *bundle.glob(f"pagefind.{language['hash']}.pf_meta"),
                    bundle / f"wasm.{language['wasm'] or 'unknown'}.pagefind",
                    *(p for part in ("index", "fragment", "filter") for p in (bundle / part).glob(f"{name}_*"))]))
    for index in sorted(site.rglob("search/search_index.json")):
        found.setdefault("en" if index.parent.parent.name == "en" else "zh", []).append(index)
    return found


def search_queries(project: Project) -> tuple[str, str]:
    """A partner's Chinese and English name, from a case whose English is written."""
    for path in sorted(project.cases_dir.glob("*.yaml")):
        data = load_file(path).data
        if data["translation"]["en"] != "pending":
            name = data["partners"][0]["name"]
            return name["zh"], name["en"]
    data = load_file(sorted(project.cases_dir.glob("*.yaml"))[0]).data
    return data["partners"][0]["name"]["zh"], data["reporter"]["name"]["en"]


# --- one size, all figures ---------------------------------------------------------------------------

@dataclass
class Options:
    seed: int = 1
    baseline: bool = True
    baseline_max: int = 1000
    baseline_timeout: float = 1800.0
    serve: bool = True
    search: bool = True
    mechanisms: bool = True
    mechanisms_max: int = 1000  # also the largest N built with Zensical
    zensical: bool = True


def measure(count: int, directory: Path, options: Options) -> dict[str, Any]:
    figures: dict[str, Any] = {"n": count}
    log(f"N={count}: writing {count} synthetic records")
    project = make_project(directory, count, options.seed)
    case_ids = sorted(p.stem for p in project.cases_dir.glob("*.yaml"))
    figures["yaml bytes"] = directory_bytes(project.cases_dir)

    log(f"N={count}: generator stages (validate, render, write)")
    stages, rendered = generator_stages(project, directory / "stage-scratch")
    shutil.rmtree(directory / "stage-scratch", ignore_errors=True)
    figures.update(stages)

    log(f"N={count}: clean build in process (generator.pipeline.build_site)")
    figures.update(in_process_build(project))

    log(f"N={count}: clean build through the command line")
    figures.update(cli_build(project))
    figures.update(site_figures(project.root / "site", case_ids, ""))

    if options.baseline and count <= options.baseline_max:
        log(f"N={count}: the same pages with mkdocs-static-i18n (one build)")
        figures.update(baseline_build(project, rendered, options.baseline_timeout))
        if isinstance(figures["base wall"], float):
            figures.update(site_figures(project.root / "baseline" / "site", case_ids, "base "))
    elif options.baseline:
        figures["base wall"] = f"not run (N > --baseline-max {options.baseline_max})"
    del rendered

    zh_query, en_query = search_queries(project)
    figures["query zh"], figures["query en"] = zh_query, en_query
    if options.search:
        log(f"N={count}: first search results in Chromium ({zh_query} / {en_query})")
        queries = [("search zh", "/", zh_query), ("search en", "/en/", en_query)]
        figures.update(search_times(project.root / "site", queries, PAGEFIND))
        if isinstance(figures.get("base wall"), float):
            figures.update(search_times(project.root / "baseline" / "site",
                                        [(f"base {key}", path, query) for key, path, query in queries], MATERIAL))
        log(f"N={count}: the finder: ticking filters in Chromium")
        figures.update(finder_figures(project.root / "site"))
    if options.zensical and count <= options.mechanisms_max:
        log(f"N={count}: clean build with Zensical (casebook build --engine zensical)")
        figures.update(cli_build(project, "zensical"))
        clean(project)
    if options.mechanisms and count <= options.mechanisms_max:
        log(f"N={count}: each performance mechanism, with and without (bench/mechanisms.py)")
        figures.update(mechanisms.measure(project.root))
    if options.serve:
        log(f"N={count}: preview of an edit under casebook serve")
        timeout = max(120.0, count * 0.5)
        figures.update(preview(project, case_ids[len(case_ids) // 2], startup_timeout=timeout))
        for mechanism in PREVIEW_MECHANISMS:
            log(f"N={count}: preview of an edit without {mechanism}")
            without = preview(project, case_ids[len(case_ids) // 2], startup_timeout=timeout, without=mechanism)
            figures[f"preview without {mechanism}"] = without.get("preview", without.get("serve startup"))
    return figures


def parse_sizes(values: list[str] | None) -> list[int]:
    sizes: list[int] = []
    for value in values or ["100,1000"]:
        for part in value.split(","):
            if part.strip():
                size = int(part.replace("_", "").strip())
                if size < 1:
                    raise argparse.ArgumentTypeError("sizes must be positive")
                sizes.append(size)
    return list(dict.fromkeys(sizes))


def main(argv: list[str] | None = None) -> int:
    gc.disable()  # the generator's stages timed here run as under the casebook command line (generator/cli.py)
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", action="append", metavar="N[,N…]",
                        help="numbers of cases, comma-separated; may be repeated (default 100,1000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic records (default 1)")
    parser.add_argument("--skip-baseline", action="store_true", help="do not build with mkdocs-static-i18n")
    parser.add_argument("--baseline-max", type=int, default=1000,
                        help="largest N the baseline is built for (its automatic navigation grows with N²; "
                             "default 1000)")
    parser.add_argument("--baseline-timeout", type=float, default=1800.0,
                        help="seconds after which the baseline build is stopped (default 1800)")
    parser.add_argument("--skip-serve", action="store_true", help="do not time the preview under casebook serve")
    parser.add_argument("--skip-search", action="store_true", help="do not time search in Chromium")
    parser.add_argument("--skip-mechanisms", action="store_true",
                        help="do not measure each performance mechanism with and without it (bench/mechanisms.py)")
    parser.add_argument("--mechanisms-max", type=int, default=1000,
                        help="largest N the mechanisms are measured and Zensical is timed for (default 1000)")
    parser.add_argument("--skip-zensical", action="store_true", help="do not time a build with Zensical")
    parser.add_argument("--quick", action="store_true", help="same as --skip-serve --skip-search --skip-mechanisms")
    parser.add_argument("--finder-only", type=int, metavar="N",
                        help="only the finder at N cases: its page and data set into a copy of the built site/")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the projects in DIR/n<N> and keep them (default: a temporary directory)")
    args = parser.parse_args(argv)
    sizes = parse_sizes(args.sizes)
    options = Options(seed=args.seed, baseline=not args.skip_baseline, baseline_max=args.baseline_max,
                      baseline_timeout=args.baseline_timeout, serve=not (args.skip_serve or args.quick),
                      search=not (args.skip_search or args.quick),
                      mechanisms=not (args.skip_mechanisms or args.quick), mechanisms_max=args.mechanisms_max,
                      zensical=not (args.skip_zensical or args.quick))
    os.environ.update(mode_env(HookMode.GENERATE))
    if args.finder_only:
        with tempfile.TemporaryDirectory(prefix="casebook-bench-") as scratch:
            figures = finder_only(args.finder_only, Path(scratch), args.seed)
        print(f"finder at N = {figures['n']:,}: tick a filter → list painted: median "
              f"{figures['finder filter ms']:.1f} ms, slowest {figures['finder filter ms max']:.1f} ms; page "
              f"{kib(figures['finder page bytes'])} KiB, data {kib(figures['finder data bytes'])} KiB "
              f"({kib(figures['finder data gz'])} KiB gzip)")
        return 0
    info = machine()
    results = []
    with contextlib.ExitStack() as stack:
        root = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="casebook-bench-")))
        for count in sizes:
            results.append(measure(count, root / f"n{count}", options))
            log(f"N={count}: done\n{table(results[-1:])}")  # each size's figures as soon as they are taken
            if args.keep is None:
                shutil.rmtree(root / f"n{count}", ignore_errors=True)
    print(f"## Casebook benchmark (seed {args.seed})\n")
    print(info + "\n")
    print(table(results))
    queries = "; ".join(f"N={r['n']}: “{r['query zh']}” / “{r['query en']}”" for r in results)
    print(f"\nSearch queries (a partner's name): {queries}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
