"""Progress records: one file per measure × unit, plus one review file per measure.

Format 2: a record file is a header comment, `format: 2`, `measure:`, `unit:` and an `updates:` list
whose entries are only ever appended at the end. Every change is a pure byte-prefix append (the hook
and the audit check exactly that), the current state is derived from the entries, and two clones that
append to different files never conflict. Format 1 files (with a `current:` block in the head) are
read as before and rewritten once by `yytrack migrate`.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import List, Optional

from yytrack.repo import files, yamlio
from yytrack.errors import InvalidTaskFile
from yytrack.model import Review, Update

HEADER = "# 进展记录：由 yytrack update 追加，请勿手工修改（修改会被 yytrack audit 查出）\n"
REVIEW_HEADER = "# 办结审核记录：由 yytrack review 追加，请勿手工修改\n"
LIST_KEY = "updates:\n"
FORMAT = 2
FORMAT_LINE = f"format: {FORMAT}\n"
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
    if update.on_behalf:
        entry["on_behalf"] = True
        entry["source"] = update.source
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
            on_behalf=d.get("on_behalf") is True, source=str(d.get("source") or ""),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise InvalidTaskFile(f"{where}: 进展记录字段缺失或类型不对（{e}）") from e


def _entry_text(entry: dict) -> str:
    """YAML text of one list item (the dumper already indents it under the list key)."""
    from yytrack.repo.plainyaml import entry_text

    return entry_text(entry) or yamlio.dump_text([entry])


def latest(updates: List[Update]) -> Optional[Update]:
    """The entry that describes the current state: latest by reported date, then by recording time."""
    return max(updates, key=lambda u: (u.date, u.recorded), default=None)


@functools.lru_cache(maxsize=4096)
def record_head(measure: str, unit: str) -> str:
    """The fixed head of a format-2 record file, up to and including the list key."""
    return HEADER + FORMAT_LINE + yamlio.dump_text({"measure": measure, "unit": unit}) + LIST_KEY


def is_current_format(text: str) -> bool:
    """A format-2 head: `format: 2` before the list and no `current:` block."""
    at = text.find("\n" + LIST_KEY)
    head = text if at < 0 else text[:at + 1]
    return ("\n" + FORMAT_LINE) in head and "\ncurrent:" not in head


def append_update(path: Path, update: Update, previous_current: Optional[Update] = None) -> None:
    """Append one entry at the end of the file; every earlier byte stays as it was.

    `previous_current` is accepted for callers written against format 1 and is not needed."""
    old = yamlio.read_text(path) if path.exists() else ""
    if old and not is_current_format(old):
        raise InvalidTaskFile(f"{path}: 进展记录是旧格式（第 1 版），请先运行 yytrack migrate 升级后再报送")
    if old and ("\n" + LIST_KEY) not in old:
        raise InvalidTaskFile(f"{path}: updates 应为列表，文件可能被手工改坏，请用 git checkout 恢复")
    if old and not old.endswith("\n"):
        raise InvalidTaskFile(f"{path}: 文件末尾不完整，可能被手工改坏，请用 git checkout 恢复")
    text = (old or record_head(update.measure, update.unit)) + _entry_text(update_to_dict(update))
    yamlio.write_atomic(path, text)


def migrate_text(text: str, where: str) -> Optional[str]:
    """A format-1 record as format 2 (the entries byte for byte), or None when it is already format 2."""
    if is_current_format(text):
        return None
    at = text.find("\n" + LIST_KEY)
    if at < 0 and "\nupdates:" in text:
        raise InvalidTaskFile(f"{where}: updates 应为列表，文件可能被手工改坏，无法升级；请先用 git checkout 恢复")
    head = text if at < 0 else text[:at + 1]
    tail = "" if at < 0 else text[at + 1 + len(LIST_KEY):]
    data = yamlio.parse_fast(head, where) or {}
    if not isinstance(data, dict) or not data.get("measure") or not data.get("unit"):
        raise InvalidTaskFile(f"{where}: 进展记录缺少 measure 或 unit，无法升级；请先用 git checkout 恢复")
    if tail and not tail.endswith("\n"):
        tail += "\n"
    return record_head(str(data["measure"]), str(data["unit"])) + tail


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
    """The current state: the latest entry (by reported date, then by recording time)."""
    if not path.exists():
        return None
    return latest(read_updates(path, measure, unit))


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
