"""Progress records: one file per measure × unit, plus one review file per measure.

A record file has a small head (measure, unit, current state) and an append-only `updates:` list at
the end. Appending rewrites the head and appends the new entry's text, leaving every earlier byte of
the list untouched, so the cost of an update does not grow with the length of history and two clones
that append to different files never conflict.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import List, Optional

from yytrack.repo import files, yamlio
from yytrack.errors import InvalidTaskFile
from yytrack.model import Review, Update

HEADER = "# 进展记录：由 yytrack update 追加，请勿手工修改（修改会被 yytrack audit 查出）\n"
REVIEW_HEADER = "# 办结审核记录：由 yytrack review 追加，请勿手工修改\n"
LIST_KEY = "updates:\n"
REVIEW_LIST_KEY = "reviews:\n"


def safe_unit(unit: str) -> str:
    """A unit's name becomes a file and a folder name: refuse what would leave the measure's folder, hide the
    file from every reader (a leading dot) or not fit in a file name."""
    if (not unit or unit.startswith(".") or "/" in unit or "\\" in unit or not unit.isprintable()
            or len(unit.encode("utf-8")) > 200):
        raise InvalidTaskFile(f"单位名称“{unit[:60]}”不能用作文件名（不能以 . 开头、不能含 / 或 \\、不超过 200 字节）；"
                              "请在 tasks/units.yaml 中改用合适的名称")
    return unit


def _safe_measure(measure: str) -> str:
    if not measure or measure.startswith(".") or "/" in measure or "\\" in measure or not measure.isprintable():
        raise InvalidTaskFile(f"措施编号“{measure[:60]}”不能用作目录名，请运行 yytrack check 并改正措施文件的 id")
    return measure


def record_path(root: Path, plan: str, measure: str, unit: str) -> Path:
    return root / files.PROGRESS / plan / _safe_measure(measure) / f"{safe_unit(unit)}.yaml"


def review_path(root: Path, plan: str, measure: str) -> Path:
    return root / files.PROGRESS / plan / _safe_measure(measure) / files.REVIEW_FILE


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
    return yamlio.dump_text([entry])


def latest(updates: List[Update]) -> Optional[Update]:
    """The entry that describes the current state: latest by reported date, then by recording time."""
    return max(updates, key=lambda u: (u.date, u.recorded), default=None)


def append_update(path: Path, update: Update, previous_current: Optional[Update]) -> None:
    """Append one update; rewrite only the head (measure, unit, current)."""
    old = yamlio.read_text(path) if path.exists() else ""
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
    text = HEADER + yamlio.dump_text(head) + LIST_KEY + tail + _entry_text(update_to_dict(update))
    yamlio.write_atomic(path, text)


def read_updates(path: Path, measure: str, unit: str) -> List[Update]:
    """Every entry of a record file: the fast line reader, or the YAML loader when the file needs it."""
    from yytrack.repo.recordscan import Unreadable, parse_entries

    try:
        entries = parse_entries(yamlio.read_text(path))
    except Unreadable:
        return _read_updates_yaml(path, measure, unit)
    return [update_from_dict(e, measure, unit, str(path)) for e in entries]


def _read_updates_yaml(path: Path, measure: str, unit: str) -> List[Update]:
    data = yamlio.load_fast(path)
    if not isinstance(data, dict):
        raise InvalidTaskFile(f"{path}:1: 进展记录的顶层应为键值映射")
    where = str(path)
    entries = data.get("updates") or []
    if not isinstance(entries, list):
        raise InvalidTaskFile(f"{path}:1: updates 应为列表，文件可能被手工改坏，请用 git checkout 恢复")
    return [update_from_dict(e, measure, unit, where) for e in entries if isinstance(e, dict)]


def read_current(path: Path, measure: str, unit: str) -> Optional[Update]:
    """The current state from the head of a record, without parsing the whole list."""
    if not path.exists():
        return None
    text = yamlio.read_text(path)
    at = text.find("\n" + LIST_KEY)
    head = text if at < 0 else text[:at + 1]
    data = yamlio.parse_fast(head, path) or {}
    cur = data.get("current") if isinstance(data, dict) else None
    if not isinstance(cur, dict):
        return None
    return update_from_dict(cur, measure, unit, str(path))


def append_review(path: Path, review: Review) -> None:
    old = yamlio.read_text(path) if path.exists() else ""
    if not old:
        old = REVIEW_HEADER + yamlio.dump_text({"measure": review.measure}) + REVIEW_LIST_KEY
    entry = {"date": review.date.isoformat(), "recorded": review.recorded, "author": review.author,
             "decision": review.decision, "note": review.note}
    yamlio.write_atomic(path, old + _entry_text(entry))


def read_reviews(path: Path, measure: str) -> List[Review]:
    if not path.exists():
        return []
    data = yamlio.load_fast(path) or {}
    entries = data.get("reviews") if isinstance(data, dict) else None
    if not isinstance(entries or [], list) or not all(isinstance(e, dict) and e.get("date") for e in entries or []):
        raise InvalidTaskFile(f"{path}:1: 审核记录格式不对（reviews 应为带日期的记录列表），请用 git checkout 恢复")
    out = []
    for e in entries or []:
        out.append(Review(measure=measure, decision=str(e.get("decision")),
                          date=files.to_date(e.get("date"), str(path)), note=str(e.get("note") or ""),
                          author=str(e.get("author") or ""), recorded=str(e.get("recorded") or "")))
    return out


def as_of(updates: List[Update], day: Optional[dt.date]) -> List[Update]:
    """Updates known on `day`: reported for a date up to it and recorded by its end."""
    if day is None:
        return updates
    limit = (day + dt.timedelta(days=1)).isoformat()
    return [u for u in updates if u.date <= day and (not u.recorded or u.recorded[:10] < limit)]
