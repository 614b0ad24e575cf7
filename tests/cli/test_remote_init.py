"""`yytrack remote init PATH`: one command makes the shared repository three offices clone and sync with."""

from __future__ import annotations

import os
import subprocess

from tests.conftest import git, run_cli, snapshot


def clone(source, target):
    proc = subprocess.run(["git", "clone", str(source), str(target)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def test_from_an_empty_server_folder_to_three_clones(repo, tmp_path):
    server = tmp_path / "服务器"
    server.mkdir()
    shared = server / "共享.git"
    proc = run_cli(repo, "remote", "init", str(shared))
    assert proc.returncode == 0, proc.stderr
    assert git(shared, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert git(shared, "rev-parse", "main") == git(repo, "rev-parse", "HEAD")
    assert git(repo, "rev-parse", "--abbrev-ref", "@{upstream}").strip() == "origin/main"
    hook = shared / "hooks/pre-receive"
    assert os.access(hook, os.X_OK) and "yytrack" in hook.read_text(encoding="utf-8")
    assert f"git clone {shared} 跟踪仓库" in proc.stdout
    assert "hook install" in proc.stdout  # says what to do when the Python environment moves

    offices = []
    for name in ("甲处", "乙处", "丙处"):
        warnings = clone(shared, tmp_path / name)
        assert "warning" not in warnings.lower(), warnings
        assert (tmp_path / name / "tasks/demo/demo-01.yaml").is_file()
        offices.append(tmp_path / name)
    first, second, third = offices
    done = run_cli(first, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--progress", "30",
                   "--note", "甲处报送")
    assert done.returncode == 0, done.stderr
    assert run_cli(first, "sync").returncode == 0
    pulled = run_cli(second, "sync")
    assert pulled.returncode == 0 and "收到 1 个提交" in pulled.stdout, pulled.stderr
    assert "甲处报送" in run_cli(second, "log", "demo-01").stdout
    assert run_cli(third, "sync").returncode == 0
    assert run_cli(repo, "sync").returncode == 0  # the supervisor's own repository tracks the shared one


def test_the_hook_refuses_a_forged_push_from_a_clone(repo, tmp_path):
    shared = tmp_path / "共享.git"
    assert run_cli(repo, "remote", "init", str(shared)).returncode == 0
    office = tmp_path / "甲处"
    clone(shared, office)
    record = office / "progress/demo/demo-01/省卫健委.yaml"
    record.parent.mkdir(parents=True)
    record.write_text("status: done\n", encoding="utf-8")
    git(office, "add", "-A")
    git(office, "commit", "-qm", "手工改动\n\nYytrack-Measure: demo-01\nYytrack-Unit: 省民政厅\nYytrack-Status: done")
    push = subprocess.run(["git", "push", "origin", "HEAD:main"], cwd=str(office), capture_output=True, text=True)
    assert push.returncode != 0 and "yytrack 拒绝推送" in push.stderr, push.stderr


def test_refusals_leave_everything_as_it_was(repo, tmp_path):
    occupied = tmp_path / "已有"
    occupied.mkdir()
    (occupied / "文件").write_text("x", encoding="utf-8")
    before = snapshot(repo)
    proc = run_cli(repo, "remote", "init", str(occupied))
    assert proc.returncode == 2 and "不为空" in proc.stderr
    assert snapshot(repo) == before and [p.name for p in occupied.iterdir()] == ["文件"]

    assert run_cli(repo, "remote", "init", str(tmp_path / "第一.git")).returncode == 0
    before = snapshot(repo)
    again = run_cli(repo, "remote", "init", str(tmp_path / "第二.git"))
    assert again.returncode == 2 and "git remote remove origin" in again.stderr, again.stderr
    assert not (tmp_path / "第二.git").exists() and snapshot(repo) == before
