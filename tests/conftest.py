"""Shared helpers: the valid fixture record, one-edit variants of it, and where an edit lands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.errors import Problem
from generator.validate import validate_files
from generator.vocabulary import Vocabulary, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "cases"
LAKESIDE = FIXTURES / "lakeside-polytechnic.yaml"
VOCABULARY = ROOT / "vocabulary.yaml"
CASE_NAME = "lakeside-polytechnic"


def lakeside() -> str:
    """The text of the valid fixture record (every section present)."""
    return LAKESIDE.read_text(encoding="utf-8")


def edited(old: str, new: str, text: str | None = None) -> str:
    """``text`` (default: the fixture) with the one occurrence of ``old`` replaced by ``new``."""
    text = lakeside() if text is None else text
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times; the edit must be unambiguous"
    return text.replace(old, new)


def position(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """(line, column), counted from 1 as an editor shows them, of the one occurrence of ``needle`` plus ``offset``."""
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times"
    index = text.index(needle) + offset
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def write_case(directory: Path, name: str, text: str | bytes) -> Path:
    """Write ``directory/name.yaml`` (text as UTF-8, bytes as they are) and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def first_line(problem: Problem) -> str:
    """A problem as ``path:line:col: field: message``, without its hint."""
    return str(problem).split("\n")[0]


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    return load_vocabulary(VOCABULARY)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory, so problems are shown with paths like ``cases/foo.yaml``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def check(workdir: Path, vocabulary: Vocabulary):
    """Write a record to ``cases/<name>.yaml`` in the working directory and validate it: the problems, as lines."""

    def run(text: str, name: str = CASE_NAME) -> list[str]:
        path = write_case(workdir / "cases", name, text)
        valid, problems = validate_files([Path("cases") / path.name], vocabulary)
        assert len(valid) == (0 if problems else 1)
        return [first_line(p) for p in sorted(problems)]

    return run


# The browser tests (test_browser.py, test_finder.py) share one build of the fixture records, served once, and one
# Chromium: none of them changes the site.

@pytest.fixture(scope="session")
def browser_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.browser_support import build_fixture_site
    return build_fixture_site(tmp_path_factory.mktemp("browser") / "project")


@pytest.fixture(scope="session")
def base_url(browser_site: Path) -> Iterator[str]:
    from tests.browser_support import serve
    with serve(browser_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from tests.browser_support import chromium
    with chromium() as launched:
        yield launched
