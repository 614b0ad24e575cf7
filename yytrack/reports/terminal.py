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


def log_action(status: str, review: str) -> str:
    """The 事项 column: the status in Chinese, or the review's verdict."""
    if review:
        return "审核：同意办结" if review == "accept" else "审核：退回"
    return STATUS_LABELS.get(status, status)


class LogLines:
    """The rows of `yytrack log`, newest first by the day they refer to, then by commit time.

    Rows arrive as `repo.logscan` entries in git's order and keep only the texts they show. git's order is
    nearly always the wanted one already, which the (stable) sort only has to confirm; equal times keep
    git's order."""

    def __init__(self):
        self.rows: list = []

    def extend(self, entries) -> None:
        for entry in entries:
            self.add(entry)

    def sorted_rows(self) -> list:
        from operator import itemgetter

        self.rows.sort(key=itemgetter(0, 1), reverse=True)
        return self.rows


class LogJson(LogLines):
    """`log --json`: the list `json.dumps(rows, indent=2)` would print, written in blocks."""

    KEYS = ("commit", "date", "recorded", "measure", "unit", "action", "status", "review", "progress", "author",
            "note")
    ITEM = "  {\n" + ",\n".join(f'    "{k}": %s' for k in KEYS) + "\n  }"

    def add(self, entry) -> None:
        day, when, cid, date, recorded, measure, unit, status, review, progress, author, note = entry
        self.rows.append((day, when, cid, date, recorded, measure, unit, log_action(status, review), status,
                          review, progress, author, note))

    def blocks(self):
        from json.encoder import encode_basestring as quote  # json.dumps(text, ensure_ascii=False)

        if not self.rows:
            yield "[]"
            return
        item = self.ITEM
        rows = self.sorted_rows()
        yield "["
        for start in range(0, len(rows), 2000):
            block = ",\n".join([item % tuple(map(quote, row[2:])) for row in rows[start:start + 2000]])
            yield block + "," if start + 2000 < len(rows) else block
        yield "]"


class LogTable(LogLines):
    """`log`: the table tabulate's "simple" format would print, laid out as the rows arrive."""

    HEADERS = ("日期", "措施", "单位", "事项", "进度", "报送人", "说明")

    def __init__(self, fallback):
        from yytrack.model.table import text_width

        super().__init__()
        self.fallback, self.width_of = fallback, text_width
        self.widths = [(text_width(h) or 0) + 2 for h in self.HEADERS]
        self.seen: List[dict] = [{} for _ in range(6)]  # per column: value → its width once stripped
        self.exact = True

    def _new(self, column: int, cell: str) -> None:
        """A value first seen in a column (every column but the note repeats a few values)."""
        size = self.width_of(cell)
        stripped = cell.strip()
        if size is None:
            self.exact, size = False, -1
        elif stripped != cell:
            size = self.width_of(stripped) or 0
        self.seen[column][cell] = size
        if size > self.widths[column]:
            self.widths[column] = size

    def add(self, entry) -> None:
        self.extend((entry,))

    def extend(self, entries) -> None:  # size: one loop over 10^5 and more entries, its names kept local
        from yytrack.model.table import PLAIN

        plain, labels, append, width_of = PLAIN.fullmatch, STATUS_LABELS, self.rows.append, self.width_of
        s0, s1, s2, s3, s4, s5 = self.seen
        widest = self.widths[6]
        for day, when, _, date, _, measure, unit, status, review, progress, author, note in entries:
            action = labels.get(status, status) if not review else "审核：同意办结" if review == "accept" else "审核：退回"
            if date not in s0 or measure not in s1 or unit not in s2 or action not in s3 or progress not in s4 \
                    or author not in s5:
                for column, cell in enumerate((date, measure, unit, action, progress, author)):
                    if cell not in self.seen[column]:
                        self._new(column, cell)
            if len(note) > 30 or "  " in note or not note.isprintable():
                note = clip(note, 30)  # else clip would give the note itself
            if plain(note):  # as text_width counts it; clip leaves no space at either end
                size = ((len(note) + len(note.encode("utf-8"))) >> 1) - note.count("…")
            else:
                size = width_of(note)
                if size is None:
                    self.exact, size = False, 0
            if size > widest:
                widest = size
            append((day, when, date, measure, unit, action, progress, author, note))
        self.widths[6] = widest

    def blocks(self):
        count = len(self.rows)
        rows = self.sorted_rows()
        if not self.exact:
            yield self.fallback([[c.replace("\x1f", " ") for c in row[2:]] for row in rows], list(self.HEADERS))
        else:
            yield "  ".join(h + " " * (w - (self.width_of(h) or 0)) for h, w in zip(self.HEADERS, self.widths)) \
                .rstrip() + "\n" + "  ".join("-" * w for w in self.widths)
            # Each value of the six repeated columns, padded to its column, with the two spaces after it.
            p0, p1, p2, p3, p4, p5 = ({cell: cell.strip() + " " * (w - size + 2) for cell, size in seen.items()}
                                      for seen, w in zip(self.seen, self.widths))
            for start in range(0, count, 2000):
                yield "\n".join([
                    p0[r[2]] + p1[r[3]] + p2[r[4]] + p3[r[5]] + p4[r[6]] + p5[r[7]] + r[8] if r[8] else
                    (p0[r[2]] + p1[r[3]] + p2[r[4]] + p3[r[5]] + p4[r[6]] + p5[r[7]]).rstrip()
                    for r in rows[start:start + 2000]])
        yield f"共 {count} 条"
