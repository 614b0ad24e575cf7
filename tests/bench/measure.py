"""Run a command as a user would and measure it: wall time and the peak memory of its process tree.

Peak memory is ru_maxrss of the command's process tree (the child and the descendants it waited for,
e.g. yytrack's git subprocesses). Linux carries the high-water mark of the forking process across
exec, so a child forked straight from this harness (≈30 MB of Python) would never report less than
the harness itself; the command is therefore started by /usr/bin/time, a small C program whose own
children start from a clean slate, and its %M is read back. Its start-up (about a millisecond) is in
every timing alike, floors included. Without /usr/bin/time, wait4's figure is used and marked.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence


@dataclass(frozen=True)
class Sample:
    seconds: float
    """Wall time of the whole command sequence."""
    rss_kb: int
    """Largest peak resident set of any process in it."""
    code: int
    """Exit code of the first failing command, else 0."""


@dataclass
class Result:
    size: int
    """Updates in the history the operation ran on."""
    name: str
    """Operation key, e.g. status, report-md, tw-summary."""
    samples: List[Sample] = field(default_factory=list)
    note: str = ""
    """Why there are no samples (n/a, skipped, failed) or what was special."""

    @property
    def ok(self) -> bool:
        return bool(self.samples) and all(s.code == 0 for s in self.samples)

    @property
    def median(self) -> Optional[float]:
        return statistics.median(s.seconds for s in self.samples) if self.ok else None

    @property
    def low(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def high(self) -> float:
        return max(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> Optional[float]:
        return max(s.rss_kb for s in self.samples) / 1024 if self.ok else None


TIME = "/usr/bin/time"


def inherited() -> bool:
    """True when peak memory includes the harness's own high-water mark (no /usr/bin/time)."""
    return not os.path.exists(TIME)


def run_one(argv: Sequence[str], cwd: Path, env: Dict[str, str], out: Path, timeout: float):
    """(seconds, rss_kb, exit code) of one process, stdout and stderr appended to out."""
    rss_file = out.with_name(out.name + ".rss")
    wrapped = list(argv) if inherited() else [TIME, "-f", "%M", "-o", str(rss_file), *argv]
    with out.open("ab") as sink:
        began = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=str(cwd), env=env, stdin=subprocess.DEVNULL,
                                stdout=sink, stderr=subprocess.STDOUT)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped; keep Popen from waiting again
    return elapsed, _peak(rss_file, usage.ru_maxrss), proc.returncode


def _peak(rss_file: Path, fallback: int) -> int:
    if inherited():
        return fallback
    try:
        lines = rss_file.read_text(encoding="utf-8").split()
        return int(lines[-1])  # "Command exited with non-zero status N" may come first
    except (OSError, ValueError, IndexError):
        return fallback


def run_sequence(commands: Sequence[Sequence[str]], cwd: Path, env: Dict[str, str], out: Path,
                 timeout: float = 900.0) -> Sample:
    """Run commands one after the other (stop at the first failure) and sum their times."""
    out.write_bytes(b"")
    total, peak = 0.0, 0
    for argv in commands:
        seconds, rss, code = run_one(argv, cwd, env, out, timeout)
        total += seconds
        peak = max(peak, rss)
        if code != 0:
            return Sample(total, peak, code)
    return Sample(total, peak, 0)
