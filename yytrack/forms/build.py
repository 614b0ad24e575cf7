"""Forms out: which measures each unit owes this period, and one workbook per unit."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from yytrack.errors import UsageProblem
from yytrack.forms.layout import (SKIPPED_STATUSES, FormMeta, FormRow, UnitForm, current_period, period_bounds,
                                  parse_period)
from yytrack.forms.sheet import save_form
from yytrack.model import Measure, Plan
from yytrack.model.text import clean_deep
from yytrack.repo import formkey, store


def choose_plan(tracker, plan: Optional[str]) -> Plan:
    if plan:
        return tracker.plan(plan)
    plans = tracker.plans()
    if not plans:
        raise UsageProblem("本仓库还没有方案（tasks/ 下没有 plan.yaml）")
    if len(plans) > 1:
        raise UsageProblem(f"本仓库有多个方案，请用 --plan 指定：{'、'.join(p.id for p in plans)}")
    return plans[0]


def owed_measures(tracker, plan: Plan, period: str) -> List[Measure]:
    """Measures still open and already started by the end of the period (none before tracking began)."""
    _, last_day = period_bounds(period)
    if plan.first_month and period < plan.first_month:
        return []
    chosen = []
    for measure in tracker.measures(plan.id):
        if measure.start is not None and measure.start > last_day:
            continue
        if tracker.state(measure).status in SKIPPED_STATUSES:
            continue
        chosen.append(measure)
    return chosen


def reporting_units(tracker, measures: Sequence[Measure]) -> List[str]:
    """Every unit answering for one of the measures; a group with members is left to its members."""
    names: List[str] = []
    for measure in measures:
        for name in tracker.registry.responsible(measure):
            unit = tracker.registry.get(name)
            if name not in names and not (unit and unit.members):
                names.append(name)
    return names


def unit_form(tracker, plan: Plan, period: str, unit: str, measures: Sequence[Measure],
              key: bytes = b"") -> UnitForm:
    plan, measures = clean_deep(plan), clean_deep(list(measures))  # nothing raw reaches the workbook
    rows = []
    for measure in measures:
        found = tracker.registry.role(measure, unit)
        if found:
            mine = tracker.unit_updates(measure).get(unit) or []
            rows.append(FormRow(measure, found[0], clean_deep(mine[-1]) if mine else None))
    meta = FormMeta(plan.id, unit, period, store.head_commit(tracker.root) or "",
                    tuple(r.measure.id for r in rows)).signed(key)
    return UnitForm(plan, unit, period, tuple(rows), meta)


def build_forms(tracker, plan: Optional[str] = None, month: Optional[str] = None,
                unit: Optional[str] = None, key: bytes = b"") -> List[UnitForm]:
    """The forms to send for a period: one per unit with at least one measure to report on."""
    chosen = choose_plan(tracker, plan)
    period = parse_period(month) if month else current_period()
    measures = owed_measures(tracker, chosen, period)
    units = [tracker.unit_name(unit)] if unit else reporting_units(tracker, measures)
    forms = [unit_form(tracker, chosen, period, name, measures, key) for name in units]
    return [form for form in forms if form.rows]


def default_folder(tracker, month: Optional[str]) -> Path:
    """reports/<period>-报送表/ inside the tracking repository."""
    period = parse_period(month) if month else current_period()
    return tracker.root / "reports" / f"{period}-报送表"


def nothing_owed(tracker, plan: Optional[str], month: Optional[str]) -> str:
    """Why no form was made, and what to do instead."""
    chosen = choose_plan(tracker, plan)
    period = parse_period(month) if month else current_period()
    if chosen.first_month and period < chosen.first_month:
        return (f"{period} 不要求报送（方案 {chosen.id} 自 {chosen.first_month} 起报送），未生成报送表；"
                f"需要时用 --month {chosen.first_month} 生成")
    return "没有需要报送的措施，未生成报送表。"


def write_forms(tracker, directory, plan: Optional[str] = None, month: Optional[str] = None,
                unit: Optional[str] = None, new_key: bool = False) -> List[Tuple[UnitForm, Path]]:
    """Build and save the forms into directory (created if missing); an existing file is replaced."""
    folder = Path(directory).expanduser() if directory else default_folder(tracker, month)
    if ".git" in folder.resolve().parts:
        raise UsageProblem(f"不能把报送表写到 .git 目录中（{folder}），请换一个位置")
    key = formkey.signing_key(tracker.root, new=new_key)  # created (0600, outside the repository) on first use
    forms = build_forms(tracker, plan, month, unit, key)
    if not forms:
        return []
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageProblem(f"无法创建输出目录 {folder}（{e.strerror}）") from e
    written = []
    for form in forms:
        written.append((form, save_form(form, folder / form.file_name)))
    return written


# ---------------------------------------------------------------- cell text shared by the sheet writer
