"""The writers' lock (yytrack.repo.writes.locked): exclusive between processes, released when its holder dies."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from yytrack.errors import LockTimeout
from yytrack.repo import writes

HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_writer_waits_then_gives_up_and_a_dead_holder_frees_the_lock(repo):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(repo / ".git" / "yytrack.lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(LockTimeout):
            with writes.locked(repo, timeout=0.5):
                pass
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()
    with writes.locked(repo, timeout=5):
        entered = True
    assert entered
