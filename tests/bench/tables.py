"""The Markdown the benchmark prints: one results table with ratios, then the targets checklist.

Ratios come from paired runs (pairs.py: A B A B …, median of the pair-by-pair ratios) wherever the
pair is in PAIRS; the other ratios are medians of the same run and are marked "(medians)"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from measure import Result

# Which floor and which peers each yytrack operation is compared with.
FLOORS = {"version": "python", "help": "python", "update": "git-commit", "status": "git-log",
          "status-cold": "git-log", "status-after-update": "git-log", "report-md": "git-log",
          "report-html": "git-log", "report-md-cold": "git-log", "log-month": "git-log", "log": "git-log",
          "log-json": "git-log", "report-old": "git-log", "check": "git-log", "check-cold": "git-log"}
PEERS = {"update": ["tw-annotate"], "status": ["tw-summary"], "status-after-update": ["tw-summary"],
         "status-cold": ["tw-summary"], "report-md": ["hledger-month", "hledger", "tj3"],
         "report-html": ["hledger-month", "hledger", "tj3"], "report-md-cold": ["hledger-month", "tj3"],
         "report-old": ["hledger-month"]}
PAIRS = [("version", "python"), ("help", "python"), ("update", "git-commit"), ("log", "git-log"),
         ("log-json", "git-log"), ("status", "tw-summary"), ("status-after-update", "tw-summary"),
         ("update", "tw-annotate"), ("report-md", "hledger-month")]
YYTRACK_OPS = set(FLOORS) | {"audit-100", "audit-full", "hook-1", "hook-100"}
SHORT = {"python": "python", "git-commit": "git", "git-log": "git log", "tw-annotate": "task annotate",
         "tw-summary": "task summary", "hledger": "hledger", "hledger-month": "hledger -p", "tj3": "tj3"}

Index = Dict[Tuple[int, str], Result]


@dataclass
class Paired:
    size: int
    a: str
    b: str
    median: Optional[float]
    """Median of the pair-by-pair ratios a/b; None when a run failed."""
    ratios: List[float] = field(default_factory=list)


def seconds(value: Optional[float]) -> str:
    if value is None:
        return "n/a"
    if value < 0.01:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def ratio(a: Optional[Result], b: Optional[Result]) -> Optional[float]:
    if a is None or b is None or a.median is None or b.median is None or b.median == 0:
        return None
    return a.median / b.median


def _pair_index(paired: List[Paired]) -> Dict[Tuple[int, str, str], Paired]:
    return {(p.size, p.a, p.b): p for p in paired}


def results_table(results: List[Result], titles: Dict[str, str], paired: List[Paired]) -> str:
    index: Index = {(r.size, r.name): r for r in results}
    pi = _pair_index(paired)
    lines = ["| updates | operation | median | min – max | peak MB | vs floor | vs peers |",
             "| ---: | --- | ---: | ---: | ---: | --- | --- |"]
    for r in results:
        if not r.ok:
            lines.append(f"| {r.size:,} | {titles.get(r.name, r.name)} | n/a | | | | {r.note} |")
            continue
        floor = FLOORS.get(r.name)
        compare = [floor] if floor else []
        lines.append(f"| {r.size:,} | {titles.get(r.name, r.name)} | {seconds(r.median)} | "
                     f"{seconds(r.low)} – {seconds(r.high)} | {r.peak_mb:.0f} | {_ratios(r, compare, index, pi)} | "
                     f"{_ratios(r, PEERS.get(r.name, []), index, pi)}{' ' + r.note if r.note else ''} |")
    return "\n".join(lines)


def _ratios(r: Result, others: List[str], index: Index, pi) -> str:
    parts = []
    for name in others:
        pair = pi.get((r.size, r.name, name))
        if pair is not None and pair.median is not None:
            parts.append(f"{pair.median:.2f}× {SHORT[name]} (paired)")
        else:
            x = ratio(r, index.get((r.size, name)))
            if x is not None:
                parts.append(f"{x:.2f}× {SHORT[name]} (medians)")
    return "; ".join(parts)


def _verdict(value: Optional[float], limit: float) -> str:
    return "n/a" if value is None else ("met" if value <= limit else "**not met**")


def targets_table(results: List[Result], paired: List[Paired]) -> str:
    """The issue's targets at every size measured."""
    index: Index = {(r.size, r.name): r for r in results}
    pi = _pair_index(paired)
    rows = ["| target | at | measured | limit | verdict |", "| --- | ---: | ---: | ---: | --- |"]

    def absolute(size: int, name: str, limit: float, what: str) -> None:
        r = index.get((size, name))
        value = r.median if r is not None else None
        rows.append(f"| {what} | {size:,} | {seconds(value)} | ≤ {seconds(limit)} | {_verdict(value, limit)} |")

    def relative(size: int, a: str, b: str, limit: float, what: str) -> None:
        pair = pi.get((size, a, b))
        value = pair.median if pair is not None else ratio(index.get((size, a)), index.get((size, b)))
        shown = "n/a" if value is None else f"{value:.2f}×"
        rows.append(f"| {what} | {size:,} | {shown} | ≤ {limit:g}× | {_verdict(value, limit)} |")

    def memory(size: int, names, limit: float, what: str) -> None:
        ours = [index[(size, n)] for n in names if (size, n) in index and index[(size, n)].ok]
        if not ours:
            rows.append(f"| {what} | {size:,} | n/a | ≤ {limit:g} MB | n/a |")
            return
        worst = max(ours, key=lambda r: r.peak_mb)
        rows.append(f"| {what} (worst: {worst.name}) | {size:,} | {worst.peak_mb:.0f} MB | ≤ {limit:g} MB | "
                    f"{_verdict(worst.peak_mb, limit)} |")

    def per_commit(size: int, name: str, commits: int, what: str) -> None:
        r = index.get((size, name))
        value = r.median / commits if r is not None and r.median is not None else None
        rows.append(f"| {what} | {size:,} | {seconds(value)} | ≤ 30 ms | {_verdict(value, 0.030)} |")

    for size in sorted({r.size for r in results}):
        absolute(size, "check", 3, "`check`, warm")
        absolute(size, "check-cold", 15, "`check`, fresh clone")
        memory(size, ["check", "check-cold"], 150, "`check` peak memory")
        relative(size, "log", "git-log", 2, "`log` (full) vs `git log --format=%B`")
        memory(size, ["log", "log-json"], 100, "`log` and `log --json` peak memory")
        absolute(size, "status-cold", 2, "first `status` in a fresh clone")
        absolute(size, "report-md-cold", 3, "first `report` in a fresh clone")
        absolute(size, "status", 0.15, "`status`")
        absolute(size, "status-after-update", 0.15, "`status` right after an update")
        relative(size, "status", "tw-summary", 1, "`status` vs Taskwarrior summary")
        absolute(size, "update", 0.10, "`update`")
        relative(size, "update", "git-commit", 5, "`update` vs git add + commit")
        relative(size, "update", "tw-annotate", 1, "`update` vs Taskwarrior annotate")
        absolute(size, "report-md", 0.4, "`report`, current month")
        absolute(size, "report-old", 1, "`report`, an old month")
        for name in ("version", "help"):
            relative(size, name, "python", 2, f"`--{name}` vs `python -c pass` (wheel)")
        per_commit(size, "hook-100", 100, "pre-receive hook, per judged commit (a push of 100)")
        per_commit(size, "audit-100", 100, "`audit --since HEAD~100`, per judged commit")
        absolute(size, "audit-full", 60, "`audit` of the whole history")
        memory(size, sorted(YYTRACK_OPS), 100, "peak memory of every command")
    if 100_000 in {r.size for r in results} and 1_000_000 in {r.size for r in results}:
        for name in ("status", "report-md", "update"):
            x = ratio(index.get((1_000_000, name)), index.get((100_000, name)))
            shown = "n/a" if x is None else f"{x:.2f}×"
            rows.append(f"| {name} growth 100,000 → 1,000,000 | | {shown} | ≤ 1.2× | {_verdict(x, 1.2)} |")
    return "\n".join(rows)
