"""Which level is the measure, per branch; sub-items; clauses that belong to no measure; tables in text;
deadlines as documents state them."""

from __future__ import annotations

import datetime as dt

import pytest

from yytrack.importer.dates import find_dates
from yytrack.importer.document import parse_document


def measures(text: str):
    result = parse_document(text, "s")
    return result, [(m["number"], m["title"], m["lead_units"], m["cooperating_units"]) for m in result.measures]


def test_numbered_items_under_paren_headings_are_the_measures():
    result, found = measures("一、优化环境\n（一）破除准入壁垒\n1.落实负面清单制度。（省发改委牵头，省商务厅配合）\n"
                             "2.整治招投标领域。（省住建厅负责）\n（二）落实公平竞争\n3.强化审查。（省市场监管局负责）\n")
    assert found == [("1.", "落实负面清单制度", ["省发改委"], ["省商务厅"]), ("2.", "整治招投标领域", ["省住建厅"], []),
                     ("3.", "强化审查", ["省市场监管局"], [])]
    assert [m["section"] for m in result.measures] == ["（一）破除准入壁垒", "（一）破除准入壁垒", "（二）落实公平竞争"]


def test_mixed_levels_are_decided_per_branch():
    _, found = measures("一、民生\n（一）提升养老服务。新建站点3个。（区民政局牵头，区财政局配合）\n二、城建\n（二）老旧小区改造\n"
                        "1.完成12个小区改造。（责任单位：区住建局，各街道）\n2.整治背街小巷。（区城管局牵头）\n")
    assert [f[:2] for f in found] == [("（一）", "提升养老服务"), ("1.", "完成12个小区改造"), ("2.", "整治背街小巷")]
    assert found[1][2:] == (["区住建局"], ["各街道"])


def test_sub_items_with_one_clause_after_them_stay_in_the_measure():
    _, found = measures("一、任务\n1.推进一网通办。具体包括：\n（1）完善平台；\n（2）推动掌上办；\n（3）推行电子证照；\n（4）建立好差评。\n"
                        "（责任单位：市政数局、市大数据中心）\n2.深化审批改革。（市住建局牵头）\n")
    assert found == [("1.", "推进一网通办", ["市政数局"], ["市大数据中心"]), ("2.", "深化审批改革", ["市住建局"], [])]
    result, _ = measures("一、任务\n1.推进一网通办。具体包括：\n（1）完善平台；\n（2）推动掌上办。\n（责任单位：市政数局）\n")
    assert "（2）推动掌上办" in result.measures[0]["text"]


def test_items_with_their_own_clauses_inside_a_measure_are_measures_too():
    result, found = measures("一、任务\n（一）加大财政支持。统筹各类资金。（省财政厅负责）\n具体措施：\n"
                             "1.设立专项资金。（省财政厅牵头，省发改委配合）\n2.落实贴息政策。（省财政厅、人民银行福州中心支行负责）\n")
    assert [f[0] for f in found] == ["（一）", "1.", "2."]
    assert found[2][2:] == (["省财政厅"], ["人民银行福州中心支行"])


def test_a_section_carrying_its_own_clause_is_a_measure():
    result = parse_document("一、任务\n（一）做好甲。（市发改委负责）\n二、强化督查\n各地要抓好落实。\n"
                            "（市政府督查室牵头，市直各部门配合）\n", "s")
    assert result.measures[1]["number"] == "二、" and result.measures[1]["lead_units"] == ["市政府督查室"]


def test_a_clause_outside_every_measure_is_a_warning():
    result = parse_document("为抓好落实，制定本方案。（市政府督查室牵头，市直各部门配合）\n一、任务\n"
                            "（一）做好甲。（市发改委负责）\n", "s")
    assert any("没有归入任何措施" in n and "市政府督查室" in n for n in result.notices)
    assert {"measure": None, "message": result.notices[0]} in result.warnings


def test_uncertain_measures_are_listed_for_review():
    result = parse_document("一、任务\n（一）做好甲。（市发改委负责）\n（二）做好乙。\n（三）做好丙。\n督导组：市政府督查室\n", "s")
    assert set(result.review) == {"s-02", "s-03"}
    assert "督导组" in result.review["s-03"]


def test_pipe_and_tab_tables_in_text_become_one_measure_per_row():
    text = ("某某市2023年任务分工\n序号 | 重点任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限\n"
            "1 | 扩大投资 | 加快债券发行 | 市财政局 | 市发改委 | 2023年6月底\n"
            "2 | 扩大投资 | 推进项目开工 | 市发改委 | 市自然资源局、市生态环境局 | 2023年底前\n")
    result, found = measures(text)
    assert found == [("1.", "加快债券发行", ["市财政局"], ["市发改委"]),
                     ("2.", "推进项目开工", ["市发改委"], ["市自然资源局", "市生态环境局"])]
    tabbed, _ = measures(text.replace(" | ", "\t"))
    assert [m["deadlines"] for m in tabbed.measures] == [m["deadlines"] for m in result.measures]
    assert [d["date"] for m in result.measures for d in m["deadlines"]] == ["2023-06-30", "2023-12-31"]


def test_the_measures_own_time_limit_beats_a_date_in_its_text():
    result = parse_document("一、任务\n（一）完成改造，2023年底前全部完工。\n牵头单位：市住建局\n完成时限：2023年6月底\n", "s")
    assert [d["date"] for d in result.measures[0]["deadlines"]] == ["2023-06-30"]


@pytest.mark.parametrize("text, deadlines", [
    ("政策执行期为2021年7月1日至12月31日。", [dt.date(2021, 12, 31)]),
    ("政策实施期限至2022年12月31日。", [dt.date(2022, 12, 31)]),
    ("2023年6月底前完成。", [dt.date(2023, 6, 30)]),
    ("2024年第三季度完成。", [dt.date(2024, 9, 30)]),
    ("四季度前完成。", [dt.date(2023, 12, 31)]),
    ("力争年底前完成。", [dt.date(2023, 12, 31)]),
    ("2023年上半年完成。", [dt.date(2023, 6, 30)]),
    ("9月中旬前完成。", [dt.date(2023, 9, 20)]),
    ("长期坚持。", []),
    ("持续推进。", []),
    ("五年内继续按原用途使用土地。", []),
])
def test_deadline_wordings(text, deadlines):
    assert [d.deadline for d in find_dates(text, 2023)] == deadlines


def test_ongoing_measures_are_recorded():
    result = parse_document("一、任务\n（一）开展赛事活动。（市体育局负责）\n完成时限：持续推进\n", "s")
    assert result.measures[0]["deadlines"] == [] and result.measures[0]["ongoing"] is True
