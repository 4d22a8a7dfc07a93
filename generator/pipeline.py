"""The pipeline of `casebook build`, one stage a line (CONTRIBUTING.md names the module of each):

1 load and validate → 2 shared data → 3 page producers → 4 write (generate.py, in a forked process) →
5 engine builds (MkDocs zh and en) → 6 search index → 7 security policies → 8 swap.

The preview (preview.py) calls the same stages 1–4 with its caches; no stage knows it exists.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from .build import BuildReport, build_with_engine, generate_apart, index_search, swap_site
from .csp import add_policies
from .project import Project
from .sitedir import PinnedSite, build_lock, check_site_dir, make_staging, pinned, site_lock, tidy


def build(project: Project, pin: PinnedSite, parallel: bool, progress: Callable[[str], None], engine: str,
          lock: tuple[int, ...]) -> BuildReport:
    """The build, stage by stage, into the site folder ``pin`` holds; its processes inherit the descriptors in
    ``lock`` (sitedir.build_lock says why)."""
    started = time.perf_counter()
    case_ids, epoch = generate_apart(project, progress)                                  # 1–4 generate.generate
    seconds = {"generate": time.perf_counter() - started}
    staging = make_staging(pin.path)
    try:
        seconds |= build_with_engine(project, staging, engine, parallel, epoch, lock, progress)   # 5
        seconds |= index_search(staging, lock, progress)                                          # 6
        # every page's Content-Security-Policy, from the page as built; a script its content should not hold fails
        seconds |= add_policies(staging, project.overrides)                                       # 7
        swap_site(staging, pin)                                                                   # 8
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    seconds["total"] = time.perf_counter() - started
    progress(f"site written to {pin.path}")
    return BuildReport(case_ids, seconds)


def build_site(project: Project, site_dir: Path, parallel: bool = True,
               progress: Callable[[str], None] = lambda message: None, engine: str = "mkdocs") -> BuildReport:
    """Generate the pages, build every language, assemble one site and swap it into ``site_dir``.

    ``site_dir`` is checked first (sitedir.py): a folder that a build did not make is never replaced. It is checked
    again once this build holds the site directory's lock (another build may have replaced it meanwhile), then
    pinned: the swap replaces the folder checked, or nothing.
    """
    check_site_dir(site_dir, project.root, project.cases_dir)  # refused at once, before waiting for any lock
    with build_lock(project.work_dir, progress) as lock, \
            site_lock(check_site_dir(site_dir, project.root, project.cases_dir), progress) as held:
        site = check_site_dir(site_dir, project.root, project.cases_dir)
        tidy(site)
        with pinned(site) as pin:
            return build(project, pin, parallel, progress, engine, (lock, held))
