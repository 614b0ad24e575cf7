"""Text for `show`, `status` and `log`: library results turned into what a clerk reads."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import List, Optional

from yytrack.model import MEASURE_STATUS_LABELS, MEASURE_STATUSES, ROLE_LABELS, STATUS_LABELS, MeasureState
from yytrack.reports.present import lead_label
from yytrack.model.clip import clip

NEAR_DAYS = 30


def render_measure(tracker, state: MeasureState) -> str:
    m = state.measure
    lines = [f"{m.id}  {m.number}{m.title}", f"方案：{tracker.plan(m.plan).title}（{tracker.plan(m.plan).doc_number}）"]
    if m.section:
        lines.append(f"部分：{m.section}")
    lines.append(f"牵头单位：{lead_label(m)}")
    lines.append(f"配合单位：{'、'.join(m.cooperating_units) or '无'}")
    if m.implied_units:
        lines.append(f"属地落实：{'、'.join(m.implied_units)}")
    if m.start:
        lines.append(f"开始日期：{m.start}")
    for d in m.deadlines:
        lines.append(f"截止日期：{d.date}  {d.what}")
    if m.recurring:
        lines.append("截止日期：无（长期坚持，按月报送）")
    for ind in m.indicators:
        target = f" 目标 {ind.direction}{ind.target:g}{ind.unit}" if ind.target is not None else ""
        latest = ind.observations[-1] if ind.observations else None
        seen = f" 最新 {latest.value:g}{ind.unit}（{latest.date}，{latest.source}）" if latest else ""
        by = f"，期限 {ind.deadline}" if ind.deadline else ""
        lines.append(f"指标：{ind.name}{target}{by}{seen}")
    if m.implements:
        lines.append(f"落实上级措施：{'、'.join(m.implements)}")
    progress = "" if state.progress is None else f"，进度 {state.progress}%"
    lines.append(f"状态：{MEASURE_STATUS_LABELS[state.status]}{progress}")
    for u in state.unit_updates:
        role = ROLE_LABELS.get((tracker.registry.role(m, u.unit) or ("",))[0], "")
        pct = "" if u.progress is None else f" {u.progress}%"
        lines.append(f"  · {u.unit}（{role}）{u.date} {STATUS_LABELS.get(u.status, u.status)}{pct}：{u.note}")
    if state.last_review:
        r = state.last_review
        lines.append(f"审核：{r.date} {'同意办结' if r.decision == 'accept' else '退回'}（{r.author}）：{r.note}")
    lines += ["", m.text]
    return "\n".join(lines)


def deadline_rows(states: List[MeasureState], today: dt.date, near_days: int = NEAR_DAYS) -> List[dict]:
    """Deadlines passed while not done, and deadlines within near_days."""
    rows = []
    for s in states:
        if s.status in ("accepted", "awaiting_review"):
            continue
        for d in s.measure.deadlines:
            days = (d.date - today).days
            if days < 0 or days <= near_days:
                rows.append({"measure": s.measure.id, "title": s.measure.title, "date": d.date.isoformat(),
                             "what": d.what, "days": days, "overdue": days < 0})
    return sorted(rows, key=lambda r: r["date"])


def status_summary(tracker, plan: Optional[str], today: dt.date) -> dict:
    states = tracker.states(plan=plan, as_of=today)
    counts = Counter(s.status for s in states)
    load: dict = {}
    for s in states:
        for unit in s.measure.responsible_units:
            role = s.measure.role_of(unit)
            entry = load.setdefault(unit, {"unit": unit, "lead": 0, "cooperating": 0, "implied": 0, "done": 0})
            entry[role] += 1
            entry["done"] += s.status in ("accepted", "awaiting_review")
    return {
        "as_of": today.isoformat(), "plan": plan, "measures": len(states),
        "by_status": {k: counts.get(k, 0) for k in MEASURE_STATUSES},
        "deadlines": deadline_rows(states, today),
        "units": sorted(load.values(), key=lambda e: (-e["lead"], -e["cooperating"], e["unit"])),
    }


def render_status(summary: dict) -> str:
    from yytrack.model.table import simple_table as tabulate

    scope = f"方案 {summary['plan']}" if summary["plan"] else "全部方案"
    out = [f"{scope}，截至 {summary['as_of']}，共 {summary['measures']} 条措施", ""]
    out.append(tabulate([(MEASURE_STATUS_LABELS[k], v) for k, v in summary["by_status"].items()],
                        ["状态", "措施数"]))
    out.append("")
    if summary["deadlines"]:
        rows = [(r["measure"], r["date"], "已逾期 %d 天" % -r["days"] if r["overdue"] else "还有 %d 天" % r["days"],
                 clip(r["what"], 30)) for r in summary["deadlines"]]
        out.append(tabulate(rows, ["措施", "截止日期", "情况", "事项"]))
    else:
        out.append("没有已逾期或 30 天内到期的截止日期。")
    out.append("")
    rows = [(e["unit"], e["lead"], e["cooperating"], e["implied"], e["done"]) for e in summary["units"][:30]]
    out.append(tabulate(rows, ["单位", "牵头", "配合", "属地落实", "已完成"]))
    if len(summary["units"]) > 30:
        out.append(f"……另有 {len(summary['units']) - 30} 个单位，用 --json 查看全部")
    return "\n".join(out)


def log_rows(commits) -> List[dict]:
    return [log_row(c) for c in commits]


def log_row(c) -> dict:
    """One line of `yytrack log` (and one object of its --json)."""
    trailers = dict(reversed(c.trailers))  # the first of a repeated key, as Commit.trailer reads it
    review, status = trailers.get("Review", ""), trailers.get("Status", "")
    if review:
        action = "审核：同意办结" if review == "accept" else "审核：退回"
    else:
        action = STATUS_LABELS.get(status, status)
    return {"commit": c.id, "date": trailers.get("Date") or c.authored[:10], "recorded": c.authored,
            "measure": trailers.get("Measure", ""), "unit": trailers.get("Unit", ""), "action": action,
            "status": status, "review": review,
            "progress": trailers.get("Progress", ""), "author": c.author, "note": c.note}


class LogLines:
    """The rows of `yytrack log`, newest first by the day they refer to, then by commit time.

    A row is kept as one UTF-8 string behind a sort key of fixed width (date, commit time, and the place
    in git's output, so that equal times keep git's order), not as the commit it came from: the whole
    history of a province fits in a few dozen megabytes."""

    def __init__(self):
        self.rows: List[bytes] = []

    def keep(self, commit, payload: str) -> None:
        from yytrack.repo.history import log_key

        day, when = log_key(commit)
        key = f"{day[:10]:<10}{max(int(when), 0):012d}{999_999_999 - len(self.rows):09d}"
        self.rows.append((key + payload).encode("utf-8"))

    def sorted_payloads(self):
        self.rows.sort(reverse=True)
        for row in self.rows:
            yield row[31:].decode("utf-8")


class LogJson(LogLines):
    """`log --json`: the list `json.dumps(rows, indent=2)` would print, written in blocks."""

    KEYS = ("commit", "date", "recorded", "measure", "unit", "action", "status", "review", "progress", "author",
            "note")

    def add(self, commit) -> None:
        import json

        row = log_row(commit)
        self.keep(commit, "\x1f".join(json.dumps(row[k], ensure_ascii=False) for k in self.KEYS))

    def blocks(self):
        if not self.rows:
            yield "[]"
            return
        items = ("  {\n" + ",\n".join(f'    "{k}": {v}' for k, v in zip(self.KEYS, p.split("\x1f"))) + "\n  }"
                 for p in self.sorted_payloads())
        yield "["
        block = [next(items)]
        for item in items:
            if len(block) == 2000:  # not the last block: more follows
                yield ",\n".join(block) + ","
                block = []
            block.append(item)
        yield ",\n".join(block)
        yield "]"


class LogTable(LogLines):
    """`log`: the table tabulate's "simple" format would print, laid out as the rows arrive."""

    HEADERS = ("日期", "措施", "单位", "事项", "进度", "报送人", "说明")

    def __init__(self, fallback):
        from yytrack.model.table import text_width

        super().__init__()
        self.fallback, self.width_of, self.known = fallback, text_width, {}
        self.widths = [(text_width(h) or 0) + 2 for h in self.HEADERS]
        self.exact = True

    def width(self, text: str) -> int:
        """Columns of a repeated value (every column but the note), -1 when uncertain."""
        size = self.known.get(text)
        if size is None:
            found = self.width_of(text)
            size = self.known[text] = -1 if found is None else found
        return size

    def add(self, commit) -> None:
        row = log_row(commit)
        cells = [str(row[k] or "").replace("\x1f", " ") for k in ("date", "measure", "unit", "action", "progress",
                                                                    "author")]
        note = clip(row["note"], 30).replace("\x1f", " ")
        for i, cell in enumerate(cells):
            size = self.width(cell)
            stripped = cell.strip()
            if size < 0:
                self.exact = False
            elif stripped != cell:
                size = self.width(stripped)
            if size > self.widths[i]:
                self.widths[i] = size
        note_width = self.width_of(note)
        if note_width is None:
            self.exact, note_width = False, 0
        elif note != note.strip():
            note_width = self.width_of(note.strip()) or 0
        self.widths[6] = max(self.widths[6], note_width)
        cells.append(note)
        self.keep(commit, "\x1f".join(cells) + f"\x1f{note_width}")

    def blocks(self):
        count = len(self.rows)
        if not self.exact:
            yield self.fallback([p.split("\x1f")[:7] for p in self.sorted_payloads()], list(self.HEADERS))
        else:
            yield "  ".join(h + " " * (w - self.width(h)) for h, w in zip(self.HEADERS, self.widths)).rstrip() \
                + "\n" + "  ".join("-" * w for w in self.widths)
            block = []
            for payload in self.sorted_payloads():
                block.append(self._line(payload.split("\x1f")))
                if len(block) == 2000:
                    yield "\n".join(block)
                    block = []
            if block:
                yield "\n".join(block)
        yield f"共 {count} 条"

    def _line(self, parts) -> str:
        """One row: six repeated values, the note, and the note's width."""
        out = []
        for cell, w in zip(parts[:6], self.widths):
            cell = cell.strip()
            out.append(cell + " " * (w - self.width(cell)))
        out.append(parts[6].strip() + " " * (self.widths[6] - int(parts[7])))
        return "  ".join(out).rstrip()
