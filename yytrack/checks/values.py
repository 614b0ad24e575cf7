"""Values in range: every date in a progress or review record lies between the year before its plan was
issued and today, so that no report or reminder meets a year 0 or 9999 later."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import Any, Optional

from yytrack.checks.framework import Doc, Head, Report, Tree, line_of, load_doc
from yytrack.model.validate import earliest_update
from yytrack.repo import files


def _as_date(value: Any) -> Optional[dt.date]:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None  # the schema check names a date that is not one


def _issued(tree: Tree, plan: str) -> Optional[dt.date]:
    doc = tree.plans.get(plan)
    return _as_date(doc.data.get("issued")) if doc is not None and isinstance(doc.data, dict) else None


def _check_entries(doc: Doc, key: str, earliest: dt.date, today: dt.date, report: Report) -> None:
    entries = doc.data.get(key)
    if not isinstance(entries, list):
        return
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        day = _as_date(entry.get("date"))
        line = line_of(entry, "date") if "date" in entry else line_of(entries, i)
        if day is not None and day < earliest:
            report.error(doc.path, line, f"日期 {day} 早于 {earliest}（方案印发的前一年），请检查年份")
        elif day is not None and day > today:
            report.error(doc.path, line, f"日期 {day} 在今天（{today}）之后，进展只能记已经发生的情况")


def check_record_dates(tree: Tree, report: Report) -> None:
    """Update and review dates between the year before the plan's issue and today."""
    today = dt.date.today()
    for doc in tree.records + tree.reviews:
        if not isinstance(doc.data, dict):
            continue
        plan = PurePosixPath(doc.path).parts[-3]
        earliest = earliest_update(_issued(tree, plan))
        if isinstance(doc.data, Head):  # checked on its own earlier: only its date span is at hand
            span = getattr(doc.data, "span", ())
            if not span or (earliest.isoformat() <= span[0] and span[-1] <= today.isoformat()):
                continue
            doc = load_doc(tree.root, tree.root / doc.path, Report())  # rare: read it again for the lines
            if not isinstance(doc.data, dict):
                continue
        _check_entries(doc, "reviews" if doc.path.endswith(files.REVIEW_FILE) else "updates", earliest, today, report)


RULES = (check_record_dates,)
