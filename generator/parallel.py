"""Independent parts of a build, side by side in forked processes, one process per part.

Each part has two steps: ``prepare`` (render, in memory) and ``commit`` (write). No part commits until
every part has prepared, so a failure anywhere leaves every generated file as it was, as in a build in
one process. A forked child starts with the parent's memory: the validated records reach it without
being copied or pickled, and only each part's small result comes back through a pipe. Where forking is
not possible or not safe (no fork, one core, other threads running) the parts run in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import CasebookError


class PartFailed(CasebookError):
    """A part of the build failed in its process; carries that process's traceback."""


@dataclass(frozen=True)
class Part:
    prepare: Callable[[], Any]
    commit: Callable[[Any], Any]


def can_fork() -> bool:
    # Forking a process that runs other threads can copy a lock another thread holds, and hang.
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


def run_parts(parts: list[Part], fork: bool = True) -> list[Any]:
    """Every part's committed result, in order; in this process when not ``fork`` (the preview keeps what the
    parts made for its next regeneration)."""
    if len(parts) < 2 or not fork or not can_fork():
        prepared = [part.prepare() for part in parts]
        return [part.commit(value) for part, value in zip(parts, prepared, strict=True)]
    context = multiprocessing.get_context("fork")
    all_prepared = context.Barrier(len(parts))
    running = []
    for part in parts:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_run_part, args=(part, all_prepared, sender), daemon=True)
        process.start()
        sender.close()
        running.append((process, receiver))
    outcomes = []
    for process, receiver in running:
        try:
            outcomes.append(pickle.loads(receiver.recv_bytes()))
        except EOFError:  # the process died without a word (killed, out of memory)
            all_prepared.abort()
            outcomes.append(("failed", "a part of the build ended without a result"))
        process.join()
    errors = [payload for status, payload in outcomes if status == "failed"]
    for error in errors:
        if isinstance(error, CasebookError):
            raise error
    if errors:
        raise PartFailed("a part of the build failed:\n" + "\n".join(errors))
    return [payload for _, payload in outcomes]


def _run_part(part: Part, all_prepared: Any, sender: Any) -> None:
    try:
        value = part.prepare()
        all_prepared.wait()
        message: tuple[str, Any] = ("done", part.commit(value))
    except threading.BrokenBarrierError:  # another part failed: commit nothing
        message = ("skipped", None)
    except BaseException as exc:
        all_prepared.abort()
        message = ("failed", exc if isinstance(exc, CasebookError) else traceback.format_exc())
    try:
        data = pickle.dumps(message)
    except Exception:  # an error that cannot be pickled: its text
        data = pickle.dumps(("failed", traceback.format_exc()))
    sender.send_bytes(data)
    sender.close()
