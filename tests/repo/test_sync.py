"""Several offices sharing one remote served by `git daemon` on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import git, make_repo, run_cli, snapshot


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def shared(tmp_path):
    """A bare repository with the fixture plan, served read-write by git daemon."""
    seed = make_repo(tmp_path / "seed")
    base = tmp_path / "served"
    base.mkdir()
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(base / "shared.git"))
    port = free_port()
    daemon = subprocess.Popen(["git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
                               f"--base-path={base}", "--listen=127.0.0.1", f"--port={port}", str(base)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"git://127.0.0.1:{port}/shared.git"
    for _ in range(100):
        if subprocess.run(["git", "ls-remote", url], capture_output=True).returncode == 0:
            break
        time.sleep(0.05)
    yield url, base / "shared.git"
    daemon.terminate()
    daemon.wait(timeout=10)


def clone(url: str, path: Path) -> Path:
    git(path.parent, "clone", "-q", url, str(path))
    return path


def updates_in(repo: Path) -> set:
    log = git(repo, "log", "--format=%(trailers:key=Yytrack-Measure,valueonly)|%(trailers:key=Yytrack-Unit,"
              "valueonly)|%b", "--grep=^Yytrack-Unit")
    return {line for line in log.splitlines() if line.strip()}


def test_three_offices_interleave_updates_and_syncs(shared, tmp_path):
    url, _ = shared
    offices = [clone(url, tmp_path / f"office{i}") for i in range(3)]
    plan = [("demo-01", "省卫健委"), ("demo-02", "省医保局"), ("demo-03", "省民政厅")]
    for round_ in range(3):
        for i, office in enumerate(offices):
            measure, unit = plan[i]
            proc = run_cli(office, "update", measure, "--unit", unit, "--status", "推进中",
                           "--progress", str(10 * (round_ + 1)), "--note", f"第{round_}轮 处室{i}")
            assert proc.returncode == 0, proc.stderr
        for office in offices:
            proc = run_cli(office, "sync")
            assert proc.returncode == 0, proc.stderr
    for office in offices:
        assert run_cli(office, "sync").returncode == 0
    heads = {git(o, "rev-parse", "HEAD").strip() for o in offices}
    assert len(heads) == 1
    for office in offices:
        assert git(office, "status", "--porcelain") == ""
        notes = [git(office, "log", "--format=%b", "--grep", f"第{r}轮 处室{i}") for r in range(3) for i in range(3)]
        assert all(notes)
        assert run_cli(office, "audit").returncode == 0


def test_true_collision_stops_and_loses_nothing_then_keep_both(shared, tmp_path):
    url, _ = shared
    a, b = clone(url, tmp_path / "a"), clone(url, tmp_path / "b")
    assert run_cli(a, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--note", "甲处记录").returncode == 0
    assert run_cli(a, "sync").returncode == 0
    assert run_cli(b, "update", "demo-01", "--unit", "省卫健委", "--status", "受阻", "--note", "乙处记录").returncode == 0
    before = snapshot(b)
    proc = run_cli(b, "sync")
    assert proc.returncode == 1
    assert "同一进展记录" in proc.stderr and "甲处记录" not in proc.stderr and "--keep-both" in proc.stderr
    assert snapshot(b) == before
    proc = run_cli(b, "sync", "--keep-both")
    assert proc.returncode == 0, proc.stderr
    record = (b / "progress/demo/demo-01/省卫健委.yaml").read_text(encoding="utf-8")
    assert "甲处记录" in record and "乙处记录" in record
    assert run_cli(a, "sync").returncode == 0
    assert "乙处记录" in (a / "progress/demo/demo-01/省卫健委.yaml").read_text(encoding="utf-8")
    assert run_cli(a, "audit").returncode == 0


def test_unreachable_remote_fails_cleanly(repo):
    git(repo, "remote", "add", "origin", "git://127.0.0.1:9/nothing.git")
    run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--note", "x")
    before = snapshot(repo)
    proc = run_cli(repo, "sync")
    assert proc.returncode == 1 and "无法从远程仓库 origin 获取" in proc.stderr
    assert snapshot(repo) == before


def test_no_remote_says_how_to_add_one(repo):
    proc = run_cli(repo, "sync")
    assert proc.returncode == 1 and "git remote add origin" in proc.stderr
