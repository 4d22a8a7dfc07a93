"""The site directory: a build replaces only a site it made, in one step, and tidies what a killed build left."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator import cli, sitedir
from generator.sitedir import (
    SITE_MARKER,
    SiteDirRefused,
    build_lock,
    check_site_dir,
    make_staging,
    mark_site,
    pinned,
    site_lock,
    swap_in,
    tidy,
)
from tests.site_helpers import FIXTURES, casebook, make_project
from tests.site_html import tree_digest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "work" / "project", [FIXTURES / "minimal" / "minimal-college.yaml"])
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "page.j2").write_text("{{ x }}\n", encoding="utf-8")
    mydocs = tmp_path / "work" / "mydocs"
    mydocs.mkdir()
    (mydocs / "thesis.md").write_text("my own words\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("target", [".", "..", "cases", ".git", "templates", "../mydocs", "cases/site", "/"])
def test_site_dir_that_a_build_did_not_make_is_refused_and_left_byte_for_byte(project: Path, target: str) -> None:
    everything = project.parent.parent
    before = tree_digest(everything)
    result = casebook(project, "build", "--site-dir", target)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--site-dir" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(everything) == before


def test_home_folder_is_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(project.parent))
    with pytest.raises(SiteDirRefused, match="home folder"):
        check_site_dir(project.parent, project, project / "cases")


@pytest.mark.parametrize("state", ["missing", "empty", "marked", "legacy"])
def test_site_dir_a_build_may_replace(project: Path, state: str) -> None:
    site = project / "site"
    if state != "missing":
        site.mkdir()
    if state == "marked":
        mark_site(site)
        (site / "index.html").write_text("old\n", encoding="utf-8")
    if state == "legacy":  # built before the marker existed
        for name in ("index.html", "404.html", "sitemap.xml", "en/index.html", "assets/x.css", "pagefind/p.js"):
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_text("x\n", encoding="utf-8")
    assert check_site_dir(site, project, project / "cases") == site.resolve()


def test_a_file_is_not_a_site_dir(project: Path) -> None:
    (project / "notes.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(SiteDirRefused, match="not a folder"):
        check_site_dir(project / "notes.txt", project, project / "cases")


def test_a_site_dir_below_a_file_is_refused(project: Path) -> None:
    (project.parent / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = casebook(project, "build", "--site-dir", "../notes.txt/site")
    assert result.returncode == 2
    assert "notes.txt is a file, not a folder" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders all the same")
def test_a_read_only_location_gives_a_message(project: Path) -> None:
    locked = project.parent / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = casebook(project, "build", "--site-dir", "../locked/site")
    finally:
        locked.chmod(0o755)
    assert result.returncode == 2
    assert "Permission denied" in result.stderr and "Traceback" not in result.stderr


def test_the_machine_refusing_is_a_message_not_a_traceback(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture) -> None:
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/srv/www/site")

    monkeypatch.chdir(project)
    monkeypatch.setattr(cli, "build_site", refuse)
    with pytest.raises(SystemExit) as exited:
        cli.main(["build", "-q"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == "error: Permission denied: /srv/www/site\n"


def test_a_fault_of_casebook_is_a_message_with_its_own_exit_code(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture) -> None:
    def fault(*args, **kwargs):
        raise KeyError("lost")

    monkeypatch.chdir(project)
    monkeypatch.delenv("CASEBOOK_DEBUG", raising=False)
    monkeypatch.setattr(cli, "build_site", fault)
    with pytest.raises(SystemExit) as exited:
        cli.main(["build", "-q"])
    assert exited.value.code == 3
    err = capsys.readouterr().err
    assert err.startswith("error: unexpected KeyError: 'lost'\n    hint: this is a fault in casebook")
    assert "Traceback" not in err


# The swap, interrupted at every step: a kill runs no cleanup, so a failure is injected and nothing tidies after it.

def _site(path: Path, content: str) -> Path:
    path.mkdir(parents=True)
    (path / "index.html").write_text(content, encoding="utf-8")
    (path / "en").mkdir()
    (path / "en" / "index.html").write_text(content, encoding="utf-8")
    mark_site(path)
    return path


def _state(site: Path) -> str:
    """'old' or 'new' for a complete site, anything else for a broken one."""
    pages = {(site / name).read_text(encoding="utf-8") for name in ("index.html", "en/index.html")}
    assert (site / SITE_MARKER).is_file()
    assert len(pages) == 1, pages
    return pages.pop()


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing on the way up handles it."""


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("exchange_works", [True, False], ids=["exchange", "two-renames"])
@pytest.mark.parametrize("kill_at", range(4))
def test_a_swap_killed_at_any_step_leaves_a_complete_site_and_the_next_build_tidies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange_works: bool, kill_at: int) -> None:
    site = _site(tmp_path / "site", "old")
    staging = make_staging(site)
    new = _site(staging / "zh", "new")
    steps = iter(range(10))
    real_rename, real_exchange = os.rename, sitedir.exchange

    def step() -> None:
        if next(steps) == kill_at:
            raise Killed

    def rename(a, b, **folders):
        step()
        real_rename(a, b, **folders)

    def exchange(folder, a, b):
        step()
        return real_exchange(folder, a, b) if exchange_works else False

    monkeypatch.setattr(sitedir.os, "rename", rename)
    monkeypatch.setattr(sitedir, "exchange", exchange)
    try:
        with pinned(site) as pin:
            swap_in(new, pin)
        killed = False
    except Killed:
        killed = True
    monkeypatch.undo()
    if exchange_works or not killed:
        assert _state(site) in ("old", "new")
    elif not site.exists():  # killed between the two renames: only the next build can put the old site back
        assert kill_at == 2
    tidy(site)
    assert _state(site) in ("old", "new")
    assert _state(site) == "new" or killed
    assert _leftovers(tmp_path) == []


def test_exchange_swaps_two_directories_in_one_step(tmp_path: Path) -> None:
    a, b = _site(tmp_path / "a", "a"), _site(tmp_path / "b", "b")
    folder = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        exchanged = sitedir.exchange(folder, "a", "b")
    finally:
        os.close(folder)
    if not exchanged:
        pytest.skip("this kernel or file system cannot exchange directories")
    assert (_state(a), _state(b)) == ("b", "a")


def test_only_folders_a_build_marked_are_tidied(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", "new")
    killed = make_staging(site)  # a killed build's staging folder, with its marker
    (killed / "zh").mkdir()
    shutil.copytree(site, tmp_path / ".site-old")  # an editor's backup, named like older builds' leftovers
    (tmp_path / ".site-backup01" / "en").mkdir(parents=True)
    (tmp_path / ".site-backup01" / "en" / "keep.txt").write_text("mine\n", encoding="utf-8")
    tidy(site)
    assert _state(site) == "new"
    assert _leftovers(tmp_path) == [".site-backup01", ".site-old"]


def test_a_site_built_before_the_marker_with_other_files_in_it_is_refused(project: Path) -> None:
    site = project / "site"
    for name in ("index.html", "404.html", "sitemap.xml", "en/index.html", "assets/x.css", "pagefind/p.js",
                 "thesis.docx"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x\n", encoding="utf-8")
    with pytest.raises(SiteDirRefused, match="did not make"):
        check_site_dir(site, project, project / "cases")


def test_a_loop_of_links_as_site_dir_is_refused(project: Path) -> None:
    (project / "loop1").symlink_to("loop2")
    (project / "loop2").symlink_to("loop1")
    result = casebook(project, "build", "--site-dir", "loop1")
    assert result.returncode == 2 and "loop of symbolic links" in result.stderr, result.stderr


def test_the_lock_outlives_a_killed_build_while_its_processes_run(tmp_path: Path) -> None:
    """A build killed before its MkDocs children end: they inherit the lock, so no build starts beside them."""
    killed_build = (
        "import os, subprocess, sys\n"
        "from pathlib import Path\n"
        "from generator.sitedir import build_lock\n"
        f"with build_lock(Path({str(tmp_path)!r}), print) as lock:\n"
        "    child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(4)'], pass_fds=(lock,),\n"
        "                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "    print(child.pid, flush=True)\n"
        "    os._exit(0)  # as a kill would: no unlock\n")
    started = subprocess.run([sys.executable, "-c", killed_build], capture_output=True, text=True, timeout=60,
                             cwd=Path(__file__).resolve().parent.parent)
    child = int(started.stdout.split()[-1])
    with open(tmp_path / ".lock", "a+b") as handle:
        with pytest.raises(BlockingIOError):
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the child still holds it
        while os.path.exists(f"/proc/{child}") and _alive(child):
            time.sleep(0.1)
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free once the child has ended


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_a_second_build_waits_for_the_first(tmp_path: Path) -> None:
    messages: list[str] = []
    entered = threading.Event()
    tmp_path.mkdir(exist_ok=True)
    with open(tmp_path / ".lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)

        def second() -> None:
            with build_lock(tmp_path, messages.append):
                entered.set()

        thread = threading.Thread(target=second)
        thread.start()
        assert not entered.wait(0.5)  # waits while the first build holds the lock
        assert messages == ["another casebook build is running in this project; waiting for it to finish"]
        fcntl.flock(held, fcntl.LOCK_UN)
    thread.join(10)
    assert entered.is_set()


# The site directory pinned at the swap (issue 21, attack 6): the folder checked is the folder replaced, or nothing is.

def test_a_folder_made_where_the_site_did_not_exist_during_a_build_is_not_replaced(tmp_path: Path) -> None:
    site = tmp_path / "site"
    staging = make_staging(site)
    new = _site(staging / "zh", "new")
    with pinned(site) as pin:  # the build starts: nothing at site
        site.mkdir()  # a second later, the user makes a folder there
        (site / "thesis.txt").write_text("mine\n", encoding="utf-8")
        with pytest.raises(SiteDirRefused, match="changed during the build"):
            swap_in(new, pin)
    assert (site / "thesis.txt").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in site.iterdir()) == ["thesis.txt"]


def test_an_empty_folder_made_there_during_a_build_is_not_replaced_either(tmp_path: Path) -> None:
    site = tmp_path / "site"
    new = _site(make_staging(site) / "zh", "new")
    with pinned(site) as pin:
        site.mkdir()
        with pytest.raises(SiteDirRefused, match="changed during the build"):
            swap_in(new, pin)
    assert list(site.iterdir()) == []


def test_a_parent_folder_swapped_for_a_link_during_a_build_leaves_the_linked_site_alone(tmp_path: Path) -> None:
    parent, victim = tmp_path / "www", tmp_path / "victim"
    old = _site(parent / "site", "old")
    victims = _site(victim / "site", "victim's")
    new = _site(make_staging(old) / "zh", "new")
    with pinned(old) as pin:
        parent.rename(tmp_path / "www-moved")  # during the build: the parent becomes a link to another site's folder
        parent.symlink_to(victim)
        with pytest.raises(SiteDirRefused, match="moved or replaced during the build"):
            swap_in(new, pin)
    assert _state(victims) == "victim's"
    assert _state(tmp_path / "www-moved" / "site") == "old"


def test_files_put_into_the_site_during_a_build_are_not_replaced(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", "old")
    new = _site(make_staging(site) / "zh", "new")
    with pinned(site) as pin:
        (site / SITE_MARKER).unlink()
        (site / "thesis.txt").write_text("mine\n", encoding="utf-8")
        with pytest.raises(SiteDirRefused, match="did not make"):
            swap_in(new, pin)
    assert (site / "thesis.txt").read_text(encoding="utf-8") == "mine\n"


def test_a_site_replaced_during_a_build_is_not_replaced_again(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", "old")
    new = _site(make_staging(site) / "zh", "new")
    with pinned(site) as pin:
        site.rename(tmp_path / "site-moved")
        _site(site, "someone else's")
        with pytest.raises(SiteDirRefused, match="changed during the build"):
            swap_in(new, pin)
    assert _state(site) == "someone else's"


@pytest.mark.slow  # whole builds (MkDocs)
def test_a_build_refused_at_the_swap_keeps_the_old_site_and_says_why(project: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole build, with a folder made at a new --site-dir while it runs (at its last step before the swap)."""
    from generator import build as build_module

    target = project.parent / "published"
    real_mark = build_module.mark_site

    def mark_then_user_acts(site: Path) -> None:
        real_mark(site)
        target.mkdir()
        (target / "thesis.txt").write_text("mine\n", encoding="utf-8")

    monkeypatch.chdir(project)
    monkeypatch.setattr(build_module, "mark_site", mark_then_user_acts)
    with pytest.raises(SystemExit) as exited:
        cli.main(["build", "-q", "--site-dir", str(target)])
    assert exited.value.code == 2
    assert sorted(p.name for p in target.iterdir()) == ["thesis.txt"]
    assert not [p for p in project.parent.iterdir() if "casebook-staging" in p.name]


# Two checkouts, one site directory (issue 21, attack 7): they take turns; the site is always whole.

@pytest.mark.slow  # whole builds (MkDocs)
def test_two_checkouts_building_into_one_site_directory_take_turns(tmp_path: Path) -> None:
    first = make_project(tmp_path / "one", [FIXTURES / "minimal" / "minimal-college.yaml"])
    second = make_project(tmp_path / "two", [FIXTURES / "minimal" / "minimal-college.yaml"])
    shared = tmp_path / "www" / "site"
    runs = [subprocess.Popen([sys.executable, "-m", "generator", "build", "-q", "--site-dir", str(shared)],
                             cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for project in (first, second)]
    results = [(run.wait(600), *run.communicate()) for run in runs]
    assert [code for code, _, _ in results] == [0, 0], results
    assert (shared / "index.html").is_file() and (shared / "en" / "index.html").is_file()
    assert (shared / SITE_MARKER).is_file()
    assert (shared / "cases" / "minimal-college" / "index.html").is_file()
    assert sorted(p.name for p in shared.parent.iterdir()) == [".site.casebook-lock", "site"]


def test_the_site_lock_makes_a_second_build_wait_and_tidy_only_after(tmp_path: Path) -> None:
    site = tmp_path / "site"
    messages: list[str] = []
    entered = threading.Event()
    with site_lock(site, messages.append):
        running = make_staging(site)  # the first build's staging folder, in use

        def second() -> None:
            with site_lock(site, messages.append):
                tidy(site)  # the first build has ended: its staging folder is stale
                entered.set()

        thread = threading.Thread(target=second)
        thread.start()
        assert not entered.wait(0.5)
        assert running.is_dir()
        assert messages == [f"another casebook build is putting a site into {site}; waiting for it to finish"]
    thread.join(10)
    assert entered.is_set() and not running.exists()
