"""Tracking start: a plan owes reports only from the first period whose due day comes after the day
tracking began, so a new repository's first report is not red for months nobody was asked about.

Fixture plan `demo` (due day 25): demo-02 has lead 省医保局 and no deadline, so its alert is about
reporting alone; demo-01's deadline 2026-06-30 has passed, which stays red whatever the start.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import git, run_cli
from yytrack import Tracker
from yytrack.forms.build import owed_measures
from yytrack.reports.alerts import Period, first_period
from yytrack.reports.context import build_context
from yytrack.reports.writer import remind_list
from yytrack.repo.setup import set_tracking_start


def started(repo: Path, day: str) -> Tracker:
    set_tracking_start(repo / "tasks/demo/plan.yaml", dt.date.fromisoformat(day))
    git(repo, "commit", "-qam", "开始跟踪")
    return Tracker(repo)


def alert(context: dict, measure_id: str):
    row = next(m for m in context["measures"] if m["id"] == measure_id)
    return row["alert"], row["alert_reasons"]


@pytest.mark.parametrize("start, first", [("2026-11-03", "2026-11"), ("2026-11-25", "2026-12"),
                                          ("2026-11-29", "2026-12"), ("2026-12-31", "2027-01"),
                                          ("2026-02-27", "2026-03")])
def test_first_period_is_the_first_whose_due_day_comes_after_the_start(repo, start, first):
    plan = started(repo, start).plan("demo")
    assert plan.tracking_start == dt.date.fromisoformat(start)
    assert first_period(plan) == Period.parse(first)


def test_started_on_the_29th_the_first_report_is_green_where_nothing_is_due(repo):
    tracker = started(repo, "2026-11-29")
    context = build_context(tracker, "demo", "2026-11", dt.date(2026, 11, 29))
    assert alert(context, "demo-02") == ("green", [])
    assert alert(context, "demo-01")[0] == "red"  # its deadline 2026-06-30 really has passed
    assert not any("未报送" in reason for m in context["measures"] for reason in m["alert_reasons"])
    assert context["missing"] == []
    assert context["summary"]["reporting"]["due"] == 0
    assert context["timeliness"]["units"] == [] and context["timeliness"]["periods"] == []
    assert "自2026年12月起报送" in context["timeliness"]["span"]
    assert context["plan"]["tracking_start"] == "2026-11-29"
    assert all("未报送进展" not in r for row in remind_list(tracker, "demo", Period(2026, 11), dt.date(2026, 11, 29))
               for item in row["items"] for r in item["reasons"])
    assert owed_measures(tracker, tracker.plan("demo"), "2026-11") == []
    assert owed_measures(tracker, tracker.plan("demo"), "2026-12")


def test_started_on_the_3rd_this_month_is_owed_but_never_two_periods(repo):
    tracker = started(repo, "2026-11-03")
    context = build_context(tracker, "demo", "2026-11", dt.date(2026, 11, 29))
    level, reasons = alert(context, "demo-02")
    assert level == "yellow" and reasons == ["省医保局 本期（2026年11月）未报送"]
    assert {row["unit"] for row in context["missing"]} >= {"省医保局", "省卫健委"}
    assert context["timeliness"]["periods"] == ["2026-11"]
    assert all(u["due"] >= 1 for u in context["timeliness"]["units"])


def test_the_second_month_counts_one_period_only(repo):
    tracker = started(repo, "2026-11-29")
    context = build_context(tracker, "demo", "2026-12", dt.date(2026, 12, 29))
    level, reasons = alert(context, "demo-02")
    assert level == "yellow" and "连续两期" not in "".join(reasons)
    assert context["timeliness"]["periods"] == ["2026-12"]
    assert context["summary"]["reporting"]["due"] > 0


def test_without_a_tracking_start_every_period_counts(repo):
    context = build_context(Tracker(repo), "demo", "2026-11", dt.date(2026, 11, 29))
    level, reasons = alert(context, "demo-02")
    assert level == "red" and "连续两期（2026年10月、2026年11月）" in reasons[0]


def test_init_sets_the_tracking_start_to_today_or_the_given_day(tmp_path):
    proc = run_cli(tmp_path, "init", str(tmp_path / "今天"), "--plan", "fujian")
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "今天/tasks/fujian/plan.yaml").read_text(encoding="utf-8")
    assert f"tracking_start: '{dt.date.today().isoformat()}'" in text
    assert text.startswith("# yaml-language-server")  # the rest of the file is kept as it was
    proc = run_cli(tmp_path, "init", str(tmp_path / "早些"), "--plan", "fujian", "--start", "2026-06-01")
    assert proc.returncode == 0, proc.stderr
    assert Tracker(tmp_path / "早些").plan("fujian").tracking_start == dt.date(2026, 6, 1)
    assert Tracker(tmp_path / "早些").plan("national").tracking_start == dt.date(2026, 6, 1)
    check = run_cli(tmp_path / "早些", "check")
    assert check.returncode == 0 and "错误 0 个" in check.stdout, check.stdout
    proc = run_cli(tmp_path, "init", str(tmp_path / "坏"), "--start", "2026-13-01")
    assert proc.returncode == 2 and "--start" in proc.stderr and not (tmp_path / "坏").exists()


def test_a_new_repository_reports_no_red_for_missed_reports(tmp_path):
    run_cli(tmp_path, "init", str(tmp_path / "新"), "--plan", "fujian", "--start", "2026-11-29")
    proc = run_cli(tmp_path / "新", "report", "--plan", "fujian", "--month", "2026-11", "--as-of", "2026-11-29",
                   "-o", str(tmp_path / "通报.md"))
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "通报.md").read_text(encoding="utf-8")
    assert "未报送" not in text.split("## 二、")[1].split("## 三、")[0].replace("| 未报送 |", "")
    assert "连续两期" not in text and "0.0%" not in text
    assert "开始跟踪：2026-11-29（自2026年12月起报送）" in text


def test_import_starts_tracking_the_day_of_the_import(repo):
    from tests.conftest import FIXTURES
    from yytrack.importer.run import parse_file

    result = parse_file(repo, FIXTURES / "import/pdf_sample.txt", "sample", None, None)
    assert result.plan["tracking_start"] == dt.date.today().isoformat()
