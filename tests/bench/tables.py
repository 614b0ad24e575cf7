"""The Markdown the benchmark prints: one results table with ratios, then the targets checklist."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from measure import Result

# Which floor and which peers each yytrack operation is compared with.
FLOORS = {"version": "python", "help": "python", "update": "git-commit", "status": "git-log",
          "status-cold": "git-log", "status-after-update": "git-log", "report-md": "git-log",
          "report-html": "git-log", "report-md-cold": "git-log", "log-month": "git-log"}
PEERS = {"update": ["tw-annotate"], "status": ["tw-summary"], "status-after-update": ["tw-summary"],
         "status-cold": ["tw-summary"], "report-md": ["hledger", "tj3"], "report-html": ["hledger", "tj3"],
         "report-md-cold": ["hledger", "tj3"]}
YYTRACK_OPS = set(FLOORS) | {"audit-100", "audit-full"}
SHORT = {"python": "python", "git-commit": "git", "git-log": "git log", "tw-annotate": "task annotate",
         "tw-summary": "task summary", "hledger": "hledger", "tj3": "tj3"}

Index = Dict[Tuple[int, str], Result]


def seconds(value: Optional[float]) -> str:
    if value is None:
        return "n/a"
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def ratio(a: Optional[Result], b: Optional[Result]) -> Optional[float]:
    if a is None or b is None or a.median is None or b.median is None or b.median == 0:
        return None
    return a.median / b.median


def results_table(results: List[Result], titles: Dict[str, str]) -> str:
    index: Index = {(r.size, r.name): r for r in results}
    lines = ["| updates | operation | median | min – max | peak MB | vs floor | vs peers |",
             "| ---: | --- | ---: | ---: | ---: | --- | --- |"]
    for r in results:
        if not r.ok:
            lines.append(f"| {r.size:,} | {titles.get(r.name, r.name)} | n/a | | | | {r.note} |")
            continue
        floor = FLOORS.get(r.name)
        compare = [(floor, ratio(r, index.get((r.size, floor))))] if floor else []
        against = [(p, ratio(r, index.get((r.size, p)))) for p in PEERS.get(r.name, [])]
        lines.append(f"| {r.size:,} | {titles.get(r.name, r.name)} | {seconds(r.median)} | "
                     f"{seconds(r.low)} – {seconds(r.high)} | {r.peak_mb:.0f} | {_ratios(compare)} | "
                     f"{_ratios(against)}{' ' + r.note if r.note else ''} |")
    return "\n".join(lines)


def _ratios(pairs) -> str:
    return "; ".join(f"{x:.2f}× {SHORT[name]}" for name, x in pairs if x is not None)


def _check(index: Index, size: int, a: str, b: str, limit: float, what: str) -> List[str]:
    x = ratio(index.get((size, a)), index.get((size, b)))
    if x is None:
        return [f"| {what} | {size:,} | n/a | ≤ {limit:g}× | n/a |"]
    return [f"| {what} | {size:,} | {x:.2f}× | ≤ {limit:g}× | {'met' if x <= limit else '**not met**'} |"]


def targets_table(results: List[Result]) -> str:
    """The issue's targets, defined at 10^5 (TaskJuggler at 10^4); with other sizes, the largest
    (and for growth, the smallest and largest) sizes measured stand in, as the `at` column says."""
    index: Index = {(r.size, r.name): r for r in results}
    sizes = sorted({r.size for r in results})
    big = 100_000 if 100_000 in sizes else sizes[-1]
    mid = 10_000 if 10_000 in sizes else sizes[0]
    rows = ["| target | at | measured | limit | verdict |", "| --- | ---: | ---: | ---: | --- |"]
    rows += _check(index, big, "update", "tw-annotate", 0.6, "update vs Taskwarrior annotate")
    rows += _check(index, big, "update", "git-commit", 2, "update vs git add + commit")
    rows += _check(index, big, "status", "tw-summary", 1, "status vs Taskwarrior summary")
    rows += _check(index, big, "status-after-update", "tw-summary", 1, "status after an update vs Taskwarrior summary")
    for fmt in ("md", "html"):
        rows += _check(index, big, f"report-{fmt}", "hledger", 0.1, f"report {fmt} vs hledger bal -M")
        rows += _check(index, mid, f"report-{fmt}", "tj3", 1, f"report {fmt} vs TaskJuggler")
    rows += _memory(index, big)
    for name in ("version", "help"):
        rows += _check(index, big, name, "python", 3, f"`--{name}` vs bare interpreter")
    if mid != big:
        for name in ("status", "status-after-update", "report-md", "report-html"):
            rows += _growth(index, mid, big, name)
    return "\n".join(rows)


def _memory(index: Index, size: int) -> List[str]:
    peer = index.get((size, "hledger"))
    ours = [r for (s, name), r in index.items() if s == size and r.ok and name in YYTRACK_OPS]
    if peer is None or peer.peak_mb is None or not ours:
        return [f"| peak memory vs hledger | {size:,} | n/a | ≤ 0.2× | n/a |"]
    worst = max(ours, key=lambda r: r.peak_mb)
    x = worst.peak_mb / peer.peak_mb
    return [f"| peak memory vs hledger (worst: {worst.name}, {worst.peak_mb:.0f} MB) | {size:,} | {x:.2f}× | "
            f"≤ 0.2× | {'met' if x <= 0.2 else '**not met**'} |"]


def _growth(index: Index, small: int, big: int, name: str) -> List[str]:
    x = ratio(index.get((big, name)), index.get((small, name)))
    what = f"{name} growth {small:,} → {big:,}"
    if x is None:
        return [f"| {what} | | n/a | ≤ 1.5× | n/a |"]
    return [f"| {what} | | {x:.2f}× | ≤ 1.5× | {'met' if x <= 1.5 else '**not met**'} |"]
