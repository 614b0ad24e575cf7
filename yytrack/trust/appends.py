"""Appends: the text a change added to a file, its single entry, and its time against the commit's."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from yytrack.repo.changes import FileChange, Objects


def appended(f: FileChange, objects: Objects, head) -> Optional[str]:
    """The text a change appended to a file, or None when it is not a pure byte-prefix append.

    A new file must begin with exactly `head` (text, or a function giving it, called only for a new file)."""
    if f.status not in ("A", "M") or f.new_mode != "100644":
        return None
    new = objects.blob(f.new)
    if f.status == "M":
        old = objects.blob(f.old)
    else:
        old = (head() if callable(head) else head).encode("utf-8")
    if new is None or old is None or len(new) <= len(old) or not new.startswith(old) or not old.endswith(b"\n"):
        return None
    try:
        return new[len(old):].decode("utf-8")
    except UnicodeDecodeError:
        return None


def within(recorded: str, authored: str, days: float) -> bool:
    try:
        a, b = dt.datetime.fromisoformat(recorded), dt.datetime.fromisoformat(authored)
        if a.tzinfo is None or b.tzinfo is None:
            return False
        return abs((a - b).total_seconds()) <= days * 86400
    except (TypeError, ValueError):
        return False


def one_entry(text: Optional[str]) -> Optional[dict]:
    """The single list item an append added, or None when it is not exactly one mapping."""
    if not text or not text.startswith("  - "):
        return None
    from yytrack.repo.recordscan import Unreadable, parse_entries

    try:
        entries = parse_entries("x\nupdates:\n" + text)
    except Unreadable:
        from yytrack.repo.yamlio import parse_fast

        try:
            entries = parse_fast(text, "append")
        except Exception:
            return None
    if not isinstance(entries, list) or len(entries) != 1 or not isinstance(entries[0], dict):
        return None
    return entries[0]


