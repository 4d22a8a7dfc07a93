"""Loading many records on every core.

Reading YAML is most of what validating a casebook costs (libyaml's events alone take about 2 ms a record), and
every file is read on its own, so forked workers read interleaved chunks of the files while this process checks
what they send back. They send each file's plain data and its bytes (for positions, should the record have a
problem), marshalled: a fifth of the cost of pickling validated models back, which is why the schema runs here.
Where forking is not possible or not safe, or for a few files, everything runs here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import marshal
import multiprocessing
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import Problem
from .load import Document, LoadError, load_bytes, read_file


def can_fork() -> bool:
    # Forking a process that runs other threads can copy a lock another thread holds, and hang.
    return hasattr(os, "fork") and threading.active_count() == 1


# A file's data, bytes and root position, or (False, the fields of its LoadError's problem, None, None).
_Result = tuple[bool, Any, bytes | None, tuple[int, int] | None]
CHUNK = 16  # files per message: small enough that the first results come at once, large enough to batch
MIN_FILES = 64  # below this, starting the workers costs more than they save


def load_files(paths: list[Path]) -> Iterator[Document | LoadError]:
    """Each file's Document, or the LoadError that refused it, in the order of ``paths``."""
    workers = min(os.cpu_count() or 1, len(paths) // CHUNK)
    if len(paths) < MIN_FILES or workers < 2 or not can_fork():
        for path in paths:
            yield _load(path)
        return
    chunks = [range(start, min(start + CHUNK, len(paths))) for start in range(0, len(paths), CHUNK)]
    context = multiprocessing.get_context("fork")
    running = []
    try:
        for worker in range(workers):
            receiver, sender = context.Pipe(duplex=False)
            # the worker closes the read ends it inherits (its own and its elder siblings'), so that when this
            # process closes them a worker still writing gets a broken pipe at once instead of waiting
            inherited = [r for _, r in running] + [receiver]
            process = context.Process(target=_work, args=(paths, chunks[worker::workers], sender, inherited),
                                      daemon=True)
            process.start()
            sender.close()
            running.append((process, receiver))
        for number, chunk in enumerate(chunks):
            results = _receive(running[number % workers][1])
            if results is None:  # the worker failed or died: read its chunk here, where an error shows its cause
                yield from (_load(paths[i]) for i in chunk)
                continue
            for i, (ok, value, raw, root_position) in zip(chunk, results, strict=True):
                yield Document(paths[i], value, raw, root_position) if ok else LoadError(Problem(*value))
    finally:
        for process, receiver in running:
            receiver.close()
            process.join(timeout=5)
            if process.is_alive():  # a worker stuck in its own work: not left behind
                process.kill()
                process.join()


def _load(path: Path) -> Document | LoadError:
    try:
        return load_bytes(path, read_file(path))
    except LoadError as exc:
        return exc


def _receive(receiver: Any) -> list[_Result] | None:
    try:
        message = marshal.loads(receiver.recv_bytes())
    except (EOFError, OSError):
        return None
    return message if isinstance(message, list) else None


def _work(paths: list[Path], chunks: list[range], sender: Any, inherited: list[Any]) -> None:
    """In a worker: each chunk's results as one message, in order; a failure ends the messages."""
    for receiver in inherited:
        receiver.close()
    try:
        for chunk in chunks:
            results: list[_Result] = []
            for i in chunk:
                try:
                    raw = read_file(paths[i])
                    doc = load_bytes(paths[i], raw)
                    results.append((True, doc.data, raw, doc.root_position))
                except LoadError as exc:
                    results.append((False, dataclasses.astuple(exc.problem), None, None))
            sender.send_bytes(marshal.dumps(results))
    except BrokenPipeError:  # the consumer stopped reading
        pass
    except Exception:
        with contextlib.suppress(OSError):
            sender.send_bytes(marshal.dumps(None))
    finally:
        sender.close()
