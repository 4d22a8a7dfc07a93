"""A command and every process it starts: wall time, CPU time, peak memory (RSS and PSS) of the whole tree, polled;
stopping a tree; waiting until one is idle."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.workspace import child_env

try:
    import psutil
except ImportError:  # peak memory is then reported as not measured
    psutil = None


@dataclass
class TreeSample:
    peak_rss: int | None = None  # bytes, the largest sum of RSS over the tree seen at one time
    # the same with PSS: a page shared by several processes (forked ones share the parent's) counted once
    peak_pss: int | None = None
    seen: dict[int, tuple[str, float, float]] = field(default_factory=dict)  # pid → (command, first, last seen)

    def span(self, needle: str) -> float | None:
        """Seconds between first and last sight of the process whose command line contains ``needle``."""
        spans = [last - first for command, first, last in self.seen.values() if needle in command]
        return max(spans) if spans else None


@contextlib.contextmanager
def watch_tree(pid: int, interval: float = 0.05) -> Iterator[TreeSample]:
    """Poll the RSS of process ``pid`` and all its descendants until the block ends."""
    sample = TreeSample()
    if psutil is None:
        yield sample
        return
    stop = threading.Event()

    def poll() -> None:
        try:
            root = psutil.Process(pid)
        except psutil.Error:
            return
        while not stop.is_set():
            now = time.perf_counter()
            total = proportional = 0
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for process in processes:
                try:
                    memory = process.memory_full_info()
                    total += memory.rss
                    proportional += getattr(memory, "pss", memory.rss)  # PSS where the system tells it (Linux)
                    # read the command line every time: a child seen between fork and exec still shows ours;
                    # an exited child not yet reaped (a zombie) shows none and no longer counts as running
                    command = " ".join(process.cmdline())
                    if command:
                        first = sample.seen.get(process.pid, ("", now, now))[1]
                        sample.seen[process.pid] = (command, first, now)
                except psutil.Error:
                    continue
            sample.peak_rss = max(sample.peak_rss or 0, total)
            sample.peak_pss = max(sample.peak_pss or 0, proportional)
            stop.wait(interval)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield sample
    finally:
        stop.set()
        thread.join()


def run_command(command: list[str], cwd: Path, timeout: float | None = None,
                env: dict[str, str] | None = None) -> tuple[float, TreeSample, float, str]:
    """Run ``command``; its wall time, memory sample, CPU seconds (user+sys of the whole tree) and output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env or child_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    with watch_tree(process.pid) as sample:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop_group(process)
            raise
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{output[-4000:]}")
    return wall, sample, cpu, output


def stop_group(process: subprocess.Popen) -> None:
    """Stop ``process`` and everything it started (it leads its own process group)."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def tree_cpu_seconds(pid: int) -> float:
    """User + system seconds used so far by the process ``pid``, its children, and the children it has reaped."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def wait_until_idle(pid: int, timeout: float, window: float = 1.0) -> None:
    """Until the process tree of ``pid`` used less than a tenth of a core over ``window`` seconds, or ``timeout``."""
    if psutil is None:
        time.sleep(window)
        return
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        before = tree_cpu_seconds(pid)
        time.sleep(window)
        if tree_cpu_seconds(pid) - before < window / 10:
            return
