"""Checks across task files: the unit registry, plan and measure ids, units, dates and links.

Each rule takes the parsed tree and a report. Values of the wrong type are skipped here, because the
schema check has already reported them; a rule only judges what it can read.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import PurePosixPath
from typing import Any, Dict, Iterator, List, Optional, Tuple

from yytrack.repo import files
from yytrack.checks.framework import Doc, Report, Tree, line_of
from yytrack.checks.schema import date_problem
from yytrack.model import Unit
from yytrack.model.units import Registry, normalize_name

ROLE_KEYS = ("lead_units", "cooperating_units", "implied_units")
UNITS_PATH = f"{files.TASKS}/{files.UNITS_FILE}"


# ---------------------------------------------------------------- reading what is readable


def texts(node: Any) -> Iterator[Tuple[int, str]]:
    """(line, text) of each non-empty text item of a list; anything else yields nothing."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, str) and item.strip():
                yield line_of(node, index), item


def _unit_entries(tree: Tree) -> List[dict]:
    data = tree.units.data if tree.units else None
    entries = data.get("units") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("name"), str) and e["name"].strip()]


def build_registry(tree: Tree) -> Optional[Registry]:
    """The registry as the other commands will see it; None when units.yaml has no readable unit.

    Without one every unit would be reported unknown, burying the one problem that matters.
    """
    units = []
    for entry in _unit_entries(tree):
        full_name = entry.get("full_name")
        units.append(Unit(
            name=entry["name"], full_name=full_name if isinstance(full_name, str) else "",
            aliases=tuple(t for _, t in texts(entry.get("aliases"))),
            members=tuple(t for _, t in texts(entry.get("members"))),
        ))
    return Registry(units) if units else None


def _measures(tree: Tree) -> Iterator[Tuple[str, Doc]]:
    return ((plan, doc) for plan, doc in tree.measures if doc.data is not None)


def _measure_id(doc: Doc) -> Optional[str]:
    value = doc.data.get("id")
    return value.lower() if isinstance(value, str) and value.strip() else None


def measure_index(tree: Tree) -> Dict[str, Tuple[str, dict]]:
    """Measure id → (plan folder, data), first file wins."""
    index: Dict[str, Tuple[str, dict]] = {}
    for plan, doc in _measures(tree):
        measure_id = _measure_id(doc)
        if measure_id:
            index.setdefault(measure_id, (plan, doc.data))
    return index


def _as_date(value: Any) -> Optional[dt.date]:
    if isinstance(value, str) and date_problem(value) is None:
        return dt.date.fromisoformat(value)
    return None


# ---------------------------------------------------------------- the unit registry


def check_unit_registry(tree: Tree, report: Report) -> None:
    """Each spelling (name, full name, alias) must point at one unit; group members must exist."""
    if tree.units is None:
        report.error(UNITS_PATH, 1, "缺少单位名录 tasks/units.yaml，无法核对责任单位")
        return
    owners: Dict[str, Tuple[int, str, int]] = {}  # normalised spelling → (entry, unit name, line)
    for number, entry in enumerate(_unit_entries(tree)):
        name = entry["name"]
        spellings = [(line_of(entry, "name"), name)]
        if isinstance(entry.get("full_name"), str) and entry["full_name"].strip():
            spellings.append((line_of(entry, "full_name"), entry["full_name"]))
        spellings += list(texts(entry.get("aliases")))
        for line, spelling in spellings:
            owner = owners.setdefault(normalize_name(spelling), (number, name, line))
            if owner[0] == number:
                continue
            if owner[1] == name:
                report.error(UNITS_PATH, line, f"单位“{name}”重复登记（第{owner[2]}行已登记）")
                break
            report.error(UNITS_PATH, line, f"“{spelling}”同时指“{owner[1]}”（第{owner[2]}行）和“{name}”，名称和别名在名录中必须唯一")
    _check_members(tree, report)


def _check_members(tree: Tree, report: Report) -> None:
    registry = build_registry(tree)
    for entry in _unit_entries(tree) if registry else ():
        for line, member in texts(entry.get("members")):
            if registry.canonical(member) is None:
                report.error(UNITS_PATH, line, f"单位组“{entry['name']}”的成员单位“{member}”不在单位名录中，请另行登记")


# ---------------------------------------------------------------- plans and measures


def check_plans(tree: Tree, report: Report) -> None:
    """A plan's id is its folder name (the commands go by the folder); its parent is another plan."""
    plan_ids = set(tree.plans)
    for folder, doc in tree.plans.items():
        if doc.data is None:
            continue
        plan_id = doc.data.get("id")
        if isinstance(plan_id, str) and plan_id != folder:
            report.error(doc.path, line_of(doc.data, "id"), f"方案 id “{plan_id}”与所在目录名 {folder} 不一致")
        parent = doc.data.get("parent")
        if isinstance(parent, str) and parent.strip() and parent not in plan_ids:
            known = "、".join(sorted(plan_ids))
            report.error(doc.path, line_of(doc.data, "parent"), f"上级方案“{parent}”不存在（现有方案：{known}）")


def check_measure_ids(tree: Tree, report: Report) -> None:
    """Ids are <plan folder>-<NN>, match the file name, and are unique across all plans."""
    first_file: Dict[str, str] = {}
    for folder, doc in _measures(tree):
        measure_id = _measure_id(doc)
        if not measure_id:
            continue
        line = line_of(doc.data, "id")
        stem = PurePosixPath(doc.path).stem
        if measure_id != stem.lower():
            report.error(doc.path, line, f"措施 id “{doc.data['id']}”与文件名 {stem}.yaml 不一致")
        number = measure_id[len(folder) + 1:] if measure_id.startswith(f"{folder}-") else ""
        if not number.isdigit():
            report.error(doc.path, line, f"措施 id “{doc.data['id']}”应为 {folder}-序号（如 {folder}-01），与所属方案 {folder} 不符")
        if measure_id in first_file:
            report.error(doc.path, line, f"措施 id “{doc.data['id']}”重复，已用于 {first_file[measure_id]}")
        first_file.setdefault(measure_id, doc.path)


def check_measure_units(tree: Tree, report: Report) -> None:
    """Units are registered, written by their canonical name, listed once; a measure has at least one."""
    registry = build_registry(tree)
    for _, doc in _measures(tree):
        listed: Dict[str, int] = {}
        for key in ROLE_KEYS:
            for line, name in texts(doc.data.get(key)):
                canonical = registry.canonical(name) if registry else name
                _judge_unit_name(registry, name, canonical, doc.path, line, report)
                identity = canonical or name
                if identity in listed:
                    report.error(doc.path, line, f"单位“{name}”在本措施中重复列出（第{listed[identity]}行已列出）")
                listed.setdefault(identity, line)
        if not listed:
            line = line_of(doc.data, "lead_units") if "lead_units" in doc.data else line_of(doc.data)
            report.warning(doc.path, line, "措施没有责任单位（lead_units、cooperating_units、implied_units 均为空），没有单位会报送进展")


def _judge_unit_name(registry: Optional[Registry], name: str, canonical: Optional[str], path: str,
                     line: int, report: Report) -> None:
    if registry is None:
        return  # the missing registry is reported once, not once per unit
    if canonical is None:
        close = difflib.get_close_matches(name, list(registry.units), n=3, cutoff=0.5)
        hint = f"，是不是：{'、'.join(close)}？" if close else "，请先在单位名录中登记"
        report.error(path, line, f"单位“{name}”不在单位名录 tasks/units.yaml 中{hint}")
    elif canonical != name:
        report.warning(path, line, f"“{name}”是“{canonical}”的别名，请写规范名称“{canonical}”")


def check_measure_dates(tree: Tree, report: Report) -> None:
    """No deadline falls before the measure's start."""
    for _, doc in _measures(tree):
        start = _as_date(doc.data.get("start"))
        deadlines = doc.data.get("deadlines")
        if start is None or not isinstance(deadlines, list):
            continue
        for index, item in enumerate(deadlines):
            due = _as_date(item.get("date")) if isinstance(item, dict) else None
            if due is not None and due < start:
                report.error(doc.path, line_of(deadlines, index), f"截止日期 {due} 早于开始日期 {start}")


def check_implements(tree: Tree, report: Report) -> None:
    """Every `implements` link names an existing measure."""
    known = measure_index(tree)
    for _, doc in _measures(tree):
        for line, target in texts(doc.data.get("implements")):
            if target.lower() not in known:
                report.error(doc.path, line, f"所落实的上级措施“{target}”不存在")


RULES = (check_unit_registry, check_plans, check_measure_ids, check_measure_units, check_measure_dates,
         check_implements)
