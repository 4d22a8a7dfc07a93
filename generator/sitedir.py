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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class PinnedSite:
    """The site directory as it was checked: its parent folder held open, and what stood at its name then."""

    path: Path
    parent: int  # a descriptor of the parent folder: the swap happens in this folder, whatever its path becomes
    identity: tuple[int, int] | None  # (device, inode) of what stood at the name; None: nothing did

    @property
    def name(self) -> str:
        return self.path.name


@contextmanager
def pinned(site: Path) -> Iterator[PinnedSite]:
    """Hold the checked ``site``'s parent folder and remember what is at ``site``: the swap replaces exactly that, or
    nothing (:func:`swap_in`)."""
    parent = os.open(site.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        yield PinnedSite(site, parent, _identity(parent, site.name))
    finally:
        os.close(parent)


def _identity(parent: int, name: str) -> tuple[int, int] | None:
    try:
        found = os.stat(name, dir_fd=parent, follow_symlinks=False)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


def recheck(pin: PinnedSite) -> None:
    """Refuse, right before the swap, a site directory that is no longer the one checked at the build's start: its
    folder replaced (by a link, or moved), something put where nothing was, the folder replaced or removed, or files
    put into it that a build did not make."""
    shown = pin.path
    try:
        here = os.stat(pin.path.parent)
    except OSError:
        here = None
    held = os.fstat(pin.parent)
    if here is None or (here.st_dev, here.st_ino) != (held.st_dev, held.st_ino):
        raise SiteDirRefused(f"--site-dir {shown}: the folder {pin.path.parent} was moved or replaced during the "
                             "build; nothing was replaced and the new site was not put in place")
    now = _identity(pin.parent, pin.name)
    if now != pin.identity:
        change = "something was put there" if pin.identity is None else "it was replaced, moved or removed"
        raise SiteDirRefused(f"--site-dir {shown} changed during the build ({change}); nothing was replaced and "
                             "the new site was not put in place: build again")
    if now is not None and not is_site(pin.path) and any(pin.path.iterdir()):
        raise SiteDirRefused(f"--site-dir {shown}: files that `casebook build` did not make were put in it during "
                             "the build; nothing was replaced and the new site was not put in place")


def swap_in(new_site: Path, pin: PinnedSite) -> None:
    """Put ``new_site`` (inside the pinned site's parent folder) at the pinned site, which keeps either its old
    complete site or the new one at every instant; refused if the site is not the one checked (:func:`recheck`).

    Every rename is made inside the pinned parent folder, never along a path that could have changed since. The old
    site ends up at ``new_site``'s path, inside its staging folder, which the caller removes.
    """
    recheck(pin)
    new, site, folder = str(new_site.relative_to(pin.path.parent)), pin.name, pin.parent
    if pin.identity is None:
        if not _rename_at(folder, new, site, _RENAME_NOREPLACE):
            os.rename(new, site, src_dir_fd=folder, dst_dir_fd=folder)
    elif not exchange(folder, new, site):
        aside = aside_path(pin.path).name
        os.rename(site, aside, src_dir_fd=folder, dst_dir_fd=folder)  # a kill here: the next tidy() puts it back
        os.rename(new, site, src_dir_fd=folder, dst_dir_fd=folder)
        os.rename(aside, new, src_dir_fd=folder, dst_dir_fd=folder)


_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2


def exchange(folder: int, a: str, b: str) -> bool:
    """Swap two directories of ``folder`` in one step (Linux renameat2 with RENAME_EXCHANGE); False where that is
    not available."""
    return _rename_at(folder, a, b, _RENAME_EXCHANGE)


def _rename_at(folder: int, a: str, b: str, flags: int) -> bool:
    """renameat2 within ``folder`` with ``flags``; False where the system lacks it (the caller falls back)."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)  # glibc 2.28 and later, musl 1.2.4 and later
    if renameat2 is None:
        return False
    if renameat2(folder, os.fsencode(a), folder, os.fsencode(b), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):  # kernel or file system lacks it
        return False
    if code == errno.EEXIST:
        raise SiteDirRefused(f"--site-dir {b}: something was put there during the build; nothing was replaced")
    raise OSError(code, os.strerror(code), b)


@contextmanager
def build_lock(work_dir: Path, waiting: Callable[[str], None]) -> Iterator[int]:
    """One build (or preview regeneration) at a time per project: both write the same generated tree.

    Yields the lock's file descriptor: the build's own processes (MkDocs, Pagefind) inherit it, so should the build
    itself be killed, the lock is held until they have ended too, and the next build tidies after them.
    """
    if work_dir.is_symlink():  # the generated tree is the build's own (write.own_tree): a link there is removed
        work_dir.unlink()
    work_dir.mkdir(parents=True, exist_ok=True)
    with _locked(work_dir / ".lock", waiting, "another casebook build is running in this project") as descriptor:
        yield descriptor


@contextmanager
def site_lock(site: Path, waiting: Callable[[str], None]) -> Iterator[int]:
    """One build at a time per site directory, from whichever project or checkout: taken before :func:`tidy` and held
    through the swap, so a staging folder beside the site found while it is held belongs to a build that has ended.

    A lock file beside the site (``.site.casebook-lock``), left there; yields its descriptor (see :func:`build_lock`).
    """
    site.parent.mkdir(parents=True, exist_ok=True)
    with _locked(site.with_name(f".{site.name}.casebook-lock"), waiting,
                 f"another casebook build is putting a site into {site}") as descriptor:
        yield descriptor


@contextmanager
def _locked(path: Path, waiting: Callable[[str], None], holder: str) -> Iterator[int]:
    """An exclusive lock on the file ``path`` (made if missing, never through a link), waited for if held."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        path.unlink()  # a link planted at the lock's name: removed, never followed
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(f"{holder}; waiting for it to finish")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield descriptor
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
