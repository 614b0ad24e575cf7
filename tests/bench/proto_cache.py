"""Prototype for docs/performance.md, proposals 1 and 3: a derived-state cache status can read in O(files).

- `latest.pickle`: per record file its stat key, latest update and date reach (a few hundred bytes
  per file, whatever the history length). `status` (as of today) reads only this.
- `history/<hash>.pickle`: per record file its parsed updates, loaded only when a question needs the
  past (an as-of day earlier than the file's newest entries, a report). An update rewrites one small
  entry instead of re-pickling the whole history (21 MB at 10^5 updates).
- `tasks.pickle`: the parsed tasks/ files (measures, plans, units, config) by stat key: reading 30
  measure files through the YAML library costs more than all the rest of `status`.

Installed by proto_run.py through monkeypatching, so the benchmark can time the proposal without
touching yytrack's modules. Results must be identical: run_bench --yytrack proto compares outputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import proto_records
import proto_window

from yytrack import files, store
from yytrack.model import Update

VERSION = 1


def _key(path: Path) -> Tuple[int, int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino


def _load(path: Path, default):
    try:
        with path.open("rb") as handle:
            version, data = pickle.load(handle)
        return data if version == VERSION else default
    except Exception:  # missing, stale or corrupt: a cold cache
        return default


def _save(path: Path, data) -> None:
    try:
        files.write_atomic(path, pickle.dumps((VERSION, data), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass


class TwoLevelCache:
    """Drop-in for records.RecordCache: updates() as before, plus summary() for the latest state."""

    def __init__(self, folder: Optional[Path]):
        self.folder = folder
        self.index: Dict[str, tuple] = _load(folder / "latest.pickle", {}) if folder else {}
        self.dirty = False
        self.ordered: Dict[str, List[Update]] = {}
        self.loaded: Dict[str, tuple] = {}
        self.windows: Dict[str, tuple] = {}

    def _history_path(self, name: str, kind: str = "") -> Optional[Path]:
        if self.folder is None:
            return None
        return self.folder / "history" / (hashlib.sha1(name.encode("utf-8")).hexdigest()[:20] + kind + ".pickle")

    def window(self, path: Path, measure: str, unit: str, since: dt.date) -> List[Update]:
        """Proposal 6: the file's recent window when it answers for days from `since` on, else everything."""
        key, name = _key(path), str(path)
        stored = self._history_path(name, ".window")
        hit = self.windows.get(name) or (_load(stored, None) if stored is not None else None)
        if hit is None or hit[0] != key:
            updates = self.updates(path, measure, unit)
            cut = proto_window.cutoff(updates) if updates else dt.date.min
            hit = (key, cut, proto_window.window(updates, cut) if updates else [])
            if stored is not None:
                stored.parent.mkdir(parents=True, exist_ok=True)
                _save(stored, hit)
        self.windows[name] = hit
        return hit[2] if since >= hit[1] else self.updates(path, measure, unit)

    def updates(self, path: Path, measure: str, unit: str) -> List[Update]:
        key, name = _key(path), str(path)
        if name in self.loaded and self.loaded[name][0] == key:
            return self.loaded[name][1]
        stored = self._history_path(name)
        hit = _load(stored, None) if stored is not None else None
        if hit is None or hit[0] != key:
            hit = (key, proto_records.read_updates(path, measure, unit))
            self._remember(name, key, hit[1])
        self.loaded[name] = hit
        return hit[1]

    def _remember(self, name: str, key, updates: List[Update]) -> None:
        stored = self._history_path(name)
        if stored is not None:
            stored.parent.mkdir(parents=True, exist_ok=True)
            _save(stored, (key, updates))
        self.index[name] = (key, proto_records.summary(updates))
        self.dirty = True

    def sorted_updates(self, path: Path, measure: str, unit: str) -> List[Update]:
        """The file's updates sorted by (date, recorded), sorted once per process."""
        name = str(path)
        if name not in self.ordered:
            self.ordered[name] = sorted(self.updates(path, measure, unit), key=lambda u: (u.date, u.recorded))
        return self.ordered[name]

    def summary(self, path: Path, measure: str, unit: str) -> Optional[dict]:
        key, name = _key(path), str(path)
        hit = self.index.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
        self.updates(path, measure, unit)  # refreshes the index entry on the way
        return self.index[name][1]

    def save(self) -> None:
        if self.dirty and self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            _save(self.folder / "latest.pickle", self.index)
            self.dirty = False


def latest_by_unit(tracker, measure, as_of: Optional[dt.date]) -> Dict[str, Update]:
    """Each unit's latest update known on as_of: from the index when the file lies wholly before it."""
    folder = tracker.root / files.PROGRESS / measure.plan / measure.id
    out: Dict[str, Update] = {}
    if not folder.is_dir():
        return out
    limit = (as_of + dt.timedelta(days=1)).isoformat() if as_of else None
    for path in sorted(folder.glob("*.yaml")):
        if path.name == files.REVIEW_FILE:
            continue
        found = tracker._cache.summary(path, measure.id, path.stem)
        if found is None:
            continue
        if as_of is None or (found["max_date"] <= as_of and found["max_day"] < limit):
            out[path.stem] = found["latest"]
            continue
        since = getattr(tracker, "window_since", None)
        if since is not None and as_of >= since:  # proposal 6: a report's look back stays in the window
            ordered = sorted(tracker._cache.window(path, measure.id, path.stem, since), key=lambda u: (u.date, u.recorded))
        else:
            ordered = tracker._cache.sorted_updates(path, measure.id, path.stem)
        known = latest_as_of(ordered, as_of, limit)
        if known is not None:
            out[path.stem] = known
    return out


def latest_as_of(ordered: List[Update], day: dt.date, limit: str) -> Optional[Update]:
    """The last entry of the (date, recorded)-sorted list known on day: a scan from the end that stops
    at the first hit, so a report's look at recent months does not walk the whole history."""
    for update in reversed(ordered):
        if update.date <= day and (not update.recorded or update.recorded[:10] < limit):
            return update
    return None


def cache_folder(root: Path) -> Optional[Path]:
    return store.git_dir(root) / "yytrack" / "proto" if (root / ".git").exists() else None
