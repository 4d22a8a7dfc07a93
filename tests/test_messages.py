"""What a command says when it stops (issue 21, attacks 12, 14, 15 and 19): a configuration mistake located and
exit code 2; file names shown with their control characters escaped; Ctrl-C at any moment one line and exit code
130; MkDocs' tracebacks reduced to their message; a full disk named as the cause, not what it left unreadable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import without_tracebacks
from generator.errors import INTERRUPTED_MESSAGE
from tests.site_helpers import FIXTURES, ROOT, build, casebook, make_project

CASE = FIXTURES / "minimal" / "minimal-college.yaml"
BRANCH = "    branch: main\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", [CASE])


def _edit(project: Path, old: str, new: str) -> None:
    base = project / "mkdocs.base.yml"
    text = base.read_text(encoding="utf-8")
    assert text.count(old) == 1
    base.write_text(text.replace(old, new), encoding="utf-8")


def _line_of(project: Path, needle: str) -> int:
    lines = (project / "mkdocs.base.yml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


# --- attack 14: the user's configuration mistake is exit 2, located, never "a fault in casebook" ------------------

@pytest.mark.parametrize(("old", "new", "needle", "column", "message"), [
    (BRANCH, BRANCH + "    featured: 5\n", "featured: 5", 15,
     "extra.casebook.featured: must be a list of case ids, e.g. [hunan-industry-polytechnic]; it is 5"),
    (BRANCH, BRANCH + "    featured: [1, 2]\n", "featured: [1", 15,
     "extra.casebook.featured: must be a list of case ids (texts), e.g. [hunan-industry-polytechnic]"),
    ("  casebook:\n", "  casebook: [1, 2]\n  former:\n", "casebook: [1", 13,
     "extra.casebook: must be a mapping of settings (key: value lines); it is [1, 2]"),
    (BRANCH, "    branch: {main: 1}\n", "branch: {", 13, "extra.casebook.branch: must be one text; it is {'main': 1}"),
    (BRANCH, BRANCH + "    publisher: {zh: 某编辑部, fr: Rédaction}\n", "publisher: {", 16, "extra.casebook.publisher: "
     "must be one text or one per language, e.g. {zh: 某某编辑部, en: The Editors}; 'fr' is not a language of the site "
     "(zh, en)"),
    (BRANCH, BRANCH + "    publisher: {zh: 某编辑部, en: [1]}\n", "publisher: {", 31,
     "extra.casebook.publisher.en: must be one text; it is [1]"),
    (BRANCH, BRANCH + "    publisher: {en: The Editors}\n", "publisher: {", 16, "extra.casebook.publisher: must be "
     "one text or one per language, e.g. {zh: 某某编辑部, en: The Editors}; the Chinese name (zh) is missing"),
])
def test_a_setting_of_the_wrong_kind_is_located_and_exit_2(project: Path, old: str, new: str, needle: str,
                                                           column: int, message: str) -> None:
    _edit(project, old, new)
    result = casebook(project, "build", "-q")
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"error: mkdocs.base.yml:{_line_of(project, needle)}:{column}: {message}\n"
    assert not (project / "site").exists()


# --- the addresses pages link to: an http(s) address or an e-mail address, never javascript: or markup ------------

@pytest.mark.parametrize(("setting", "needle", "message"), [
    ('    contact: "javascript:alert(document.domain)"\n', 'contact: "', "extra.casebook.contact: must be an e-mail "
     "address, e.g. casebook@example.org, or an absolute http(s) address, e.g. https://example.org/casebook/; it is "
     "'javascript:alert(document.domain)'"),
    ('    contact: "javascript:alert(1)//@example.org"\n', 'contact: "', "extra.casebook.contact: must be an e-mail"),
    ('    contact: "https://example.org/\\"><b>x</b>"\n', 'contact: "', "extra.casebook.contact: must be an e-mail"),
    ('    repository: "javascript:alert(1)//"\n    former: !ENV', 'repository: "',
     "extra.casebook.repository: must be an absolute http(s) address"),
])
def test_an_address_setting_that_is_no_address_is_refused(project: Path, setting: str, needle: str,
                                                          message: str) -> None:
    """A contact of javascript:alert(…) was every case page's "report an error" and "ask for a copy" link."""
    if setting.startswith("    repository"):
        _edit(project, "    repository: !ENV", setting)
    else:
        _edit(project, BRANCH, BRANCH + setting)
    result = casebook(project, "build", "-q")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"error: mkdocs.base.yml:{_line_of(project, needle)}:"), result.stderr
    assert message in result.stderr
    assert not (project / "site").exists()


@pytest.mark.slow  # a whole build (MkDocs)
def test_a_site_address_with_markup_is_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs and Material write site_url into the pages' canonical and Open Graph attributes as it is: a quote in
    CASEBOOK_SITE_URL ended the attribute and the rest became markup of every page."""
    monkeypatch.setenv("CASEBOOK_SITE_URL", 'https://example.org/a"b<c>/')
    result = casebook(project, "build", "-q")
    assert result.returncode == 2, result.stderr
    assert "mkdocs.yml:" in result.stderr and "site_url: must be an absolute http(s) address" in result.stderr
    assert not (project / "site").exists()
    monkeypatch.setenv("CASEBOOK_SITE_URL", "https://example.org/casebook/")
    build(project)


def test_a_syntax_error_in_the_configuration_is_located_and_exit_2(project: Path) -> None:
    _edit(project, BRANCH, "    branch: [main\n")
    result = casebook(project, "build", "-q")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: mkdocs.base.yml:") and "YAML syntax error" in result.stderr
    assert "fault in casebook" not in result.stderr and "Traceback" not in result.stderr


def test_a_mistake_in_the_language_file_names_that_file(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_url: !ENV", "site_url: [1]\nformer: !ENV"),
                      encoding="utf-8")
    result = casebook(project, "validate")  # validate does not read the site's configuration: it is no build
    assert result.returncode == 0
    result = casebook(project, "build", "-q")
    assert result.returncode == 2
    assert result.stderr.startswith("error: mkdocs.yml:"), result.stderr
    assert ": site_url: must be a web address" in result.stderr


# --- attack 15: control characters in file names are shown escaped ------------------------------------------------

def test_a_file_name_with_terminal_escapes_is_shown_escaped(project: Path) -> None:
    hostile = "\x1b]0;owned\x07\u202eevil"
    (project / "cases" / f"{hostile}.yml").write_text("x: 1\n", encoding="utf-8")
    result = casebook(project, "validate")
    assert result.returncode == 1
    assert "cases/\\x1b]0;owned\\x07\\u202eevil.yml:1:1: " in result.stderr
    assert not any(char in result.stderr for char in "\x1b\x07\u202e")


def test_a_missing_path_and_a_case_id_with_escapes_are_shown_escaped(project: Path) -> None:
    result = casebook(project, "validate", "cases/\x1b[2Jgone.yaml")
    assert result.returncode == 2
    assert result.stderr == "error: no such file or directory: cases/\\x1b[2Jgone.yaml\n"
    result = casebook(project, "new", "\x1b[2J")
    assert result.returncode == 2 and "'\\x1b[2J' is not a valid case id" in result.stderr
    assert "\x1b" not in result.stderr


# --- attack 12: Ctrl-C at any moment: one line, exit 130 ----------------------------------------------------------

# Ctrl-C while Python is still importing casebook's modules: the import of Jinja is interrupted.
_INTERRUPTED_IMPORT = """
import sys
class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "jinja2":
            raise KeyboardInterrupt
sys.meta_path.insert(0, CtrlC())
sys.argv = ["casebook", "build", "-q"]
from generator.__main__ import run
run()
"""


def test_ctrl_c_while_loading_ends_with_one_line(project: Path) -> None:
    result = subprocess.run([sys.executable, "-c", _INTERRUPTED_IMPORT], cwd=project, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 130
    assert result.stderr.strip() == INTERRUPTED_MESSAGE


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize("when", ["validated", "building zh, en with MkDocs"])
def test_ctrl_c_during_a_build_ends_with_one_line_and_keeps_the_site(project: Path, when: str) -> None:
    site = build(project)
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    (project / "cases" / "minimal-college.yaml").touch()
    # The terminal sends Ctrl-C to every process of the command: the build, its generator, MkDocs and Pagefind.
    process = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    lines = []
    for line in process.stderr:
        lines.append(line)
        if line.startswith(when):
            os.killpg(process.pid, signal.SIGINT)
            break
    rest = process.stderr.read()
    assert process.wait(120) == 130, "".join(lines) + rest
    assert rest.strip() == INTERRUPTED_MESSAGE
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
    assert not [p for p in project.iterdir() if "casebook-staging" in p.name]


# --- attack 12 (MkDocs' tracebacks) and 19 (Pagefind): a full disk is named as the cause --------------------------

_MKDOCS_FAILURE = """INFO    -  Building documentation to directory: /srv/site
ERROR   -  Error building page 'compare/index.md': [Errno 28] No space left on device
Traceback (most recent call last):
  File "<frozen runpy>", line 198, in _run_module_as_main
  File "/venv/lib/python3.11/site-packages/mkdocs/commands/build.py", line 248, in _build_page
    output = config.plugins.on_post_page(output, page=page, config=config)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
OSError: [Errno 28] No space left on device

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/venv/lib/python3.11/site-packages/mkdocs/__main__.py", line 370, in <module>
    cli()
mkdocs.exceptions.Abort: Aborted with a BuildError!
"""


def test_mkdocs_tracebacks_are_reduced_to_their_messages() -> None:
    assert without_tracebacks(_MKDOCS_FAILURE) == (
        "INFO    -  Building documentation to directory: /srv/site\n"
        "ERROR   -  Error building page 'compare/index.md': [Errno 28] No space left on device\n"
        "OSError: [Errno 28] No space left on device\n"
        "mkdocs.exceptions.Abort: Aborted with a BuildError!")


def _disk_usage(path: Path) -> int:
    return sum(p.lstat().st_blocks * 512 for p in path.rglob("*"))


@pytest.fixture
def small_disk(tmp_path: Path):
    """Mount a tmpfs of a given size (as root, where mounting is allowed; elsewhere the test is skipped)."""
    mounted: list[Path] = []

    def mount(size: int) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                              capture_output=True, text=True)
        if made.returncode != 0:
            pytest.skip(f"cannot mount a small file system here: {made.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", str(point)], check=True)


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
@pytest.mark.parametrize("stage", ["MkDocs", "Pagefind"])
def test_a_full_disk_is_named_as_the_cause_and_the_old_site_stays(project: Path, small_disk, stage: str) -> None:
    site = build(project)
    whole, search = _disk_usage(site), _disk_usage(site / "pagefind") + _disk_usage(site / "en" / "pagefind")
    # room for half the pages (MkDocs fails), or for the pages and half the search index (Pagefind fails)
    disk = small_disk((whole - search) // 2 if stage == "MkDocs" else whole - search // 2)
    (disk / "site").mkdir()
    result = casebook(project, "build", "-q", "--site-dir", str(disk / "site"))
    assert result.returncode == 2, result.stderr
    writer = "MkDocs could not write the site" if stage == "MkDocs" else "Pagefind could not write the search index"
    assert result.stderr.startswith(f"error: {writer}: no space left on the file system at {disk} ("), result.stderr
    assert result.stderr.endswith("free some space and build again\nthe previous site was left as it was\n")
    assert "Traceback" not in result.stderr and "pagefind-entry.json" not in result.stderr
    assert list((disk / "site").iterdir()) == []


@pytest.mark.slow  # `casebook serve` in its own process
def test_ctrl_c_while_the_preview_starts_ends_with_one_line(project: Path) -> None:
    """Ctrl-C during MkDocs' first build of the preview (MkDocs' own command line would say "Aborted!", exit 1)."""
    from tests.test_serve_search import free_port

    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{free_port()}"],
                               cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    for line in process.stderr:
        if "Building documentation" in line:
            os.killpg(process.pid, signal.SIGINT)
            break
    rest = process.stderr.read()
    assert process.wait(120) == 130, rest
    assert rest.strip().splitlines()[-1] == INTERRUPTED_MESSAGE and "Traceback" not in rest
