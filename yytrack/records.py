"""Progress records: one file per measure × unit, plus one review file per measure.

A record file has a small head (measure, unit, current state) and an append-only `updates:` list at
the end. Appending rewrites the head and appends the new entry's text, leaving every earlier byte of
the list untouched, so the cost of an update does not grow with the length of history and two clones
that append to different files never conflict.
"""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from . import files
from .errors import InvalidTaskFile
from .model import Review, Update

HEADER = "# 进展记录：由 yytrack update 追加，请勿手工修改（修改会被 yytrack audit 查出）\n"
REVIEW_HEADER = "# 办结审核记录：由 yytrack review 追加，请勿手工修改\n"
LIST_KEY = "updates:\n"
REVIEW_LIST_KEY = "reviews:\n"


def record_path(root: Path, plan: str, measure: str, unit: str) -> Path:
    return root / files.PROGRESS / plan / measure / f"{unit}.yaml"


def review_path(root: Path, plan: str, measure: str) -> Path:
    return root / files.PROGRESS / plan / measure / files.REVIEW_FILE


def update_to_dict(update: Update) -> dict:
    entry = {"date": update.date.isoformat(), "recorded": update.recorded, "author": update.author,
             "status": update.status}
    if update.progress is not None:
        entry["progress"] = update.progress
    entry["note"] = update.note
    if update.evidence:
        entry["evidence"] = list(update.evidence)
    if update.indicators:
        entry["indicators"] = {name: value for name, value in update.indicators}
    return entry


def update_from_dict(d: dict, measure: str, unit: str, where: str) -> Update:
    try:
        indicators = d.get("indicators") or {}
        return Update(
            measure=measure, unit=unit, status=str(d["status"]),
            date=files.to_date(d["date"], where),
            progress=None if d.get("progress") is None else int(d["progress"]),
            note=str(d.get("note") or ""), author=str(d.get("author") or ""),
            recorded=str(d.get("recorded") or ""),
            evidence=tuple(str(e) for e in (d.get("evidence") or ())),
            indicators=tuple((str(k), float(v)) for k, v in indicators.items()),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise InvalidTaskFile(f"{where}: 进展记录字段缺失或类型不对（{e}）") from e


def _entry_text(entry: dict) -> str:
    """YAML text of one list item (the dumper already indents it under the list key)."""
    return files.dump_text([entry])


def latest(updates: List[Update]) -> Optional[Update]:
    """The entry that describes the current state: latest by reported date, then by recording time."""
    return max(updates, key=lambda u: (u.date, u.recorded), default=None)


def append_update(path: Path, update: Update, previous_current: Optional[Update]) -> None:
    """Append one update; rewrite only the head (measure, unit, current)."""
    old = files.read_text(path) if path.exists() else ""
    tail = ""
    if old:
        at = old.find("\n" + LIST_KEY)
        if at < 0:
            raise InvalidTaskFile(f"{path}: 缺少 updates: 列表，文件可能被手工改坏，请用 git checkout 恢复")
        tail = old[at + 1 + len(LIST_KEY):]
    current = latest([u for u in (previous_current, update) if u is not None])
    head = {"measure": update.measure, "unit": update.unit, "current": {
        "status": current.status, "progress": current.progress, "date": current.date.isoformat(),
        "note": current.note}}
    text = HEADER + files.dump_text(head) + LIST_KEY + tail + _entry_text(update_to_dict(update))
    files.write_atomic(path, text)


def read_updates(path: Path, measure: str, unit: str) -> List[Update]:
    data = files.load_fast(path)
    if not isinstance(data, dict):
        raise InvalidTaskFile(f"{path}:1: 进展记录的顶层应为键值映射")
    where = str(path)
    return [update_from_dict(e, measure, unit, where) for e in (data.get("updates") or []) if isinstance(e, dict)]


def read_current(path: Path, measure: str, unit: str) -> Optional[Update]:
    """The current state from the head of a record, without parsing the whole list."""
    if not path.exists():
        return None
    text = files.read_text(path)
    at = text.find("\n" + LIST_KEY)
    head = text if at < 0 else text[:at + 1]
    from ruamel.yaml import YAML

    try:
        data = YAML(typ="safe", pure=False).load(head) or {}
    except Exception as e:
        raise InvalidTaskFile(f"{path}: 进展记录格式错误（{e}）") from e
    cur = data.get("current") if isinstance(data, dict) else None
    if not isinstance(cur, dict):
        return None
    return update_from_dict(cur, measure, unit, str(path))


def append_review(path: Path, review: Review) -> None:
    old = files.read_text(path) if path.exists() else ""
    if not old:
        old = REVIEW_HEADER + files.dump_text({"measure": review.measure}) + REVIEW_LIST_KEY
    entry = {"date": review.date.isoformat(), "recorded": review.recorded, "author": review.author,
             "decision": review.decision, "note": review.note}
    files.write_atomic(path, old + _entry_text(entry))


def read_reviews(path: Path, measure: str) -> List[Review]:
    if not path.exists():
        return []
    data = files.load_fast(path) or {}
    out = []
    for e in data.get("reviews") or []:
        out.append(Review(measure=measure, decision=str(e.get("decision")),
                          date=files.to_date(e.get("date"), str(path)), note=str(e.get("note") or ""),
                          author=str(e.get("author") or ""), recorded=str(e.get("recorded") or "")))
    return out


# ---------------------------------------------------------------- derived-state cache

CacheKey = Tuple[int, int, int]


class RecordCache:
    """Parsed progress records keyed by file identity (size, mtime, inode).

    Stored under .git so it is never tracked; rebuilt transparently when missing, stale or unreadable,
    and never a source of truth: a miss re-reads the file itself.
    """

    VERSION = 2

    def __init__(self, path: Optional[Path]):
        self.path = path
        self.entries: Dict[str, Tuple[CacheKey, list]] = {}
        self.dirty = False
        if path is not None and path.exists():
            try:
                with path.open("rb") as handle:
                    version, entries = pickle.load(handle)
                if version == self.VERSION:
                    self.entries = entries
            except Exception:  # a corrupt cache is just a cold cache
                self.entries = {}

    def updates(self, path: Path, measure: str, unit: str) -> List[Update]:
        stat = path.stat()
        key = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        name = str(path)
        hit = self.entries.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
        updates = read_updates(path, measure, unit)
        self.entries[name] = (key, updates)
        self.dirty = True
        return updates

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            files.write_atomic(self.path, pickle.dumps((self.VERSION, self.entries), protocol=4))
        except OSError:
            pass  # a read-only repository simply runs without a cache


def as_of(updates: List[Update], day: Optional[dt.date]) -> List[Update]:
    """Updates known on `day`: reported for a date up to it and recorded by its end."""
    if day is None:
        return updates
    limit = (day + dt.timedelta(days=1)).isoformat()
    return [u for u in updates if u.date <= day and (not u.recorded or u.recorded[:10] < limit)]
