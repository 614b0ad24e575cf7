"""The derived-state cache under .git/yytrack/: parsed progress records, never a source of truth.

Data only: every file is JSON, checked field by field when loaded. Anything else (a missing file,
another version, garbage, a planted pickle, a link) is ignored and rebuilt from the record files;
nothing in the folder is ever executed or unpickled.

Keyed by content: a record file is known by its git blob id (what `git hash-object` prints), so a
copy of the repository (`cp -a`) or a clone that carries the folder reuses every entry, and the
answers do not depend on the record format. `stat.json` maps a path to (size, mtime, inode, blob id)
so that an unchanged file is not even read; a file changed in the last two seconds is never trusted
by its stat (as git's index treats "racy" files).

- `summary.json`: per blob its latest update and how far its dates reach — a few hundred bytes a
  file whatever the history length. `status` reads only this.
- `history/<blob>.json`: a file's parsed updates, loaded only when a whole history is asked for; an old
  month's report cuts its window from the record file itself (repo.recordindex), parsing a few entries.
- `window/<blob>.json`: a file's recent entries (from 1 January of the year before its newest entry)
  plus the carry-over from before (the latest older entry, and the latest older entry for each
  indicator): every question a monthly report asks about days in that window has the same answer
  from it as from the whole history, and its size does not grow with the length of history.
- `index/<blob>.json`: where each entry of a file is, with its date, recording time and indicator lines
  (repo.recordindex), kept once an old month has been asked for; checked against the file's text on load.
- `check.json`: per blob what `yytrack check` found in the file on its own (checks.framework).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Union

from yytrack.model import Update
from yytrack.repo.recordindex import ordered, window_of, window_start  # noqa: F401 (cache.ordered, …)

VERSION = 5
RACY_NS = 2_000_000_000
MAX_CACHE_BYTES = 256 * 1024 * 1024
MAX_RECORD_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Summary:
    latest: Update
    """The entry that is the file's current state (latest by date, then by recording time)."""
    max_date: dt.date
    """The latest reported date in the file."""
    max_day: str
    """The latest recording day (YYYY-MM-DD) in the file."""


def blob_id(data: bytes) -> str:
    """The git blob id of these bytes, as `git hash-object` computes it."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def read_json(path: Optional[Path]) -> Any:
    """The data of a cache file of this version, or None for anything else."""
    if path is None:
        return None
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_CACHE_BYTES:
            return None
        with path.open("rb") as handle:
            found = json.loads(handle.read(MAX_CACHE_BYTES))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(found, dict) or found.get("version") != VERSION:
        return None
    return found.get("data")


def write_json(path: Optional[Path], data: Any) -> None:
    """Replace a cache file in one step (no fsync: a torn file is garbage, and garbage is rebuilt)."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=str(path.parent))
        # dumps, not dump: json.dump encodes piece by piece in Python, dumps in one C call
        text = json.dumps({"version": VERSION, "data": data}, ensure_ascii=False, separators=(",", ":"))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only repository simply runs without a cache


def encode(u: Update) -> list:
    return [u.date.isoformat(), u.recorded, u.author, u.status, u.progress, u.note, list(u.evidence),
            [[name, value] for name, value in u.indicators]]


def decode(row: Any, measure: str, unit: str) -> Update:
    """An entry back from JSON; ValueError when it is not exactly what `encode` writes."""
    if not isinstance(row, list) or len(row) != 8:
        raise ValueError("entry")
    day, recorded, author, status, progress, note, evidence, indicators = row
    if not all(isinstance(s, str) for s in (day, recorded, author, status, note)):
        raise ValueError("text")
    if progress is not None and (type(progress) is not int):
        raise ValueError("progress")
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        raise ValueError("evidence")
    pairs = []
    for pair in indicators if isinstance(indicators, list) else [None]:
        if (not isinstance(pair, list) or len(pair) != 2 or not isinstance(pair[0], str)
                or type(pair[1]) not in (int, float)):
            raise ValueError("indicator")
        pairs.append((pair[0], float(pair[1])))
    return Update(measure=measure, unit=unit, status=status, date=dt.date.fromisoformat(day), progress=progress,
                  note=note, author=author, recorded=recorded, evidence=tuple(evidence), indicators=tuple(pairs))


def summarize(updates: List[Update]) -> Optional[Summary]:
    if not updates:
        return None
    days = [u.recorded[:10] for u in updates if u.recorded]
    return Summary(ordered(updates)[-1], max(u.date for u in updates), max(days) if days else "")


def _quick_summary(path: Path, measure: str, unit: str) -> Optional[Summary]:
    from yytrack.repo.recordsummary import read_summary

    try:
        found = read_summary(path, measure, unit)
    except Exception:  # anything unexpected: the full read answers (and reports) it
        return None
    return Summary(*found) if found else None


class BlobIds:
    """Path → git blob id, from the stat of a file when it is unchanged, else by hashing it."""

    def __init__(self, folder: Optional[Path], root: Path):
        self.folder, self.root = folder, root
        self.prefix = os.path.join(str(root), "")
        found = read_json(folder / "stat.json") if folder else None
        self.stats: Dict[str, list] = found if isinstance(found, dict) else {}
        self.dirty = False

    def of(self, path: Path) -> str:
        """OSError for what is not a plain file of a sane size: the caller reads it uncached and reports it."""
        text = str(path)
        st = os.lstat(text)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_RECORD_BYTES:
            raise OSError(f"{path}: not a plain file")
        # The path relative to the repository, by string (pathlib's relative_to costs more than the stat).
        rel = text[len(self.prefix):].replace(os.sep, "/") if text.startswith(self.prefix) else text
        hit = self.stats.get(rel)
        if isinstance(hit, list) and len(hit) == 4 and hit[:3] == [st.st_size, st.st_mtime_ns, st.st_ino] \
                and isinstance(hit[3], str):
            return hit[3]
        with open(text, "rb") as handle:
            blob = blob_id(handle.read())
        if st.st_mtime_ns < time.time_ns() - RACY_NS and os.stat(text).st_mtime_ns == st.st_mtime_ns:
            self.stats[rel] = [st.st_size, st.st_mtime_ns, st.st_ino, blob]
            self.dirty = True
        return blob

    def save(self) -> None:
        if self.dirty and self.folder is not None:
            write_json(self.folder / "stat.json", self.stats)
            self.dirty = False


class RecordCache:
    """Parsed progress records keyed by blob id; `read(path, measure, unit)` parses a file on a miss."""

    def __init__(self, folder: Optional[Path], read: Callable[[Path, str, str], List[Update]], root: Path,
                 ids: Optional[BlobIds] = None):
        self.folder = folder
        self.read = read
        self.ids = ids or BlobIds(folder, root)
        self.loaded: Dict[str, List[Update]] = {}
        self.dirty = False

    @cached_property
    def index(self) -> Dict[str, Any]:
        found = read_json(self.folder / "summary.json") if self.folder else None
        return found if isinstance(found, dict) else {}

    def _file(self, kind: str, blob: str) -> Optional[Path]:
        return None if self.folder is None else self.folder / kind / f"{blob}.json"

    def kept(self, kind: str, blob: str) -> Any:
        return read_json(self._file(kind, blob))

    def keep(self, kind: str, blob: str, data: Any) -> None:
        write_json(self._file(kind, blob), data)

    def _rows(self, kind: str, blob: str, measure: str, unit: str) -> Optional[List[Update]]:
        rows = read_json(self._file(kind, blob))
        try:
            return [decode(r, measure, unit) for r in rows] if isinstance(rows, list) else None
        except ValueError:
            return None

    def _parsed(self, path: Path, blob: str, measure: str, unit: str) -> List[Update]:
        hit = self.loaded.get(blob)
        if hit is None or (hit and (hit[0].measure, hit[0].unit) != (measure, unit)):
            hit = self._rows("history", blob, measure, unit)
        if hit is None:
            hit = self.read(path, measure, unit)
        self.loaded[blob] = hit
        return hit

    def _blob(self, path: Path) -> Optional[str]:
        try:
            return self.ids.of(path)
        except OSError:
            return None

    def updates(self, path: Path, measure: str, unit: str) -> List[Update]:
        """The file's whole history, in file order."""
        blob = self._blob(path)
        if blob is None:
            return self.read(path, measure, unit)
        known = self.loaded.get(blob) is not None
        found = self._parsed(path, blob, measure, unit)
        if not known and not (self.folder and self._file("history", blob).is_file()):
            write_json(self._file("history", blob), [encode(u) for u in found])
        return found

    def summary(self, path: Union[Path, str], measure: str, unit: str) -> Optional[Summary]:
        """The latest entry and date range of one record (path as text or Path: status asks it per file)."""
        blob = self._blob(path)
        if blob is None:
            return summarize(self.read(Path(path), measure, unit))
        hit = self.index.get(blob)
        try:
            if hit == []:
                return None
            if isinstance(hit, list) and len(hit) == 3 and all(isinstance(h, str) for h in hit[1:]):
                return Summary(decode(hit[0], measure, unit), dt.date.fromisoformat(hit[1]), hit[2])
        except ValueError:
            pass
        path = Path(path)
        found = None if blob in self.loaded else _quick_summary(path, measure, unit)
        found = found or summarize(self._parsed(path, blob, measure, unit))
        self.index[blob] = [] if found is None else [encode(found.latest), found.max_date.isoformat(), found.max_day]
        self.dirty = True
        return found

    def window(self, path: Path, measure: str, unit: str, since: dt.date,
               as_of: Optional[dt.date] = None) -> List[Update]:
        """Entries that answer every question about days from `since` on, as known on as_of: the cached
        recent window, or for an older `since` a window cut there from the whole file (never all of it)."""
        from yytrack.repo import recordindex

        blob = self._blob(path)
        if blob is None:
            return self.read(path, measure, unit)
        found = read_json(self._file("window", blob))
        try:
            if isinstance(found, list) and len(found) == 2 and isinstance(found[0], str) \
                    and isinstance(found[1], list):
                if since < dt.date.fromisoformat(found[0]):
                    return recordindex.past_window(self, path, blob, (measure, unit), since, as_of)
                return [decode(r, measure, unit) for r in found[1]]
        except ValueError:
            pass
        cut, rows = recordindex.recent_window(self, path, blob, measure, unit)
        write_json(self._file("window", blob), [cut.isoformat(), [encode(u) for u in rows]])
        return rows if since >= cut else recordindex.past_window(self, path, blob, (measure, unit), since, as_of)

    def latest_known(self, path: Path, measure: str, unit: str, as_of: dt.date) -> Optional[Update]:
        """The latest entry known on as_of, for a day before the file's latest entry."""
        from yytrack.repo import recordindex

        return recordindex.latest_known(self, path, self._blob(path), (measure, unit), as_of)

    def save(self) -> None:
        self.ids.save()
        if self.dirty and self.folder is not None:
            live = {h[3] for h in self.ids.stats.values() if isinstance(h, list) and len(h) == 4} | set(self.loaded)
            if len(self.index) > 2 * max(len(live), 1):  # versions no file has any more
                self.index = {k: v for k, v in self.index.items() if k in live}
            write_json(self.folder / "summary.json", self.index)
            self.dirty = False
