"""The shipped plans against the source documents (shared/seeds), checked by hand.

The expectations below were written by reading the seed texts, not the task files:
- no 牵头 in a clause → the first listed unit is the lead (lead_inferred), the rest cooperate;
- a shared prefix goes to the following units (省卫健委、民政厅牵头 → 省卫健委, 省民政厅), but units that
  carry their own place name stay as written (福建银保监局, 厦门市税务局, 团省委);
- national (一) and fujian (一) list the local governments themselves; the later measures get them from
  “以下均需……落实，不再列出” as implied units, kept apart from the listed ones.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from yytrack.repo import files

TASKS = Path(__file__).resolve().parents[1] / "tasks"
NUMBERS = ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）", "（九）", "（十）", "（十一）",
           "（十二）", "（十三）", "（十四）", "（十五）", "（十六）", "（十七）", "（十八）", "（十九）", "（二十）", "（二十一）"]

LOCAL = "地方各级人民政府"
# 国卫老龄发〔2022〕25号: every clause is “……等按职责分工负责”, none names a lead.
# seq: (lead, cooperating, implied)
NATIONAL = {
    1: ("国家卫生健康委", ["工业和信息化部", "国家中医药局", "国家疾控局", LOCAL], []),
    2: ("国家卫生健康委", ["国家发展改革委", "民政部", "财政部", "自然资源部", "住房城乡建设部", "国家中医药局",
                      "国家疾控局", "中国残联"], [LOCAL]),
    3: ("国家卫生健康委", ["国家发展改革委", "民政部", "国家中医药局"], [LOCAL]),
    4: ("民政部", ["国家发展改革委", "国家卫生健康委", "国家中医药局", "国家疾控局"], [LOCAL]),
    5: ("国家发展改革委", ["民政部", "自然资源部", "住房城乡建设部", "国家卫生健康委", "国家医保局", "国家中医药局",
                      "中国残联"], [LOCAL]),
    6: ("国家卫生健康委", ["工业和信息化部", "民政部", "国家中医药局"], [LOCAL]),
    7: ("国家发展改革委", ["国家卫生健康委", "民政部", "市场监管总局", "国家医保局"], [LOCAL]),
    8: ("国家医保局", ["国家卫生健康委", "民政部", "财政部", "银保监会", "国家中医药局"], [LOCAL]),
    9: ("自然资源部", ["住房城乡建设部", "农业农村部", "国家发展改革委", "国家卫生健康委", "民政部"], [LOCAL]),
    10: ("财政部", ["人民银行", "税务总局", "银保监会", "国家卫生健康委", "民政部", "国家医保局", "国家疾控局"], [LOCAL]),
    11: ("教育部", ["人力资源社会保障部", "国家卫生健康委", "民政部", "国家中医药局"], [LOCAL]),
    12: ("国家卫生健康委", ["人力资源社会保障部", "教育部", "财政部", "民政部"], [LOCAL]),
    13: ("人力资源社会保障部", ["国家卫生健康委", "民政部", "国家中医药局", "应急部", "共青团中央"], [LOCAL]),
    14: ("国家卫生健康委", ["民政部", "市场监管总局", "国家疾控局"], [LOCAL]),
    15: ("各相关部门", [], [LOCAL]),
}

CITIES = "各市、县（区）人民政府"
PINGTAN = "平潭综合实验区管委会"
FJ_LOCAL = [CITIES, PINGTAN]
# 闽卫老龄〔2022〕135号. seq: (leads, cooperating, implied, lead_inferred)
FUJIAN = {
    1: (["省卫健委", "省民政厅"], ["省发改委", "省财政厅", "省自然资源厅", "省住建厅", "省残联", CITIES, PINGTAN], [], False),
    2: (["省卫健委"], ["省工信厅", "省民政厅", "省医保局"], FJ_LOCAL, False),
    3: (["省卫健委", "省民政厅"], ["省发改委", "省财政厅", "省人社厅", "省医保局"], FJ_LOCAL, False),
    4: (["省民政厅", "省卫健委"], ["省医保局"], FJ_LOCAL, False),
    5: (["省卫健委"], ["省民政厅"], FJ_LOCAL, False),
    6: (["省卫健委"], ["省民政厅"], FJ_LOCAL, True),  # “省卫健委、民政厅按职责分工落实”: no 牵头
    7: (["省卫健委", "省民政厅"], ["省发改委", "省自然资源厅", "省住建厅", "省医保局", "省残联"], FJ_LOCAL, False),
    8: (["省医保局"], ["省发改委", "省财政厅", "省市场监管局", "省卫健委"], FJ_LOCAL, True),
    9: (["省医保局"], ["省卫健委", "省民政厅", "省财政厅", "福建银保监局", "厦门银保监局"], FJ_LOCAL, True),
    10: (["省自然资源厅"], ["省住建厅", "省民政厅", "省卫健委", "省农业农村厅"], FJ_LOCAL, True),
    11: (["省税务局"], ["厦门市税务局", "省发改委", "省财政厅", "省民政厅"], FJ_LOCAL, True),
    12: (["省教育厅"], ["省卫健委", "省人社厅", "省民政厅", "省应急厅", "团省委"], FJ_LOCAL, True),
    13: (["省卫健委"], ["省人社厅", "省民政厅"], FJ_LOCAL, False),
    14: (["省卫健委", "省民政厅"], ["省市场监管局", "省医保局", "省公安厅"], FJ_LOCAL, False),
    15: (["省卫健委", "省民政厅"], ["省住建厅", "省应急厅", "省市场监管局", "省消防救援总队"], FJ_LOCAL, False),
}

TOWNS = "各乡（镇）人民政府"
INSURERS = "驻丘保险机构"
# 丘政办发〔2021〕104号: no clause names a lead; (二十) and (二十一) list no unit at all.
# seq: (lead, cooperating)
QIUBEI = {
    1: ("县卫健局", ["县医保局", "县民政局", INSURERS]),
    2: ("县民政局", ["县卫健局"]),
    3: ("县发改局", ["县民政局", "县自然资源局", "县住建局", "县卫健局", TOWNS]),
    4: ("县发改局", ["县卫健局", "县民政局", "县自然资源局", "县住建局"]),
    5: ("县民政局", ["县工信商务局", "县卫健局"]),
    6: ("县农科局", ["县文旅局", "县卫健局", "县产业园区管委会", TOWNS]),
    7: ("县发改局", ["县民政局", "县财政局", "县自然资源局", "县住建局", "县卫健局", "县投促局", "县产业园区管委会",
                 TOWNS]),
    8: ("县发改局", ["县民政局", "县住建局", "县卫健局", "县政务服务中心", "县市监局"]),
    9: ("县发改局", ["县民政局", "县财政局", "县自然资源局", "县住建局", "县卫健局", "县市监局", "县政务服务中心",
                 "县税务局", INSURERS, TOWNS]),
    10: ("县民政局", ["县卫健局", "县消防救援大队"]),
    11: ("县发改局", ["县财政局", "县工信商务局", "县市监局", "县自来水公司", "县税务局", "县电力公司"]),
    12: ("县民政局", ["县财政局", "县卫健局"]),
    13: ("县发改局", ["县自然资源局", "县工信商务局", "县民政局", "县财政局", "县住建局", "县农科局", "县卫健局",
                  "县教体局", TOWNS]),
    14: ("县民政局", ["县卫健局", "人行丘北县支行"]),
    15: ("县发改局", ["县市监局"]),
    16: ("县医保局", ["县卫健局", "县民政局", INSURERS]),
    17: ("县卫健局", ["县民政局", "县财政局", "县人社局", "县教体局", "团县委", "县妇联", "县总工会", "县红十字会"]),
    18: ("县民政局", ["县财政局", "县人社局", "县卫健局", INSURERS]),
    19: ("县发改局", ["县财政局", "县人社局", "县卫健局", "县医保局"]),
    20: (None, []),
    21: (None, []),
}


def expected_rows(plan):
    """seq → (number, leads, cooperating, implied, lead_inferred), from the tables above."""
    if plan == "national":
        return {seq: (NUMBERS[seq - 1], (lead,), tuple(coop), tuple(implied), True)
                for seq, (lead, coop, implied) in NATIONAL.items()}
    if plan == "fujian":
        return {seq: (NUMBERS[seq - 1], tuple(leads), tuple(coop), tuple(implied), inferred)
                for seq, (leads, coop, implied, inferred) in FUJIAN.items()}
    return {seq: (NUMBERS[seq - 1], (lead,) if lead else (), tuple(coop), (), lead is not None)
            for seq, (lead, coop) in QIUBEI.items()}


def measures_of(plan):
    folder = TASKS / plan
    if not (folder / files.PLAN_FILE).is_file():
        pytest.fail(f"tasks/{plan}/ 还没有方案文件")
    return {m.id: m for m in files.read_measures(folder, plan)}


@pytest.mark.parametrize("plan, count", [("national", 15), ("fujian", 15), ("qiubei", 21)])
def test_every_measure_of_the_seed_is_there(plan, count):
    assert sorted(measures_of(plan)) == [f"{plan}-{seq:02d}" for seq in range(1, count + 1)]


@pytest.mark.parametrize("plan", ["national", "fujian", "qiubei"])
def test_units_and_numbers_match_the_seed(plan):
    loaded = measures_of(plan)
    wrong = {}
    for seq, expected in expected_rows(plan).items():
        measure = loaded.get(f"{plan}-{seq:02d}")
        actual = None if measure is None else (measure.number, measure.lead_units, measure.cooperating_units,
                                              measure.implied_units, measure.lead_inferred)
        if actual != expected:
            wrong[f"{plan}-{seq:02d}"] = {"expected": expected, "actual": actual}
    assert wrong == {}


# ---------------------------------------------------------------- 闽卫老龄函〔2025〕714号


DEMO = "fujian-demo-2025"
PHASES = {  # seq: (number, title, start, deadline, leads, cooperating)
    1: ("（一）", "创建准备（2025年8月—2025年9月）", "2025-08-01", "2025-09-30", ("各申报单位",),
        ("各设区市卫健委", "各县（市、区）卫生健康行政部门")),
    2: ("（二）", "自评申报（2025年10月—2025年11月）", "2025-10-01", "2025-11-30", ("各申报单位",), ("各设区市卫健委",)),
    3: ("（三）", "审核推荐（2025年12月—2026年3月）", "2025-12-01", "2026-03-31", ("省卫健委",), ("各申报单位",)),
    4: ("（四）", "评估验收（2026年4月—2026年7月）", "2026-04-01", "2026-07-31", ("国家卫生健康委",), ("省卫健委",)),
    5: ("（五）", "公示命名（2026年8月—2026年11月）", "2026-08-01", "2026-11-30", ("国家卫生健康委",), ("省卫健委",)),
}


def day(text):
    return dt.date.fromisoformat(text)


def test_demo_plan_is_the_2025_notice():
    plan = files.read_plan(TASKS / DEMO)
    assert (plan.id, plan.doc_number, plan.issuer, plan.issued) == (
        DEMO, "闽卫老龄函〔2025〕714号", "福建省卫生健康委员会", day("2025-08-07"))
    assert plan.title == "关于组织开展第二批全国医养结合示范项目创建工作的通知"
    assert (plan.parent, plan.supervisor, plan.cycle, plan.due_day) == ("", "省卫健委老龄处", "monthly", 25)


@pytest.mark.parametrize("seq", sorted(PHASES))
def test_demo_phases_follow_the_work_schedule(seq):
    number, title, start, deadline, leads, cooperating = PHASES[seq]
    measure = measures_of(DEMO)[f"{DEMO}-{seq:02d}"]
    assert (measure.number, measure.section, measure.title) == (number, "二、工作安排", title)
    assert (measure.start, measure.final_deadline) == (day(start), day(deadline))
    assert (measure.lead_units, measure.cooperating_units, measure.lead_inferred) == (leads, cooperating, True)
    assert measure.text and "。" in measure.text


def test_demo_submission_deadline_of_the_city_health_commissions():
    measure = measures_of(DEMO)[f"{DEMO}-02"]
    submission = [d for d in measure.deadlines if "推荐函" in d.what]
    assert [d.date for d in submission] == [day("2025-11-30")]
    assert "省卫健委老龄处" in submission[0].what


def _indicators(measure):
    return {i.name: (i.target, i.unit, i.direction, i.deadline) for i in measure.indicators}


def test_demo_targets_three_counties_and_two_institutions():
    assert _indicators(measures_of(DEMO)[f"{DEMO}-05"]) == {
        "全国医养结合示范县（市、区）": (3, "个", ">=", day("2026-11-30")),
        "全国医养结合示范机构": (2, "个", ">=", day("2026-11-30")),
    }


def test_demo_institution_thresholds():
    assert _indicators(measures_of(DEMO)[f"{DEMO}-02"]) == {
        "医疗机构和养老机构运营年限": (5, "年", ">=", day("2026-03-31")),
        "近2年入住率": (65, "%", ">=", None),
        "入住失能、失智老年人占比": (65, "%", ">", None),
        "入住老年人及家属满意度": (95, "%", ">=", None),
    }


def test_demo_files_point_editors_at_their_schemas():
    for path in sorted((TASKS / DEMO).glob("*.yaml")):
        kind = "plan" if path.name == files.PLAN_FILE else "measure"
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../schema/{kind}.schema.json", path.name


# ---------------------------------------------------------------- 闽卫督函〔2024〕137号 (the 2024 reply)


def test_2024_reply_observations_are_on_fujian_02():
    measure = measures_of("fujian")["fujian-02"]
    values = {o.value for i in measure.indicators for o in i.observations}
    assert {77.72, 372, 50.67, 83.38} <= values
    sources = {o.source for i in measure.indicators for o in i.observations if o.value in (77.72, 372, 50.67, 83.38)}
    assert all("137号" in s for s in sources), sources


def test_2024_reply_goal_is_on_fujian_03():
    measure = measures_of("fujian")["fujian-03"]
    goals = [i for i in measure.indicators if i.deadline == day("2025-12-31") and i.target is not None]
    assert goals, measure.indicators
