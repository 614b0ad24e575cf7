"""Checks of progress records, review records and config against the measures and the unit registry.

A record's place says whose it is (progress/<plan>/<measure>/<unit>.yaml) and so does its head
(`measure:`, `unit:`); the commands trust the place, so the two must agree.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Dict, Optional, Tuple

from yytrack.checks.framework import Doc, Report, Tree, line_of
from yytrack.checks.rules import ROLE_KEYS, build_registry, measure_index, texts
from yytrack.model import Measure
from yytrack.model.units import Registry


def _place(doc: Doc) -> Tuple[str, str, str]:
    """(plan folder, measure folder, file stem) of progress/<plan>/<measure>/<file>.yaml."""
    parts = PurePosixPath(doc.path).parts
    return parts[-3], parts[-2], PurePosixPath(doc.path).stem


def _key_line(doc: Doc, key: str) -> int:
    return line_of(doc.data, key) if key in doc.data else line_of(doc.data)


def _check_measure_place(doc: Doc, known: Dict[str, Tuple[str, dict]], report: Report) -> Optional[dict]:
    """The measure folder names an existing measure of that plan; return the measure's data."""
    plan, measure_id, _ = _place(doc)
    declared = doc.data.get("measure")
    if isinstance(declared, str) and declared.lower() != measure_id.lower():
        report.error(doc.path, _key_line(doc, "measure"), f"measure: {declared} 与所在目录 {measure_id} 不一致")
    found = known.get(measure_id.lower())
    if found is None:
        report.error(doc.path, _key_line(doc, "measure"), f"所属措施“{measure_id}”不存在")
        return None
    if found[0] != plan:
        report.error(doc.path, _key_line(doc, "measure"), f"措施 {measure_id} 属于方案 {found[0]}，记录却放在 progress/{plan}/ 下")
    return found[1]


def check_records(tree: Tree, report: Report) -> None:
    """Each record sits under an existing measure, names a registered unit, and says the same inside."""
    known = measure_index(tree)
    registry = build_registry(tree)
    for doc in tree.records:
        if doc.data is None:
            continue
        if doc.data.get("format") != 2 or "current" in doc.data:
            report.error(doc.path, _key_line(doc, "current"), "进展记录是旧格式（第 1 版，含 current: 段），"
                         "请运行 yytrack migrate 升级为只追加的第 2 版")
        measure = _check_measure_place(doc, known, report)
        unit = _check_unit_place(doc, registry, report)
        if measure is not None and unit is not None and registry is not None:
            _check_responsible(doc, measure, unit, registry, report)


def _check_unit_place(doc: Doc, registry: Optional[Registry], report: Report) -> Optional[str]:
    """The file name is a registered unit and matches `unit:`; return the canonical unit."""
    _, _, unit = _place(doc)
    declared = doc.data.get("unit")
    if isinstance(declared, str) and declared != unit:
        report.error(doc.path, _key_line(doc, "unit"), f"unit: {declared} 与文件名 {unit}.yaml 不一致")
    if registry is None:
        return None
    canonical = registry.canonical(unit)
    if canonical is None:
        report.error(doc.path, _key_line(doc, "unit"), f"单位“{unit}”（文件名）不在单位名录 tasks/units.yaml 中")
    elif canonical != unit:
        report.warning(doc.path, _key_line(doc, "unit"), f"文件名应使用规范名称“{canonical}”，而不是别名“{unit}”")
    return canonical


def _check_responsible(doc: Doc, data: dict, unit: str, registry: Registry, report: Report) -> None:
    units = {key: tuple(registry.canonical(t) or t for _, t in texts(data.get(key))) for key in ROLE_KEYS}
    measure = Measure(id=str(data.get("id")), plan="", number="", seq=0, title="", **units)
    if registry.role(measure, unit) is None:
        report.warning(doc.path, _key_line(doc, "unit"), f"单位“{unit}”不是措施 {measure.id} 的责任单位，也不是其中单位组的成员")


def check_reviews(tree: Tree, report: Report) -> None:
    """Each review file sits under an existing measure and names it."""
    known = measure_index(tree)
    for doc in tree.reviews:
        if doc.data is not None:
            _check_measure_place(doc, known, report)


def check_config_units(tree: Tree, report: Report) -> None:
    """The units people are allowed to report for are registered."""
    registry = build_registry(tree)
    people = tree.config.data.get("people") if tree.config and tree.config.data is not None else None
    if registry is None or not isinstance(people, dict):
        return
    for person, entry in people.items():
        units = entry.get("units") if isinstance(entry, dict) else entry
        for line, unit in texts(units):
            if registry.canonical(unit) is None:
                report.error(tree.config.path, line, f"{person} 对应的单位“{unit}”不在单位名录中")


RULES = (check_records, check_reviews, check_config_units)
