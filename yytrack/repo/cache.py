"""The derived-state cache under .git/yytrack/: parsed progress records, never a source of truth.

Three levels, so that no command pays for history it does not look at:
- `latest.pickle`: per record file its identity (size, mtime, inode), latest update and how far its
  dates reach — a few hundred bytes a file whatever the history length. `status` reads only this.
- `history/<hash>.pickle`: a file's parsed updates, loaded only for a question about the past.
- `window/<hash>.pickle`: a file's recent entries (from 1 January of the year before its newest entry)
  plus the carry-over from before (the latest older entry, and the latest older entry for each
  indicator): every question a monthly report asks about days in that window has the same answer
  from it as from the whole history, and its size does not grow with the length of history.
A missing, stale or unreadable entry is rebuilt from the file itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from yytrack.repo import yamlio
from yytrack.model import Update

VERSION = 3
Key = Tuple[int, int, int]


@dataclass(frozen=True)
class Summary:
    latest: Update
    """The entry that is the file's current state (latest by date, then by recording time)."""
    max_date: dt.date
    """The latest reported date in the file."""
    max_day: str
    """The latest recording day (YYYY-MM-DD) in the file."""


def _key(path: Path) -> Key:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino


def _load(path: Optional[Path], default):
    if path is None:
        return default
    try:
        with path.open("rb") as handle:
            version, data = pickle.load(handle)
        return data if version == VERSION else default
    except Exception:  # missing, stale or corrupt: a cold cache
        return default


def _save(path: Optional[Path], data) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        yamlio.write_atomic(path, pickle.dumps((VERSION, data), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a read-only repository simply runs without a cache


def ordered(updates: List[Update]) -> List[Update]:
    return sorted(updates, key=lambda u: (u.date, u.recorded))


def summarize(updates: List[Update]) -> Optional[Summary]:
    if not updates:
        return None
    days = [u.recorded[:10] for u in updates if u.recorded]
    return Summary(ordered(updates)[-1], max(u.date for u in updates), max(days) if days else "")


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


class RecordCache:
    """Parsed progress records keyed by file identity; `read` parses a file when the cache misses."""

    def __init__(self, folder: Optional[Path], read):
        self.folder = folder
        self.read = read
        self.index: Dict[str, tuple] = _load(folder / "latest.pickle", {}) if folder else {}
        self.loaded: Dict[str, tuple] = {}
        self.windows: Dict[str, tuple] = {}
        self.dirty = False

    def _file(self, kind: str, name: str) -> Optional[Path]:
        if self.folder is None:
            return None
        return self.folder / kind / (hashlib.sha1(name.encode("utf-8")).hexdigest()[:20] + ".pickle")

    def updates(self, path: Path, measure: str, unit: str) -> List[Update]:
        """The file's whole history, in file order."""
        key, name = _key(path), str(path)
        hit = self.loaded.get(name) or _load(self._file("history", name), None)
        if hit is None or hit[0] != key:
            hit = (key, self.read(path, measure, unit))
            _save(self._file("history", name), hit)
            self.index[name] = (key, summarize(hit[1]))
            self.dirty = True
        self.loaded[name] = hit
        return hit[1]

    def summary(self, path: Path, measure: str, unit: str) -> Optional[Summary]:
        key, name = _key(path), str(path)
        hit = self.index.get(name)
        if hit is None or hit[0] != key:
            hit = (key, summarize(self.updates(path, measure, unit)))
            self.index[name] = hit
            self.dirty = True
        return hit[1]

    def window(self, path: Path, measure: str, unit: str, since: dt.date) -> List[Update]:
        """The recent window when it answers for days from `since` on, else the whole history."""
        key, name = _key(path), str(path)
        hit = self.windows.get(name) or _load(self._file("window", name), None)
        if hit is None or hit[0] != key:
            updates = self.updates(path, measure, unit)
            cut = window_start(updates) if updates else dt.date.min
            hit = (key, cut, window_of(updates, cut) if updates else [])
            _save(self._file("window", name), hit)
        self.windows[name] = hit
        return hit[2] if since >= hit[1] else self.updates(path, measure, unit)

    def save(self) -> None:
        if self.dirty and self.folder is not None:
            _save(self.folder / "latest.pickle", self.index)
            self.dirty = False
