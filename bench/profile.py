"""Profile the generator stage (validate + render both languages) and, optionally, one MkDocs build.

    python -m bench.profile 200                 # cProfile of validate + render zh + render en
    python -m bench.profile 200 --mkdocs zh     # … and of the Chinese MkDocs build, in process

Prints the top functions by own time and by cumulative time for each profiled part.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

from bench.workspace import make_project
from generator.build import QUIET_ENV
from generator.generate import generate
from generator.hook_mode import HookMode, mode_env
from generator.render import LANGUAGES, render_site
from generator.settings import load_settings
from generator.validate import validate_files
from generator.vocabulary import load_vocabulary


def report(profile: cProfile.Profile, title: str, top: int) -> str:
    out = io.StringIO()
    out.write(f"\n## {title}\n")
    for order in ("tottime", "cumulative"):
        stats = pstats.Stats(profile, stream=out)
        stats.strip_dirs().sort_stats(order)
        out.write(f"\n### top {top} by {order}\n")
        stats.print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=200, help="number of synthetic cases (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mkdocs", choices=LANGUAGES, help="also profile this language's MkDocs build")
    parser.add_argument("--top", type=int, default=25, help="functions listed per table (default 25)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="make the project in DIR and keep it")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        directory = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="casebook-profile-")))
        project = make_project(directory, args.count, args.seed)
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        vocabulary = load_vocabulary(project.vocabulary)
        cases, problems = validate_files([project.cases_dir], vocabulary)
        settings = load_settings(project.mkdocs_config("zh"))
        for lang in LANGUAGES:
            render_site(cases, vocabulary, settings, lang)
        profile.disable()
        elapsed = time.perf_counter() - started
        assert not problems, problems[:3]
        print(f"# Profile at N = {args.count}\n\ngenerator stage (validate + render zh + en), "
              f"under the profiler: {elapsed:.2f} s")
        print(report(profile, "validate + render", args.top))
        if args.mkdocs:
            from mkdocs.commands.build import build
            from mkdocs.config import load_config

            generate(project)  # the pages the build reads
            os.environ.update({**QUIET_ENV, **mode_env(HookMode.PREGENERATED)})
            previous = Path.cwd()
            os.chdir(project.root)  # the configuration's paths are relative to the project
            try:
                config = load_config(str(project.mkdocs_config(args.mkdocs)), site_dir=str(directory / "profile-site"))
                profile = cProfile.Profile()
                started = time.perf_counter()
                profile.enable()
                build(config)
                profile.disable()
                elapsed = time.perf_counter() - started
            finally:
                os.chdir(previous)
            print(f"\nMkDocs build ({args.mkdocs}) under the profiler: {elapsed:.2f} s")
            print(report(profile, f"MkDocs build ({args.mkdocs})", args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
