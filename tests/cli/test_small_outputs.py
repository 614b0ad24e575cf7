"""Small outputs that must not mislead: a broken pipe, report --commit, the forms folder, a closed measure."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from tests.conftest import git, run_cli

REVIEWER = "孙审核 <sun@example.cn>"


@pytest.mark.parametrize("args", [["list"], ["log"], ["remind"], ["units", "list"], ["status"], ["--help"]])
def test_a_reader_that_stops_early_ends_quietly(repo, args):
    run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--note", "有一条历史")
    for _ in range(3):  # the reader is gone before the first line is written
        proc = subprocess.Popen([sys.executable, "-m", "yytrack", *args], cwd=str(repo), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        assert proc.wait(60) == 0, err
        assert err == ""


def test_report_commit_is_one_commit_per_run_naming_its_files(tmp_path):
    repo = tmp_path / "仓库"
    assert run_cli(tmp_path, "init", str(repo), "--plan", "fujian").returncode == 0
    before = git(repo, "rev-list", "--count", "HEAD")
    proc = run_cli(repo, "report", "--commit")
    assert proc.returncode == 0, proc.stderr
    assert int(git(repo, "rev-list", "--count", "HEAD")) == int(before) + 1  # two plans, one commit
    month = dt.date.today().strftime("%Y-%m")
    for plan in ("fujian", "national"):
        assert f"reports/{month}-{plan}-督导通报.md" in proc.stdout
        assert f"reports/{month}-{plan}-督导通报.md" in git(repo, "show", "--stat", "--format=", "HEAD")
    assert "已提交到 git（提交 " in proc.stdout
    subject = git(repo, "log", "-1", "--format=%s").strip()
    assert subject == f"通报 {month} fujian、national 督导通报（md）"

    html = run_cli(repo, "report", "--commit", "--format", "html")
    assert html.returncode == 0 and git(repo, "log", "-1", "--format=%s").strip().endswith("（html）")
    head = git(repo, "rev-parse", "HEAD")
    again = run_cli(repo, "report", "--commit", "--format", "html")
    assert again.returncode == 0 and git(repo, "rev-parse", "HEAD") == head
    assert "没有新的提交" in again.stdout and "已提交到 git" not in again.stdout
    assert git(repo, "status", "--porcelain") == ""


def test_forms_go_under_reports_by_default(repo):
    proc = run_cli(repo, "forms")
    assert proc.returncode == 0, proc.stderr
    folder = repo / "reports" / f"{dt.date.today():%Y-%m}-报送表"
    made = sorted(p.name for p in folder.iterdir())
    assert made and all(name.endswith("-报送表.xlsx") for name in made)
    assert str(folder) in proc.stdout


def test_forms_before_tracking_begins_say_when_reports_start(repo):
    plan = repo / "tasks/demo/plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "tracking_start: '2026-11-29'\n", encoding="utf-8")
    proc = run_cli(repo, "forms", "--month", "2026-11")
    assert proc.returncode == 0 and "自 2026-12 起报送" in proc.stdout and "--month 2026-12" in proc.stdout
    assert not (repo / "reports/2026-11-报送表").exists()


def test_reviewing_a_closed_measure_says_it_is_closed(repo):
    assert run_cli(repo, "update", "demo-02", "--unit", "省医保局", "--status", "已完成",
                   "--note", "价格政策已出台").returncode == 0
    assert run_cli(repo, "review", "demo-02", "--accept", "--note", "同意", "--author", REVIEWER).returncode == 0
    head = git(repo, "rev-parse", "HEAD")
    again = run_cli(repo, "review", "demo-02", "--accept", "--note", "同意", "--author", REVIEWER)
    assert again.returncode == 2 and "已经办结" in again.stderr, again.stderr
    assert "牵头单位全部报送已完成后才能办结" not in again.stderr
    assert git(repo, "rev-parse", "HEAD") == head
