"""yytrack.checks: every failure mode is found at its line, and nothing makes the checks raise.

Each folder under fixtures/check/ is the same small tracking tree (`valid`) with one breakage.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yytrack.checks.framework import Problem
from yytrack.checks.runner import run_checks
from yytrack.model import DIRECTION_SYMBOLS, Measure, Plan, Unit

HERE = Path(__file__).resolve().parents[1]  # tests/
CHECK_FIXTURES = HERE / "fixtures" / "check"
PROJECT = HERE.parent
SCHEMAS = PROJECT / "tasks" / "schema"

M1 = "tasks/demo/demo-01.yaml"
M2 = "tasks/demo/demo-02.yaml"
UNITS = "tasks/units.yaml"
RECORD = "progress/demo/demo-01/省卫健委.yaml"

# mode → every problem expected, as (the exact "path:line: 错误：" start, words the message must contain)
EXPECTED = {
    "yaml_syntax": [(f"{M2}:6: 错误：", "YAML 格式错误")],
    "not_mapping": [(f"{M2}:1: 错误：", "顶层应为键值映射")],
    "missing_key": [(f"{M2}:1: 错误：", "缺少必填字段 title")],
    "wrong_type": [(f"{M2}:3: 错误：", "seq 应为整数")],
    "unknown_key": [(f"{M2}:12: 警告：", "未知字段 lead_unit")],
    "bad_direction": [(f"{M1}:23: 错误：", "direction 的值“≥”无效")],
    "bad_status": [(f"{RECORD}:9: 错误：", "status 的值“finished”无效")],
    "bad_level": [(f"{UNITS}:8: 错误：", "level 的值“省级”无效")],
    "duplicate_id": [(f"{M2}:1: 错误：", "与文件名 demo-02.yaml 不一致"),
                     (f"{M2}:1: 错误：", "“demo-01”重复，已用于 tasks/demo/demo-01.yaml")],
    "id_filename": [(f"{M2}:1: 错误：", "“demo-03”与文件名 demo-02.yaml 不一致")],
    "id_plan": [("tasks/demo/other-02.yaml:1: 错误：", "与所属方案 demo 不符")],
    "plan_id": [("tasks/demo/plan.yaml:1: 错误：", "方案 id “demo-plan”与所在目录名 demo 不一致")],
    "bad_parent": [("tasks/demo/plan.yaml:5: 错误：", "上级方案“national”不存在")],
    "unknown_unit": [(f"{M2}:11: 错误：", "单位“省财政厅”不在单位名录")],
    "alias_used": [(f"{M2}:10: 警告：", "“福建省卫健委”是“省卫健委”的别名")],
    "unit_twice": [(f"{M2}:11: 错误：", "单位“省民政厅”在本措施中重复列出（第8行已列出）")],
    "no_responsible_unit": [(f"{M2}:7: 警告：", "没有责任单位")],
    "bad_date": [(f"{M1}:24: 错误：", "日期“2026-02-30”不存在")],
    "bad_date_format": [(f"{M1}:17: 错误：", "日期“2026/11/01”格式不对")],
    "deadline_before_start": [(f"{M1}:17: 错误：", "截止日期 2025-12-31 早于开始日期 2026-01-01")],
    "broken_implements": [(f"{M2}:13: 错误：", "“national-03”不存在")],
    "unregistered_member": [(f"{UNITS}:13: 错误：", "成员单位“厦门市人民政府”不在单位名录中")],
    "alias_clash": [(f"{UNITS}:8: 错误：", "“福建省卫健委”同时指“省卫健委”（第4行）和“省民政厅”")],
    "progress_unknown_measure": [("progress/demo/demo-09/省卫健委.yaml:3: 错误：", "所属措施“demo-09”不存在")],
    "progress_unknown_unit": [("progress/demo/demo-01/省财政厅.yaml:4: 错误：", "单位“省财政厅”（文件名）不在单位名录")],
    "progress_unit_mismatch": [(f"{RECORD}:4: 错误：", "unit: 省民政厅 与文件名 省卫健委.yaml 不一致")],
    "progress_not_responsible": [("progress/demo/demo-02/福州市人民政府.yaml:4: 警告：", "不是措施 demo-02 的责任单位")],
    "config_unknown_unit": [("tasks/config.yaml:5: 错误：", "单位“省财政厅”不在单位名录中")],
    "conflict_markers": [(f"{M2}:5: 错误：", "合并冲突标记")],
}


def lines_of(problems):
    return [str(p) for p in problems]


def test_every_fixture_folder_has_an_expectation():
    folders = {p.name for p in CHECK_FIXTURES.iterdir() if p.is_dir()}
    assert folders == set(EXPECTED) | {"valid"}


def test_the_valid_tree_has_no_problem():
    assert lines_of(run_checks(CHECK_FIXTURES / "valid")) == []


@pytest.mark.parametrize("mode", sorted(EXPECTED))
def test_each_breakage_is_reported_at_its_line(mode):
    found = lines_of(run_checks(CHECK_FIXTURES / mode))
    expected = EXPECTED[mode]
    for start, words in expected:
        assert any(line.startswith(start) and words in line for line in found), (start, words, found)
    assert len(found) == len(expected), found  # the one breakage, nothing besides


def test_problem_prints_like_a_compiler_message():
    assert str(Problem("tasks/a.yaml", 3, "缺少必填字段 title")) == "tasks/a.yaml:3: 错误：缺少必填字段 title"
    assert str(Problem("tasks/a.yaml", 7, "未知字段 x", "warning")) == "tasks/a.yaml:7: 警告：未知字段 x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        Problem("a", 1, "m").line = 2


def test_problems_come_sorted_by_path_then_line(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(CHECK_FIXTURES / "valid", root)
    measure = root / M1
    text = measure.read_text(encoding="utf-8")
    text = text.replace("direction: '>='", "direction: ≥").replace("seq: 1", "seq: 一")
    measure.write_text(text, encoding="utf-8")
    (root / UNITS).write_text("units: 5\n", encoding="utf-8")
    problems = run_checks(root)
    assert [(p.path, p.line) for p in problems] == sorted((p.path, p.line) for p in problems)
    assert {p.path for p in problems} == {M1, UNITS}


def test_a_missing_units_file_is_one_problem_not_one_per_unit(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(CHECK_FIXTURES / "valid", root)
    (root / UNITS).unlink()
    assert lines_of(run_checks(root)) == [f"{UNITS}:1: 错误：缺少单位名录 tasks/units.yaml，无法核对责任单位"]


def test_a_folder_without_tasks_is_reported(tmp_path):
    assert lines_of(run_checks(tmp_path)) == ["tasks:1: 错误：找不到 tasks 目录，这里不是跟踪仓库"]


NASTY_FILES = [
    (M2, "&a [*a]"),
    (M2, "a: &a\n  b: *a\nid: demo-02\n"),
    (M2, "id: 5\nnumber: 1\nseq: true\ntitle: [x]\n"),
    (M2, "id: demo-02\nlead_units: 省卫健委\ndeadlines: [1, {date: 3}]\nindicators: {a: 1}\nimplements: 7\n"),
    (M2, "id: demo-02\nstart: 2026-02-30\ndeadlines:\n  - date: 2026-13-01\nindicators:\n  - observations: [5, {value: x}]\n"),
    (M2, "id: demo-02\nlead_units: [[x], {y: 1}, null, '']\n"),
    (M2, "? [a, b]\n: c\n"),
    (M2, "!!python/object/apply:os.system [echo 1]\n"),
    (M2, "--- a\n--- b\n"),
    (M2, "\x00"),
    (UNITS, "units: [1, null, {name: 5}, {name: x, aliases: 3, members: {a: b}}]\n"),
    (RECORD, "measure: 5\nunit: [1]\ncurrent: 3\nupdates: {a: 1}\n"),
    (RECORD, "updates:\n  - indicators: [1]\n    progress: 200\n"),
    ("tasks/demo/plan.yaml", "id: 7\nparent: [1]\nreporting: {due_day: 40, cycle: weekly}\n"),
    ("tasks/config.yaml", "people: {a: 5, b: [x, 3]}\nevidence: {max_mb: -1}\nsupervisor: {reviewers: x}\n"),
    ("progress/demo/demo-01/_review.yaml", "measure: [1]\nreviews: [{decision: maybe}]\n"),
]


@pytest.mark.parametrize("path, content", NASTY_FILES)
def test_bad_input_never_raises_and_is_reported(tmp_path, path, content):
    root = tmp_path / "repo"
    shutil.copytree(CHECK_FIXTURES / "valid", root)
    (root / path).write_text(content, encoding="utf-8")
    problems = run_checks(root)
    assert any(p.severity == "error" for p in problems)
    assert not any("内部错误" in p.message for p in problems), lines_of(problems)


def test_undecodable_bytes_are_reported(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(CHECK_FIXTURES / "valid", root)
    (root / M2).write_bytes(b"\xff\xfe\x00\x81\x82")
    assert lines_of(run_checks(root)) == [f"{M2}:1: 错误：不是 UTF-8 或 GBK 编码的文本"]


YAML_TOKENS = list("ab:-[]{}'\"&*!#|>?,. \n\t0129省卫健委") + ["id: ", "seq: ", "lead_units:\n  - ", "2026-02-30"]
YAMLISH = st.lists(st.sampled_from(YAML_TOKENS), max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=YAMLISH)
def test_any_text_in_a_measure_file_never_raises(tmp_path, content):
    root = tmp_path / "repo"
    if not root.exists():
        shutil.copytree(CHECK_FIXTURES / "valid", root)
    (root / M2).write_text(content, encoding="utf-8")
    problems = run_checks(root)
    assert all(isinstance(p, Problem) and p.line >= 1 for p in problems)
    assert not any("内部错误" in p.message for p in problems), lines_of(problems)


# ---------------------------------------------------------------- the shipped data and schemas


def test_shipped_data_has_no_error_and_warns_about_measures_without_units():
    problems = run_checks(PROJECT)
    assert [str(p) for p in problems if p.severity == "error"] == []
    unitless = {p.path for p in problems if p.severity == "warning" and "没有责任单位" in p.message}
    assert {"tasks/qiubei/qiubei-20.yaml", "tasks/qiubei/qiubei-21.yaml"} <= unitless


def _schema(name):
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_schemas_describe_exactly_the_keys_the_loaders_read():
    model_keys = {f.name for f in dataclasses.fields(Measure)} - {"plan"}
    assert set(_schema("measure")["properties"]) == model_keys
    plan_keys = {f.name for f in dataclasses.fields(Plan)} - {"due_day", "cycle"} | {"reporting", "source"}
    assert set(_schema("plan")["properties"]) == plan_keys
    unit_keys = {f.name for f in dataclasses.fields(Unit)}
    assert set(_schema("units")["properties"]["units"]["items"]["properties"]) == unit_keys
    indicator = _schema("measure")["properties"]["indicators"]["items"]["properties"]
    assert tuple(indicator["direction"]["enum"]) == DIRECTION_SYMBOLS


def _walk(schema, where=""):
    yield where, schema
    for key in ("properties",):
        for name, sub in schema.get(key, {}).items():
            yield from _walk(sub, f"{where}.{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _walk(schema[key], f"{where}[{key}]")


@pytest.mark.parametrize("name", ["measure", "plan", "units", "config"])
def test_schemas_are_draft_2020_12_with_a_chinese_description_everywhere(name):
    schema = _schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for where, sub in _walk(schema):
        text = sub.get("description", "")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), f"{name}{where} 缺少中文 description"


def test_units_and_config_point_editors_at_their_schemas():
    first = {name: (PROJECT / "tasks" / name).read_text(encoding="utf-8").splitlines()[0]
             for name in ("units.yaml", "config.yaml")}
    assert first["units.yaml"] == "# yaml-language-server: $schema=schema/units.schema.json"
    assert first["config.yaml"] == "# yaml-language-server: $schema=schema/config.schema.json"
