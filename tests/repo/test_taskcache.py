"""Parsed task files kept by blob id (yytrack.repo.taskcache): same data as the loader, never stale."""

from __future__ import annotations

import datetime as dt
import json

from conftest import git, run_cli

from yytrack.repo.taskcache import Uncacheable, decode, encode


def test_encoding_keeps_every_value_and_type():
    data = {"id": "demo-01", "seq": 1, "ratio": 0.5, "done": False, "none": None, "start": dt.date(2026, 1, 31),
            "list": [1, "二", [dt.date(2025, 12, 1)], {"k": ["L", "D"]}], "empty": {}, "nested": {"a": {"b": []}}}
    back = decode(json.loads(json.dumps(encode(data))))
    assert back == data
    assert type(back["start"]) is dt.date and type(back["done"]) is bool and type(back["list"][3]["k"]) is list
    for odd in ({1: "int key"}, dt.datetime(2026, 1, 1), {b"bytes"}):
        try:
            encode(odd)
        except Uncacheable:
            continue
        raise AssertionError(odd)


def test_an_edited_task_file_is_read_again_and_garbage_is_ignored(repo):
    first = json.loads(run_cli(repo, "list", "--json").stdout)
    assert (repo / ".git" / "yytrack" / "tasks.json").is_file()
    path = repo / "tasks" / "demo" / "demo-01.yaml"
    text = path.read_text(encoding="utf-8")
    title = next(m["title"] for m in first if m["id"] == "demo-01")
    path.write_text(text.replace(title, title + "（修订）", 1), encoding="utf-8")
    git(repo, "commit", "-qam", "修订措施标题")
    second = json.loads(run_cli(repo, "list", "--json").stdout)
    assert next(m["title"] for m in second if m["id"] == "demo-01") == title + "（修订）"
    cache = repo / ".git" / "yytrack" / "tasks.json"
    stored = json.loads(cache.read_text(encoding="utf-8"))
    for blob in stored["data"]:
        stored["data"][blob] = ["L", ["D", 5]] if len(blob) % 2 else {"id": ["X", 1]}
    cache.write_text(json.dumps(stored), encoding="utf-8")
    assert json.loads(run_cli(repo, "list", "--json").stdout) == second
    cache.write_bytes(b"\x80\x04garbage")
    assert json.loads(run_cli(repo, "list", "--json").stdout) == second
