"""Plain-data views of library results, shared by `--json` output and the report context."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from yytrack.model import MEASURE_STATUS_LABELS, Indicator, Measure, MeasureState, Update


def update_dict(update: Optional[Update]) -> Optional[dict]:
    if update is None:
        return None
    return {
        "measure": update.measure, "unit": update.unit, "status": update.status,
        "status_label": MEASURE_STATUS_LABELS.get(update.status, update.status),
        "progress": update.progress, "date": update.date.isoformat(), "note": update.note,
        "author": update.author, "recorded": update.recorded, "evidence": list(update.evidence),
        "indicators": {name: value for name, value in update.indicators},
    }


def indicator_dict(indicator: Indicator) -> dict:
    return {
        "name": indicator.name, "target": indicator.target, "unit": indicator.unit,
        "direction": indicator.direction,
        "deadline": indicator.deadline.isoformat() if indicator.deadline else None,
        "observations": [{"date": o.date.isoformat(), "value": o.value, "source": o.source}
                         for o in indicator.observations],
    }


def measure_dict(measure: Measure, state: Optional[MeasureState] = None) -> dict:
    """The JSON contract of `list --json` and `show --json`."""
    return {
        "id": measure.id, "plan": measure.plan, "number": measure.number, "seq": measure.seq,
        "title": measure.title, "section": measure.section, "text": measure.text,
        "lead_units": list(measure.lead_units), "cooperating_units": list(measure.cooperating_units),
        "implied_units": list(measure.implied_units), "lead_inferred": measure.lead_inferred,
        "start": measure.start.isoformat() if measure.start else None,
        "deadlines": [{"date": d.date.isoformat(), "what": d.what} for d in measure.deadlines],
        "indicators": [indicator_dict(i) for i in measure.indicators],
        "implements": list(measure.implements),
        "status": state.status if state else "not_started",
        "progress": state.progress if state else None,
        "last_update": update_dict(state.last_update) if state else None,
    }


def lead_label(measure: Measure) -> str:
    leads = "、".join(measure.lead_units) or "（未列）"
    return f"{leads}（推定）" if measure.lead_inferred else leads


def day_label(day: Optional[dt.date]) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def trimmed(text: str, limit: int) -> str:
    from yytrack.model.clip import clip

    return clip(text, limit)


def person(author: str) -> str:
    """姓名 from `姓名 <email>`."""
    return (author or "").split(" <")[0].strip()


def document_of(config: dict, office: str, month: dt.date) -> dict:
    """How an official document is headed and signed: `document:` in tasks/config.yaml, with defaults.

    number may hold {year} and {month}, filled from the report's month.
    """
    doc = config.get("document") or {}
    doc = doc if isinstance(doc, dict) else {}
    number = str(doc.get("number") or "").replace("{year}", str(month.year)).replace("{month}", str(month.month))
    return {"masthead": str(doc.get("masthead") or ""), "number": number,
            "recipients": str(doc.get("recipients") or "各有关单位"), "signer": str(doc.get("signer") or office),
            "contact": str(doc.get("contact") or "")}
