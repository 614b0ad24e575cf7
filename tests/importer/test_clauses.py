"""Responsibility clauses, deadlines and targets, on small samples written for the purpose."""

from __future__ import annotations

import datetime as dt

import pytest

from yytrack.importer.clauses import ClauseUnits, distribute, find_forward, parse_clause, split_clause
from yytrack.importer.dates import find_dates, find_targets
from yytrack.importer.document import UnitResolver
from yytrack.model import Unit


def units(clause: ClauseUnits):
    return list(clause.lead), list(clause.cooperating), clause.lead_inferred


# ---------------------------------------------------------------- the clause forms


def test_lead_part_and_cooperating_part_with_shared_prefix():
    body, content = split_clause("支持建设老年医院。〔责任单位：省卫健委、民政厅牵头，省发改委、财政厅按职责分工落实〕")
    assert body == "支持建设老年医院。"
    assert units(parse_clause(content)) == (["省卫健委", "省民政厅"], ["省发改委", "省财政厅"], False)


def test_no_lead_marked_takes_the_first_listed_as_lead():
    _, content = split_clause("开展试点。（责任单位：县卫健局、医保局、民政局，驻丘保险机构）")
    assert units(parse_clause(content)) == (["县卫健局"], ["县医保局", "县民政局", "驻丘保险机构"], True)


def test_unlabelled_national_clause_keeps_names_as_written_and_drops_deng():
    body, content = split_clause("推进信息化建设。（国家卫生健康委、工业和信息化部、国家中医药局等按职责分工负责）")
    assert body == "推进信息化建设。"
    assert units(parse_clause(content)) == (["国家卫生健康委"], ["工业和信息化部", "国家中医药局"], True)


def test_separate_lead_and_responsible_lines():
    clause = parse_clause("牵头单位：区发改局；责任单位：各街道、区直各部门")
    assert units(clause) == (["区发改局"], ["各街道", "区直各部门"], False)


def test_lead_then_cooperate_phrasing():
    clause = parse_clause("省卫健委牵头，省民政厅、医保局配合")
    assert units(clause) == (["省卫健委"], ["省民政厅", "省医保局"], False)


def test_responsible_line_alone_infers_the_lead():
    assert units(parse_clause("责任单位：区卫健局、民政局")) == (["区卫健局"], ["区民政局"], True)


def test_local_governments_responsible_for_implementation_are_cooperating():
    clause = parse_clause("国家卫生健康委、国家疾控局等按职责分工负责，地方各级人民政府负责落实。"
                          "以下均需地方各级人民政府落实，不再列出")
    assert units(clause) == (["国家卫生健康委"], ["国家疾控局", "地方各级人民政府"], True)
    assert clause.forward == ("地方各级人民政府",)
    assert clause.forward_text == "以下均需地方各级人民政府落实，不再列出"


# ---------------------------------------------------------------- prefixes


@pytest.mark.parametrize("written, expected", [
    ("省卫健委、民政厅", ["省卫健委", "省民政厅"]),
    ("省医保局、卫健委、福建银保监局、厦门银保监局", ["省医保局", "省卫健委", "福建银保监局", "厦门银保监局"]),
    ("省税务局、厦门市税务局、省发改委、财政厅", ["省税务局", "厦门市税务局", "省发改委", "省财政厅"]),
    ("省税务局、厦门市税务局、财政厅", ["省税务局", "厦门市税务局", "省财政厅"]),  # a proper name keeps the prefix going
    ("省教育厅、应急厅、团省委", ["省教育厅", "省应急厅", "团省委"]),
    ("省医保局、市场监管局", ["省医保局", "省市场监管局"]),  # 市场 is no place
    ("县发改局、市监局", ["县发改局", "县市监局"]),
    ("县卫健局、人社局、县教体局", ["县卫健局", "县人社局", "县教体局"]),
    ("县民政局、人行丘北县支行、驻丘保险机构", ["县民政局", "人行丘北县支行", "驻丘保险机构"]),
    ("团县委、县妇联、总工会", ["团县委", "县妇联", "县总工会"]),
    ("国家卫生健康委、工业和信息化部、中国残联、共青团中央", ["国家卫生健康委", "工业和信息化部", "中国残联", "共青团中央"]),
    ("省卫健委、平潭综合实验区管委会", ["省卫健委", "平潭综合实验区管委会"]),
    ("县农科局、产业园区管委会", ["县农科局", "县产业园区管委会"]),  # 园区 is no place name
    ("各市、县（区）人民政府", ["各市、县（区）人民政府"]),
    ("国家发展改革委、民政部等", ["国家发展改革委", "民政部"]),
])
def test_shared_prefix_distribution(written, expected):
    assert distribute(written) == expected


def test_prefix_does_not_cross_into_a_comma_separated_list():
    clause = parse_clause("责任单位：县发改局、卫健局，投促局、产业园区管委会，各乡（镇）人民政府")
    assert list(clause.cooperating) == ["县卫健局", "投促局", "产业园区管委会", "各乡（镇）人民政府"]


def test_resolver_uses_aliases_then_the_documents_usual_prefix():
    registry = [Unit("县税务局", aliases=("税务局",)), Unit("县投促局"), Unit("省卫健委", full_name="福建省卫生健康委员会")]
    resolver = UnitResolver(registry, document_prefix="县")
    assert resolver.resolve("税务局") == ("县税务局", True)
    assert resolver.resolve("投促局") == ("县投促局", True)  # no alias: 县 + name is in the registry
    assert resolver.resolve("福建省卫生健康委员会") == ("省卫健委", True)
    assert resolver.resolve("县档案局") == ("县档案局", False)
    assert UnitResolver(registry).resolve("投促局") == ("投促局", False)


# ---------------------------------------------------------------- clauses reaching beyond one measure


@pytest.mark.parametrize("text, expected", [
    ("以下均需各市、县（区）人民政府，平潭综合实验区管委会落实，不再列出", ["各市、县（区）人民政府", "平潭综合实验区管委会"]),
    ("地方各级人民政府负责落实。以下均需地方各级人民政府落实，不再列出", ["地方各级人民政府"]),
    ("具体任务均涉及各街道、区直各部门，不再做分工，下同", ["各街道", "区直各部门"]),
    ("支持为失能（含失智，下同）老年人提供服务", []),  # 下同 alone assigns nobody
])
def test_forward_assignments(text, expected):
    assert find_forward(text)[0] == expected


@pytest.mark.parametrize("text", [
    "为居家失能（含失智，下同）老年人提供服务。",
    "认真贯彻落实《通知》（国卫办老龄发〔2019〕17号）。",
    "建立双向转诊机制（与医联体内的牵头医院）",
    "积极推进按病种分组付费（DIP）",
])
def test_brackets_that_are_not_clauses_stay_in_the_text(text):
    assert split_clause(text) == (text, None)


def test_clause_with_trailing_full_stop_and_nested_brackets():
    body, content = split_clause("加强建设。（责任单位：县发改局，各乡（镇）人民政府）。")
    assert (body, content) == ("加强建设。", "责任单位：县发改局，各乡（镇）人民政府")


# ---------------------------------------------------------------- deadlines


def dates(text, year=None):
    return [(d.start, d.deadline) for d in find_dates(text, year)]


def day(text):
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize("text, year, expected", [
    ("到2022年，在1个社区开展家庭病床服务试点。", None, [(None, day("2022-12-31"))]),
    ("力争到2025年全面建成。", None, [(None, day("2025-12-31"))]),
    ("2023年底前建成一批示范点。", None, [(None, day("2023-12-31"))]),
    ("6月底前完成自查。", 2024, [(None, day("2024-06-30"))]),
    ("6月底前完成自查。", None, []),  # without the document's year there is no date
    ("2023年9月底前报送。", None, [(None, day("2023-09-30"))]),
    ("请于2025年11月30日前报送。", None, [(None, day("2025-11-30"))]),
    ("创建准备（2025年8月—2025年9月）。", None, [(day("2025-08-01"), day("2025-09-30"))]),
    ("审核推荐（2025年12月—2026年3月）。", None, [(day("2025-12-01"), day("2026-03-31"))]),
    ("工作时间为2025年至2026年。", None, [(day("2025-01-01"), day("2026-12-31"))]),
    ("长期坚持。", None, []),
    ("持续推进医养结合机构服务质量提升行动。", None, []),
    ("截至2023年底，全省常住人口签约率50.67%。", None, []),  # an as-of date, not a deadline
    ("运营年限计算时间截至2026年3月31日。", None, []),
])
def test_deadlines(text, year, expected):
    assert dates(text, year) == expected


def test_deadline_says_what_is_due():
    found = find_dates("在县中医医院开设老年病科基础上，到2022年全县二级以上综合医院开设老年病科比例力争达到100%。")
    assert found[0].what == "到2022年全县二级以上综合医院开设老年病科比例力争达到100%"


# ---------------------------------------------------------------- targets


@pytest.mark.parametrize("text, expected", [
    ("65岁及以上老年人健康管理率达70%以上。", [("65岁及以上老年人健康管理率", 70, "%", ">=")]),
    ("到2022年，实现所有养老机构和当地医疗卫生机构100%签约合作。",
     [("所有养老机构和当地医疗卫生机构签约合作", 100, "%", ">=")]),
    ("地区生产总值增长6.2%左右。", [("地区生产总值增长", 6.2, "%", "=")]),
    ("医疗机构和养老机构运营均满5年及以上。", [("医疗机构和养老机构运营", 5, "年", ">=")]),
    ("平均住院日不超过10天，空置率低于5%。", [("平均住院日", 10, "天", "<="), ("空置率", 5, "%", "<")]),
    ("入住失能老年人占比超过65%。", [("入住失能老年人占比", 65, "%", ">")]),
    ("确定1家县级综合医疗机构。医保经办机构应当在30个工作日内完成。", []),  # bare counts are no targets
    ("截至2023年底，全省常住人口签约率50.67%。", []),
])
def test_targets(text, expected):
    found = [(i["name"], i["target"], i["unit"], i["direction"]) for i in find_targets(text)]
    assert found == expected


def test_target_takes_the_deadline_of_its_sentence():
    [indicator] = find_targets("到2022年全县二级以上综合医院开设老年病科比例力争达到100%。其他工作长期坚持。")
    assert indicator == {"name": "全县二级以上综合医院开设老年病科比例", "target": 100, "unit": "%",
                         "direction": ">=", "deadline": "2022-12-31"}
