"""The data behind a monthly report (督导通报) and a reminder (催办): plain dicts, ready for templates.

Reading is bounded: the plan's progress files (cached by Tracker) and one `git log` over the period. Every
value is computed "as of" a day, so a past month re-renders exactly (docs/reports.md lists every key).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter
from typing import Dict, List

from yytrack.model.text import clean_deep
from yytrack.reports import alerts
from yytrack.repo import history
from yytrack.reports.alerts import Alert, Period
from yytrack.model import MEASURE_STATUS_LABELS, MEASURE_STATUSES, ROLE_LABELS, STATUS_LABELS, Measure, MeasureState, Plan, Update
from yytrack.reports.textfit import title_lines
from yytrack.reports.present import day_label, document_of, lead_label, person, trimmed

TIMELINESS_PERIODS = 6
SHORT_TITLE_CHARS = 24
SHORT_NOTE_CHARS = 60
TITLE_LINE_CHARS = 22  # characters of a title line on an A4 page
BY_DATE = itemgetter("date")


@dataclass(frozen=True)
class MeasureFacts:
    """Everything known about one measure on the as-of day."""

    measure: Measure
    state: MeasureState
    updates: Dict[str, List[Update]]
    alert: Alert
    reported: frozenset


def collect_facts(tracker, plan: Plan, period: Period, as_of: dt.date) -> List[MeasureFacts]:
    groups_of = tracker.registry.groups_of
    # The report asks only about the timeliness periods and the previous period (and what was known
    # before them), so each file's recent window answers it: the work does not grow with history.
    looked_at = alerts.tracked_closed_periods(plan, as_of, period, TIMELINESS_PERIODS)
    since = min([period.previous().start] + [p.start for p in looked_at])
    facts = []
    for state, updates in tracker.report_states(plan.id, as_of, since):
        measure = state.measure
        alert = alerts.measure_alert(measure, plan, state.status, updates, groups_of, period, as_of)
        reported = frozenset(alerts.reported_units(updates, groups_of, period))
        facts.append(MeasureFacts(measure, state, updates, alert, reported))
    return facts


def office_of(tracker, plan: Plan) -> str:
    supervisor = tracker.config.get("supervisor") or {}
    return plan.supervisor or str(supervisor.get("office") or "") or "督办处室"


def build_context(tracker, plan, month, as_of: dt.date) -> dict:
    """The one context every report format renders: plan, period, summary, rows and history.

    plan: a Plan or plan id; month: a Period or "YYYY-MM"; as_of: the day everything is judged on.
    """
    plan = tracker.plan(plan) if isinstance(plan, str) else plan
    period = Period.parse(month) if isinstance(month, str) else month
    facts = collect_facts(tracker, plan, period, as_of)
    due = period.due_date(plan.due_day)
    context = {
        "title": f"{plan.title}落实情况督导通报",
        "title_lines": title_lines(f"{plan.title}落实情况督导通报", TITLE_LINE_CHARS),
        "plan": {"id": plan.id, "title": plan.title, "doc_number": plan.doc_number, "issuer": plan.issuer,
                 "issued": plan.issued.isoformat() if plan.issued else "", "due_day": plan.due_day,
                 "tracking_start": plan.tracking_start.isoformat() if plan.tracking_start else "",
                 "first_period": alerts.first_period(plan).label if plan.tracking_start else ""},
        "office": office_of(tracker, plan),
        "document": document_of(tracker.config, office_of(tracker, plan), period.start),
        "period": {"key": period.key, "label": period.label, "start": period.start.isoformat(),
                   "end": period.end.isoformat(), "due": due.isoformat(), "due_passed": as_of > due},
        "as_of": as_of.isoformat(),
        "as_of_label": day_label(as_of),
        "measures": [measure_row(f, tracker.registry.groups_of) for f in facts],
        "missing": missing_units(tracker, facts, plan, period, as_of),
        "deadlines": deadline_rows(facts, as_of),
        "indicators": indicator_rows(facts, as_of),
        "changes": changes(tracker, plan, period, as_of, facts),
        "timeliness": timeliness(tracker, plan, period, as_of, facts),
        "annex": annex(facts, period),
    }
    context["summary"] = summary(facts, plan, period, as_of)
    return clean_deep(context)  # no control character from a file reaches Markdown, HTML, Word or Excel


def summary(facts: List[MeasureFacts], plan: Plan, period: Period, as_of: dt.date) -> dict:
    statuses = Counter(f.state.status for f in facts)
    levels = Counter(f.alert.level for f in facts)
    pairs = alerts.due_pairs(((f.measure, f.state.status) for f in facts), plan, period, as_of)
    reported_of = {f.measure.id: f.reported for f in facts}
    reported = sum(unit in reported_of[m.id] for m, unit in pairs)
    return {
        "measures": len(facts),
        "by_status": [{"key": k, "label": MEASURE_STATUS_LABELS[k], "count": statuses.get(k, 0)}
                      for k in MEASURE_STATUSES],
        "by_alert": [{"key": k or "none", "label": alerts.ALERT_LABELS[k] if k else "不预警（已完成）",
                      "count": levels.get(k, 0)} for k in (*alerts.ALERT_LEVELS, None)],
        "reporting": {"due": len(pairs), "reported": reported, "rate": reported / len(pairs) if pairs else None,
                      "rate_label": f"{reported / len(pairs):.1%}" if pairs else "—"},
    }


def measure_row(f: MeasureFacts, groups_of) -> dict:
    m, state = f.measure, f.state
    last = state.last_update
    return {
        "id": m.id, "number": m.number, "seq": m.seq, "title": m.title,
        "short_title": trimmed(m.title, SHORT_TITLE_CHARS), "section": m.section,
        "lead_units": list(m.lead_units), "lead_inferred": m.lead_inferred, "lead_label": lead_label(m),
        "status": state.status, "status_label": MEASURE_STATUS_LABELS[state.status],
        "progress": state.progress, "progress_label": "—" if state.progress is None else f"{state.progress}%",
        "note": last.note if last else "", "note_short": trimmed(last.note, SHORT_NOTE_CHARS) if last else "",
        "last_report": last.date.isoformat() if last else "", "last_unit": last.unit if last else "",
        "alert": f.alert.level or "none", "alert_label": f.alert.label, "alert_reasons": list(f.alert.reasons),
        "recurring": m.recurring,
        "deadline": m.final_deadline.isoformat() if m.final_deadline else "",
        "units": unit_rows(f, groups_of),
    }


def unit_rows(f: MeasureFacts, groups_of) -> List[dict]:
    """Each listed unit's own latest report (a group's is its latest member's), for the 任务台账."""
    latest: Dict[str, Update] = {}
    for unit, ups in f.updates.items():
        for name in (unit, *groups_of(unit)):
            if name not in latest or (ups[-1].date, ups[-1].recorded) > (latest[name].date, latest[name].recorded):
                latest[name] = ups[-1]
    rows = []
    for unit in f.measure.responsible_units:
        role, last = f.measure.role_of(unit) or "", latest.get(unit)
        rows.append({"unit": unit, "role": role, "role_label": ROLE_LABELS.get(role, ""),
                     "status": last.status if last else "",
                     "status_label": STATUS_LABELS.get(last.status, last.status) if last else "未报送",
                     "progress": last.progress if last else None,
                     "progress_label": "—" if last is None or last.progress is None else f"{last.progress}%",
                     "last_report": last.date.isoformat() if last else "", "note": last.note if last else "",
                     "reported": unit in f.reported})
    return rows


def missing_units(tracker, facts: List[MeasureFacts], plan: Plan, period: Period, as_of: dt.date) -> List[dict]:
    """Each unit that owes a report this period, with the measures it owes, most owed first."""
    by_measure = {f.measure.id: f for f in facts}
    owed: Dict[str, List[dict]] = {}
    for measure, unit in alerts.due_pairs(((f.measure, f.state.status) for f in facts), plan, period, as_of):
        if unit not in by_measure[measure.id].reported:
            role = measure.role_of(unit) or ""
            owed.setdefault(unit, []).append({"id": measure.id, "number": measure.number, "title": measure.title,
                                              "short_title": trimmed(measure.title, SHORT_TITLE_CHARS),
                                              "role": role, "role_label": ROLE_LABELS.get(role, "")})
    order = {unit: i for i, unit in enumerate(owed)}
    rows = [{"unit": unit, "full_name": full_name(tracker, unit), "count": len(items), "measures": items}
            for unit, items in owed.items()]
    return sorted(rows, key=lambda r: (-r["count"], order[r["unit"]]))


def full_name(tracker, unit: str) -> str:
    found = tracker.registry.get(unit)
    return (found.full_name if found else "") or unit


def deadline_rows(facts: List[MeasureFacts], as_of: dt.date) -> dict:
    """Deadlines passed while the measure is not done, and those within 30 days, soonest first."""
    overdue, near = [], []
    for f in facts:
        if alerts.is_done(f.state.status):
            continue
        for d in f.measure.deadlines:
            days = (d.date - as_of).days
            row = {"id": f.measure.id, "number": f.measure.number, "title": f.measure.title,
                   "short_title": trimmed(f.measure.title, SHORT_TITLE_CHARS), "date": d.date.isoformat(),
                   "what": d.what, "days": days, "lead_label": lead_label(f.measure),
                   "status_label": MEASURE_STATUS_LABELS[f.state.status],
                   "days_label": f"已逾期 {-days} 天" if days < 0 else f"还有 {days} 天"}
            if days < 0:
                overdue.append(row)
            elif days <= alerts.NEAR_DAYS:
                near.append(row)
    return {"overdue": sorted(overdue, key=BY_DATE), "near": sorted(near, key=BY_DATE)}


def indicator_rows(facts: List[MeasureFacts], as_of: dt.date) -> List[dict]:
    rows = []
    for f in facts:
        for indicator in f.measure.indicators:
            judged = alerts.indicator_state(indicator, f.updates, as_of)
            latest = judged.latest
            target = ("—" if indicator.target is None
                      else f"{indicator.direction}{indicator.target:g}{indicator.unit}")
            rows.append({
                "id": f.measure.id, "number": f.measure.number, "name": indicator.name,
                "target": indicator.target, "target_label": target, "direction": indicator.direction,
                "unit": indicator.unit, "deadline": indicator.deadline.isoformat() if indicator.deadline else "",
                "latest_value": latest.value if latest else None,
                "latest_label": f"{latest.value:g}{indicator.unit}" if latest else "—",
                "latest_date": latest.date.isoformat() if latest else "", "source": latest.source if latest else "",
                "state": judged.state, "state_label": judged.label})
    return rows


def annex(facts: List[MeasureFacts], period: Period) -> List[dict]:
    """Every update dated in the period, per measure, in date order."""
    out = []
    for f in facts:
        dated = [u for ups in f.updates.values() for u in ups if period.contains(u.date)]
        if not dated:
            continue
        entries = [{"date": u.date.isoformat(), "unit": u.unit, "status": u.status,
                    "status_label": STATUS_LABELS.get(u.status, u.status),
                    "progress": u.progress, "progress_label": "—" if u.progress is None else f"{u.progress}%",
                    "note": u.note, "author": person(u.author), "evidence": len(u.evidence),
                    "indicators": "；".join(f"{name}={value:g}" for name, value in u.indicators)}
                   for u in sorted(dated, key=lambda u: (u.date, u.recorded, u.unit))]
        out.append({"id": f.measure.id, "number": f.measure.number, "title": f.measure.title,
                    "short_title": trimmed(f.measure.title, SHORT_TITLE_CHARS), "updates": entries})
    return out


def changes(tracker, plan: Plan, period: Period, as_of: dt.date, facts: List[MeasureFacts]) -> dict:
    """Status transitions and review decisions committed in the period: a `git log` bounded by dates."""
    until = min(period.end, as_of)
    commits = history.read_period_log(tracker.root, f"progress/{plan.id}/", f"{period.start} 00:00:00",
                                      f"{until} 23:59:59")
    by_id = {f.measure.id: f for f in facts}
    last = status_before(facts, period)
    transitions, reviews = [], []
    for commit in reversed(commits):  # oldest first, so each transition starts from the one before
        measure_id = commit.trailer("Measure")
        fact = by_id.get(measure_id)
        if fact is None:
            continue
        base = {"id": measure_id, "number": fact.measure.number,
                "short_title": trimmed(fact.measure.title, SHORT_TITLE_CHARS),
                "date": commit.trailer("Date") or commit.authored[:10], "author": person(commit.author)}
        if commit.trailer("Review"):
            decision = commit.trailer("Review")
            reviews.append({**base, "decision": decision, "note": commit.note,
                            "decision_label": "同意办结" if decision == "accept" else "退回"})
            continue
        unit, status = commit.trailer("Unit"), commit.trailer("Status")
        before = last.get((measure_id, unit))
        if not status or status == before:
            continue
        last[(measure_id, unit)] = status
        transitions.append({**base, "unit": unit, "from": before or "", "to": status,
                            "from_label": STATUS_LABELS.get(before, before) if before else "（首次报送）",
                            "to_label": STATUS_LABELS.get(status, status), "progress": commit.trailer("Progress")})
    # Stable sorts: changes of the same day keep their commit order.
    return {"transitions": sorted(transitions, key=BY_DATE), "reviews": sorted(reviews, key=BY_DATE)}


def status_before(facts: List[MeasureFacts], period: Period) -> Dict[tuple, str]:
    """Each unit's status as recorded before the period began: the starting point of transitions."""
    start = period.start.isoformat()
    out = {}
    for f in facts:
        for unit, ups in f.updates.items():
            earlier = [u for u in ups if (u.recorded or u.date.isoformat())[:10] < start]
            if earlier:
                out[(f.measure.id, unit)] = max(earlier, key=lambda u: (u.date, u.recorded)).status
    return out


def timeliness(tracker, plan: Plan, period: Period, as_of: dt.date, facts: List[MeasureFacts]) -> dict:
    """Units ranked by reports on time / reports due over the last closed periods."""
    periods = alerts.tracked_closed_periods(plan, as_of, period, TIMELINESS_PERIODS)
    groups_of = tracker.registry.groups_of
    tally: Dict[str, dict] = {}
    for p in periods:
        judged_on = min(p.end, as_of)
        due = p.due_date(plan.due_day)
        for f in facts:
            status = tracker.state_from(f.measure, f.updates, judged_on).status
            if alerts.is_done(status) or not alerts.is_due(f.measure, plan, p, judged_on):
                continue
            punctual = alerts.on_time_units(f.updates, groups_of, p, due)
            for unit in f.measure.responsible_units:
                row = tally.setdefault(unit, {"unit": unit, "due": 0, "on_time": 0})
                row["due"] += 1
                row["on_time"] += unit in punctual
    rows = alerts.ranked(list(tally.values()))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
        row["rate"] = row["on_time"] / row["due"]
        row["rate_label"] = f"{row['rate']:.1%}"
    first_owed = alerts.first_period(plan)
    span = (f"{periods[0].label}至{periods[-1].label}" if periods
            else f"尚无已过报送截止日的报送期（自{first_owed.label}起报送）" if first_owed else "尚无已过报送截止日的报送期")
    return {"periods": [p.key for p in periods], "first": periods[0].label if periods else "",
            "last": periods[-1].label if periods else "", "span": span, "units": rows}
