"""Commits with their changes come out of rev-list + diff-tree batches exactly as one `git log --raw` gives
them: the root commit's files, merges (listed, with no files), modes and both blob ids."""

from __future__ import annotations

import subprocess
from pathlib import Path

from yytrack.repo import changes


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=str(repo), check=True, capture_output=True, text=True).stdout


def _history(tmp_path: Path) -> Path:
    repo = tmp_path / "r"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "甲")
    git(repo, "config", "user.email", "a@example.cn")
    (repo / "a.txt").write_text("一\n", encoding="utf-8")
    git(repo, "add", "a.txt")
    git(repo, "commit", "-q", "-m", "起点")
    git(repo, "switch", "-q", "-c", "side")
    (repo / "目录").mkdir()
    (repo / "目录" / "b.yaml").write_text("二\n", encoding="utf-8")
    git(repo, "add", "目录/b.yaml")
    git(repo, "commit", "-q", "-m", "旁支\n\nYytrack-Measure: demo-01\nYytrack-Unit: 省民政厅")
    git(repo, "switch", "-q", "main")
    (repo / "a.txt").write_text("一\n三\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "主干")
    git(repo, "merge", "-q", "--no-edit", "side")
    (repo / "link").symlink_to("a.txt")
    git(repo, "add", "link")
    git(repo, "rm", "-q", "目录/b.yaml")
    git(repo, "commit", "-q", "-m", "链接")
    return repo


def _one_log(repo: Path) -> list:
    out = git(repo, "-c", "core.quotepath=off", "log", "--reverse", "--topo-order", "--no-renames", "--raw",
              "--no-abbrev", f"--format={changes.FORMAT}", "HEAD", "--")
    return [c for c in (changes._change(chunk) for chunk in out.split("\x1e") if chunk.strip()) if c]


def test_batches_give_what_one_git_log_gives(tmp_path, monkeypatch):
    repo = _history(tmp_path)
    expected = _one_log(repo)
    monkeypatch.setattr(changes, "ID_BATCH", 2)  # several diff-tree processes, a batch boundary mid-merge
    found = list(changes.iter_changes(repo, ["HEAD"]))
    assert [c.id for c in found] == [c.id for c in expected]
    assert found == expected  # subjects, parents, authors, trailers and every file change
    merge = next(c for c in found if len(c.parents) == 2)
    assert merge.files == ()
    assert found[0].files[0].path == "a.txt" and found[0].files[0].status == "A"
    last = found[-1]
    assert {(f.path, f.status, f.new_mode) for f in last.files} == {("link", "A", "120000"),
                                                                    ("目录/b.yaml", "D", "000000")}


def test_a_range_lists_only_its_commits(tmp_path):
    repo = _history(tmp_path)
    found = changes.read_changes(repo, ["HEAD~1..HEAD"])
    assert [c.subject for c in found] == ["链接"]
