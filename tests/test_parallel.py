"""The build's parts run side by side in forked processes (generator/parallel.py), or in turn where they cannot.

Either way no part writes anything unless every part has made its pages, and a failure is reported.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import parallel
from generator.errors import CasebookError
from generator.parallel import Part, PartFailed, run_parts


@pytest.fixture(params=["forked", "in turn"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(parallel, "can_fork", lambda: request.param == "forked")
    return request.param


def writer(path: Path) -> Part:
    """A part that makes its text, then writes it to ``path``; its result is the writing process's id."""
    def commit(text: str) -> int:
        path.write_text(text, encoding="utf-8")
        return os.getpid()
    return Part(lambda: f"made for {path.name}", commit)


def failing(error: BaseException) -> Part:
    def prepare() -> str:
        raise error
    return Part(prepare, lambda value: value)


def test_every_part_runs_and_results_come_back_in_order(tmp_path: Path, mode: str) -> None:
    paths = [tmp_path / name for name in ("zh", "en", "data")]
    pids = run_parts([writer(path) for path in paths])
    assert [p.read_text(encoding="utf-8") for p in paths] == ["made for zh", "made for en", "made for data"]
    if mode == "forked":
        assert len(set(pids)) == 3 and os.getpid() not in pids
    else:
        assert set(pids) == {os.getpid()}


def test_a_casebook_error_in_one_part_is_raised_and_nothing_is_written(tmp_path: Path, mode: str) -> None:
    paths = [tmp_path / "zh", tmp_path / "en"]
    with pytest.raises(CasebookError, match="template broke"):
        run_parts([writer(paths[0]), failing(CasebookError("template broke")), writer(paths[1])])
    assert not any(path.exists() for path in paths)


def test_another_error_is_reported_with_its_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    with pytest.raises(PartFailed, match="ZeroDivisionError"):
        run_parts([writer(tmp_path / "zh"), failing(ZeroDivisionError("division by zero"))])
    assert not (tmp_path / "zh").exists()
