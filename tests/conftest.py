"""Shared fixtures: a temporary tracking repository with a fixed git identity and HOME."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
FIXTURES = HERE / "fixtures"
IDENTITY = ("测试员", "tester@example.cn")


def git(cwd: Path, *args: str, input_text: str | None = None) -> str:
    proc = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=str(cwd), capture_output=True,
                          input=None if input_text is None else input_text.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout.decode("utf-8")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own HOME and global git config, so the developer's settings never leak in."""
    home = tmp_path_factory.mktemp("home")
    config = home / ".gitconfig"
    config.write_text(f"[user]\n\tname = {IDENTITY[0]}\n\temail = {IDENTITY[1]}\n"
                      "[init]\n\tdefaultBranch = main\n[protocol \"file\"]\n\tallow = always\n",
                      encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("YYTRACK_REPO", raising=False)
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.delenv(var, raising=False)
    return home


def make_repo(path: Path, fixture: str = "minirepo") -> Path:
    shutil.copytree(FIXTURES / fixture, path)
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "初始化")
    return path


@pytest.fixture
def repo(tmp_path) -> Path:
    """A small tracking repository (plan `demo`, three measures) with one commit."""
    return make_repo(tmp_path / "跟踪 仓库")


@pytest.fixture
def tracker(repo):
    from yytrack import Tracker

    return Tracker(repo)


def run_cli(repo: Path, *args: str, input_text: str | None = None, env: dict | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as a user would."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "yytrack", *args], cwd=str(cwd or repo), capture_output=True,
                          input=(input_text or "").encode("utf-8"), env=full_env)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


# Inside .git, what a failed command must not leave behind or change (besides local refs and HEAD).
SNAPSHOT_GIT_FILES = (".git/refs/heads", ".git/HEAD", ".git/yytrack-pending.json", ".git/yytrack-sync.json",
                      ".git/index.lock", ".git/MERGE_HEAD", ".git/rebase-merge", ".git/rebase-apply",
                      ".git/shallow")


def _git_answer(repo: Path, *args: str) -> str:
    """git's output, or a marker when git refuses (a bare, unborn or non-git folder can be snapshot too)."""
    proc = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=str(repo), capture_output=True)
    return proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else f"<git {args[0]}: {proc.returncode}>"


def snapshot(repo: Path) -> dict:
    """Working tree bytes, index and refs: compare before and after a failing command."""
    tree = {}
    for path in sorted(repo.rglob("*")):
        rel = path.relative_to(repo).as_posix()
        # Local refs and HEAD matter; remote-tracking refs may move with a fetch, losing nothing.
        if rel.startswith(".git/") and not rel.startswith(SNAPSHOT_GIT_FILES):
            continue
        if path.is_file():
            tree[rel] = path.read_bytes()
        elif path.is_symlink():
            tree[rel] = f"<symlink {os.readlink(path)}>"
    tree["<index>"] = _git_answer(repo, "ls-files", "-s")
    tree["<head>"] = _git_answer(repo, "rev-parse", "HEAD")
    tree["<status>"] = _git_answer(repo, "status", "--porcelain")
    return tree


def assert_clean_failure(proc: subprocess.CompletedProcess, code: int | None = None, *fragments: str) -> str:
    """A failed command as the user must see it: non-zero exit (2 for usage, else 1), exactly one line on
    stderr starting with 错误：, no traceback, no internal error; returns that line."""
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode != 0, f"expected a failure, got exit 0: {proc.stdout[-500:]}"
    assert proc.returncode in (1, 2), (proc.returncode, proc.stderr[-2000:])
    if code is not None:
        assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert len(lines) == 1, proc.stderr[-2000:]
    assert lines[0].startswith("错误："), lines[0]
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]
