"""The site directory: which folder a build may replace, and replacing it in one step.

A build only ever replaces a folder that a build made. Each built site carries a marker file; a folder without
it (and without the shape of a site built before the marker existed) is an editor's, and is refused, as are the
project itself, its inputs, their ancestors, the home directory and ``/``. The new site is staged beside the
target and exchanged with it in one step, so at no instant is the site missing or half-written; what a killed
build leaves behind is recognised by its own marker and removed by the next build.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError

SITE_MARKER = ".casebook-site"  # in every built site: this folder may be replaced by the next build
STAGING_MARKER = ".casebook-staging"  # in every staging folder: removable once its build has ended
_MARKER_TEXT = "Made by `casebook build`; the next build replaces this folder.\n"
# A site built before the marker existed: these paths were in every one.
_LEGACY_SHAPE = ("index.html", "404.html", "sitemap.xml", "en/index.html", "assets")
_LEGACY_ENTRIES = {"index.html", "404.html", "sitemap.xml", "sitemap.xml.gz", "feed.xml", "assets", "search",
                   "pagefind", "en", "cases", "browse", "compare", "map", "data", "guide", "about"}
_INPUTS = ("cases", "templates", "site_overrides", "generator", "tests", ".git", "build")


class SiteDirRefused(UsageError):
    """``--site-dir`` names a folder that a build must not replace."""


def staging_prefix(site_dir: Path) -> str:
    return f".{site_dir.name}.casebook-staging-"


def aside_path(site_dir: Path) -> Path:
    """Where the two-rename swap parks the old site (only where directories cannot be exchanged in one step)."""
    return site_dir.with_name(f".{site_dir.name}.casebook-old")


def check_site_dir(site_dir: Path, project_root: Path, cases_dir: Path) -> Path:
    """The resolved ``site_dir`` if a build may put its site there; otherwise :class:`SiteDirRefused`."""
    shown = str(site_dir)
    try:
        site = site_dir.resolve()
    except (RuntimeError, OSError):  # a loop of symbolic links
        raise SiteDirRefused(f"--site-dir {shown} is a loop of symbolic links; choose a folder of its own, e.g. site"
                             ) from None
    root = project_root.resolve()
    home = Path.home().resolve()
    if site == Path(site.anchor) or site == home or home.is_relative_to(site):
        raise SiteDirRefused(f"--site-dir {shown} is {'/' if site == Path(site.anchor) else 'your home folder'}"
                             f"{'' if site in (home, Path(site.anchor)) else ' or holds it'}; "
                             "a build replaces its site directory, so it must be a folder of its own, e.g. site")
    if root.is_relative_to(site):
        raise SiteDirRefused(f"--site-dir {shown} is the project folder or holds it; a build replaces its site "
                             "directory, so it must be a folder of its own, e.g. site")
    for protected in (cases_dir.resolve(), *(root / name for name in _INPUTS)):
        if site.is_relative_to(protected) or protected.is_relative_to(site):
            raise SiteDirRefused(f"--site-dir {shown} is or holds {protected}, which holds the project's own "
                                 "files; choose a folder of its own, e.g. site")
    blocking = next((parent for parent in site.parents if parent.exists() and not parent.is_dir()), None)
    if blocking is not None:
        raise SiteDirRefused(f"--site-dir {shown}: {blocking} is a file, not a folder")
    if site.is_symlink() or (site.exists() and not site.is_dir()):
        raise SiteDirRefused(f"--site-dir {shown} is not a folder; choose a folder of its own, e.g. site")
    if site.is_dir() and not is_site(site) and any(site.iterdir()):
        raise SiteDirRefused(f"--site-dir {shown} already holds files that `casebook build` did not make; "
                             "a build would replace them, so it leaves them alone. Choose an empty or new folder, "
                             "or move those files away yourself")
    return site


def is_site(path: Path) -> bool:
    """Whether ``path`` is a site a build made: its marker, or the shape of a site built before the marker, holding
    nothing a build does not make."""
    if (path / SITE_MARKER).is_file():
        return True
    return (all((path / part).exists() for part in _LEGACY_SHAPE)
            and ((path / "pagefind").is_dir() or (path / "search").is_dir())
            and {child.name for child in path.iterdir()} <= _LEGACY_ENTRIES)


def mark_site(site: Path) -> None:
    (site / SITE_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")


def make_staging(site: Path) -> Path:
    """A new staging folder beside ``site`` (so the swap is a rename within one file system), marked as such."""
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(site), dir=site.parent))
    (staging / STAGING_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    return staging


def tidy(site: Path) -> None:
    """Finish what a killed build left: put back a site parked aside by an interrupted swap, and remove staging
    folders and parked sites. Only folders carrying a build's marker are touched (this build holds the lock)."""
    aside = aside_path(site)
    if aside.is_dir() and is_site(aside):
        if not site.exists():
            os.rename(aside, site)  # killed between the two renames of the swap: the old site comes back
        else:
            shutil.rmtree(aside)  # killed after the swap, before removing the old site
    if site.parent.is_dir():
        for leftover in site.parent.glob(staging_prefix(site) + "*"):
            if leftover.is_dir() and (leftover / STAGING_MARKER).is_file():
                shutil.rmtree(leftover)


def swap_in(new_site: Path, site: Path) -> None:
    """Put ``new_site`` at ``site``, which keeps either its old complete site or the new one at every instant.

    The old site ends up at ``new_site``'s path, inside its staging folder, which the caller removes.
    """
    if not os.path.lexists(site):
        os.rename(new_site, site)
    elif not exchange(new_site, site):
        aside = aside_path(site)
        os.rename(site, aside)  # a kill here leaves no site until the next build's tidy() puts it back
        os.rename(new_site, site)
        os.rename(aside, new_site)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step (Linux renameat2 with RENAME_EXCHANGE); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)  # glibc 2.28 and later, musl 1.2.4 and later
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):  # kernel or file system lacks it
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextmanager
def build_lock(work_dir: Path, waiting: Callable[[str], None]) -> Iterator[int]:
    """One build (or preview regeneration) at a time per project: both write the same generated tree.

    Yields the lock's file descriptor: the build's own processes (MkDocs, Pagefind) inherit it, so should the build
    itself be killed, the lock is held until they have ended too, and the next build tidies after them.
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    with open(work_dir / ".lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting("another casebook build is running in this project; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield handle.fileno()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
