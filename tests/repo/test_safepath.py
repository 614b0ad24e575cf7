"""Links and special files: what yytrack reads or writes in a repository is a regular file inside it.

Each case plants the hostile entry as an attacker with push access would (committed) or as a received
share would hold it, runs the real command line, and checks one clean line naming it, nothing written
outside the repository, and the repository unchanged.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from conftest import assert_clean_failure, git, run_cli, snapshot
from yytrack.errors import UnsafePath
from yytrack.repo import safepath

UPDATE = ["update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x"]
READERS = (["list"], ["show", "demo-01"], ["status"], ["check"], ["log"])


def assert_refused_quickly(repo: Path, args, *fragments: str) -> str:
    before = snapshot(repo)
    started = time.monotonic()
    proc = run_cli(repo, *args)
    assert time.monotonic() - started < 20, args
    line = assert_clean_failure(proc, None, *fragments)
    assert snapshot(repo) == before
    return line


# ---------------------------------------------------------------- the layer itself


def test_read_counts_the_bytes_actually_read_not_the_size_a_link_reports(tmp_path):
    (tmp_path / ".git").mkdir()
    with pytest.raises(UnsafePath, match="设备文件"):
        safepath.read_bytes("/dev/zero", 1024)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 2049)
    with pytest.raises(UnsafePath, match="文件过大"):
        safepath.read_bytes(big, 2048)
    assert safepath.read_bytes(big, 2049) == b"x" * 2049
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(UnsafePath, match="命名管道"):
        safepath.read_bytes(fifo, 1024)
    assert time.monotonic() - started < 2


def test_links_anywhere_below_the_repository_are_refused(tmp_path):
    repo = tmp_path / "仓库"
    (repo / ".git").mkdir(parents=True)
    (repo / "tasks").mkdir()
    outside = tmp_path / "外面"
    outside.mkdir()
    (outside / "secret.yaml").write_text("secret: 1\n", encoding="utf-8")
    (repo / "tasks" / "link.yaml").symlink_to(outside / "secret.yaml")
    (repo / "tasks" / "folder").symlink_to(outside)
    for path in (repo / "tasks" / "link.yaml", repo / "tasks" / "folder" / "secret.yaml"):
        with pytest.raises(UnsafePath, match="符号链接"):
            safepath.read_bytes(path, 1024)
    with pytest.raises(UnsafePath, match="符号链接"):
        safepath.write_atomic(repo / "tasks" / "folder" / "new.yaml", b"x")
    with pytest.raises(UnsafePath, match="符号链接"):
        safepath.write_atomic(repo / "tasks" / "link.yaml", b"x")
    with pytest.raises(UnsafePath, match="仓库"):
        safepath.write_atomic(repo / "tasks" / ".." / ".." / "escaped.yaml", b"x", root=repo)
    assert sorted(p.name for p in outside.iterdir()) == ["secret.yaml"]
    assert (outside / "secret.yaml").read_text(encoding="utf-8") == "secret: 1\n"


def test_written_files_follow_the_umask(tmp_path):
    (tmp_path / ".git").mkdir()
    old = os.umask(0o022)
    try:
        safepath.write_atomic(tmp_path / "reports" / "a.md", b"x")
        os.umask(0o027)
        safepath.write_atomic(tmp_path / "reports" / "b.md", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "reports" / "a.md").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "reports" / "b.md").stat().st_mode) == 0o640


def test_sweep_removes_dead_writers_temporaries_and_keeps_live_ones(tmp_path):
    folder = tmp_path / "progress" / "demo"
    folder.mkdir(parents=True)
    dead = folder / ".yytrack-999999999-abc.tmp"
    legacy = folder / ".yytrack-k3j2h1.tmp"
    live = folder / f".yytrack-{os.getppid()}-abc.tmp"
    for path in (dead, legacy, live):
        path.write_bytes(b"half")
    assert safepath.sweep_temporaries(tmp_path) == 2
    assert not dead.exists() and not legacy.exists() and live.exists()


def test_next_command_sweeps_what_a_killed_writer_left(repo):
    left = repo / "progress" / "demo" / "demo-01" / ".yytrack-999999999-0a0a.tmp"
    left.parent.mkdir(parents=True)
    left.write_text("半截", encoding="utf-8")
    (repo / "reports").mkdir()
    (repo / "reports" / ".yytrack-1a2b3c.tmp").write_text("半截", encoding="utf-8")
    assert run_cli(repo, "status").returncode == 0
    assert not list(repo.rglob(".yytrack-*.tmp"))


# ---------------------------------------------------------------- through the command line


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "outside", "dangling"])
def test_measure_file_that_is_a_link_or_special_file(repo, tmp_path, target):
    measure = repo / "tasks" / "demo" / "demo-01.yaml"
    measure.unlink()
    if target == "fifo":
        os.mkfifo(measure)
    else:
        outside = tmp_path / "外部.yaml"
        if target == "outside":
            outside.write_text("id: demo-01\n", encoding="utf-8")
        measure.symlink_to("/dev/zero" if target == "/dev/zero" else outside)
    for args in READERS[:3] + (UPDATE,):
        line = assert_refused_quickly(repo, args, "demo-01.yaml")
        assert ("符号链接" in line) or ("命名管道" in line), line
    proc = run_cli(repo, "check")
    assert proc.returncode == 1 and "tasks/demo/demo-01.yaml:1:" in proc.stdout, proc.stdout


def test_plan_folder_linked_elsewhere_is_refused(repo, tmp_path):
    elsewhere = tmp_path / "别处"
    os.rename(repo / "tasks" / "demo", elsewhere)
    (repo / "tasks" / "demo").symlink_to(elsewhere)
    assert_refused_quickly(repo, ["list"], "符号链接", "tasks/demo")


@pytest.mark.parametrize("secret", ["home", "passwd"])
def test_template_linked_to_a_secret_is_never_rendered(repo, tmp_path, secret, isolated_home):
    source = isolated_home / "secret.txt" if secret == "home" else Path("/etc/passwd")
    if secret == "home":
        source.write_text("口令：hunter2\n", encoding="utf-8")
    (repo / "templates").mkdir()
    (repo / "templates" / "督导通报.md.j2").symlink_to(source)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "模板")
    out = tmp_path / "通报.md"
    for args in (["report", "-o", str(out)], ["report", "--commit"], ["report", "--template", "templates/督导通报.md.j2",
                                                                       "-o", str(out)]):
        assert_refused_quickly(repo, args, "符号链接", "督导通报.md.j2")
    assert not out.exists()
    assert "hunter2" not in git(repo, "log", "-p")


def test_templates_folder_linked_elsewhere_is_refused(repo, tmp_path):
    elsewhere = tmp_path / "模板"
    elsewhere.mkdir()
    (elsewhere / "督导通报.md.j2").write_text("外来模板\n", encoding="utf-8")
    (repo / "templates").symlink_to(elsewhere)
    assert_refused_quickly(repo, ["report", "-o", str(tmp_path / "通报.md")], "符号链接")


def test_evidence_folder_linked_outside_is_never_written_through(repo, tmp_path):
    outside = tmp_path / "受害目录"
    outside.mkdir()
    folder = repo / "progress" / "demo" / "demo-01" / "evidence"
    folder.mkdir(parents=True)
    (folder / "省民政厅").symlink_to(outside)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "佐证目录")
    evidence = tmp_path / "佐证.txt"
    evidence.write_text("攻击者的内容", encoding="utf-8")
    assert_refused_quickly(repo, UPDATE + ["--evidence", str(evidence), "--date", "2026-11-20"], "符号链接")
    assert list(outside.iterdir()) == []


def test_evidence_file_committed_as_a_link_is_not_written_through(repo, tmp_path):
    victim = tmp_path / "受害文件.txt"
    victim.write_text("原内容", encoding="utf-8")
    evidence = tmp_path / "佐证.txt"
    evidence.write_text("攻击者的内容", encoding="utf-8")
    day = time.strftime("%Y-%m-%d")
    folder = repo / "progress" / "demo" / "demo-01" / "evidence" / "省民政厅"
    folder.mkdir(parents=True)
    (folder / f"{day}-佐证.txt").symlink_to(victim)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "佐证链接")
    proc = run_cli(repo, *UPDATE, "--evidence", str(evidence))
    assert "Traceback" not in proc.stderr
    assert victim.read_text(encoding="utf-8") == "原内容"


@pytest.mark.parametrize("source", ["/dev/zero", "fifo"])
def test_import_and_evidence_from_special_files(repo, tmp_path, source):
    if source == "fifo":
        source = str(tmp_path / "管道")
        os.mkfifo(source)
    assert_refused_quickly(repo, ["import", source, "--plan", "新方案", "--dry-run"], source)
    assert_refused_quickly(repo, UPDATE + ["--evidence", source], source)


def test_record_file_linked_outside_is_refused_and_not_written(repo, tmp_path):
    outside = tmp_path / "外部记录.yaml"
    outside.write_text("measure: demo-01\n", encoding="utf-8")
    record = repo / "progress" / "demo" / "demo-01" / "省民政厅.yaml"
    record.parent.mkdir(parents=True)
    record.symlink_to(outside)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "记录链接")
    assert_refused_quickly(repo, UPDATE, "符号链接", "省民政厅.yaml")
    assert outside.read_text(encoding="utf-8") == "measure: demo-01\n"
