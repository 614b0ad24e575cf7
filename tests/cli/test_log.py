"""`yytrack log`: newest first by the day an entry refers to, then by commit time; --plan; --json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import git, run_cli


def _update(repo: Path, when: str, day: str, unit: str, progress: str, note: str, plan_dir: str = "demo-01"):
    env = {var: f"{when}T10:00:00+08:00" for var in ("YYTRACK_NOW", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE")}
    proc = run_cli(repo, "update", plan_dir, "--unit", unit, "--status", "推进中", "--progress", progress,
                   "--note", note, "--date", day, env=env)
    assert proc.returncode == 0, proc.stderr


def _second_plan(repo: Path) -> None:
    """A copy of plan demo as plan extra (its measures extra-01…)."""
    source, target = repo / "tasks" / "demo", repo / "tasks" / "extra"
    shutil.copytree(source, target)
    for path in sorted(target.glob("*.yaml")):
        text = path.read_text(encoding="utf-8").replace("demo-", "extra-").replace("id: demo", "id: extra")
        path.unlink()
        (target / path.name.replace("demo-", "extra-")).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "第二个方案")


def test_newest_entry_date_first_then_commit_time(repo):
    _update(repo, "2026-10-05", "2026-10-05", "省卫健委", "10", "十月上旬。")
    _update(repo, "2026-11-02", "2026-11-02", "省卫健委", "30", "十一月初。")
    _update(repo, "2026-11-20", "2026-09-30", "省民政厅", "5", "补报九月。")     # recorded last, refers to September
    _update(repo, "2026-11-21", "2026-11-02", "省民政厅", "35", "同日补报。")    # same day as an earlier entry
    rows = json.loads(run_cli(repo, "log", "--json").stdout)
    assert [r["note"] for r in rows] == ["同日补报。", "十一月初。", "十月上旬。", "补报九月。"]
    table = run_cli(repo, "log").stdout.splitlines()
    assert [line.split()[0] for line in table[2:-1]] == ["2026-11-02", "2026-11-02", "2026-10-05", "2026-09-30"]
    assert table[-1] == "共 4 条"


def test_plan_option_and_its_errors(repo):
    _second_plan(repo)
    _update(repo, "2026-11-02", "2026-11-02", "省卫健委", "30", "方案一。")
    _update(repo, "2026-11-03", "2026-11-03", "省卫健委", "40", "方案二。", "extra-01")
    assert [r["note"] for r in json.loads(run_cli(repo, "log", "--plan", "extra", "--json").stdout)] == ["方案二。"]
    assert [r["note"] for r in json.loads(run_cli(repo, "log", "--plan", "DEMO", "--json").stdout)] == ["方案一。"]
    assert len(json.loads(run_cli(repo, "log", "--json").stdout)) == 2
    wrong = run_cli(repo, "log", "demo-01", "--plan", "extra")
    assert wrong.returncode != 0 and "不属于" in wrong.stderr and "Traceback" not in wrong.stderr
    unknown = run_cli(repo, "log", "--plan", "无此方案")
    assert unknown.returncode != 0 and "没有方案" in unknown.stderr


def test_json_is_a_list_even_when_empty_and_matches_the_library(repo):
    from yytrack import Tracker
    from yytrack.reports.terminal import log_rows

    assert run_cli(repo, "log", "--json").stdout == "[]\n"
    for k in range(3):
        _update(repo, f"2026-11-0{k + 1}", f"2026-11-0{k + 1}", "省卫健委", str(10 * k), f"第{k}次。")
    expected = json.dumps(log_rows(Tracker(repo).log()), ensure_ascii=False, indent=2) + "\n"
    assert run_cli(repo, "log", "--json").stdout == expected
