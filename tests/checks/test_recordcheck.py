"""`check` keeps what it found in each record under the record's blob id: an unchanged record is not parsed
again, and the problems are the same as a full round-trip read finds, cold or warm."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_cli

from yytrack.checks import progress as checks_progress, recordcheck, rules as checks_rules
from yytrack.checks.framework import Report, load_tree
from yytrack.checks.runner import run_checks
from yytrack.checks.schema import check_schemas


def _full_read(root: Path) -> list:
    """What run_checks finds with every record loaded round-trip (no cache, no line reader)."""
    report = Report()
    tree = load_tree(root, report)
    for rule in (check_schemas, *checks_rules.RULES, *checks_progress.RULES):
        rule(tree, report)
    return sorted(str(p) for p in report.problems)


def _record(repo: Path, unit: str, progress: str) -> Path:
    proc = run_cli(repo, "update", "demo-01", "--unit", unit, "--status", "推进中", "--progress", progress,
                   "--note", "按计划推进。")
    assert proc.returncode == 0, proc.stderr
    return repo / "progress" / "demo" / "demo-01" / f"{unit}.yaml"


def _age(repo: Path) -> None:
    for path in (repo / "progress").rglob("*.yaml"):
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 10**10))


def _count_reads(monkeypatch) -> list:
    calls = []
    for name in ("load_doc", "_quick_head"):
        real = getattr(recordcheck, name)

        def counted(*args, _real=real, _name=name):
            calls.append(_name)
            return _real(*args)
        monkeypatch.setattr(recordcheck, name, counted)
    return calls


def test_an_unchanged_record_is_not_parsed_again(repo, monkeypatch):
    _record(repo, "省卫健委", "10")
    _record(repo, "省民政厅", "20")
    _age(repo)
    calls = _count_reads(monkeypatch)
    first = run_checks(repo)
    assert calls.count("_quick_head") == 2
    calls.clear()
    assert run_checks(repo) == first
    assert calls == []
    changed = _record(repo, "省民政厅", "30")
    _age(repo)
    calls.clear()
    run_checks(repo)
    assert calls == ["_quick_head"], changed


EDITS = [
    ("    status: in_progress\n", "    status: 进行中\n"),          # not a status
    ("  - date: '", "  - date: '2026-02-30' #'"),               # no such day
    ("    note: ", "    notes: "),                                  # unknown key
    ("    progress: 10\n", "    progress: 130\n"),                  # out of range
    ("unit: 省卫健委\n", "unit: 省民政厅\n"),                          # head disagrees with the file name
    ("    status: in_progress\n", "    status: in_progress\n    status: done\n"),   # a key twice
    ("    note: ", "<<<<<<< HEAD\n    note: "),                      # a conflict marker
    ("updates:\n", "updates: [\n"),                                 # not YAML
]


@pytest.mark.parametrize("old,new", EDITS)
def test_problems_are_those_of_a_full_read_cold_and_warm(repo, old, new):
    path = _record(repo, "省卫健委", "10")
    _record(repo, "省民政厅", "20")
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _age(repo)
    expected = _full_read(repo)
    assert any("省卫健委.yaml" in p for p in expected)
    cold = run_checks(repo)
    warm = run_checks(repo)
    assert cold == warm
    assert sorted(str(p) for p in cold) == expected
    assert run_cli(repo, "check").stdout == run_cli(repo, "check").stdout
