"""An update commit: one entry appended to the unit's record, matching the commit that carries it."""

from __future__ import annotations

from typing import List

from yytrack.repo.changes import Change, FileChange, Objects
from yytrack.trust.appends import appended, one_entry, within
from yytrack.trust.policy import Policy


def check_update(change: Change, policy: Policy, objects: Objects, progress: List[FileChange]) -> List[str]:
    from yytrack.repo.records import record_head

    measure, unit = change.trailer("Measure"), change.trailer("Unit")
    plan = measure.rsplit("-", 1)[0]
    record = f"progress/{plan}/{measure}/{unit}.yaml"
    evidence = f"progress/{plan}/{measure}/evidence/{unit}/"
    listed = set(change.trailer_all("Evidence"))
    problems = []
    for f in progress:
        if f.path.startswith(evidence) and f.status == "A" and f.path in listed:
            continue
        if f.path != record:
            problems.append(f"{f.path}：不属于本次报送（{measure} {unit}）的文件，或佐证材料不是新增且列在提交标记中")
    mine = [f for f in progress if f.path == record]
    if not mine:
        return problems + [f"{record}：提交标记为 {unit} 的报送，却没有追加其进展记录"]
    entry = one_entry(appended(mine[0], objects, lambda: record_head(measure, unit)))
    if entry is None:
        return problems + [f"{record}：不是只在末尾追加了一条记录（历史记录被改动，或文件头不对）"]
    problems += _matches(change, policy, entry, record, listed)
    return problems + _may(change, policy, entry, record, unit)


def _matches(change: Change, policy: Policy, entry: dict, record: str, listed: set) -> List[str]:
    problems = []
    if str(entry.get("author")) != change.author:
        problems.append(f"{record}：记录的报送人 {entry.get('author')} 与提交作者 {change.author} 不一致")
    if not within(str(entry.get("recorded")), change.authored, policy.tolerance_days):
        problems.append(f"{record}：记录时间 {entry.get('recorded')} 与提交时间 {change.authored} 相差超过 "
                        f"{policy.tolerance_days:g} 天")
    progress = "" if entry.get("progress") is None else str(entry.get("progress"))
    if (str(entry.get("status")) != change.trailer("Status") or progress != change.trailer("Progress")
            or str(entry.get("date")) != change.trailer("Date")
            or set(str(e) for e in entry.get("evidence") or []) != listed):
        problems.append(f"{record}：新增记录与提交标记（状态/进度/日期/佐证）不一致")
    behalf = entry.get("on_behalf") is True
    if behalf != bool(change.trailer("On-Behalf")) or (behalf and (
            change.trailer("On-Behalf") != change.trailer("Unit")
            or str(entry.get("source") or "") != change.trailer("Source") or not change.trailer("Source"))):
        problems.append(f"{record}：代录标记（on_behalf/source）与提交标记 Yytrack-On-Behalf/Yytrack-Source 不一致")
    return problems


def _may(change: Change, policy: Policy, entry: dict, record: str, unit: str) -> List[str]:
    behalf = entry.get("on_behalf") is True
    if behalf and not policy.is_office(change.email):
        return [f"{record}：只有{policy.office}可以代单位录入，{change.author} 不是"]
    if policy.may_report(change.email, unit) or behalf:
        return []
    if policy.is_office(change.email):
        return [f"{record}：{policy.office}代 {unit} 录入须标明代录与来源（yytrack update --source）"]
    return [f"{record}：作者 {change.author} 不属于 {unit}，不能为其报送"]
