"""Recording progress and reviews through the real command line against real repositories."""

from __future__ import annotations

import json

import pytest

from conftest import git, run_cli, snapshot


def test_update_is_one_commit_with_trailers(repo):
    before = git(repo, "rev-parse", "HEAD").strip()
    proc = run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--progress", "60",
                   "--note", "已完成全省护理型床位摸底", "--date", "2026-11-20")
    assert proc.returncode == 0, proc.stderr
    assert "进展 demo-01 省民政厅：推进中 60%" in proc.stdout
    assert git(repo, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    files = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert files == ["progress/demo/demo-01/省民政厅.yaml"]
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("进展 demo-01 省民政厅：推进中 60%\n\n已完成全省护理型床位摸底\n")
    for trailer in ("Yytrack-Measure: demo-01", "Yytrack-Unit: 省民政厅", "Yytrack-Status: in_progress",
                    "Yytrack-Progress: 60", "Yytrack-Date: 2026-11-20"):
        assert trailer in message
    assert git(repo, "status", "--porcelain") == ""


def test_update_shows_in_show_list_status_and_log(repo):
    assert run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "in_progress", "--progress", "30",
                   "--note", "起草方案").returncode == 0
    shown = json.loads(run_cli(repo, "show", "demo-01", "--json").stdout)
    assert shown["status"] == "in_progress" and shown["progress"] == 30
    assert shown["last_update"]["unit"] == "省卫健委" and shown["last_update"]["note"] == "起草方案"
    listed = json.loads(run_cli(repo, "list", "--status", "推进中", "--json").stdout)
    assert [m["id"] for m in listed] == ["demo-01"]
    status = json.loads(run_cli(repo, "status", "--json").stdout)
    assert status["by_status"]["in_progress"] == 1 and status["by_status"]["not_started"] == 2
    logged = json.loads(run_cli(repo, "log", "demo-01", "--json").stdout)
    assert [(r["unit"], r["status"], r["progress"]) for r in logged] == [("省卫健委", "in_progress", "30")]
    assert "起草方案" in run_cli(repo, "log").stdout


def test_measure_status_follows_leads_then_review(tracker, repo):
    tracker.update("demo-01", "省卫健委", "done", note="设施建成")
    assert tracker.state(tracker.get("demo-01")).status == "in_progress"  # 省民政厅 has not reported
    tracker.update("demo-01", "省财政厅", "blocked", note="资金未到位")  # cooperating: does not set status
    assert tracker.state(tracker.get("demo-01")).status == "in_progress"
    tracker.update("demo-01", "省民政厅", "done", note="验收完成")
    assert tracker.state(tracker.get("demo-01")).status == "awaiting_review"
    proc = run_cli(repo, "review", "demo-01", "--reject", "--note", "缺少验收材料",
                   "--author", "孙晓惠 <sun@example.cn>")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(run_cli(repo, "show", "demo-01", "--json").stdout)["status"] == "in_progress"
    tracker.update("demo-01", "省民政厅", "done", note="补充验收材料")
    proc = run_cli(repo, "review", "demo-01", "--accept", "--note", "同意销号", "--author", "孙晓惠 <sun@example.cn>")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(run_cli(repo, "show", "demo-01", "--json").stdout)["status"] == "accepted"
    assert "Yytrack-Review: accept" in git(repo, "log", "-1", "--format=%B")


def test_blocked_lead_blocks_measure(tracker):
    tracker.update("demo-01", "省民政厅", "blocked", note="用地未落实")
    assert tracker.state(tracker.get("demo-01")).status == "blocked"


def test_group_member_reports_for_its_group(tracker, repo):
    tracker.update("demo-01", "福州市人民政府", "in_progress", note="已开工")
    record = repo / "progress/demo/demo-01/福州市人民政府.yaml"
    assert "已开工" in record.read_text(encoding="utf-8")


def test_measure_id_forms_resolve(tracker):
    for form in ("demo-01", "DEMO-01", "demo-1", "demo（一）", "demo(一)"):
        assert tracker.get(form).id == "demo-01"


def test_evidence_is_copied_under_a_safe_name(repo, tmp_path):
    evidence = tmp_path / "..危险 名称;rm.pdf"
    evidence.write_bytes(b"%PDF-1.4 test")
    proc = run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "附材料",
                   "--evidence", str(evidence), "--date", "2026-11-02")
    assert proc.returncode == 0, proc.stderr
    files = git(repo, "show", "--name-only", "--format=", "HEAD").split("\n")
    stored = [f for f in files if "/evidence/" in f]
    assert stored == ["progress/demo/demo-01/evidence/省民政厅/2026-11-02-危险_名称_rm.pdf"]
    assert (repo / stored[0]).read_bytes() == b"%PDF-1.4 test"
    assert stored[0] in (repo / "progress/demo/demo-01/省民政厅.yaml").read_text(encoding="utf-8")


def test_people_mapping_limits_who_reports(repo):
    config = repo / "tasks/config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "people:\n  tester@example.cn: [省卫健委]\n",
                      encoding="utf-8")
    git(repo, "commit", "-qam", "登记人员")
    denied = run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x")
    assert denied.returncode == 1 and "只能为 省卫健委 报送" in denied.stderr
    allowed = run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--note", "x")
    assert allowed.returncode == 0, allowed.stderr


BAD_INPUTS = [
    (["update", "demo-99", "--unit", "省民政厅", "--status", "推进中", "--note", "x"], 2, "没有措施“demo-99”"),
    (["update", "demo-01", "--unit", "省医保局", "--status", "推进中", "--note", "x"], 1, "不是 demo-01 的责任单位"),
    (["update", "demo-01", "--unit", "民政厅", "--status", "推进中", "--note", "x"], 2, "是否是：省民政厅"),
    (["update", "demo-01", "--unit", "省民政厅", "--status", "快完了", "--note", "x"], 2, "状态“快完了”无效"),
    (["update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--progress", "150", "--note", "x"], 2,
     "进度 150 超出范围"),
    (["update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x", "--date", "2999-01-01"], 2,
     "在今天"),
    (["update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x", "--date", "2026-02-30"], 2,
     "不是有效日期"),
    (["update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x", "--date", "2026/11/01"], 2,
     "格式不对"),
    (["update", "demo-01", "--unit", "省民政厅", "--status", "已完成", "--note", ""], 2, "必须用 --note"),
    (["update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x", "--evidence", "/nonexistent/a.pdf"],
     2, "找不到佐证材料"),
    (["update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x", "--evidence", "/etc"], 2,
     "不是普通文件"),
    (["review", "demo-01", "--accept", "--note", "同意"], 1, "只有省卫健委老龄处的审核人"),
    (["update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x", "--indicator", "不存在=3"], 2,
     "没有指标“不存在”"),
]


@pytest.mark.parametrize("args,code,message", BAD_INPUTS, ids=[" ".join(a[:4]) + m for a, _, m in BAD_INPUTS])
def test_bad_input_fails_cleanly_and_changes_nothing(repo, args, code, message):
    before = snapshot(repo)
    proc = run_cli(repo, *args)
    assert proc.returncode == code, proc.stderr
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert snapshot(repo) == before


def test_missing_identity_is_refused(repo, tmp_path):
    empty = tmp_path / "empty.gitconfig"
    empty.write_text("", encoding="utf-8")
    before = snapshot(repo)
    proc = run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x",
                   env={"GIT_CONFIG_GLOBAL": str(empty), "EMAIL": "", "GIT_AUTHOR_NAME": ""})
    assert proc.returncode == 1 and "git config --global user.name" in proc.stderr
    assert snapshot(repo) == before


def test_evidence_over_limit_is_refused(repo, tmp_path):
    big = tmp_path / "big.bin"
    big.write_bytes(b"0" * (2 * 1024 * 1024))  # the fixture's limit is 1 MB
    before = snapshot(repo)
    proc = run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x",
                   "--evidence", str(big))
    assert proc.returncode == 2 and "超过上限 1 MB" in proc.stderr
    assert snapshot(repo) == before


def test_missing_value_without_terminal_fails_clearly(repo):
    proc = run_cli(repo, "update", "demo-01", "--status", "推进中", "--note", "x")
    assert proc.returncode == 2 and "缺少报送单位" in proc.stderr


def test_units_merge_makes_an_alias_and_rewrites_measures(repo):
    units = repo / "tasks/units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "  - name: 民政厅\n    level: province\n", encoding="utf-8")
    measure = repo / "tasks/demo/demo-03.yaml"
    measure.write_text(measure.read_text(encoding="utf-8").replace("  - 省民政厅", "  - 民政厅  # 原文写法"),
                       encoding="utf-8")
    git(repo, "commit", "-qam", "新单位写法")
    proc = run_cli(repo, "units", "merge", "民政厅", "省民政厅")
    assert proc.returncode == 0, proc.stderr
    text = measure.read_text(encoding="utf-8")
    assert "  - 省民政厅 # 原文写法" in text and "- 民政厅" not in text
    listed = json.loads(run_cli(repo, "units", "list", "--json").stdout)
    merged = next(u for u in listed if u["name"] == "省民政厅")
    assert "民政厅" in merged["aliases"] and all(u["name"] != "民政厅" for u in listed)
    assert git(repo, "status", "--porcelain") == ""
    assert "Yytrack-Units-Merge: 民政厅 => 省民政厅" in git(repo, "log", "-1", "--format=%B")
