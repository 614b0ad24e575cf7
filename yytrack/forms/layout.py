"""Report forms out: one pre-filled Excel 报送表 per unit and period, with a hidden sheet to match returns.

The visible sheet is what a clerk reads and fills; the hidden sheet (_yytrack, veryHidden) carries the
plan, unit, period, repository revision and an HMAC-SHA256 of them under the supervising office's key
(kept outside the repository, see repo/formkey.py), so `collect` knows what a returned file answers and
refuses one whose identity was altered, even with the check value recomputed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass, replace
from typing import List, Optional, Tuple

from yytrack.errors import UsageProblem
from yytrack.model import ROLE_LABELS, STATUS_LABELS, Measure, Plan, Update
from yytrack.model.validate import FIRST_YEAR, LAST_YEAR, year_in_range

FORM_VERSION = "2"  # 2: identity bound by HMAC-SHA256 (1 had a plain checksum)
MAIN_SHEET = "报送表"
META_SHEET = "_yytrack"
HEADER_ROW = 4  # title, facts, instructions, then the column headers
FIRST_DATA_ROW = HEADER_ROW + 1
SKIPPED_STATUSES = ("accepted", "awaiting_review")

# Column headers, in order: (header, width, filled in by the clerk?).
ID, NUMBER, TITLE, ROLE, DUE = "措施编号", "序号", "措施简称", "本单位职责", "完成时限"
LAST_STATUS, LAST_PROGRESS, LAST_NOTE, TARGETS = "上次状态", "上次进度", "上次报送说明", "指标及目标"
STATUS, PROGRESS, NOTE, EVIDENCE, INDICATORS = "本期状态", "本期进度（%）", "本期进展说明", "佐证材料文件名", "指标数值"
COLUMNS: Tuple[Tuple[str, int, bool], ...] = (
    (ID, 11, False), (NUMBER, 10, False), (TITLE, 24, False), (ROLE, 9, False), (DUE, 11, False),
    (LAST_STATUS, 8, False), (LAST_PROGRESS, 7, False), (LAST_NOTE, 26, False), (TARGETS, 22, False),
    (STATUS, 9, True), (PROGRESS, 9, True), (NOTE, 34, True), (EVIDENCE, 16, True), (INDICATORS, 22, True),
)
# Facts on row 2 as label/value cell pairs, so a CSV saved from the sheet still says what it answers.
FACT_PLAN, FACT_UNIT, FACT_PERIOD, FACT_DUE = "方案", "报送单位", "报送期", "截止日期"
FACT_PLAN_ID = "方案编号"  # what forms of earlier versions showed in row 2: still read from returned CSV files
INSTRUCTIONS = ("填写说明：只填浅黄色的“本期”各列，每条措施一行，没有新进展的措施留空即可。本期状态从下拉列表选择；"
                "进度填 0 到 100 的整数；状态为已完成时须写明完成情况；佐证材料与本表一起发回，此处只写文件名，多个用“；”分隔；"
                "指标数值在“=”后填数字。请勿改动表格结构、措施编号和文件名。")


# ---------------------------------------------------------------- periods


def parse_period(text: str, what: str = "--month") -> str:
    """Strict YYYY-MM for command-line input."""
    value = (text or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UsageProblem(f"{what}“{text}”格式不对，应为 YYYY-MM，例如 2026-11")
    if not year_in_range(int(match.group(1))):
        raise UsageProblem(f"{what}“{text}”超出范围，年份应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间")
    return value


def loose_period(text: str) -> Optional[str]:
    """What Excel may have made of 2026-11 in a CSV: 2026/11, 2026年11月, 2026/11/1; None if none."""
    match = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?!\d)", str(text or ""))
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return f"{match.group(1)}-{int(match.group(2)):02d}"


def period_bounds(period: str) -> Tuple[dt.date, dt.date]:
    year, month = (int(part) for part in period.split("-"))
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def due_date(plan: Plan, period: str) -> dt.date:
    first, last = period_bounds(period)
    return first.replace(day=min(max(plan.due_day, 1), last.day))


def current_period(today: Optional[dt.date] = None) -> str:
    return (today or dt.date.today()).strftime("%Y-%m")


# ---------------------------------------------------------------- what a form carries


@dataclass(frozen=True)
class FormMeta:
    plan: str
    """Plan id."""
    unit: str
    """Canonical name of the reporting unit."""
    period: str
    """YYYY-MM."""
    revision: str
    """HEAD commit of the tracking repository when the form was made."""
    measures: Tuple[str, ...]
    """Ids of the measures the form asks about, in row order."""
    version: str = FORM_VERSION
    """Layout version of the form."""
    mac: str = ""
    """HMAC-SHA256 of the fields above under the supervising office's key (hex)."""

    def compute_mac(self, key: bytes) -> str:
        fields = ["yytrack-form", self.version, self.plan, self.unit, self.period, self.revision,
                  ",".join(self.measures)]
        text = "\0".join(f"{len(f)}:{f}" for f in fields)  # length-prefixed: no two identities share a text
        return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def signed(self, key: bytes) -> "FormMeta":
        return replace(self, mac=self.compute_mac(key))

    def verify(self, keys) -> bool:
        return any(hmac.compare_digest(self.mac, self.compute_mac(k)) for k in keys)

    def fields(self) -> List[Tuple[str, str]]:
        return [("form_version", self.version), ("plan", self.plan), ("unit", self.unit),
                ("period", self.period), ("revision", self.revision), ("measures", ",".join(self.measures)),
                ("mac", self.mac)]


@dataclass(frozen=True)
class FormRow:
    measure: Measure
    """The measure the unit owes a report on."""
    role: str
    """lead, cooperating, implied or member (ROLE_LABELS)."""
    last: Optional[Update]
    """The unit's own latest update on it, if any."""


@dataclass(frozen=True)
class UnitForm:
    plan: Plan
    """The plan the form is about."""
    unit: str
    """Canonical unit name."""
    period: str
    """YYYY-MM."""
    rows: Tuple[FormRow, ...]
    """One per measure owed, in plan order."""
    meta: FormMeta
    """What the hidden sheet records."""

    @property
    def file_name(self) -> str:
        safe_unit = re.sub(r'[\\/:*?"<>|]', "_", self.unit)
        return f"{self.period}-{safe_unit}-报送表.xlsx"


def due_text(measure: Measure) -> str:
    final = measure.final_deadline
    return final.isoformat() if final else "长期坚持"


def targets_text(measure: Measure) -> str:
    parts = []
    for ind in measure.indicators:
        target = f"目标 {ind.direction}{ind.target:g}{ind.unit}" if ind.target is not None else "只报观测值"
        latest = f"；最新 {ind.observations[-1].value:g}{ind.unit}" if ind.observations else ""
        parts.append(f"{ind.name}：{target}{latest}")
    return "\n".join(parts)


def indicator_blanks(measure: Measure) -> str:
    """Names pre-written in the fill-in cell so the clerk only types numbers after “=”."""
    return "\n".join(f"{ind.name}=" for ind in measure.indicators)


def last_cells(last: Optional[Update]) -> Tuple[str, object, str]:
    if last is None:
        return "未报送", "", ""
    note = f"（{last.date.isoformat()}）{last.note}"
    return STATUS_LABELS.get(last.status, last.status), "" if last.progress is None else last.progress, note


def row_values(row: FormRow) -> List[object]:
    m = row.measure
    status, progress, note = last_cells(row.last)
    return [m.id, m.number, m.title, ROLE_LABELS[row.role], due_text(m), status, progress, note,
            targets_text(m), "", "", "", "", indicator_blanks(m)]
