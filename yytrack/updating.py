"""Recording progress and reviews: validate everything first, then write and commit under the lock."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import shutil
import unicodedata
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from . import files, records, store
from .errors import EvidenceError, PermissionDenied, UsageProblem
from .model import MEASURE_STATUS_LABELS, STATUS_LABELS, Measure, Review, Update, status_key

MAX_NOTE_CHARS = 4000
DEFAULT_EVIDENCE_MB = 20
SAFE_NAME = re.compile(r"[^\w\u4e00-\u9fff\u3400-\u4dbf（）()\-.]+")


def clean_note(note: str) -> str:
    """Drop control characters (keep line breaks), refuse what git cannot store."""
    text = (note or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_NOTE_CHARS:
        raise UsageProblem(f"说明过长（{len(text)} 字），请控制在 {MAX_NOTE_CHARS} 字以内，详细材料可作为 --evidence 附上")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise UsageProblem("说明中含有无法保存的字符（不成对的代理字符），请重新输入") from e
    kept = [ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")]
    return "".join(kept)


def validate_progress(progress: Optional[int]) -> Optional[int]:
    if progress is None:
        return None
    if not 0 <= progress <= 100:
        raise UsageProblem(f"进度 {progress} 超出范围，应为 0 到 100 之间的整数")
    return progress


def validate_date(day: Optional[dt.date]) -> dt.date:
    today = dt.date.today()
    if day is None:
        return today
    if day > today:
        raise UsageProblem(f"日期 {day} 在今天（{today}）之后；进展只能报送已经发生的情况")
    return day


def check_author_units(tracker, who: store.Identity, unit: str) -> None:
    """Where the config maps people to units, a person reports only for their own units."""
    people = tracker.config.get("people") or {}
    if not people:
        return
    mine = people.get(who.email)
    if mine is None:
        raise PermissionDenied(f"{who.email} 未在 tasks/config.yaml 的 people 中登记，不能报送进展")
    own = {tracker.registry.canonical(u) or u for u in ([mine] if isinstance(mine, str) else mine)}
    if unit not in own and not own.intersection(tracker.registry.groups_of(unit)):
        raise PermissionDenied(f"{who} 只能为 {'、'.join(sorted(own))} 报送，不能代 {unit} 报送")


def parse_indicators(measure: Measure, pairs: Sequence[str]) -> Tuple[Tuple[str, float], ...]:
    known = {i.name for i in measure.indicators}
    out: List[Tuple[str, float]] = []
    for pair in pairs:
        name, sep, value = (pair or "").partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageProblem(f"指标“{pair}”格式不对，应为 名称=数值")
        if known and name not in known:
            raise UsageProblem(f"{measure.id} 没有指标“{name}”；可用指标：{'、'.join(sorted(known))}")
        try:
            number = float(value.strip().rstrip("%"))
        except ValueError as e:
            raise UsageProblem(f"指标“{name}”的值“{value}”不是数字") from e
        if not math.isfinite(number):  # nan and inf parse as floats but are no measurement
            raise UsageProblem(f"指标“{name}”的值“{value}”不是数字")
        out.append((name, number))
    return tuple(out)


def evidence_plan(tracker, measure: Measure, unit: str, day: dt.date, sources: Sequence[str]) -> List[Tuple[Path, str]]:
    """(source file, repository path) pairs; every name is made safe and kept inside evidence/."""
    limit_mb = float(((tracker.config.get("evidence") or {}).get("max_mb")) or DEFAULT_EVIDENCE_MB)
    folder = f"{files.PROGRESS}/{measure.plan}/{measure.id}/evidence/{unit}"
    planned: List[Tuple[Path, str]] = []
    for raw in sources:
        src = Path(raw).expanduser()
        if src.is_symlink():
            raise EvidenceError(f"佐证材料“{raw}”是符号链接，请直接指定文件本身")
        if not src.exists():
            raise EvidenceError(f"找不到佐证材料“{raw}”")
        if not src.is_file():
            raise EvidenceError(f"佐证材料“{raw}”不是普通文件（是目录？），请逐个指定文件")
        size_mb = src.stat().st_size / (1024 * 1024)
        if size_mb > limit_mb:
            raise EvidenceError(f"佐证材料“{src.name}”有 {size_mb:.1f} MB，超过上限 {limit_mb:g} MB"
                                "（tasks/config.yaml 的 evidence.max_mb）")
        safe = SAFE_NAME.sub("_", src.name).strip("._") or "file"
        rel = f"{folder}/{day.isoformat()}-{safe}"
        taken = {r for _, r in planned}
        stem, dot, ext = rel.rpartition(".") if "." in safe else (rel, "", "")
        n = 2
        while rel in taken or (tracker.root / rel).exists():
            rel = f"{stem}-{n}{dot}{ext}" if dot else f"{rel}-{n}"
            n += 1
        planned.append((src, rel))
    return planned


def subject_for(update: Update) -> str:
    progress = f" {update.progress}%" if update.progress is not None else ""
    return f"进展 {update.measure} {update.unit}：{STATUS_LABELS[update.status]}{progress}"


def message_for(update: Update) -> str:
    trailers = [("Measure", update.measure), ("Unit", update.unit), ("Status", update.status)]
    if update.progress is not None:
        trailers.append(("Progress", str(update.progress)))
    trailers.append(("Date", update.date.isoformat()))
    trailers += [("Indicator", f"{name}={value:g}") for name, value in update.indicators]
    trailers += [("Evidence", path) for path in update.evidence]
    body = f"\n\n{update.note}" if update.note else ""
    return f"{subject_for(update)}{body}\n\n{store.trailer_block(trailers)}\n"


def now_iso() -> str:
    # Milliseconds: a review and the next report may fall in the same second, and order matters.
    # YYTRACK_NOW (an ISO timestamp) pins the clock so that tests and demos are reproducible.
    pinned = os.environ.get("YYTRACK_NOW", "").strip()
    if pinned:
        try:
            moment = dt.datetime.fromisoformat(pinned)
        except ValueError as e:
            raise UsageProblem(f"环境变量 YYTRACK_NOW“{pinned}”不是 ISO 时间，例如 2026-11-20T10:00:00+08:00") from e
        # Keep the given offset: the same value must record the same day on every machine.
        return (moment if moment.tzinfo else moment.astimezone()).isoformat(timespec="milliseconds")
    return dt.datetime.now().astimezone().isoformat(timespec="milliseconds")


def record_update(tracker, measure_id: str, unit: str, status: str, note: str, progress: Optional[int],
                  date: Optional[dt.date], evidence: Sequence[str], indicators: Sequence[str],
                  author: Optional[str]):
    from .tracker import UpdateResult

    measure = tracker.get(measure_id)
    unit_name = records.safe_unit(tracker.responsible_or_raise(measure, unit))
    key = status_key(status)
    if key is None:
        raise UsageProblem(f"状态“{status}”无效；可用：" + "、".join(f"{v}（{k}）" for k, v in STATUS_LABELS.items()))
    note = clean_note(note)
    if key == "done" and not note:
        raise UsageProblem("状态为已完成时必须用 --note 说明完成情况")
    progress = validate_progress(100 if key == "done" and progress is None else progress)
    day = validate_date(date)
    values = parse_indicators(measure, indicators)
    who = store.identity(tracker.root, author)
    check_author_units(tracker, who, unit_name)
    planned = evidence_plan(tracker, measure, unit_name, day, evidence)
    path = records.record_path(tracker.root, measure.plan, measure.id, unit_name)
    rel = path.relative_to(tracker.root).as_posix()
    with store.locked(tracker.root):
        update = Update(measure.id, unit_name, key, day, progress, note, str(who), now_iso(),
                        tuple(r for _, r in planned), values)
        previous = records.read_current(path, measure.id, unit_name)

        def write():
            for src, dest in planned:
                (tracker.root / dest).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, tracker.root / dest)
            records.append_update(path, update, previous)

        commit = store.commit_paths(tracker.root, [rel, *update.evidence], message_for(update), who, write)
    return UpdateResult(commit, update, (rel, *update.evidence))


def record_review(tracker, measure_id: str, decision: str, note: str, author: Optional[str],
                  date: Optional[dt.date]):
    from .tracker import UpdateResult

    measure = tracker.get(measure_id)
    note = clean_note(note)
    if not note:
        raise UsageProblem("办结审核必须用 --note 写明意见（退回时写明理由）")
    who = store.identity(tracker.root, author)
    supervisor = tracker.config.get("supervisor") or {}
    reviewers = [str(r) for r in (supervisor.get("reviewers") or [])]
    if who.email not in reviewers:
        office = supervisor.get("office") or "督办处室"
        raise PermissionDenied(f"只有{office}的审核人可以办结审核；{who.email} 不在 tasks/config.yaml 的 "
                               "supervisor.reviewers 中")
    state = tracker.state(measure)
    if decision == "accept" and state.status != "awaiting_review":
        label = MEASURE_STATUS_LABELS[state.status]
        raise UsageProblem(f"{measure.id} 当前为“{label}”，牵头单位全部报送已完成后才能办结")
    if decision == "reject" and state.status not in ("awaiting_review", "accepted"):
        raise UsageProblem(f"{measure.id} 尚未报送完成，无需退回")
    review = Review(measure.id, decision, validate_date(date), note, str(who), now_iso())
    path = records.review_path(tracker.root, measure.plan, measure.id)
    rel = path.relative_to(tracker.root).as_posix()
    verdict = "同意办结" if decision == "accept" else "退回"
    trailers = [("Measure", measure.id), ("Review", decision), ("Date", review.date.isoformat())]
    message = f"审核 {measure.id}：{verdict}\n\n{note}\n\n{store.trailer_block(trailers)}\n"
    with store.locked(tracker.root):
        commit = store.commit_paths(tracker.root, [rel], message, who, lambda: records.append_review(path, review))
    return UpdateResult(commit, review, (rel,))
