"""The derived-state cache (yytrack.repo.cache): data only, keyed by git blob ids, rebuilt from anything
it does not recognise."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
from pathlib import Path

from conftest import git, run_cli

from yytrack.repo import records
from yytrack.repo.cache import RecordCache, blob_id


class Planted:
    """Unpickling this runs a command that leaves a marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _record(repo: Path, *args: str) -> None:
    proc = run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", *args)
    assert proc.returncode == 0, proc.stderr


def _age(repo: Path) -> None:
    """Record files older than the two seconds in which a file's stat is not trusted."""
    for path in (repo / "progress").rglob("*.yaml"):
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 10**10))


def test_blob_ids_are_gits(repo):
    _record(repo, "--progress", "10", "--note", "开工。")
    path = next((repo / "progress").rglob("*.yaml"))
    expected = git(repo, "hash-object", str(path)).strip()
    assert blob_id(path.read_bytes()) == expected


def test_a_planted_pickle_or_garbage_runs_nothing_and_is_rebuilt(repo, tmp_path):
    _record(repo, "--progress", "10", "--note", "开工。")
    clean = run_cli(repo, "status", "--json")
    folder = repo / ".git" / "yytrack"
    marker = tmp_path / "ran"
    payload = pickle.dumps(Planted(marker))
    shutil.rmtree(folder)
    (folder / "history").mkdir(parents=True)
    for name in ("summary.json", "stat.json", "check.json", "latest.pickle"):
        (folder / name).write_bytes(payload)
    blob = blob_id(next((repo / "progress").rglob("*.yaml")).read_bytes())
    (folder / "history" / f"{blob}.json").write_bytes(payload)
    (folder / "window").mkdir()
    (folder / "window" / f"{blob}.json").write_text('{"version": 5, "data": ["x", [[1, 2]]]}', encoding="utf-8")
    for args in (("status", "--json"), ("check",), ("report", "--format", "md", "-o", str(tmp_path / "r.md")),
                 ("show", "demo-01")):
        proc = run_cli(repo, *args)
        assert proc.returncode == 0, (args, proc.stderr)
        assert "Traceback" not in proc.stderr
    assert not marker.exists()
    assert run_cli(repo, "status", "--json").stdout == clean.stdout
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["version"] and blob in summary["data"]
    assert json.loads((folder / "check.json").read_text(encoding="utf-8"))["data"]["files"]


def test_wrong_shapes_in_valid_json_are_rebuilt(repo):
    _record(repo, "--progress", "10", "--note", "开工。")
    clean = run_cli(repo, "status", "--json").stdout
    folder = repo / ".git" / "yytrack"
    data = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    for blob in data["data"]:
        data["data"][blob] = [["2026-13-45", 1, None, "x", "y", 3, {}, 7], 5, None]
    (folder / "summary.json").write_text(json.dumps(data), encoding="utf-8")
    (folder / "stat.json").write_text('{"version": 5, "data": {"progress": [1, 2, 3]}}', encoding="utf-8")
    assert run_cli(repo, "status", "--json").stdout == clean


def _counting(calls: list):
    def read(path, measure, unit):
        calls.append(path.name)
        return records.read_updates(path, measure, unit)
    return read


def _summaries(root: Path, read) -> dict:
    """Each record's whole history through the cache (a summary may come from the entry heads alone)."""
    cache = RecordCache(root / ".git" / "yytrack", read, root)
    found = {p.stem: cache.updates(p, p.parent.name, p.stem) for p in sorted((root / "progress").rglob("*.yaml"))}
    cache.save()
    return found


def test_a_copy_and_a_clone_with_the_cache_reuse_it(repo, tmp_path):
    _record(repo, "--progress", "10", "--note", "开工。")
    _record(repo, "--progress", "20", "--note", "续建。")
    _age(repo)
    calls: list = []
    first = _summaries(repo, _counting(calls))
    assert calls == ["省卫健委.yaml"]
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-a", str(repo), str(copy)], check=True)
    calls.clear()
    assert _summaries(copy, _counting(calls)) == first
    assert calls == []  # new inodes, same blob ids: nothing parsed again
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-local", str(repo), str(clone)], check=True)
    shutil.copytree(repo / ".git" / "yytrack", clone / ".git" / "yytrack")
    calls.clear()
    assert _summaries(clone, _counting(calls)) == first
    assert calls == []


def test_a_changed_record_is_read_again(repo):
    _record(repo, "--progress", "10", "--note", "开工。")
    _age(repo)
    calls: list = []
    before = _summaries(repo, _counting(calls))
    _record(repo, "--progress", "30", "--note", "完成主体。")
    calls.clear()
    after = _summaries(repo, _counting(calls))
    assert calls == ["省卫健委.yaml"]
    assert before["省卫健委"][-1].progress == 10 and after["省卫健委"][-1].progress == 30
