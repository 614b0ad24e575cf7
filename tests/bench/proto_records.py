"""Prototype for docs/performance.md, proposal 2: read record files without the YAML library.

Record files are machine-written in one fixed layout (records.append_update), so a line reader
recovers exactly what the YAML loader would, about 30× faster. Anything outside that layout (a
double-quoted or block scalar, a plain value YAML would read as a number, bool, null or date, a
comment, an unknown key) makes it give up and the caller falls back to the YAML loader, so the
result is never different, only sometimes not faster.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Optional

from yytrack import files, records
from yytrack.model import Update

ENTRY_KEYS = {"date", "recorded", "author", "status", "progress", "note", "evidence", "indicators"}
# Plain scalars that YAML would not read as a string (YAML 1.2 core schema, as ruamel resolves it).
NOT_A_STRING = re.compile(r"""^(?:[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+|0x[0-9a-fA-F_]+|0o[0-7_]+)
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE
    |yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|\d{4}-\d\d?-\d\d?.*|<<|=)$""", re.X)
UNSAFE_START = tuple("'\"&*!|>%@`[]{},#?:-")


class Unreadable(Exception):
    """The text is outside the fixed layout: use the YAML loader."""


def scalar(raw: str) -> str:
    """A plain or single-quoted scalar as the string YAML would read."""
    if raw.startswith("'"):
        if len(raw) < 2 or not raw.endswith("'") or "'" in raw[1:-1].replace("''", ""):
            raise Unreadable(raw)
        return raw[1:-1].replace("''", "'")
    if not raw or raw.startswith(UNSAFE_START) or " #" in raw or ": " in raw or raw != raw.strip() \
            or "\t" in raw or NOT_A_STRING.match(raw):
        raise Unreadable(raw)
    return raw


def _value(key: str, raw: str):
    if key == "progress":
        if raw == "":
            return None
        if not raw.isdigit():
            raise Unreadable(raw)
        return int(raw)
    return scalar(raw)


def parse_entries(text: str) -> List[dict]:
    at = text.find("\n" + records.LIST_KEY)
    if at < 0:
        raise Unreadable("no list")
    entries: List[dict] = []
    nested: Optional[str] = None
    for line in text[at + 1 + len(records.LIST_KEY):].split("\n"):
        if not line:
            continue
        if line.startswith("  - "):
            entries.append({})
            nested = None
            line = "    " + line[4:]
        if not entries:
            raise Unreadable(line)
        nested = _line(entries[-1], line, nested)
    return entries


def _line(entry: dict, line: str, nested: Optional[str]) -> Optional[str]:
    if line.startswith("      ") and nested == "evidence" and line.startswith("      - "):
        entry["evidence"].append(scalar(line[8:]))
        return nested
    if line.startswith("      ") and nested == "indicators":
        name, sep, value = line[6:].partition(": ")
        try:
            entry["indicators"][scalar(name)] = float(value)
        except ValueError as e:
            raise Unreadable(line) from e
        return nested
    if not line.startswith("    ") or line.startswith("     "):
        raise Unreadable(line)
    key, sep, raw = line[4:].partition(":")
    if key not in ENTRY_KEYS or key in entry or (raw and not raw.startswith(" ")):
        raise Unreadable(line)
    raw = raw[1:]
    if key in ("evidence", "indicators"):
        if raw:
            raise Unreadable(line)
        entry[key] = [] if key == "evidence" else {}
        return key
    entry[key] = _value(key, raw)
    return None


def read_updates(path: Path, measure: str, unit: str) -> List[Update]:
    """records.read_updates, through the line reader when the file allows it."""
    try:
        text = files.read_text(path)
        entries = parse_entries(text)
    except Unreadable:
        return records_read_updates(path, measure, unit)
    where = str(path)
    return [records.update_from_dict(e, measure, unit, where) for e in entries]


records_read_updates = records.read_updates


def summary(updates: List[Update]) -> Optional[Dict]:
    """What status needs from a file: its latest update and how far its dates reach."""
    if not updates:
        return None
    days = [u.recorded[:10] for u in updates if u.recorded]
    # The last of the stably sorted list, exactly as Tracker.unit_updates(...)[-1] picks it on ties.
    latest = sorted(updates, key=lambda u: (u.date, u.recorded))[-1]
    return {"latest": latest, "max_date": max(u.date for u in updates),
            "max_day": max(days) if days else ""}
