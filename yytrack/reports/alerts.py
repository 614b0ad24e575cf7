"""Reporting periods, alerts (红/黄/绿) and indicator states. Pure logic: callers pass in the data.

Every rule is judged "as of" a day, from the updates known on that day, so a past month re-renders
exactly. The rules (documented for users in docs/reports.md):

- A period is a calendar month; units report by the plan's due day (`Plan.due_day`).
- A unit has reported on a measure in a period when an update dated in that period exists; a member's
  report counts for its group (福州市人民政府 for 各市、县（区）人民政府).
- A measure is due to report in a period once it has started (its `start`, else the plan's issue
  date) on or before the period's last day and the as-of day, and the period is one tracking covers:
  the first period owed is the first whose due day comes after the plan's `tracking_start`
  (started on the 3rd: this month; on the 29th with due day 25: next month).
- Done measures (待审核 / 已办结) carry no alert.
- 红: a deadline has passed; or a lead unit has reported neither this period nor the previous one.
- 黄: a deadline falls within 30 days; or a lead unit has not reported this period (as of the as-of
  day, so early in the month a yellow is a reminder, not a fault).
- 绿: otherwise. A measure without deadlines (长期坚持) is judged on reporting alone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from yytrack.errors import UsageProblem
from yytrack.model import Indicator, Measure, Observation, Plan, Update
from yytrack.model.validate import FIRST_YEAR, LAST_YEAR, year_in_range

NEAR_DAYS = 30
DONE_STATUSES = ("awaiting_review", "accepted")
ALERT_LEVELS = ("red", "yellow", "green")
ALERT_LABELS = {"red": "红", "yellow": "黄", "green": "绿", None: "—"}
INDICATOR_LABELS = {"met": "达标", "not_met": "未达标", "missed": "逾期未达标", "no_data": "无数据",
                    "no_target": "仅观测"}

UpdatesByUnit = Dict[str, List[Update]]


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: one calendar month."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        value = (text or "").strip()
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise UsageProblem(f"月份“{text}”格式不对，应为 YYYY-MM，例如 2026-11")
        if not year_in_range(int(match.group(1))):
            raise UsageProblem(f"月份“{text}”超出范围，年份应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: dt.date) -> "Period":
        return cls(day.year, day.month)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> "Period":
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> "Period":
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def due_date(self, due_day: int) -> dt.date:
        """The reporting deadline; day 31 in a 30-day month means the last day."""
        return dt.date(self.year, self.month, max(1, min(due_day, self.end.day)))

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Alert:
    level: Optional[str]
    """red, yellow or green; None for a done measure."""
    reasons: Tuple[str, ...] = ()
    """Why, in Chinese, most serious first."""

    @property
    def label(self) -> str:
        return ALERT_LABELS[self.level]


@dataclass(frozen=True)
class IndicatorState:
    indicator: Indicator
    """The indicator judged."""
    state: str
    """met, not_met, missed, no_data or no_target (INDICATOR_LABELS)."""
    latest: Optional[Observation]
    """The latest value known on the as-of day (from the task file or a unit's report)."""

    @property
    def label(self) -> str:
        return INDICATOR_LABELS[self.state]


def is_done(status: str) -> bool:
    return status in DONE_STATUSES


def effective_start(measure: Measure, plan: Plan) -> Optional[dt.date]:
    """Work starts at the measure's start date, else when the plan was issued."""
    return measure.start or plan.issued


def first_period(plan: Plan) -> Optional[Period]:
    """The first period tracking asks a report for: the first whose due day comes after the start."""
    first = plan.first_month
    return Period.parse(first) if first else None


def is_tracked(plan: Plan, period: Period) -> bool:
    """Whether tracking covers the period (a plan without a tracking start covers every period)."""
    first = first_period(plan)
    return first is None or period >= first


def is_due(measure: Measure, plan: Plan, period: Period, as_of: dt.date) -> bool:
    """Whether the measure has to be reported on in the period (tracked, and started by then)."""
    if not is_tracked(plan, period):
        return False
    start = effective_start(measure, plan)
    return start is None or start <= min(period.end, as_of)


def owners(measure: Measure) -> Tuple[str, ...]:
    """The units a measure's status follows: its leads, or everyone listed when it names no lead."""
    return measure.lead_units or measure.responsible_units


def _dated_in(unit_updates: List[Update], period: Period, recorded_by: Optional[str] = None) -> bool:
    """An update dated in the period (and recorded by a day). The list is sorted by (date, recorded),
    so the scan runs from the end and stops at the first update dated before the period."""
    for u in reversed(unit_updates):
        if u.date < period.start:
            return False
        if u.date <= period.end and (recorded_by is None or (u.recorded or u.date.isoformat())[:10] <= recorded_by):
            return True
    return False


def reported_units(updates: UpdatesByUnit, groups_of, period: Period) -> Set[str]:
    """Units (and, through their members, groups) with an update dated in the period."""
    found: Set[str] = set()
    for unit, unit_updates in updates.items():
        if _dated_in(unit_updates, period):
            found.add(unit)
            found.update(groups_of(unit))
    return found


def on_time_units(updates: UpdatesByUnit, groups_of, period: Period, due: dt.date) -> Set[str]:
    """Units with an update dated in the period and recorded by the due day."""
    found: Set[str] = set()
    for unit, unit_updates in updates.items():
        if _dated_in(unit_updates, period, due.isoformat()):
            found.add(unit)
            found.update(groups_of(unit))
    return found


def deadline_reasons(measure: Measure, as_of: dt.date) -> Tuple[List[str], List[str]]:
    """(red reasons, yellow reasons) from the measure's deadlines."""
    red, yellow = [], []
    for deadline in sorted(measure.deadlines, key=lambda d: d.date):
        days = (deadline.date - as_of).days
        what = f"（{deadline.what}）" if deadline.what else ""
        if days < 0:
            red.append(f"截止日期 {deadline.date} 已逾期 {-days} 天{what}")
        elif days <= NEAR_DAYS:
            yellow.append(f"截止日期 {deadline.date} 还有 {days} 天{what}")
    return red, yellow


def reporting_reasons(measure: Measure, plan: Plan, updates: UpdatesByUnit, groups_of,
                      period: Period, as_of: dt.date) -> Tuple[List[str], List[str]]:
    """(red reasons, yellow reasons) from the lead units' reports."""
    if not is_due(measure, plan, period, as_of):
        return [], []
    now = reported_units(updates, groups_of, period)
    before_period = period.previous()
    before = reported_units(updates, groups_of, before_period)
    previous_due = is_due(measure, plan, before_period, as_of)
    silent = [u for u in owners(measure) if u not in now]
    twice = [u for u in silent if previous_due and u not in before]
    once = [u for u in silent if u not in twice]
    red = [f"{'、'.join(twice)} 连续两期（{before_period.label}、{period.label}）未报送"] if twice else []
    yellow = [f"{'、'.join(once)} 本期（{period.label}）未报送"] if once else []
    return red, yellow


def measure_alert(measure: Measure, plan: Plan, status: str, updates: UpdatesByUnit, groups_of,
                  period: Period, as_of: dt.date) -> Alert:
    """The alert of one measure for the period, judged on the as-of day.

    `updates` are the measure's updates known on as_of (Tracker.unit_updates(measure, as_of));
    `groups_of` maps a unit to the groups it belongs to (Registry.groups_of).
    """
    if is_done(status):
        return Alert(None)
    late, near = deadline_reasons(measure, as_of)
    silent_twice, silent_once = reporting_reasons(measure, plan, updates, groups_of, period, as_of)
    if late or silent_twice:
        return Alert("red", tuple(late + silent_twice + near + silent_once))
    # A lead's report of 受阻 is exactly what a supervisor has to act on, so it is never green.
    blocked = ["牵头单位报告受阻，需协调解决"] if status == "blocked" else []
    if near or silent_once or blocked:
        return Alert("yellow", tuple(blocked + near + silent_once))
    start = effective_start(measure, plan)
    if start is not None and start > as_of:
        return Alert("green", (f"尚未开始（{start} 开始）",))
    return Alert("green")


def compare(value: float, direction: str, target: float) -> bool:
    """value <direction> target, with a tolerance for equality of decimal values."""
    close = abs(value - target) < 1e-9
    return {">=": value > target or close, "<=": value < target or close, "=": close,
            ">": value > target and not close, "<": value < target and not close}.get(direction, False)


def indicator_values(indicator: Indicator, updates: UpdatesByUnit, as_of: dt.date) -> List[Observation]:
    """The indicator's observations and the values units reported with --indicator, oldest first."""
    found = [o for o in indicator.observations if o.date <= as_of]
    reported = [u for unit_updates in updates.values() for u in unit_updates if u.date <= as_of]
    for update in sorted(reported, key=lambda u: (u.date, u.recorded)):
        found += [Observation(update.date, value, update.unit)
                  for name, value in update.indicators if name == indicator.name]
    # Stable sort: on the same day a unit's report (recorded later) wins over the file's value.
    return sorted(found, key=lambda o: o.date)


def indicator_state(indicator: Indicator, updates: UpdatesByUnit, as_of: dt.date) -> IndicatorState:
    values = indicator_values(indicator, updates, as_of)
    latest = values[-1] if values else None
    if indicator.target is None:
        return IndicatorState(indicator, "no_target", latest)
    if latest is None:
        return IndicatorState(indicator, "no_data", None)
    if compare(latest.value, indicator.direction, indicator.target):
        return IndicatorState(indicator, "met", latest)
    overdue = indicator.deadline is not None and as_of > indicator.deadline
    return IndicatorState(indicator, "missed" if overdue else "not_met", latest)


def due_pairs(measures: Iterable[Tuple[Measure, str]], plan: Plan, period: Period,
              as_of: dt.date) -> List[Tuple[Measure, str]]:
    """(measure, unit) pairs that owe a report in the period: listed units of started, undone measures."""
    return [(m, unit) for m, status in measures if not is_done(status) and is_due(m, plan, period, as_of)
            for unit in m.responsible_units]


def last_periods(period: Period, count: int) -> List[Period]:
    """The count periods ending with period, oldest first."""
    out = [period]
    while len(out) < count:
        out.append(out[-1].previous())
    return out[::-1]


def closed_periods(as_of: dt.date, due_day: int, until: Period, count: int) -> List[Period]:
    """The last count periods up to `until` whose due day has passed on as_of, oldest first."""
    period = until
    while period.due_date(due_day) > as_of:
        period = period.previous()
    return last_periods(period, count)


def tracked_closed_periods(plan: Plan, as_of: dt.date, until: Period, count: int) -> List[Period]:
    """closed_periods, without those before tracking began (may be empty in a new repository)."""
    return [p for p in closed_periods(as_of, plan.due_day, until, count) if is_tracked(plan, p)]


def ranked(rows: Sequence[dict]) -> List[dict]:
    """Timeliness rows best first: highest rate, then more reports due, then name."""
    return sorted(rows, key=lambda r: (-(r["on_time"] / r["due"]) if r["due"] else 1, -r["due"], r["unit"]))
