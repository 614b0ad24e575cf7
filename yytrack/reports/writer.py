"""`yytrack report` and `yytrack remind`: pick the period, build the context, write and commit files.

Markdown and HTML come from templates (see report_templates), Word from docx_gongwen (the 通报 as a 公文), Excel from xlsx_ledger (the 台账).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from yytrack.reports import alerts
from yytrack.repo import store, writes, yamlio
from yytrack.reports.alerts import Period
from yytrack.errors import UsageProblem, YytrackError
from yytrack.model import MEASURE_STATUS_LABELS, ROLE_LABELS
from yytrack.model.text import clean_deep
from yytrack.reports.context import build_context, collect_facts, full_name, office_of
from yytrack.reports.present import day_label, document_of, trimmed
from yytrack.reports.templates import format_of, render_named

REPORT_NAME = "督导通报"
NOTICE_NAME = "催办通知"
UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


# ---------------------------------------------------------------- period


def resolve_period(month: Optional[str], as_of: Optional[dt.date],
                   today: Optional[dt.date] = None) -> Tuple[Period, dt.date]:
    """The report's month (default: this month) and as-of day (default: its last day, or today)."""
    today = today or dt.date.today()
    period = Period.parse(month) if month else Period.containing(as_of or today)
    if as_of is None:
        if period > Period.containing(today):
            raise UsageProblem(f"{period.label}尚未到来；如确需预先生成，请用 --as-of 指定统计日期")
        as_of = min(period.end, today)
    if as_of < period.start:
        raise UsageProblem(f"统计日期 {as_of} 早于{period.label}，应在该月内或之后")
    return period, as_of


# ---------------------------------------------------------------- report


def report_bytes(tracker, context: dict, fmt: str, template: Optional[str]) -> bytes:
    if fmt == "docx":
        from yytrack.reports.docx_gongwen import docx_bytes

        return docx_bytes(context)
    if fmt == "xlsx":
        from yytrack.reports.xlsx_ledger import xlsx_bytes

        return xlsx_bytes(context)
    return render_named(tracker.root, template, REPORT_NAME, fmt, context).encode("utf-8")


def output_path(root: Path, output: Optional[str], default_name: str, several: bool) -> Path:
    """-o as a folder (existing, or ending in a separator) or, for one file, as the file itself."""
    if not output:
        return root / "reports" / default_name
    target = Path(output).expanduser()
    if target.is_dir() or output.endswith(("/", "\\")):
        return target / default_name
    if several:
        raise UsageProblem(f"生成多份报告时 -o 应为目录，而“{output}”不是已有目录")
    return target


STDOUT = "-"


def to_stdout(data: bytes) -> None:
    """`-o -`: the document itself on standard output, for a pipe."""
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        sys.stdout.write(data.decode("utf-8", "replace"))
    else:
        sys.stdout.flush()
        stream.write(data)
    sys.stdout.flush()


def check_target(root: Path, path: Path, force: bool) -> None:
    """-o does not overwrite a file git tracks outside reports/ (a task file, the config) unless --force."""
    try:
        rel = path.resolve().relative_to(root)
    except ValueError:
        return  # outside the repository: the user's own file
    if force or rel.parts[:1] == ("reports",):
        return
    if store.run_git(root, "ls-files", "--", rel.as_posix()).stdout.strip():
        raise UsageProblem(f"{rel.as_posix()} 是仓库中由 git 管理的文件（不在 reports/ 下），不会被输出覆盖；"
                           "请换一个输出位置，确需覆盖时加 --force")


def write_output(path: Path, data: bytes, root: Optional[Path] = None, force: bool = False) -> None:
    """Write a report or notice; never inside .git, and a failure is one line naming the file."""
    if ".git" in path.resolve().parts or ".git" in path.parts:
        raise UsageProblem(f"不能把输出写到 .git 目录中（{path}），请换一个位置")
    inside = False
    if root is not None:
        check_target(root, path, force)
        inside = root in path.resolve().parents
    try:
        # In the tracking repository no link on the way is followed; elsewhere (the user's own folder) only
        # the file itself is judged.
        if not inside:
            Path(os.path.abspath(path)).parent.mkdir(parents=True, exist_ok=True)
        yamlio.write_atomic(path, data, root if inside else Path(os.path.abspath(path)).parent)
    except OSError as e:
        raise YytrackError(f"无法写入 {path}（{e.strerror}）；请检查目录是否存在、是否可写、磁盘是否已满") from e


def write_reports(tracker, plan: Optional[str], month: Optional[str], as_of: Optional[dt.date],
                  template: Optional[str] = None, fmt: Optional[str] = None, output: Optional[str] = None,
                  commit: bool = False, author: Optional[str] = None, force: bool = False) -> List[Path]:
    """Render the monthly report of one plan (or every plan), write it, optionally commit it."""
    return run_reports(tracker, plan, month, as_of, template, fmt, output, commit, author, force).paths


@dataclass(frozen=True)
class ReportRun:
    paths: List[Path]
    """Every report written."""
    commit: Optional[str] = None
    """The one commit of a --commit run, None when nothing changed (or no --commit)."""
    changed: Tuple[str, ...] = ()
    """Repository paths the commit changed."""


def run_reports(tracker, plan: Optional[str], month: Optional[str], as_of: Optional[dt.date],
                template: Optional[str] = None, fmt: Optional[str] = None, output: Optional[str] = None,
                commit: bool = False, author: Optional[str] = None, force: bool = False) -> ReportRun:
    """write_reports, telling what a --commit run committed; output "-" writes the one report to standard
    output and returns no path."""
    fmt = format_of(template, fmt)
    period, as_of = resolve_period(month, as_of)
    plans = [tracker.plan(plan)] if plan else tracker.plans()
    if not plans:
        raise UsageProblem("仓库中没有方案（tasks/ 下没有 plan.yaml）")
    if output == STDOUT:
        if commit or len(plans) > 1:
            raise UsageProblem("-o - 只能输出一份不提交的通报；仓库有多个方案时请用 --plan 指定")
        to_stdout(report_bytes(tracker, build_context(tracker, plans[0], period, as_of), fmt, template))
        return ReportRun([])
    written = []
    for each in plans:
        context = build_context(tracker, each, period, as_of)
        data = report_bytes(tracker, context, fmt, template)
        path = output_path(tracker.root, output, f"{period.key}-{each.id}-{REPORT_NAME}.{fmt}", len(plans) > 1)
        written.append((each.id, path, data))
    paths = [path for _, path, _ in written]
    if commit:
        made, changed = commit_reports(tracker.root, written, period, fmt, author)
        return ReportRun(paths, made, changed)
    for _, path, data in written:
        write_output(path, data, tracker.root, force)
    return ReportRun(paths)


def commit_reports(root: Path, written: Sequence[Tuple[str, Path, bytes]], period: Period, fmt: str,
                   author: Optional[str]) -> Tuple[Optional[str], Tuple[str, ...]]:
    """One commit for the whole run, under the repository lock, holding only the reports whose content
    changed; (commit, changed paths), or (None, ()) when every report is as already committed."""
    rels = []
    for _, path, _ in written:
        try:
            rels.append(path.resolve().relative_to(root).as_posix())
        except ValueError as e:
            raise UsageProblem(f"--commit 只能提交仓库内的文件，而 {path} 在仓库之外") from e
    who = store.identity(root, author)
    with writes.locked(root):
        changed = []
        for (plan_id, path, data), rel in zip(written, rels):
            if writes.dirty_paths(root, [rel]):
                # An earlier, uncommitted generation of the same report: it is replaced either way.
                tracked = bool(store.run_git(root, "ls-files", "--", rel).stdout.strip())
                writes.restore(root, [rel] if tracked else [], [] if tracked else [rel])
            if not (path.is_file() and path.read_bytes() == data):
                changed.append((plan_id, path, data, rel))
        if not changed:
            return None, ()
        plan_ids = [c[0] for c in changed]
        trailers = writes.trailer_block([("Report", period.key), *(("Plan", p) for p in plan_ids), ("Format", fmt)])
        message = f"通报 {period.key} {'、'.join(plan_ids)} {REPORT_NAME}（{fmt}）\n\n{trailers}\n"

        def write_all() -> None:
            for _, path, data, _ in changed:
                yamlio.write_atomic(path, data)

        made = writes.commit_paths(root, [c[3] for c in changed], message, who, write_all)
        return made, tuple(c[3] for c in changed)


def _writer(path: Path, data: bytes) -> Callable[[], None]:
    return lambda: yamlio.write_atomic(path, data)


# ---------------------------------------------------------------- remind


def remind_list(tracker, plan: Optional[str], period: Period, as_of: dt.date,
                unit: Optional[str] = None) -> List[dict]:
    """Per unit: measures with no report this period, and deadlines passed or within 30 days."""
    wanted = None
    if unit:
        name = tracker.unit_name(unit)
        wanted = {name, *tracker.registry.groups_of(name)}
    owed: Dict[str, List[dict]] = {}
    for each in [tracker.plan(plan)] if plan else tracker.plans():
        due = period.due_date(each.due_day).isoformat()
        for f in collect_facts(tracker, each, period, as_of):
            owes = alerts.is_due(f.measure, each, period, as_of)
            # Before tracking begins nothing is owed, but a deadline passed or near still needs chasing.
            if alerts.is_done(f.state.status) or (not owes and alerts.is_tracked(each, period)):
                continue
            late, near = alerts.deadline_reasons(f.measure, as_of)
            for name in f.measure.responsible_units:
                reasons = ([f"{period.label}未报送进展"] if owes and name not in f.reported else []) + late + near
                if reasons and (wanted is None or name in wanted):
                    owed.setdefault(name, []).append(remind_item(each, f, name, reasons, due))
    return [{"unit": name, "full_name": full_name(tracker, name), "items": items} for name, items in owed.items()]


def remind_item(plan, facts, unit: str, reasons: List[str], due: str) -> dict:
    m = facts.measure
    role = m.role_of(unit) or ""
    return {"plan": plan.id, "plan_title": plan.title, "doc_number": plan.doc_number, "id": m.id,
            "number": m.number, "title": m.title, "short_title": trimmed(m.title, 24), "role": role,
            "role_label": ROLE_LABELS.get(role, ""), "status_label": MEASURE_STATUS_LABELS[facts.state.status],
            "missing": unit not in facts.reported, "reasons": reasons, "due": due}


def notice_context(tracker, row: dict, period: Period, as_of: dt.date) -> dict:
    plans = {i["plan"]: tracker.plan(i["plan"]) for i in row["items"]}
    due = min(i["due"] for i in row["items"])
    office = office_of(tracker, next(iter(plans.values())))
    return {"unit": row["unit"], "full_name": row["full_name"], "items": row["items"],
            "office": office, "document": document_of(tracker.config, office, period.start),
            "plans": [{"id": p.id, "title": p.title, "doc_number": p.doc_number} for p in plans.values()],
            "period": {"key": period.key, "label": period.label, "start": period.start.isoformat(),
                       "end": period.end.isoformat(), "due": due, "due_passed": as_of.isoformat() > due},
            "as_of": as_of.isoformat(), "as_of_label": day_label(as_of)}


def write_notices(tracker, rows: List[dict], period: Period, as_of: dt.date, output: Optional[str] = None,
                  template: Optional[str] = None, force: bool = False) -> List[Path]:
    """One 催办通知 per unit: Markdown from the 催办通知 template, and Word in the 通知 form; output "-": the
    Markdown of all of them to standard output."""
    from yytrack.reports.docx_notice import notice_bytes

    folder = Path(output).expanduser() if output else tracker.root / "reports"
    written = []
    for i, row in enumerate(rows):
        context = clean_deep(notice_context(tracker, row, period, as_of))
        text = render_named(tracker.root, template, NOTICE_NAME, "md", context)
        if output == STDOUT:
            to_stdout((("\n---\n\n" if i else "") + text).encode("utf-8"))
            continue
        stem = folder / f"{period.key}-{UNSAFE_FILE_CHARS.sub('_', row['unit'])}-{NOTICE_NAME}"
        for path, data in ((Path(f"{stem}.md"), text.encode("utf-8")), (Path(f"{stem}.docx"), notice_bytes(context))):
            write_output(path, data, tracker.root, force)
            written.append(path)
    return written
