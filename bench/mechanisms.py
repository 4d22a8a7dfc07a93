"""What each performance mechanism of the build gains, measured in the same run as the build it speeds.

    python -m bench.mechanisms PROJECT_DIR          # every mechanism, with and without; prints a Markdown table

Each mechanism is switched off by the benchmark alone, never by a setting of the casebook:

- the cyclic garbage collector off (generator/cli.py): the generator stage in a fresh process, with and without
  ``gc.disable()``;
- forked processes that read the records (generator/load_parallel.py): the generator stage with and without them;
- both languages' MkDocs builds side by side (generator/build.py): MkDocs stage, side by side and one after the
  other;
- the generator stage in a forked process (generator/build.py, generate_apart), which gives its memory back before
  MkDocs starts: peak memory (PSS) of a whole clean build in a fresh process, with and without it;
- the HTML-body stand-in (generator/html_body.py, through the MkDocs hook): the Chinese MkDocs build with the hook
  as it is and with a hook that leaves it out.

Every variant of the generator stage runs in its own process, so no cache of an earlier run is reused.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.process_tree import run_command
from generator.build import QUIET_ENV, _run_mkdocs
from generator.hook_mode import HookMode, mode_env
from generator.project import Project

GENERATOR_VARIANTS = {  # name → what is switched off
    "as built": (),
    "collector on": ("gc",),
    "records read in this process": ("fork load",),
}
# A hook module with every event of generator/mkdocs_hook.py but the HTML-body stand-in's two.
HOOK_WITHOUT_STAND_IN = ("from generator.mkdocs_hook import on_config, on_post_page, on_serve, on_startup"
                         "  # noqa: F401\n")


def generator_seconds(root: Path, without: tuple[str, ...]) -> float:
    """In this (fresh) process: the generator stage as `casebook build` runs it, less the mechanisms named."""
    from generator import load_parallel
    from generator.generate import generate

    if "gc" not in without:
        gc.disable()  # as generator/cli.py does
    if "fork load" in without:
        load_parallel.can_fork = lambda: False
    project = Project.at(root)
    shutil.rmtree(project.work_dir, ignore_errors=True)
    started = time.perf_counter()
    generate(project)
    return time.perf_counter() - started


def _generator_in_fresh_process(root: Path, without: tuple[str, ...]) -> float:
    command = [sys.executable, "-m", "bench.mechanisms", "--generator", str(root), "--without", ",".join(without)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=_env()).stdout
    return float(output.strip().splitlines()[-1])


def _env() -> dict[str, str]:
    bench_root = str(Path(__file__).resolve().parent.parent)
    return {**os.environ, **QUIET_ENV, "PYTHONPATH": os.pathsep.join(filter(None, (bench_root,
                                                                                   os.environ.get("PYTHONPATH"))))}


def mkdocs_seconds(project: Project, parallel: bool) -> float:
    """Both languages' MkDocs builds (the docs trees must be generated), side by side or one after the other."""
    with tempfile.TemporaryDirectory(prefix="mechanisms-", dir=project.root) as staging:
        started = time.perf_counter()
        _run_mkdocs(project, Path(staging), {**_env(), **mode_env(HookMode.PREGENERATED)}, parallel, ())
        return time.perf_counter() - started


def stand_in_seconds(project: Project, stand_in: bool) -> float:
    """The Chinese MkDocs build with the project's hook, or with one that leaves the HTML-body stand-in out."""
    config = project.mkdocs_config("zh")
    if not stand_in:
        hook = project.root / "generator" / "bench_hook_without_stand_in.py"
        hook.write_text(HOOK_WITHOUT_STAND_IN, encoding="utf-8")
        config = project.root / "mkdocs.bench-without-stand-in.yml"
        config.write_text(f"INHERIT: mkdocs.yml\nhooks:\n  - {hook.relative_to(project.root)}\n"
                          "  - generator/section_hook.py\n", encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="mechanisms-", dir=project.root) as site:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", site],
                       cwd=project.root, env={**_env(), **mode_env(HookMode.PREGENERATED)}, check=True,
                       capture_output=True)
        return time.perf_counter() - started


def build_peak_pss(root: Path, apart: bool) -> float:
    """Peak PSS (bytes) of the process tree of a clean build, with the generator stage forked or not."""
    shutil.rmtree(root / "build", ignore_errors=True)
    code = ("import gc, sys; gc.disable(); from pathlib import Path; from generator import build; "
            f"build.can_fork = build.can_fork if {apart} else (lambda: False); "
            "from generator.project import Project; p = Project.at(Path.cwd()); "
            "from generator.pipeline import build_site; build_site(p, p.root / 'site')")
    _, sample, _, _ = run_command([sys.executable, "-c", code], root, env=_env())
    return sample.peak_pss


def measure(root: Path) -> dict[str, Any]:
    """Seconds of each stage with each variant; the generator's as the best of two runs."""
    project = Project.at(root)
    figures: dict[str, Any] = {}
    for name, without in GENERATOR_VARIANTS.items():
        figures[f"generator, {name}"] = min(_generator_in_fresh_process(root, without) for _ in range(2))
    # the docs trees are now as the build makes them: the MkDocs variants read them
    figures["MkDocs, languages side by side"] = mkdocs_seconds(project, parallel=True)
    figures["MkDocs, languages one after the other"] = mkdocs_seconds(project, parallel=False)
    figures["MkDocs zh, with the HTML-body stand-in"] = stand_in_seconds(project, stand_in=True)
    figures["MkDocs zh, without it"] = stand_in_seconds(project, stand_in=False)
    figures["build PSS, generator apart"] = build_peak_pss(root, apart=True)
    figures["build PSS, generator in the build's process"] = build_peak_pss(root, apart=False)
    return figures


# mechanism, its peak memory with it, without it (bytes)
MEMORY = [("the generator stage in its own process (build.py)", "build PSS, generator apart",
           "build PSS, generator in the build's process")]
# mechanism, its stage with it, the same stage without it
GAINS = [
    ("collector off (cli.py)", "generator, as built", "generator, collector on"),
    ("records read by forked processes (load_parallel.py)", "generator, as built",
     "generator, records read in this process"),
    ("MkDocs languages side by side (build.py)", "MkDocs, languages side by side",
     "MkDocs, languages one after the other"),
    ("HTML-body stand-in (html_body.py, mkdocs_hook.py)", "MkDocs zh, with the HTML-body stand-in",
     "MkDocs zh, without it"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mechanisms", description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path, help="a project made by bench.run (--keep) with its records")
    parser.add_argument("--generator", action="store_true", help=argparse.SUPPRESS)  # one variant, in this process
    parser.add_argument("--without", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generator:
        print(generator_seconds(args.project.resolve(), tuple(filter(None, args.without.split(",")))))
        return 0
    print(json.dumps(measure(args.project.resolve()), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
