"""Clause wording in the wild: label variants, persons, rule clauses, nested brackets, 等 tails, fragments."""

from __future__ import annotations

import pytest

from yytrack.importer.clauses import find_forward, first_listed_leads, parse_clause
from yytrack.importer.units import distribute, is_fragment


def read(content: str, first_leads: bool = False):
    clause = parse_clause(content, first_leads)
    return list(clause.lead), list(clause.cooperating), clause.lead_inferred


@pytest.mark.parametrize("content, lead, cooperating", [
    ("牵头责任单位：市教育局、市体育局；主要协作单位：市财政局、市卫健委", ["市教育局", "市体育局"], ["市财政局", "市卫健委"]),
    ("牵头部门：省卫生健康委；配合部门：省发展改革委、财政厅", ["省卫生健康委"], ["省发展改革委", "省财政厅"]),
    ("牵头单位：区发改局 协办单位：区财政局、区统计局", ["区发改局"], ["区财政局", "区统计局"]),
    ("主责单位：县应急局；参与单位：县消防救援大队", ["县应急局"], ["县消防救援大队"]),
    ("部门分工：省商务厅牵头，各市、省直有关部门配合。", ["省商务厅"], ["各市", "省直有关部门"]),
    ("责任分工：市住建局牵头负责，市城管局协助", ["市住建局"], ["市城管局"]),
])
def test_label_variants_give_lead_and_cooperating(content, lead, cooperating):
    assert read(content) == (lead, cooperating, False)


@pytest.mark.parametrize("content, leaders", [
    ("分管省领导：张三；牵头单位：省发改委", ["张三"]),
    ("责任领导：李四、王五\n牵头单位：省发改委", ["李四", "王五"]),
    ("牵头单位：省发改委；分管市领导：赵六", ["赵六"]),
])
def test_persons_are_leaders_not_units(content, leaders):
    clause = parse_clause(content)
    assert list(clause.leaders) == leaders and list(clause.lead) == ["省发改委"] and not clause.cooperating


@pytest.mark.parametrize("rule", ["列第一位者为牵头单位，下同", "排在第一位的为牵头单位", "排名第一的单位为牵头单位",
                                  "第一个单位为牵头单位", "各项任务中位列首位的为牵头单位"])
def test_first_listed_rule_is_a_rule_not_a_unit_and_makes_the_lead_explicit(rule):
    assert first_listed_leads(rule)
    assert read(f"省发改委、省财政厅、省工信厅负责，{rule}") == (["省发改委"], ["省财政厅", "省工信厅"], False)
    assert read("省发改委、省财政厅负责", first_leads=True) == (["省发改委"], ["省财政厅"], False)
    assert read("省发改委、省财政厅负责") == (["省发改委"], ["省财政厅"], True)


@pytest.mark.parametrize("sentence, units", [
    ("以下措施均需各区政府、开发区管委会落实，不再单独列出", ["各区政府", "开发区管委会"]),
    ("以下各项任务均需各市、县（区）人民政府负责落实，不再一一列出", ["各市、县（区）人民政府"]),
    ("以下均需各乡（镇）人民政府〈含经济开发区管委会，下同〉落实，不再列出", ["各乡（镇）人民政府"]),
    ("以下任务均由各县（市、区）政府组织实施，不再重复列出", ["各县（市、区）政府"]),
])
def test_forward_clauses_in_their_wordings(sentence, units):
    assert find_forward(sentence)[0] == units


@pytest.mark.parametrize("chunk, names", [
    ("各县（市）人民政府〈含高新区管委会，下同〉", ["各县（市）人民政府"]),
    ("各县（市、区）人民政府（含开发区）、市发改委", ["各县（市、区）人民政府", "市发改委"]),
    ("省财政厅、发改委等有关部门和单位", ["省财政厅", "省发改委"]),
    ("省发改委、税务局等省直相关部门及各地", ["省发改委", "省税务局"]),
    ("市住建局、市自然资源局等", ["市住建局", "市自然资源局"]),
    ("省地方金融监管局、人民银行福州中心支行、福建银保监局", ["省地方金融监管局", "人民银行福州中心支行", "福建银保监局"]),
    ("各市、省直有关部门", ["各市", "省直有关部门"]),
    ("各市、县（区）人民政府", ["各市、县（区）人民政府"]),
])
def test_unit_lists_keep_brackets_and_drop_tails(chunk, names):
    assert distribute(chunk) == names


def test_a_clause_with_a_bracket_holding_a_comma_is_one_unit():
    clause = parse_clause("各县（市）人民政府〈含高新区管委会，下同〉、市发改委负责")
    assert list(clause.lead) == ["各县（市）人民政府"] and list(clause.cooperating) == ["市发改委"]


@pytest.mark.parametrize("name", ["列第一位者为牵头单位", "不再单独列出", "按职责分工负责", "下同", "省发改委牵头", "以下各项"])
def test_fragments_are_recognised(name):
    assert is_fragment(name)


def test_unknown_labels_and_fragments_are_unread_not_units():
    clause = parse_clause("督查组：市政府督查室；牵头单位：市发改委")
    assert list(clause.unread) == ["督查组：市政府督查室"] and list(clause.lead) == ["市发改委"]


def test_provincial_work_report_split_with_leaders_and_small_stops():
    from yytrack.importer.document import parse_document

    result = parse_document("一、主要预期目标\n1﹒全省生产总值增长7%以上。\n牵头负责领导:刘某。\n牵头责任单位:省发展改革委。\n"
                            "协同责任单位:省财政厅、省林业局等。\n2﹒一般公共预算收入增长7%左右。\n分管省领导:陈某\n"
                            "部门分工:省财政厅牵头,各地、各部门配合。\n", "s")
    assert [(m["number"], m["lead_units"], m["cooperating_units"], m["leaders"]) for m in result.measures] == [
        ("1.", ["省发展改革委"], ["省财政厅", "省林业局"], ["刘某"]), ("2.", ["省财政厅"], ["各地", "各部门"], ["陈某"])]


def test_xiatong_forward_clause_covers_its_own_measure_and_the_following():
    from yytrack.importer.document import parse_document

    result = parse_document("一、任务\n(一)加强市场体系建设。推进建设。〔责任单位:省发展改革委、商务厅按职责分工负责。"
                            "具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕\n(二)优化准入环境。推行改革。〔责任单位:省市场监管局〕\n",
                            "s")
    assert [m["implied_units"] for m in result.measures] == [["相关市（州）人民政府"]] * 2
    assert result.measures[0]["cooperating_units"] == ["省商务厅"]


def test_a_date_inside_a_clause_is_the_time_limit_not_a_unit():
    from yytrack.importer.document import parse_document

    clause = parse_clause("工业和信息化部、财政部等按职责分工负责，2022年底前完成")
    assert list(clause.lead + clause.cooperating) == ["工业和信息化部", "财政部"]
    assert list(clause.timing) == ["2022年底前完成"] and not clause.unread
    result = parse_document("一、任务\n（一）推进甲。建设平台，2025年底前全面推开。（工业和信息化部、财政部等按职责分工负责，"
                            "2022年底前完成）\n", "s")
    assert [d["date"] for d in result.measures[0]["deadlines"]] == ["2022-12-31"]
    assert result.new_units == ["工业和信息化部", "财政部"]
