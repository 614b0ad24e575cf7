"""Alert rules, reporting periods and indicator states, on real tracking repositories.

The fixture repository (tests/fixtures/minirepo, plan `demo`, due day 25):
demo-01 leads 省卫健委+省民政厅, deadline 2026-06-30, implied group 各市、县（区）人民政府;
demo-02 lead 省医保局, no deadline (recurring); demo-03 lead 省卫健委, deadline 2026-12-15.
"""

from __future__ import annotations

import datetime as dt

import pytest

from yytrack.reports import alerts
from yytrack.reports.alerts import Period
from yytrack.errors import UsageProblem
from yytrack.model import Indicator, Observation
from yytrack.reports.context import build_context, collect_facts

AUTHOR = "李明 <li@example.cn>"
REVIEWER = "孙审核 <sun@example.cn>"


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def pin_clock(monkeypatch, when: str) -> None:
    """Record (and commit) as if it were `when` (YYYY-MM-DD, 10:00 Beijing time)."""
    stamp = f"{when}T10:00:00+08:00"
    for var in ("YYTRACK_NOW", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(var, stamp)


def record(tracker, monkeypatch, measure, unit, status, on, recorded=None, **options):
    pin_clock(monkeypatch, recorded or on)
    return tracker.update(measure, unit, status, options.pop("note", "按计划推进"), date=day(on), author=AUTHOR,
                          **options)


def alert_of(tracker, measure_id: str, as_of: str, month: str = ""):
    as_of_day = day(as_of)
    period = Period.parse(month) if month else Period.containing(as_of_day)
    facts = collect_facts(tracker, tracker.plan("demo"), period, as_of_day)
    return next(f.alert for f in facts if f.measure.id == measure_id)


# ---------------------------------------------------------------- periods


def test_period_parse_arithmetic_and_due_day():
    november = Period.parse("2026-11")
    assert (november.start, november.end, november.key, november.label) == (
        day("2026-11-01"), day("2026-11-30"), "2026-11", "2026年11月")
    assert Period.parse("2026-01").previous() == Period(2025, 12)
    assert Period(2025, 12).next() == Period(2026, 1)
    assert Period(2026, 2).due_date(31) == day("2026-02-28")
    assert Period(2026, 11).due_date(25) == day("2026-11-25")
    for bad in ("2026-13", "2026/11", "11-2026", ""):
        with pytest.raises(UsageProblem, match="YYYY-MM"):
            Period.parse(bad)


# ---------------------------------------------------------------- red


def test_red_when_a_deadline_passed_and_not_done(tracker, monkeypatch):
    for unit in ("省卫健委", "省民政厅"):
        record(tracker, monkeypatch, "demo-01", unit, "推进中", "2026-06-10")
        record(tracker, monkeypatch, "demo-01", unit, "推进中", "2026-07-02")
    assert alert_of(tracker, "demo-01", "2026-06-30").level == "yellow"  # due today: still near
    assert alert_of(tracker, "demo-01", "2026-07-01").reasons[0].startswith("截止日期 2026-06-30 已逾期 1 天")
    late = alert_of(tracker, "demo-01", "2026-07-05")
    assert late.level == "red"
    assert late.reasons[0] == "截止日期 2026-06-30 已逾期 5 天（建成一批社区医养结合服务设施）"


def test_red_when_a_lead_is_silent_two_periods_running(tracker, monkeypatch):
    record(tracker, monkeypatch, "demo-02", "省医保局", "推进中", "2026-09-15")
    assert alert_of(tracker, "demo-02", "2026-09-20").level == "green"
    october = alert_of(tracker, "demo-02", "2026-10-20")
    assert october.level == "yellow"
    assert october.reasons == ("省医保局 本期（2026年10月）未报送",)
    november = alert_of(tracker, "demo-02", "2026-11-03")
    assert november.level == "red"
    assert november.reasons == ("省医保局 连续两期（2026年10月、2026年11月）未报送",)


def test_a_cooperating_report_does_not_stand_for_the_lead(tracker, monkeypatch):
    record(tracker, monkeypatch, "demo-02", "省卫健委", "推进中", "2026-10-10")
    record(tracker, monkeypatch, "demo-02", "省卫健委", "推进中", "2026-11-02")
    assert alert_of(tracker, "demo-02", "2026-11-03").level == "red"


# ---------------------------------------------------------------- yellow and green


def test_yellow_when_a_deadline_is_within_30_days(tracker, monkeypatch):
    record(tracker, monkeypatch, "demo-03", "省卫健委", "推进中", "2026-10-20")
    record(tracker, monkeypatch, "demo-03", "省卫健委", "推进中", "2026-11-02")
    assert alert_of(tracker, "demo-03", "2026-11-10").level == "green"  # 35 days left
    near = alert_of(tracker, "demo-03", "2026-11-20")
    assert near.level == "yellow"
    assert near.reasons == ("截止日期 2026-12-15 还有 25 天（完成年度督查）",)


def test_yellow_when_a_lead_has_not_reported_this_period(tracker, monkeypatch):
    record(tracker, monkeypatch, "demo-01", "省卫健委", "推进中", "2026-03-05")
    record(tracker, monkeypatch, "demo-01", "省民政厅", "推进中", "2026-03-06")
    record(tracker, monkeypatch, "demo-01", "省卫健委", "推进中", "2026-04-02")
    alert = alert_of(tracker, "demo-01", "2026-04-10")
    assert alert.level == "yellow"
    assert alert.reasons == ("省民政厅 本期（2026年4月）未报送",)


def test_a_member_report_counts_for_its_group(tracker, monkeypatch):
    facts = collect_facts(tracker, tracker.plan("demo"), Period(2026, 11), day("2026-11-20"))
    assert "各市、县（区）人民政府" not in facts[0].reported
    record(tracker, monkeypatch, "demo-01", "福州市人民政府", "推进中", "2026-11-05")
    facts = collect_facts(tracker, tracker.plan("demo"), Period(2026, 11), day("2026-11-20"))
    assert {"福州市人民政府", "各市、县（区）人民政府"} <= facts[0].reported


def test_recurring_measures_are_judged_on_reporting_only(tracker, monkeypatch):
    record(tracker, monkeypatch, "demo-02", "省医保局", "推进中", "2026-11-02")
    recurring = alert_of(tracker, "demo-02", "2026-11-20")
    assert (recurring.level, recurring.reasons) == ("green", ())
    silent = alert_of(tracker, "demo-02", "2026-12-20")
    assert silent.level == "yellow" and all("截止" not in r for r in silent.reasons)


def test_done_measures_carry_no_alert(tracker, monkeypatch):
    record(tracker, monkeypatch, "demo-03", "省卫健委", "已完成", "2026-11-05", note="年度督查已完成")
    awaiting = alert_of(tracker, "demo-03", "2026-12-20")  # deadline passed, nothing reported in December
    assert (awaiting.level, awaiting.label, awaiting.reasons) == (None, "—", ())
    pin_clock(monkeypatch, "2026-11-06")
    tracker.review("demo-03", "accept", "同意办结", author=REVIEWER, date=day("2026-11-06"))
    assert alert_of(tracker, "demo-03", "2027-02-01").level is None


def test_a_measure_not_started_is_not_due(repo, monkeypatch):
    from yytrack import Tracker

    path = repo / "tasks" / "demo" / "demo-02.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "start: '2027-01-01'\n", encoding="utf-8")
    tracker = Tracker(repo)
    alert = alert_of(tracker, "demo-02", "2026-11-20")
    assert (alert.level, alert.reasons) == ("green", ("尚未开始（2027-01-01 开始）",))
    context = build_context(tracker, "demo", "2026-11", day("2026-11-20"))
    owed = {(u["unit"], m["id"]) for u in context["missing"] for m in u["measures"]}
    assert ("省医保局", "demo-02") not in owed and ("省卫健委", "demo-03") in owed
    assert alert_of(tracker, "demo-02", "2027-01-05").level == "yellow"


# ---------------------------------------------------------------- as of


def test_a_past_month_re_renders_identically_after_later_updates(tracker, monkeypatch):
    from yytrack.reports.templates import find_template, render

    record(tracker, monkeypatch, "demo-01", "省卫健委", "推进中", "2026-10-10", progress=40)
    record(tracker, monkeypatch, "demo-02", "省医保局", "推进中", "2026-10-28")
    before = build_context(tracker, "demo", "2026-10", day("2026-10-31"))
    text_before = render(find_template(tracker.root, None, "督导通报", "md"), before)
    # Later: a backdated October update recorded in November, completion, a review, an indicator value.
    record(tracker, monkeypatch, "demo-01", "省民政厅", "推进中", "2026-10-30", recorded="2026-11-02")
    record(tracker, monkeypatch, "demo-03", "省卫健委", "已完成", "2026-11-04", note="完成")
    record(tracker, monkeypatch, "demo-01", "省卫健委", "推进中", "2026-11-05", indicators=["护理型床位占比=60"])
    pin_clock(monkeypatch, "2026-11-06")
    tracker.review("demo-03", "accept", "同意", author=REVIEWER, date=day("2026-11-06"))
    after = build_context(tracker, "demo", "2026-10", day("2026-10-31"))
    assert after == before
    assert render(find_template(tracker.root, None, "督导通报", "md"), after) == text_before
    assert build_context(tracker, "demo", "2026-10", day("2026-11-30")) != before  # a later as-of sees them


# ---------------------------------------------------------------- indicators


def indicator(target=55.0, direction=">=", deadline="2026-12-31", observations=(("2025-12-31", 48.5),)):
    return Indicator("护理型床位占比", target, "%", direction, day(deadline) if deadline else None,
                     tuple(Observation(day(d), v, "示例〔2026〕1号") for d, v in observations))


@pytest.mark.parametrize("kwargs, as_of, state", [
    ({}, "2026-06-01", "not_met"),
    ({}, "2027-01-01", "missed"),
    ({"deadline": None}, "2030-01-01", "not_met"),
    ({"observations": (("2025-12-31", 55.0),)}, "2026-06-01", "met"),
    ({"direction": "<=", "target": 50.0}, "2026-06-01", "met"),
    ({"direction": "<", "target": 48.5}, "2026-06-01", "not_met"),
    ({"direction": ">", "target": 48.5}, "2026-06-01", "not_met"),
    ({"direction": "=", "target": 48.5}, "2026-06-01", "met"),
    ({"observations": ()}, "2026-06-01", "no_data"),
    ({"target": None}, "2026-06-01", "no_target"),
    ({"observations": (("2026-07-01", 60.0),)}, "2026-06-01", "no_data"),  # not yet known on as-of
])
def test_indicator_states(kwargs, as_of, state):
    judged = alerts.indicator_state(indicator(**kwargs), {}, day(as_of))
    assert judged.state == state
    assert judged.label == alerts.INDICATOR_LABELS[state]


def test_indicator_values_reported_by_units_count_with_the_unit_as_source(tracker, monkeypatch):
    record(tracker, monkeypatch, "demo-01", "省民政厅", "推进中", "2026-11-05", indicators=["护理型床位占比=56.5"])
    context = build_context(tracker, "demo", "2026-11", day("2026-11-20"))
    (row,) = context["indicators"]
    assert (row["latest_label"], row["latest_date"], row["source"], row["state_label"]) == (
        "56.5%", "2026-11-05", "省民政厅", "达标")
    earlier = build_context(tracker, "demo", "2026-10", day("2026-10-31"))["indicators"][0]
    assert (earlier["latest_label"], earlier["source"], earlier["state"]) == ("48.5%", "示例〔2026〕1号", "not_met")


# ---------------------------------------------------------------- the bundled plans


def test_bundled_plans_as_of_2026_11_23(tmp_path):
    """Qiubei's 2022 deadlines are overdue, the demonstration project's 公示命名 phase is near, and
    Fujian's 2024 observations show against their indicators."""
    from yytrack import Tracker
    from yytrack.reports.templates import find_template, render
    from yytrack.repo.setup import init_repo

    root, _ = init_repo(str(tmp_path / "跟踪仓库"), ["qiubei", "fujian", "fujian-demo-2025"], "测试员 <tester@example.cn>")
    tracker, as_of = Tracker(root), day("2026-11-23")
    qiubei = build_context(tracker, "qiubei", "2026-11", as_of)
    due_2022 = {m.id for m in tracker.measures("qiubei") if any(d.date.year == 2022 for d in m.deadlines)}
    assert len(due_2022) >= 3
    assert due_2022 <= {r["id"] for r in qiubei["deadlines"]["overdue"]}
    assert all(m["alert"] == "red" and "已逾期" in m["alert_reasons"][0] for m in qiubei["measures"] if m["id"] in due_2022)
    assert qiubei["office"] == "县卫健局"

    demo = build_context(tracker, "fujian-demo-2025", "2026-11", as_of)
    (naming,) = [r for r in demo["deadlines"]["near"] if r["date"] == "2026-11-30"]
    assert naming["short_title"].startswith("公示命名") and naming["days_label"] == "还有 7 天"
    assert next(m for m in demo["measures"] if m["id"] == naming["id"])["alert"] in ("yellow", "red")

    fujian = build_context(tracker, "fujian", "2026-11", as_of)
    seen = {(i["name"], i["latest_value"], i["latest_date"]) for i in fujian["indicators"] if i["id"] == "fujian-02"}
    assert ("65岁及以上老年人城乡社区规范健康管理服务率", 77.72, "2024-06-04") in seen
    assert ("提供家庭病床服务的医疗卫生机构", 372, "2023-12-31") in seen
    row = next(i for i in fujian["indicators"] if i["latest_value"] == 77.72)
    assert (row["latest_label"], row["source"], row["state_label"]) == ("77.72%", "闽卫督函〔2024〕137号", "仅观测")
    for context in (qiubei, demo, fujian):  # every bundled template renders the real plans
        for fmt in ("md", "html"):
            assert context["plan"]["title"] in render(find_template(root, None, "督导通报", fmt), context)


def test_blocked_measure_is_yellow_with_its_reason(tracker):
    """A lead reporting 受阻 must reach the supervisor's attention even when everyone reported on time."""
    from yytrack.reports.alerts import Period, measure_alert

    measure = tracker.get("demo-02")  # recurring: no deadline can colour it
    tracker.update("demo-02", "省医保局", "blocked", note="资金未落实")
    today = dt.date.today()
    state = tracker.state(measure)
    alert = measure_alert(measure, tracker.plan("demo"), state.status, tracker.unit_updates(measure, today),
                          tracker.registry.groups_of, Period(today.year, today.month), today)
    assert state.status == "blocked"
    assert alert.level == "yellow" and alert.reasons[0] == "牵头单位报告受阻，需协调解决"
