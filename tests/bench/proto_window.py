"""Prototype for docs/performance.md, proposal 6: a monthly report reads the recent window, not all history.

A report for month M looks at updates dated from M − 6 on (the timeliness ranking's six closed periods,
the previous period for "silent twice"), at each unit's latest update as of days in that window, at
each unit's status before M and at each indicator's latest value. So next to each file's full history
the cache keeps a *window*: the entries dated or recorded from 1 January of the year before the
file's newest entry, plus the carry-over from before that cut-off (the latest entry, and the latest
entry carrying each indicator), in file order. Every answer the report needs from a day on or after
the cut-off is the same from the window as from the full list (see docs/performance.md), and the
window's size does not grow with the length of history.
"""

from __future__ import annotations

import datetime as dt
from typing import Dict, List, Optional

from yytrack.model import Update

WINDOW_MONTHS = 7


def cutoff(updates: List[Update]) -> dt.date:
    newest = max(u.date for u in updates)
    return dt.date(newest.year - 1, 1, 1)


def window(updates: List[Update], cut: dt.date) -> List[Update]:
    """The entries on or after cut (by date or by recording day) plus the carry-over, in file order."""
    limit = cut.isoformat()
    recent = {i for i, u in enumerate(updates) if u.date >= cut or (u.recorded and u.recorded[:10] >= limit)}
    old = [(u.date, u.recorded, i) for i, u in enumerate(updates) if i not in recent]
    carry = set()
    if old:
        carry.add(max(old)[2])  # the latest: ties broken by file order, as a stable sort's last one
        names = {name for _, _, i in old for name, _ in updates[i].indicators}
        for name in names:
            carry.add(max(t for t in old if any(n == name for n, _ in updates[t[2]].indicators))[2])
    return [u for i, u in enumerate(updates) if i in recent or i in carry]


def since_for(period) -> dt.date:
    """First day of the earliest month a report for `period` looks at."""
    start = period
    for _ in range(WINDOW_MONTHS):
        start = start.previous()
    return start.start


def windowed_unit_updates(tracker, measure, as_of: Optional[dt.date], since: dt.date) -> Dict[str, List[Update]]:
    """Tracker.unit_updates from the windows: identical answers for questions about days ≥ since."""
    from yytrack import files, records

    folder = tracker.root / files.PROGRESS / measure.plan / measure.id
    out: Dict[str, List[Update]] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.yaml")):
        if path.name == files.REVIEW_FILE:
            continue
        updates = records.as_of(tracker._cache.window(path, measure.id, path.stem, since), as_of)
        if updates:
            out[path.stem] = sorted(updates, key=lambda u: (u.date, u.recorded))
    return out
