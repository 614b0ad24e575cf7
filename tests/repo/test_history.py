"""A report's period log without git's per-commit tree comparison (history.read_period_log) lists exactly the
commits `git log -- <folder>` lists: on linear histories, renames, look-alike folders, root commits, file
names git quotes, and merges."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import git
from yytrack.repo import history

RANGES = [("2024-01-01 00:00:00", "2024-12-31 23:59:59"), ("2024-03-01 00:00:00", "2024-03-31 23:59:59"),
          ("2023-01-01 00:00:00", "2025-12-31 23:59:59"), ("2024-06-10 00:00:00", "2024-06-10 23:59:59")]


def _commit(repo: Path, day: str, measure: str, change) -> None:
    change()
    git(repo, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T10:00:00+08:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00+08:00"}
    message = f"报送 {measure}\n\n说明。\n\nYytrack-Measure: {measure}\nYytrack-Unit: 省卫健委\nYytrack-Status: done\n"
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-F", "-"], cwd=str(repo), env=env, check=True,
                   input=message.encode("utf-8"))


def _write(repo: Path, rel: str, text: str):
    def change():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)
    return change


def _same_everywhere(repo: Path) -> None:
    for folder in ("progress/demo/", "progress/other/", "progress/demo-x/", "progress/none/"):
        for since, until in RANGES:
            assert history.read_period_log(repo, folder, since, until) == history.read_log(repo, [folder], since,
                                                                                           until), (folder, since)


def _linear(repo: Path) -> None:
    git(repo, "init", "-q", "-b", "main")
    _commit(repo, "2024-01-05", "demo-01", _write(repo, "progress/demo/demo-01/省卫健委.yaml", "a\n"))  # root
    months = ["02", "03", "03", "04", "06", "06", "08", "11"]
    for n, month in enumerate(months):
        folder = ("demo", "other", "demo-x")[n % 3]
        _commit(repo, f"2024-{month}-10", f"{folder}-01", _write(repo, f"progress/{folder}/{folder}-01/u{n}.yaml", "b\n"))
    _commit(repo, "2024-03-20", "demo-02", lambda: None)  # an empty commit: touches nothing
    _commit(repo, "2024-06-10", "demo-01", _write(repo, "tasks/x.yaml", "c\n"))  # outside progress/
    _commit(repo, "2024-06-10", "demo-01", lambda: git(repo, "mv", "progress/demo/demo-01/u0.yaml",
                                                        "progress/other/u0.yaml"))  # a rename out of the folder
    _commit(repo, "2025-01-10", "demo-01", _write(repo, "progress/demo/demo-01/省卫健委.yaml", "d\n"))


def test_linear_history_with_renames_and_look_alike_folders(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _linear(repo)
    assert len(history.read_period_log(repo, "progress/demo/", *RANGES[2])) >= 5
    _same_everywhere(repo)


def test_quoted_file_names_and_merges_answer_as_git_does(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _linear(repo)
    _commit(repo, "2024-06-10", "demo-01", _write(repo, "progress/demo/demo-01/换\t行.yaml", "e\n"))
    _same_everywhere(repo)
    git(repo, "checkout", "-q", "-b", "side", "HEAD~3")
    _commit(repo, "2024-06-12", "demo-03", _write(repo, "progress/demo/demo-03/省医保局.yaml", "f\n"))
    git(repo, "checkout", "-q", "main")
    env = {**os.environ, "GIT_AUTHOR_DATE": "2024-12-01T10:00:00+08:00", "GIT_COMMITTER_DATE": "2024-12-01T10:00:00+08:00"}
    subprocess.run(["git", "merge", "-q", "-s", "ours", "-m", "合并", "side"], cwd=str(repo), env=env, check=True)
    found = history.read_period_log(repo, "progress/demo/", *RANGES[2])
    assert not any(c.trailer("Measure") == "demo-03" for c in found)  # the merge kept none of the side's records
    _same_everywhere(repo)


def test_an_empty_repository_has_no_period_log(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    assert history.read_period_log(repo, "progress/demo/", *RANGES[0]) == []
