"""Frozen data models and the status vocabulary. No file, git or click access here."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Optional, Tuple

# Status vocabulary: English keys are stored, Chinese labels are shown.
STATUS_LABELS = {
    "not_started": "未启动",
    "in_progress": "推进中",
    "done": "已完成",
    "blocked": "受阻",
}
# Measure-level states add the supervising office's review outcome.
MEASURE_STATUS_LABELS = {
    **STATUS_LABELS,
    "awaiting_review": "待审核",
    "accepted": "已办结",
}
# The states a measure can be in (a unit's "done" becomes the measure's awaiting_review).
MEASURE_STATUSES = ("not_started", "in_progress", "blocked", "awaiting_review", "accepted")
DIRECTION_SYMBOLS = (">=", "<=", "=", ">", "<")
ROLE_LABELS = {"lead": "牵头", "cooperating": "配合", "implied": "属地落实", "member": "成员单位"}


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    """The day by which the thing must be done."""
    what: str = ""
    """What is due, in the document's words."""


@dataclass(frozen=True)
class Observation:
    date: dt.date
    """The day the value was true (or reported)."""
    value: float
    """The measured value, in the indicator's unit."""
    source: str = ""
    """Where the value comes from (a document number or a unit's report)."""


@dataclass(frozen=True)
class Indicator:
    name: str
    """What is measured, e.g. 65岁及以上老年人健康管理率."""
    target: Optional[float] = None
    """The value to reach; None for a value only observed."""
    unit: str = ""
    """Unit of the value: %, 家, 个, 年 …"""
    direction: str = ">="
    """How the value compares with the target: >=, <=, =, >, <."""
    deadline: Optional[dt.date] = None
    """By when the target must be met; None for no date."""
    observations: Tuple[Observation, ...] = ()
    """Measured values, oldest first."""


@dataclass(frozen=True)
class Unit:
    name: str
    """Canonical short name, as used in the clauses with the prefix expanded (省民政厅)."""
    full_name: str = ""
    """Full official name where known (福建省民政厅)."""
    aliases: Tuple[str, ...] = ()
    """Other spellings that mean this unit."""
    level: str = ""
    """national, province, city, county, town or other."""
    members: Tuple[str, ...] = ()
    """For a group (各市、县（区）人民政府): the units that belong to it."""
    contact: str = ""
    """`姓名 <email>` of the unit's contact, used as the author of collected forms."""
    group: bool = False
    """Marked a group in the registry even without listed members (地方各级人民政府)."""

    @property
    def is_group(self) -> bool:
        return self.group or bool(self.members) or self.name.startswith("各")


LEVEL_LABELS = {"national": "国家", "province": "省", "city": "市", "county": "县", "town": "乡镇", "other": "其他"}
"""How a unit's level reads in Chinese (units.yaml keeps the English key)."""


@dataclass(frozen=True)
class Plan:
    id: str
    """Slug used in measure ids: fujian, qiubei."""
    title: str
    """The document's title."""
    doc_number: str = ""
    """文号, e.g. 闽卫老龄〔2022〕135号."""
    issuer: str = ""
    """Who issued the document."""
    issued: Optional[dt.date] = None
    """Date of the document."""
    parent: str = ""
    """Id of the plan this one implements."""
    supervisor: str = ""
    """The office that supervises and reviews (卫健委老龄处)."""
    due_day: int = 25
    """Day of the month by which units report."""
    cycle: str = "monthly"
    """Reporting cycle; monthly is the only one supported."""
    note: str = ""
    """Free remarks about the plan."""
    tracking_start: Optional[dt.date] = None
    """The day tracking began (set by init and import): periods whose due day is not after it owe nothing."""

    @property
    def first_month(self) -> Optional[str]:
        """YYYY-MM of the first period tracking asks a report for: the first whose due day comes after
        the tracking start (started on the 3rd: that month; on the 29th with due day 25: the next).
        None when the plan has no tracking start (every period counts)."""
        start = self.tracking_start
        if start is None:
            return None
        last_day = calendar.monthrange(start.year, start.month)[1]
        if min(max(self.due_day, 1), last_day) > start.day:
            return f"{start.year:04d}-{start.month:02d}"
        year, month = start.year + start.month // 12, start.month % 12 + 1
        return f"{year:04d}-{month:02d}"


@dataclass(frozen=True)
class Measure:
    id: str
    """<plan>-<NN>, e.g. fujian-03."""
    plan: str
    """The plan id."""
    number: str
    """The number as written: （三）."""
    seq: int
    """Sequence number within the plan."""
    title: str
    """Short title: the sentence before the first 。."""
    section: str = ""
    """Section heading: 二、推动医养结合机构提质扩面."""
    text: str = ""
    """Full text of the measure."""
    lead_units: Tuple[str, ...] = ()
    """Units marked 牵头 (or inferred, see lead_inferred)."""
    cooperating_units: Tuple[str, ...] = ()
    """The other units the clause lists."""
    implied_units: Tuple[str, ...] = ()
    """Units a clause elsewhere makes responsible (以下均需…落实，不再列出)."""
    lead_inferred: bool = False
    """True when the clause marks no lead and the first-listed unit is taken as lead by convention."""
    start: Optional[dt.date] = None
    """When work on the measure starts, where the document says."""
    deadlines: Tuple[Deadline, ...] = ()
    """Dated commitments; empty for a recurring (长期坚持) measure."""
    indicators: Tuple[Indicator, ...] = ()
    """Numeric targets and observations."""
    implements: Tuple[str, ...] = ()
    """Ids of the parent plan's measures this one implements."""
    leaders: Tuple[str, ...] = ()
    """Persons the document names as responsible leaders (分管省领导：张三); never units."""
    ongoing: bool = False
    """The document says the measure has no end date (长期坚持, 持续推进)."""
    review: bool = False
    """Set by import when its reading was uncertain; `check` warns until a person removes it."""

    @property
    def responsible_units(self) -> Tuple[str, ...]:
        seen = dict.fromkeys(self.lead_units + self.cooperating_units + self.implied_units)
        return tuple(seen)

    @property
    def recurring(self) -> bool:
        return not self.deadlines

    @property
    def final_deadline(self) -> Optional[dt.date]:
        return max((d.date for d in self.deadlines), default=None)

    def role_of(self, unit: str) -> Optional[str]:
        if unit in self.lead_units:
            return "lead"
        if unit in self.cooperating_units:
            return "cooperating"
        if unit in self.implied_units:
            return "implied"
        return None


@dataclass(frozen=True)
class Update:
    measure: str
    """Measure id."""
    unit: str
    """Reporting unit (canonical name)."""
    status: str
    """One of STATUS_LABELS."""
    date: dt.date
    """The day the progress refers to (defaults to the day it was recorded)."""
    progress: Optional[int] = None
    """Percent complete, 0–100."""
    note: str = ""
    """What was done."""
    author: str = ""
    """`姓名 <email>` of the person who recorded it."""
    recorded: str = ""
    """ISO timestamp of when it was recorded."""
    evidence: Tuple[str, ...] = ()
    """Repository paths of the attached evidence files."""
    indicators: Tuple[Tuple[str, float], ...] = ()
    """Indicator values reported with the update."""
    on_behalf: bool = False
    """Keyed in by the supervising office for the unit (author is the person who keyed it in)."""
    source: str = ""
    """Where an on-behalf entry came from: a form file name, 电话, 会议 or other text."""


@dataclass(frozen=True)
class Review:
    measure: str
    """Measure id."""
    decision: str
    """accept or reject."""
    date: dt.date
    """Day of the review."""
    note: str = ""
    """The reviewer's reason."""
    author: str = ""
    """`姓名 <email>` of the reviewer."""
    recorded: str = ""
    """ISO timestamp of when it was recorded."""


@dataclass(frozen=True)
class MeasureState:
    measure: Measure
    """The measure."""
    status: str
    """Measure-level status (MEASURE_STATUS_LABELS)."""
    progress: Optional[int]
    """Lowest progress among the leads that reported (the measure is as far as its slowest lead)."""
    last_update: Optional[Update]
    """The most recent update by any unit."""
    unit_updates: Tuple[Update, ...] = field(default=())
    """Each unit's latest update, in responsibility order."""
    last_review: Optional[Review] = None
    """The latest review."""


def chinese_number(numeral: str) -> int:
    """一 → 1, 十五 → 15, 二十一 → 21 (enough for item numbers); 0 when not a numeral."""
    if numeral.isdigit():
        return int(numeral)
    digit = {ch: i + 1 for i, ch in enumerate("一二三四五六七八九")}
    tens, has_ten, ones = numeral.partition("十")
    if not has_ten:
        return digit.get(numeral, 0)
    if (tens and tens not in digit) or (ones and ones not in digit):
        return 0
    return (digit[tens] if tens else 1) * 10 + (digit[ones] if ones else 0)


def status_key(text: str) -> Optional[str]:
    """Accept an English key or a Chinese label; return the key or None."""
    value = (text or "").strip()
    if value in STATUS_LABELS:
        return value
    for key, label in STATUS_LABELS.items():
        if value == label:
            return key
    return None


def measure_status(measure: Measure, latest: dict, review: Optional[Review]) -> str:
    """The rule: a measure's status follows its lead units; cooperating reports do not set it.

    - any lead blocked → blocked;
    - every lead done → awaiting_review, or accepted after the supervisor accepts
      (a reject sends it back to in_progress until a lead reports again);
    - no lead reported → not_started; otherwise in_progress.
    A measure without lead units follows every responsible unit the same way.
    """
    owners = measure.lead_units or measure.responsible_units
    states = [latest[u].status for u in owners if u in latest]
    if not states:
        return "not_started"
    if "blocked" in states:
        return "blocked"
    if len(states) == len(owners) and all(s == "done" for s in states):
        if review is not None:
            last_done = max(latest[u].recorded for u in owners)
            if review.recorded >= last_done:
                return "accepted" if review.decision == "accept" else "in_progress"
        return "awaiting_review"
    if all(s == "not_started" for s in states):
        return "not_started"
    return "in_progress"
