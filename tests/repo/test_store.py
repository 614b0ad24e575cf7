"""The git layer under concurrency and faults: real processes, real repositories."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from conftest import git, run_cli

WORKER = """
import sys
from yytrack import Tracker
t = Tracker(sys.argv[1])
worker = int(sys.argv[2])
measures = ["demo-01", "demo-02", "demo-03"]
units = {"demo-01": "省卫健委", "demo-02": "省医保局", "demo-03": "省民政厅"}
for i in range(int(sys.argv[3])):
    m = measures[(worker + i) % 3]
    t.update(m, units[m], "in_progress", note=f"进程{worker}第{i}次", progress=i)
"""


def test_concurrent_updates_all_land_each_with_its_own_files(repo):
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(repo), str(w), "25"], stderr=subprocess.PIPE)
             for w in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode("utf-8", "replace")
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "101"
    log = git(repo, "log", "--format=%x1e%(trailers:key=Yytrack-Measure,valueonly)%x1f%(trailers:key=Yytrack-Unit,"
              "valueonly)", "--name-only", "-n", "100")
    for chunk in filter(str.strip, log.split("\x1e")):
        head, _, names = chunk.partition("\x1f")
        unit_part, _, files = names.partition("\n")
        measure, unit = head.strip(), unit_part.strip()
        assert [f for f in files.split() if f] == [f"progress/demo/{measure}/{unit}.yaml"]
    from yytrack import Tracker

    tracker = Tracker(repo)
    notes = [u.note for m in tracker.measures() for ups in tracker.unit_updates(m).values() for u in ups]
    assert sorted(notes) == sorted(f"进程{w}第{i}次" for w in range(4) for i in range(25))
    assert run_cli(repo, "audit").returncode == 0


def test_killed_update_leaves_a_consistent_repository(repo):
    """SIGKILL at random moments of `update`: afterwards the next command works and check/audit pass."""
    committed = 0
    rng = random.Random(7)
    for i in range(12):
        proc = subprocess.Popen([sys.executable, "-m", "yytrack", "update", "demo-01", "--unit", "省卫健委",
                                 "--status", "推进中", "--note", f"第{i}次"], cwd=str(repo),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        after = run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--note", f"补报{i}")
        assert after.returncode == 0, after.stderr
        committed += 1
    record = (repo / "progress/demo/demo-01/省卫健委.yaml").read_text(encoding="utf-8")
    assert all(f"补报{i}" in record for i in range(12))
    assert git(repo, "status", "--porcelain") == ""
    assert run_cli(repo, "audit").returncode == 0
    assert run_cli(repo, "check").returncode == 0


def test_stale_journal_from_a_dead_writer_is_rolled_back(repo):
    """A writer that died after writing but before committing: its half-done file is restored."""
    record = repo / "progress/demo/demo-01/省卫健委.yaml"
    record.parent.mkdir(parents=True)
    record.write_text("半截内容", encoding="utf-8")
    head = git(repo, "rev-parse", "HEAD").strip()
    (repo / ".git/yytrack-pending.json").write_text(
        '{"head": "%s", "tracked": [], "new": ["progress/demo/demo-01/省卫健委.yaml"]}' % head, encoding="utf-8")
    proc = run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--note", "正常报送")
    assert proc.returncode == 0, proc.stderr
    assert "半截内容" not in record.read_text(encoding="utf-8")
    assert not (repo / ".git/yytrack-pending.json").exists()
