"""Loading many records in worker processes gives what loading them one by one here gives."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

import generator.load_parallel
from generator.load import LoadError, load_file
from generator.load_parallel import CHUNK, MIN_FILES, can_fork, load_files
from tests.conftest import edited, write_case

pytestmark = pytest.mark.skipif(not can_fork(), reason="the workers are forked processes")


def records(directory: Path) -> list[Path]:
    """MIN_FILES + 5 records, every seventh refused by the loader, the others valid YAML with distinct data."""
    paths = []
    for number in range(MIN_FILES + 5):
        text = edited("founded: 1958", f"founded: {1900 + number}")
        if number % 7 == 3:
            text = text.replace("  city:", "  city: &anchor", 1)
        paths.append(write_case(directory, f"college-{number}", text))
    return paths


def test_workers_give_each_file_its_data_or_its_error_in_order(workdir):
    paths = records(Path("cases"))
    loaded = list(load_files(paths))
    assert [getattr(doc, "path", None) for doc in loaded if not isinstance(doc, LoadError)] == [
        path for number, path in enumerate(paths) if number % 7 != 3]
    for path, doc in zip(paths, loaded, strict=True):
        try:
            expected = load_file(path)
        except LoadError as error:
            assert isinstance(doc, LoadError) and doc.problem == error.problem
            continue
        assert doc.data == expected.data
        # positions, found later from the bytes the worker read, are those of the file
        assert doc.positions == expected.positions and doc.position(()) == expected.position(())


def test_a_worker_that_fails_does_not_lose_its_files_nor_hide_the_error(workdir, monkeypatch):
    paths = records(Path("cases"))
    real = generator.load_parallel.load_bytes

    def fails_on_one(path: Path, raw: bytes):
        if path.name == "college-20.yaml":  # in the second chunk
            raise RuntimeError("a bug in the loader")
        return real(path, raw)

    monkeypatch.setattr(generator.load_parallel, "load_bytes", fails_on_one)
    loaded = load_files(paths)
    first_chunk = [next(loaded) for _ in range(CHUNK)]
    assert [doc.path for doc in first_chunk if not isinstance(doc, LoadError)] == [
        path for number, path in enumerate(paths[:CHUNK]) if number % 7 != 3]
    with pytest.raises(RuntimeError, match="a bug in the loader"):  # the chunk is read again here, and fails here
        list(loaded)


def test_a_consumer_that_stops_early_leaves_no_worker_behind(workdir):
    loaded = load_files(records(Path("cases")))
    next(loaded)
    loaded.close()
    assert multiprocessing.active_children() == []
