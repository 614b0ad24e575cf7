"""A record file's current state without parsing every entry: what a cold `status` needs.

`status` asks of each record only for its latest entry (by reported date, then recording time) and
how far its dates reach. In the machine-written layout every entry starts with its quoted date and
recording time, so one regular-expression pass finds them; only the latest entry is then parsed, by
the line reader (recordscan) like every other. When the entries found this way are not exactly the
entries of the file (another layout, a hand edit, a quote in a value), None is returned and the caller
reads the whole file; the answer is never different, at worst slower.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Optional, Tuple

from yytrack.model import Update

ENTRY = re.compile(r"^  - date: '(\d{4}-\d\d-\d\d)'\n    recorded: '([^'\n]*)'\n", re.M)
START = re.compile(r"^  - ", re.M)


def read_summary(path: Path, measure: str, unit: str) -> Optional[Tuple[Update, dt.date, str]]:
    """(latest entry, latest reported date, latest recording day) or None to read the file in full."""
    from yytrack.repo import records, recordscan, yamlio

    text = yamlio.read_text(path)
    at = text.find("\n" + recordscan.LIST_KEY)
    if at < 0:
        return None
    body = text[at + 1 + len(recordscan.LIST_KEY):]
    found = [(m.group(1), m.group(2), m.start()) for m in ENTRY.finditer(body)]
    if not found or len(found) != len(START.findall(body)) or found[0][2] != 0:
        return None
    best = max(range(len(found)), key=lambda i: (found[i][0], found[i][1], i))
    end = found[best + 1][2] if best + 1 < len(found) else len(body)
    try:
        entries = recordscan.parse_entries("\n" + recordscan.LIST_KEY + body[found[best][2]:end])
    except recordscan.Unreadable:
        return None
    if len(entries) != 1:
        return None
    latest = records.update_from_dict(entries[0], measure, unit, str(path))
    if latest.date.isoformat() != found[best][0] or latest.recorded != found[best][1]:
        return None
    days = [r[:10] for _, r, _ in found if r]
    return latest, max(dt.date.fromisoformat(d) for d, _, _ in found), max(days) if days else ""
