"""Nothing runs on open: a received repository cannot make yytrack run its programs.

The repository's config includes a file from the work tree (anyone with push access can commit one) that
names an fsmonitor, a filter, a merge driver and a signing program; .git/hooks holds hooks. Each program
would create a marker file outside the repository; after yytrack's reads, writes and syncs none exists.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import time
from pathlib import Path

import pytest

from conftest import assert_clean_failure, git, run_cli
from test_hardening import UPDATE, silent_server  # noqa: F401  (fixture)

PROGRAMS = ("fsmonitor", "filter-clean", "filter-smudge", "filter-process", "merge-driver", "gpg", "textconv",
            "diff-external", "pager")
HOOKS = ("post-commit", "pre-commit", "commit-msg", "post-checkout", "post-merge", "post-rewrite", "pre-push",
         "reference-transaction", "pre-auto-gc", "post-index-change")


def plant(repo: Path, markers: Path) -> None:
    """Scripts that leave a marker, named by the repository's config through a committed include file."""
    markers.mkdir(exist_ok=True)
    scripts = repo / "tools"
    scripts.mkdir()
    for name in PROGRAMS + HOOKS:
        script = scripts / name
        script.write_text(f"#!/bin/sh\ntouch '{markers}/{name}'\ncat\n", encoding="utf-8")
        script.chmod(0o755)
    included = f"""[core]
\tfsmonitor = {scripts}/fsmonitor
\tpager = {scripts}/pager
[filter "evil"]
\tclean = {scripts}/filter-clean
\tsmudge = {scripts}/filter-smudge
[merge "evil"]
\tdriver = {scripts}/merge-driver %O %A %B
[diff "evil"]
\ttextconv = {scripts}/textconv
[diff]
\texternal = {scripts}/diff-external
[commit]
\tgpgSign = true
[gpg]
\tprogram = {scripts}/gpg
"""
    (repo / "tools" / "settings.conf").write_text(included, encoding="utf-8")
    (repo / ".gitattributes").write_text("* filter=evil merge=evil diff=evil\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "工具")
    with open(repo / ".git" / "config", "a", encoding="utf-8") as handle:
        handle.write("[include]\n\tpath = ../tools/settings.conf\n")
    hooks = repo / ".git" / "hooks"
    for name in HOOKS:
        (hooks / name).write_text(f"#!/bin/sh\ntouch '{markers}/{name}'\n", encoding="utf-8")
        (hooks / name).chmod(0o755)


def ran(markers: Path) -> list:
    return sorted(p.name for p in markers.iterdir())


def test_planted_programs_and_hooks_run_for_plain_git(repo, tmp_path):
    """The trap is real: git itself, without yytrack's settings, runs the planted programs."""
    markers = tmp_path / "标记"
    plant(repo, markers)
    (repo / "tasks" / "x.txt").write_text("x", encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, capture_output=True)
    subprocess.run(["git", "commit", "-q", "-m", "x"], cwd=repo, capture_output=True)
    assert {"pre-commit", "gpg"} <= set(ran(markers)), ran(markers)


def test_update_status_report_and_sync_run_nothing_the_repository_names(repo, tmp_path):
    markers = tmp_path / "标记"
    shared = tmp_path / "共享.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(shared))
    git(repo, "remote", "add", "origin", str(shared))
    git(repo, "fetch", "-q", "origin")
    git(repo, "branch", "-q", "--set-upstream-to=origin/main")
    plant(repo, markers)
    evidence = tmp_path / "佐证.txt"
    evidence.write_text("佐证", encoding="utf-8")
    for args in (UPDATE + ["--evidence", str(evidence)], ["status"], ["list"], ["show", "demo-01"],
                 ["log"], ["check"], ["audit"], ["report", "--commit"], ["sync"]):
        proc = run_cli(repo, *args)
        # The planted tools/ files lie outside what the policy lets anyone change: audit names them and
        # fails; every other command succeeds. Neither runs what the repository names.
        expected = 1 if args == ["audit"] else 0
        assert proc.returncode == expected and "Traceback" not in proc.stderr, (args, proc.stderr)
        assert not ran(markers), (args, ran(markers))
        if args == ["audit"]:
            assert "不在允许修改的范围内" in proc.stdout, proc.stdout
    assert "督导通报" in git(shared, "log", "-1", "--format=%s")


def test_sync_keep_both_runs_no_merge_driver(repo, tmp_path):
    """A rebase that conflicts (same record on two clones) would call the merge driver the config names."""
    markers = tmp_path / "标记"
    plant(repo, markers)  # committed before the clones split, so both sides share it
    shared = tmp_path / "共享.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(shared))
    other = tmp_path / "乙处"
    git(tmp_path, "clone", "-q", str(shared), str(other))
    assert run_cli(other, "update", "demo-01", "--unit", "省民政厅", "--status", "受阻", "--note", "乙").returncode == 0
    assert run_cli(other, "sync").returncode == 0
    git(repo, "remote", "add", "origin", str(shared))
    git(repo, "fetch", "-q", "origin")
    git(repo, "branch", "-q", "--set-upstream-to=origin/main")
    for marker in markers.iterdir():  # what the test's own git calls set off
        marker.unlink()
    assert run_cli(repo, *UPDATE).returncode == 0
    assert not ran(markers), ran(markers)
    proc = run_cli(repo, "sync", "--keep-both")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert not ran(markers), ran(markers)


_CACHE_SOURCE = (Path(__file__).resolve().parents[1] / "yytrack" / "repo" / "cache.py").read_text(encoding="utf-8")


class _Planted:
    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch '{self.marker}'",))


@pytest.mark.xfail("import pickle" in _CACHE_SOURCE, strict=True,
                   reason="the derived-state cache still loads pickle; the data-only cache replaces it")
def test_planted_pickle_in_the_cache_runs_nothing(repo, tmp_path):
    marker = tmp_path / "pickle-ran"
    assert run_cli(repo, *UPDATE).returncode == 0
    assert run_cli(repo, "status").returncode == 0  # the cache exists now
    cache = repo / ".git" / "yytrack"
    payload = pickle.dumps(_Planted(str(marker)))
    planted = [cache / "latest.pickle", cache / "latest.json", cache / "cache.sqlite"]
    planted += [p for p in cache.rglob("*") if p.is_file()]
    for path in planted:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload)
    for args in (["status"], ["list"], ["show", "demo-01"], ["report", "-o", str(tmp_path / "r.md")]):
        proc = run_cli(repo, *args)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
        assert not marker.exists(), args


def _processes_talking_to(port: int) -> list:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if f"127.0.0.1:{port}" in cmdline:
                found.append(cmdline)
    return found


def test_network_timeout_kills_the_whole_process_group(repo, silent_server):
    """git fetch over http starts git-remote-http; on timeout it goes too, not only git itself."""
    git(repo, "remote", "add", "origin", f"http://127.0.0.1:{silent_server}/hangs.git")
    started = time.monotonic()
    proc = run_cli(repo, "sync", env={"YYTRACK_NETWORK_TIMEOUT": "2"})
    assert_clean_failure(proc, 1, "超过 2 秒没有完成")
    assert time.monotonic() - started < 30
    time.sleep(0.5)
    assert _processes_talking_to(silent_server) == []
