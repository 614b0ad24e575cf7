"""`review: true` written by import is reported by check until a person removes it."""

from __future__ import annotations

import json

from conftest import git, run_cli

DOC = """某某市2024年工作方案
一、任务
（一）做好甲项工作。（市发改委牵头，市财政局配合）
（二）做好乙项工作。列第一位者为牵头单位，下同。
（三）做好丙项工作。（市商务局、市统计局等有关部门和单位按职责分工负责）
督导组：市政府督查室
"""


def test_dry_run_lists_units_never_fragments(repo, tmp_path):
    source = tmp_path / "方案.txt"
    source.write_text(DOC, encoding="utf-8")
    proc = run_cli(repo, "import", str(source), "--plan", "work", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    added = next(line for line in proc.stdout.splitlines() if line.startswith("将新增单位"))
    assert added.split("：", 1)[1].split("、") == ["市发改委", "市财政局", "市商务局", "市统计局"]
    assert "请核对 work-02" in proc.stdout and "督导组：市政府督查室" in proc.stdout
    assert "2 条措施导入时将标记为待核对" in proc.stdout
    shown = json.loads(run_cli(repo, "import", str(source), "--plan", "work", "--json").stdout)
    assert [m["review"] for m in shown["measures"]] == [False, True, True]
    assert {w["measure"] for w in shown["warnings"]} == {"work-02", "work-03"}


def test_uncertain_measures_are_written_for_review_and_check_reports_them_until_cleared(repo, tmp_path):
    source = tmp_path / "方案.txt"
    source.write_text(DOC, encoding="utf-8")
    proc = run_cli(repo, "import", str(source), "--plan", "work")
    assert proc.returncode == 0, proc.stderr
    assert "2 条措施已标记为待核对" in proc.stdout
    path = repo / "tasks" / "work" / "work-02.yaml"
    assert "review: true" in path.read_text(encoding="utf-8")
    assert "review" not in (repo / "tasks" / "work" / "work-01.yaml").read_text(encoding="utf-8")
    checked = run_cli(repo, "check")
    flagged = [line for line in checked.stdout.splitlines() + checked.stderr.splitlines() if "review: true" in line]
    assert sorted(line.split(":")[0] for line in flagged) == ["tasks/work/work-02.yaml", "tasks/work/work-03.yaml"]
    assert all("警告" in line for line in flagged)
    path.write_text(path.read_text(encoding="utf-8").replace("review: true\n", ""), encoding="utf-8")
    git(repo, "commit", "-qam", "核对 work-02")
    again = run_cli(repo, "check")
    remaining = [line for line in again.stdout.splitlines() + again.stderr.splitlines() if "review: true" in line]
    assert [line.split(":")[0] for line in remaining] == ["tasks/work/work-03.yaml"]
