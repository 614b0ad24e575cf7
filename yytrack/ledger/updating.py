"""Recording progress and reviews: validate everything first, then write and commit under the lock."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

from yytrack.errors import PermissionDenied, UsageProblem
from yytrack.model import (MEASURE_STATUS_LABELS, STATUS_LABELS, Measure, MeasureState, Plan, Review, Update,
                           status_key)
from yytrack.model.units import Registry
from yytrack.model.validate import (clean_note, earliest_update, parse_indicators, subject_for, validate_date,
                                   validate_progress)
from yytrack.repo import records, store, writes
from yytrack.repo.evidence import copy_in, evidence_plan
from yytrack.trust.policy import may_record


@dataclass(frozen=True)
class Context:
    """What recording needs to know about the repository, handed down by the Tracker."""

    root: Path
    """The tracking repository's work tree."""
    config: dict
    """tasks/config.yaml, parsed."""
    registry: Registry
    """The unit registry."""
    plan_of: Callable[[str], Plan]
    """A plan by its id (the Tracker's, which reads plan.yaml once and through its cache)."""


@dataclass(frozen=True)
class UpdateResult:
    commit: str
    """The new commit id."""
    update: object
    """What was recorded: an Update or a Review."""
    paths: tuple
    """Repository paths the commit touched."""


def message_for(update: Update) -> str:
    trailers = [("Measure", update.measure), ("Unit", update.unit), ("Status", update.status)]
    if update.progress is not None:
        trailers.append(("Progress", str(update.progress)))
    trailers.append(("Date", update.date.isoformat()))
    trailers += [("Indicator", f"{name}={value:g}") for name, value in update.indicators]
    trailers += [("Evidence", path) for path in update.evidence]
    if update.on_behalf:
        trailers += [("On-Behalf", update.unit), ("Source", update.source)]
    body = f"\n\n{update.note}" if update.note else ""
    return f"{subject_for(update)}{body}\n\n{writes.trailer_block(trailers)}\n"


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


def _earliest(ctx: Context, measure: Measure) -> dt.date:
    return earliest_update(ctx.plan_of(measure.plan).issued)


def record_update(ctx: Context, measure: Measure, unit: str, status: str, note: str, progress: Optional[int],
                  date: Optional[dt.date], evidence: Sequence[str], indicators: Sequence[str],
                  author: Optional[str], source: Optional[str] = None) -> UpdateResult:
    """Validate everything, then append the unit's record and commit it with its evidence under the lock.

    `unit` is the canonical name of a unit responsible for the measure (the caller resolved it)."""
    unit_name = records.safe_unit(unit)
    key = status_key(status)
    if key is None:
        raise UsageProblem(f"状态“{status}”无效；可用：" + "、".join(f"{v}（{k}）" for k, v in STATUS_LABELS.items()))
    note = clean_note(note)
    if key == "done" and not note:
        raise UsageProblem("状态为已完成时必须用 --note 说明完成情况")
    progress = validate_progress(100 if key == "done" and progress is None else progress)
    day = validate_date(date, _earliest(ctx, measure))
    values = parse_indicators(measure, indicators)
    who = store.identity(ctx.root, author)
    on_behalf = may_record(ctx.config, ctx.registry, who, unit_name, source)
    source = " ".join((source or "").split())[:200] if on_behalf else ""
    planned = evidence_plan(ctx.root, ctx.config, measure, unit_name, day, evidence)
    path = records.record_path(ctx.root, measure.plan, measure.id, unit_name)
    rel = path.relative_to(ctx.root).as_posix()
    with writes.locked(ctx.root):
        update = Update(measure.id, unit_name, key, day, progress, note, str(who), now_iso(),
                        tuple(r for _, r in planned), values, on_behalf, source)

        def write():
            for src, dest in planned:
                copy_in(ctx.root, ctx.config, src, dest)
            records.append_update(path, update)

        commit = writes.commit_paths(ctx.root, [rel, *update.evidence], message_for(update), who, write)
    return UpdateResult(commit, update, (rel, *update.evidence))


def record_review(ctx: Context, measure: Measure, state: MeasureState, decision: str, note: str,
                  author: Optional[str], date: Optional[dt.date]) -> UpdateResult:
    """A reviewer's decision on a measure whose current state the caller read."""
    note = clean_note(note)
    if not note:
        raise UsageProblem("办结审核必须用 --note 写明意见（退回时写明理由）")
    who = store.identity(ctx.root, author)
    supervisor = ctx.config.get("supervisor") or {}
    reviewers = [str(r) for r in (supervisor.get("reviewers") or [])]
    if who.email not in reviewers:
        office = supervisor.get("office") or "督办处室"
        raise PermissionDenied(f"只有{office}的审核人可以办结审核；{who.email} 不在 tasks/config.yaml 的 "
                               "supervisor.reviewers 中")
    if decision == "accept" and state.status == "accepted":
        raise UsageProblem(f"{measure.id} 已经办结，无需再次审核；如需重新审核，先用 --reject 退回")
    if decision == "accept" and state.status != "awaiting_review":
        label = MEASURE_STATUS_LABELS[state.status]
        raise UsageProblem(f"{measure.id} 当前为“{label}”，牵头单位全部报送已完成后才能办结")
    if decision == "reject" and state.status not in ("awaiting_review", "accepted"):
        raise UsageProblem(f"{measure.id} 尚未报送完成，无需退回")
    review = Review(measure.id, decision, validate_date(date, _earliest(ctx, measure)), note, str(who), now_iso())
    path = records.review_path(ctx.root, measure.plan, measure.id)
    rel = path.relative_to(ctx.root).as_posix()
    verdict = "同意办结" if decision == "accept" else "退回"
    trailers = [("Measure", measure.id), ("Review", decision), ("Date", review.date.isoformat())]
    message = f"审核 {measure.id}：{verdict}\n\n{note}\n\n{writes.trailer_block(trailers)}\n"
    with writes.locked(ctx.root):
        commit = writes.commit_paths(ctx.root, [rel], message, who, lambda: records.append_review(path, review))
    return UpdateResult(commit, review, (rel,))
