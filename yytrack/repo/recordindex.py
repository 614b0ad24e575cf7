"""Answers about the past from a record file without parsing every entry: old months and cold starts.

A monthly report needs, of each record file, only the entries known on its as-of day that fall in its
window (dated or recorded from the window's first day on) and the carry-over from before it (the latest
older entry, and the latest older entry for each indicator). In the layout `records.append_update`
writes, one regular-expression pass over the file finds where every entry starts and ends, with its
date, recording time and indicator names; only the chosen entries are then parsed by the line reader
(recordscan), like every other entry. The pass accepts a file only when its entries follow one another
in exactly the writer's layout (the writer's keys in the writer's order, every quoted value closed on
its line, no value that YAML could continue on the next line); for anything else it returns None and
the caller reads the whole file. The answer is never different, at worst slower.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Dict, List, Optional

from yytrack.model import Update
from yytrack.model.validate import SANE_FIRST_YEAR, SANE_LAST_YEAR

# A value: single-quoted and closed on its line, or plain, starting with no YAML indicator and holding no
# ': ' and no final ':' (YAML would read a mapping there and refuse the whole file).
_VALUE = r"(?:'(?:[^'\n]|'')*'|[^\s'\"\-?:,\[\]{}#&*!|>%@`][^\n:]*(?::+[^\s:][^\n:]*)*)"
_NUMBER = r"(?:[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))"
ENTRY = (
    r"(  - date: '([0-9]{4}-[0-9][0-9]-[0-9][0-9])'\n"
    r"    recorded: '([^'\n]*)'\n"
    rf"    author: {_VALUE}\n"
    rf"    status: {_VALUE}\n"
    r"(?:    progress: [0-9]+\n)?"
    rf"    note: {_VALUE}\n"
    rf"(?:    evidence:\n(?:      - {_VALUE}\n)+)?"
    rf"(?:    indicators:\n((?:      {_VALUE}: {_NUMBER}\n)+))?"
    r"(?:    on_behalf: (?:true|false)\n)?"
    rf"(?:    source: {_VALUE}\n)?)")


@functools.lru_cache(maxsize=1)
def _entry() -> "re.Pattern[str]":
    return re.compile(ENTRY)  # compiled on first use: `status` and `update` never need it


def ordered(updates: List[Update]) -> List[Update]:
    return sorted(updates, key=lambda u: (u.date, u.recorded))


def window_start(updates: List[Update]) -> dt.date:
    newest = max(u.date for u in updates)
    return dt.date(newest.year - 1, 1, 1)


def window_of(updates: List[Update], cut: dt.date) -> List[Update]:
    """Entries dated or recorded on or after cut, plus the carry-over from before it, in file order."""
    limit = cut.isoformat()
    recent = {i for i, u in enumerate(updates) if u.date >= cut or (u.recorded and u.recorded[:10] >= limit)}
    old = [(u.date, u.recorded, i) for i, u in enumerate(updates) if i not in recent]
    carry = set()
    if old:
        carry.add(max(old)[2])
        for name in {n for _, _, i in old for n, _ in updates[i].indicators}:
            carry.add(max(t for t in old if any(n == name for n, _ in updates[t[2]].indicators))[2])
    return [u for i, u in enumerate(updates) if i in recent or i in carry]


class RecordIndex:
    """The entries of one record file, in file order: their text, date, recording time and indicator lines."""

    def __init__(self, texts: List[str], dates: List[str], recorded: List[str], indicators: List[str]):
        self.texts, self.dates, self.recorded, self.indicators = texts, dates, recorded, indicators

    def known(self, as_of: Optional[dt.date]) -> List[int]:
        """Indices of the entries known on as_of (records.as_of): dated up to it, recorded by its end."""
        if as_of is None:
            return list(range(len(self.texts)))
        day, limit, recorded = as_of.isoformat(), (as_of + dt.timedelta(days=1)).isoformat(), self.recorded
        return [i for i, d in enumerate(self.dates) if d <= day and (not recorded[i] or recorded[i][:10] < limit)]

    def latest(self, chosen: List[int]) -> Optional[int]:
        """The entry that is the state (records.latest, ties to the later one in the file)."""
        dates, recorded = self.dates, self.recorded
        return max(chosen, key=lambda i: (dates[i], recorded[i], i), default=None)

    def window(self, chosen: List[int], cut: dt.date) -> List[int]:
        """window_of over the chosen entries: those dated or recorded from cut on, plus the carry-over;
        recordscan.Unreadable when an indicator's name is outside the layout."""
        limit, dates, recorded = cut.isoformat(), self.dates, self.recorded
        taken = {i for i in chosen if dates[i] >= limit or (recorded[i] and recorded[i][:10] >= limit)}
        old = [i for i in chosen if i not in taken]
        carry = set()
        if old:
            carry.add(self.latest(old))
            by_name: Dict[str, List[int]] = {}
            for i in old:
                for name in _names(self.indicators[i]) if self.indicators[i] else ():
                    by_name.setdefault(name, []).append(i)
            carry.update(self.latest(found) for found in by_name.values())
        return sorted(taken | carry)

    def updates(self, chosen: List[int], measure: str, unit: str, where: str) -> List[Update]:
        """The chosen entries parsed, in file order; recordscan.Unreadable when one is outside the layout."""
        from yytrack.repo import records, recordscan

        if not chosen:
            return []
        parsed = recordscan.parse_entries("\n" + recordscan.LIST_KEY + "".join(self.texts[i] for i in chosen))
        if len(parsed) != len(chosen):
            raise recordscan.Unreadable("entries")
        return [records.update_from_dict(e, measure, unit, where) for e in parsed]


def _names(lines: str) -> List[str]:
    from yytrack.repo.recordscan import scalar

    return [scalar(line[6:].partition(": ")[0]) for line in lines.split("\n") if line]


def index_text(text: str) -> Optional[RecordIndex]:
    """The index of a record file's text, or None when the file is outside the writer's layout."""
    from yytrack.repo import recordscan

    at = text.find("\n" + recordscan.LIST_KEY)
    if at < 0:
        return None
    body = text[at + 1 + len(recordscan.LIST_KEY):]
    found = _entry().findall(body)
    # Matches never overlap and come in order, so when their lengths add up to the body's they tile it:
    # every character belongs to exactly one entry in the writer's layout.
    if sum(len(f[0]) for f in found) != len(body):
        return None
    dates = [f[1] for f in found]
    try:  # a date the full read refuses (files.to_date) is refused there, with its message
        if not all(SANE_FIRST_YEAR <= dt.date.fromisoformat(day).year <= SANE_LAST_YEAR for day in set(dates)):
            return None
    except ValueError:
        return None
    return RecordIndex([f[0] for f in found], dates, [f[2] for f in found], [f[3] for f in found])


def read_index(path: Path) -> Optional[RecordIndex]:
    from yytrack.repo import yamlio

    return index_text(yamlio.read_text(path))


def _kept(found, text: str) -> Optional[RecordIndex]:
    """An index kept in the cache (index/<blob>.json) for this text, or None when it is not exactly one:
    four lists of the same length, of the right types, whose entries tile the body and start with their dates."""
    from yytrack.repo import recordscan

    if not (isinstance(found, list) and len(found) == 4 and all(isinstance(f, list) for f in found)
            and len({len(f) for f in found}) == 1):
        return None
    dates, recorded, lengths, indicators = found
    if not (all(type(n) is int and n > 0 for n in lengths)
            and all(type(x) is str for column in (dates, recorded, indicators) for x in column)):
        return None
    body = text[text.find("\n" + recordscan.LIST_KEY) + 1 + len(recordscan.LIST_KEY):]
    if "\n" + recordscan.LIST_KEY not in text or sum(lengths) != len(body):
        return None
    texts, at = [], 0
    for n, day in zip(lengths, dates):
        texts.append(body[at:at + n])
        at += n
        if not texts[-1].startswith(f"  - date: '{day}'\n"):
            return None
    return RecordIndex(texts, dates, recorded, indicators)


def _indexed(cache, path: Path, blob: str, keep: bool = False) -> Optional[RecordIndex]:
    """The file's index, or None when its whole history is already parsed or the file needs the full read.
    With keep (an old month, asked again and again) the index is kept in the cache by blob id."""
    from yytrack.repo import yamlio

    if not blob or cache.loaded.get(blob) is not None:
        return None
    try:
        text = yamlio.read_text(path)
        index = _kept(cache.kept("index", blob), text) if keep else None
        if index is None:
            index = index_text(text)
            if keep and index is not None:
                cache.keep("index", blob, [index.dates, index.recorded, [len(t) for t in index.texts],
                                           index.indicators])
        return index
    except Exception:  # anything unexpected: the full read answers (and reports) it
        return None


def recent_window(cache, path: Path, blob: str, measure: str, unit: str):
    """(cut, entries) of the window the cache keeps: from 1 January of the year before the newest entry."""
    from yytrack.repo import recordscan

    index = _indexed(cache, path, blob)
    if index is not None:
        if not index.dates:
            return dt.date.min, []
        newest = dt.date.fromisoformat(max(index.dates))
        cut = dt.date(newest.year - 1, 1, 1)
        try:
            return cut, index.updates(index.window(index.known(None), cut), measure, unit, str(path))
        except recordscan.Unreadable:
            pass
    updates = cache.updates(path, measure, unit)
    cut = window_start(updates) if updates else dt.date.min
    return cut, window_of(updates, cut) if updates else []


def past_window(cache, path: Path, blob: str, names, since: dt.date, as_of: Optional[dt.date]) -> List[Update]:
    """cache.window_of(the entries known on as_of, since) for a `since` before the kept window (an old month)."""
    from yytrack.repo import records, recordscan

    measure, unit = names
    index = _indexed(cache, path, blob, keep=True)
    if index is not None:
        try:
            return index.updates(index.window(index.known(as_of), since), measure, unit, str(path))
        except recordscan.Unreadable:
            pass
    return window_of(records.as_of(cache.updates(path, measure, unit), as_of), since)


def latest_known(cache, path: Path, blob: str, names, as_of: dt.date) -> Optional[Update]:
    """The latest entry known on as_of (records.latest of records.as_of), parsing only that entry."""
    from yytrack.repo import records, recordscan

    measure, unit = names
    index = _indexed(cache, path, blob, keep=True)
    if index is not None:
        try:
            best = index.latest(index.known(as_of))
            return None if best is None else index.updates([best], measure, unit, str(path))[0]
        except recordscan.Unreadable:
            pass
    known = records.as_of(cache.updates(path, measure, unit), as_of)
    return ordered(known)[-1] if known else None
