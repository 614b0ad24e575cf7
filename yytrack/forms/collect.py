"""Returns in: validate every row of returned forms by the rules of `update`, then record the changed ones.

`prepare` reads and checks everything without writing; `record` then makes one update commit per
changed row. A row equal to the unit's latest update on the measure is unchanged, so collecting the
same form again records nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from yytrack.repo import formkey, store
from yytrack.errors import FormRejected, UsageProblem, YytrackError
from yytrack.forms.attachments import evidence_files
from yytrack.forms.returns import Limits, ReturnedForm, read_return
from yytrack.forms.build import choose_plan
from yytrack.forms.layout import EVIDENCE, ID, INDICATORS, NOTE, PROGRESS, STATUS, parse_period, period_bounds
from yytrack.model import STATUS_LABELS, Measure, Plan
from yytrack.model import status_key
from yytrack.model.validate import clean_note, parse_indicators, validate_progress
from yytrack.trust.policy import may_record

LIST_SPLIT = re.compile(r"[；;\n]+")


@dataclass(frozen=True)
class Problem:
    where: str
    """File, sheet and row (or the file alone for a whole-form problem)."""
    reason: str
    """One Chinese line."""

    def __str__(self) -> str:
        return f"{self.where}：{self.reason}"


@dataclass(frozen=True)
class Planned:
    where: str
    """File name and row the values come from."""
    measure: str
    """Measure id."""
    unit: str
    """Canonical unit name."""
    status: str
    """Status key."""
    progress: Optional[int]
    """Percent, or None."""
    note: str
    """Cleaned note."""
    evidence: Tuple[str, ...]
    """Evidence files found next to the form."""
    indicators: Tuple[str, ...]
    """`名称=数值` pairs."""
    date: dt.date
    """The period's last day, or today while the period runs."""
    author: str
    """`姓名 <email>` the update is attributed to."""
    changed: bool
    """False when equal to the unit's latest update (nothing to record)."""


@dataclass
class Batch:
    planned: List[Planned] = field(default_factory=list)
    """Every filled-in valid row, changed or not."""
    problems: List[Problem] = field(default_factory=list)
    """Rejected rows and forms."""
    blank: int = 0
    """Rows left empty by the clerk."""

    @property
    def to_record(self) -> List[Planned]:
        return [p for p in self.planned if p.changed]


@dataclass(frozen=True)
class FormContext:
    form: ReturnedForm
    """The form being read."""
    plan: Plan
    """Its plan."""
    unit: str
    """Canonical reporting unit."""
    date: dt.date
    """Date every update of the form is recorded for."""
    author: str
    """Who the updates are attributed to."""


class Authors:
    """Who keys the forms in: --author, else the git identity. The unit's contact filled the form in;
    the entries are recorded on the unit's behalf by the person who keys them in."""

    def __init__(self, tracker, author: Optional[str]):
        self.tracker = tracker
        self.fallback = store.parse_identity(author) if author else None  # a bad --author fails at once

    def for_unit(self, unit: str) -> store.Identity:
        if self.fallback is None:
            self.fallback = store.identity(self.tracker.root, None)
        return self.fallback


def prepare(tracker, paths: Sequence[str], plan: Optional[str] = None, month: Optional[str] = None,
            author: Optional[str] = None, today: Optional[dt.date] = None) -> Batch:
    """Read and validate every form; nothing is written. Unreadable or altered files raise."""
    wanted_plan = tracker.plan(plan).id if plan else None
    wanted_period = parse_period(month) if month else None
    authors = Authors(tracker, author)
    limits = Limits.from_config(tracker.config)
    forms = [read_return(Path(p), limits, lambda: formkey.verifying_keys(tracker.root)) for p in paths]
    batch = Batch()
    seen: Dict[Tuple[str, str], Planned] = {}
    for form in forms:
        try:
            ctx = form_context(tracker, form, wanted_plan, wanted_period, authors, today or dt.date.today())
        except YytrackError as e:
            batch.problems.append(Problem(form.label, e.message))
            continue
        for number, cells in form.rows:
            try:
                planned = plan_row(tracker, ctx, number, cells, seen)
            except YytrackError as e:
                space = "" if form.label.endswith("）") else " "
                batch.problems.append(Problem(f"{form.label}{space}第{number}行", e.message))
                continue
            if planned is None:
                batch.blank += 1
            else:
                batch.planned.append(planned)
                seen.setdefault((planned.unit, planned.measure), planned)
    return batch


def plan_named(tracker, text: str) -> str:
    """A plan's id from what a CSV return names it by: its id, or its title (in 《》 or not)."""
    title = (text or "").strip().strip("《》")
    return next((p.id for p in tracker.plans() if title and p.title == title), text)


def form_context(tracker, form: ReturnedForm, wanted_plan: Optional[str], wanted_period: Optional[str],
                 authors: Authors, today: dt.date) -> FormContext:
    """Whole-form checks: the right plan and period, a known unit, someone to attribute it to."""
    plan_id = plan_named(tracker, form.plan) or wanted_plan or choose_plan(tracker, None).id
    if wanted_plan and plan_id != wanted_plan:
        raise FormRejected(f"这是方案“{plan_id}”的报送表，与 --plan {wanted_plan} 不符")
    plan = tracker.plan(plan_id)
    if not form.period:
        raise FormRejected("看不出报送期：表头应有“报送期：YYYY-MM”，或文件名以“YYYY-MM-单位-报送表”命名")
    if wanted_period and form.period != wanted_period:
        raise FormRejected(f"这是 {form.period} 的报送表，与 --month {wanted_period} 不符")
    first, last = period_bounds(form.period)
    if first > today:
        raise FormRejected(f"报送期 {form.period} 尚未开始，不能收取")
    if not form.unit:
        raise FormRejected("看不出报送单位：表头应有“报送单位：…”，或文件名以“YYYY-MM-单位-报送表”命名")
    unit = tracker.unit_name(form.unit)
    who = authors.for_unit(unit)
    may_record(tracker.config, tracker.registry, who, unit, form.path.name)
    return FormContext(form, plan, unit, min(last, today), str(who))


def is_blank(cells: Dict[str, str]) -> bool:
    """Nothing typed in the fill-in columns (pre-written indicator names alone do not count)."""
    typed = [cells.get(h, "") for h in (STATUS, PROGRESS, NOTE, EVIDENCE)]
    return not any(typed) and not indicator_pairs(cells.get(INDICATORS, ""))


def plan_row(tracker, ctx: FormContext, number: int, cells: Dict[str, str],
             seen: Dict[Tuple[str, str], Planned]) -> Optional[Planned]:
    """One row checked as `update` would check it; None for a row left empty."""
    if not cells.get(ID):
        raise FormRejected("缺少措施编号")
    measure = row_measure(tracker, ctx, cells[ID])
    if is_blank(cells):
        return None
    status, progress, note = row_state(cells)
    pairs = indicator_pairs(cells.get(INDICATORS, ""))
    values = dict(parse_indicators(measure, pairs))
    evidence = evidence_files(tracker, ctx, measure, cells.get(EVIDENCE, ""))
    planned = Planned(f"{ctx.form.path.name} 第{number}行", measure.id, ctx.unit, status, progress, note,
                      evidence, tuple(pairs), ctx.date, ctx.author, changed=True)
    earlier = seen.get((ctx.unit, measure.id))
    if earlier is not None:
        if not same_report(earlier, planned):
            raise FormRejected(f"与 {earlier.where} 是同一单位同一措施，但内容不同；请只保留一份")
        return replace(planned, changed=False)
    return replace(planned, changed=differs_from_latest(tracker, measure, ctx.unit, planned, values))


def row_state(cells: Dict[str, str]) -> Tuple[str, Optional[int], str]:
    """Status key, progress and note, by the rules of `update` (done needs a note and means 100%)."""
    key = status_key(cells.get(STATUS, ""))
    if key is None:
        raise UsageProblem(status_problem(cells.get(STATUS, "")))
    note = clean_note(cells.get(NOTE, ""))
    if key == "done" and not note:
        raise UsageProblem("状态为已完成时须在“本期进展说明”中写明完成情况")
    progress = validate_progress(parse_progress(cells.get(PROGRESS, "")))
    return key, 100 if key == "done" and progress is None else progress, note


def row_measure(tracker, ctx: FormContext, text: str) -> Measure:
    measure = tracker.get(text)
    if measure.plan != ctx.plan.id:
        raise FormRejected(f"措施 {measure.id} 不属于方案“{ctx.plan.id}”")
    tracker.responsible_or_raise(measure, ctx.unit)
    if ctx.form.measures is not None and measure.id not in ctx.form.measures:
        raise FormRejected(f"措施 {measure.id} 不在本表下发的措施中（请勿改动措施编号）")
    return measure


def status_problem(text: str) -> str:
    if not text:
        return "已填写本期内容但未选择本期状态"
    return f"状态“{text}”无效；应从下拉列表选择：{'、'.join(STATUS_LABELS.values())}"


def parse_progress(text: str) -> Optional[int]:
    value = (text or "").strip().rstrip("%％").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or not number.is_integer():
        raise UsageProblem(f"进度“{text}”不是整数，应填写 0 到 100 之间的整数")
    return int(number)


def indicator_pairs(text: str) -> List[str]:
    """`名称=数值` pieces; a name with nothing after “=” was left unfilled and is dropped."""
    pairs = []
    for piece in LIST_SPLIT.split((text or "").replace("＝", "=")):
        name, sep, value = piece.strip().partition("=")
        if piece.strip() and not (sep and not value.strip()):
            pairs.append(f"{name.strip()}={value.strip()}" if sep else piece.strip())
    return pairs


def same_report(a: Planned, b: Planned) -> bool:
    return (a.status, a.progress, a.note, a.indicators) == (b.status, b.progress, b.note, b.indicators)


def differs_from_latest(tracker, measure: Measure, unit: str, planned: Planned, values: dict) -> bool:
    """Status, progress and note against the unit's latest update; indicators too when the row gives any."""
    mine = tracker.unit_updates(measure).get(unit) or []
    if not mine:
        return True
    last = mine[-1]
    if (last.status, last.progress, last.note) != (planned.status, planned.progress, planned.note):
        return True
    return bool(values) and values != dict(last.indicators)


def record(tracker, batch: Batch) -> Iterator:
    """One update commit per changed row, in the order read; yields each UpdateResult."""
    for p in batch.to_record:
        yield tracker.update(p.measure, p.unit, p.status, p.note, p.progress, p.date, p.evidence,
                             p.indicators, p.author, source=p.where.rsplit(" 第", 1)[0])


def render_preview(batch: Batch) -> str:
    """The table shown before anything is recorded; a 佐证材料 column lists the files each row will take."""
    from yytrack.model.table import simple_table

    with_files = any(p.evidence for p in batch.planned)
    rows = [(p.where, p.measure, p.unit, STATUS_LABELS[p.status],
             "" if p.progress is None else f"{p.progress}%", shorten(p.note),
             *(["、".join(Path(e).name for e in p.evidence)] if with_files else []), p.author,
             "记录" if p.changed else "未变化，跳过") for p in batch.planned]
    headers = ["来源", "措施", "单位", "本期状态", "进度", "说明", *(["佐证材料"] if with_files else []), "报送人", "处理"]
    table = simple_table(rows, headers) if rows else "（没有可记录的行）"
    unchanged = len(batch.planned) - len(batch.to_record)
    summary = (f"将记录 {len(batch.to_record)} 条；未变化 {unchanged} 条，未填写 {batch.blank} 行，"
               f"有问题 {len(batch.problems)} 处。")
    return f"{table}\n{summary}"


def shorten(text: str, limit: int = 20) -> str:
    from yytrack.model.clip import clip  # ends with …, never inside a bracket pair
    return clip(text, limit)
