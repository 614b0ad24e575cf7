"""Measuring text for print: display widths, balanced title lines, column widths, wrapped line counts.

Widths are in half-width units: a CJK or full-width character counts 2, a digit or Latin letter 1.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import List, Sequence

ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Places a title may break after (and the words a line may start with), in order of preference.
GOOD_BREAK_AFTER = ("的", "关于", "》", "和", "与", "及")
GOOD_BREAK_BEFORE = ("关于", "落实情况", "督导通报", "实施方案", "指导意见", "《")
OPENING, CLOSING = "《（“〔【", "》）”〕】"


def display_width(text: str) -> int:
    """Columns a text takes: CJK and full-width characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" and ord(ch) > 0x2000 else 1 for ch in text or "")


def chinese_dates(text: str) -> str:
    """2026-11-30 → 2026年11月30日, as dates are written in the running text of an official document."""
    return ISO_DATE.sub(lambda m: f"{int(m.group(1))}年{int(m.group(2))}月{int(m.group(3))}日", text or "")


def _blocked(text: str, brackets: bool = True) -> List[bool]:
    """For each position i: would a break before text[i] fall inside a number or a date, put punctuation
    at the start of a line, or (brackets) fall inside 《》（）“”〔〕?"""
    depth, out = 0, []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        in_number = prev.isdigit() and (ch.isdigit() or ch in "年月日号%.")
        into_number = ch.isdigit() and prev in "年月"
        out.append((brackets and depth > 0) or in_number or into_number or ch in CLOSING or ch in "，。、；：！？")
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING:
            depth = max(depth - 1, 0)
    return out


def _break_cost(text: str, at: int) -> float:
    before, after = text[:at], text[at:]
    if any(before.endswith(w) for w in GOOD_BREAK_AFTER) or any(after.startswith(w) for w in GOOD_BREAK_BEFORE):
        return 0.0
    return 8.0


def title_lines(text: str, per_line: int) -> List[str]:
    """A title broken into balanced lines (never one character alone), each at most per_line characters wide.

    Widths count a digit as half a character. Lines are as even as the text allows, breaks prefer word
    boundaries (after 的/关于, before 落实情况/督导通报) and never fall inside a number or a date, nor
    inside a bracketed name unless that name is longer than a line.
    """
    text = "".join((text or "").split())
    widths = [display_width(ch) / 2 for ch in text]
    if sum(widths) <= per_line:
        return [text]
    for blocked in (_blocked(text), _blocked(text, brackets=False)):
        first = math.ceil(sum(widths) / per_line)
        for count in range(first, first + 3):
            bounds = _best_cuts(text, widths, blocked, count, per_line)
            if bounds:
                return [text[a:b] for a, b in zip(bounds, bounds[1:])]
    return [text[i:i + per_line] for i in range(0, len(text), per_line)]


def _best_cuts(text: str, widths: List[float], blocked: List[bool], count: int, per_line: int):
    """Cut positions into count lines, each within per_line, as even as possible: a small dynamic program."""
    n, target = len(text), sum(widths) / count
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)
    inf = float("inf")
    cost = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    cost[0][0] = 0.0
    for lines in range(1, count + 1):
        for end in range(2, n + 1):
            if end < n and blocked[end]:
                continue
            for start in range(max(0, end - 4 * per_line), end - 1):
                width = prefix[end] - prefix[start]
                if cost[lines - 1][start] == inf or width > per_line:
                    continue
                here = cost[lines - 1][start] + abs(width - target) + (_break_cost(text, end) if end < n else 0)
                if here < cost[lines][end]:
                    cost[lines][end], back[lines][end] = here, start
    if cost[count][n] == inf:
        return None
    bounds, end = [n], n
    for lines in range(count, 0, -1):
        end = back[lines][end]
        bounds.append(end)
    return bounds[::-1]


def wrapped_lines(text: str, width: float) -> int:
    """Lines a text takes when wrapped at width half-width units (each explicit line wraps on its own)."""
    usable = max(width, 2)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in str(text or "").split("\n"))


def print_width(text: str) -> float:
    """Half-width units a text takes in print: a CJK character 2, a digit or Latin letter 1.2 (proportional
    digits of CJK fonts are wider than half an em)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" and ord(ch) > 0x2000 else 1.2 for ch in text or "")


def fit_columns(texts: Sequence[Sequence[str]], kinds: Sequence[str], total: float,
                minimum: Sequence[float], slack: float = 0, measure=display_width) -> List[float]:
    """Column widths (half-width units) that add up to total.

    texts: column-major cell texts (header first); kinds: "fixed" (never wraps: as wide as its widest
    text as measure says, plus slack), "wrap" (as wide as its text, down to its minimum when space is short) or "rest"
    (takes what is left, at least its minimum).
    """
    natural = [max(max((measure(line) for t in col for line in str(t).split("\n")), default=2), 2)
               for col in texts]
    # Wrapping columns give way first, down to their minimum; then the rest column, down to its own.
    widths = [max(float(n) + (slack if k == "fixed" else 0), m) for n, k, m in zip(natural, kinds, minimum)]
    spare = total - sum(widths)
    for group in ("wrap", "rest"):
        flexible = [i for i, k in enumerate(kinds) if k == group]
        slack_of = [(widths[i] - minimum[i], i) for i in flexible if widths[i] > minimum[i]]
        room = sum(s for s, _ in slack_of)
        if spare >= 0 or not room:
            continue
        take = min(-spare, room)
        for s, i in slack_of:
            widths[i] -= take * s / room
        spare += take
    wraps = [i for i, k in enumerate(kinds) if k == "wrap"]
    rest = [i for i, k in enumerate(kinds) if k == "rest"] or wraps or list(range(len(kinds)))
    if spare > 0:
        for i in rest:
            widths[i] += spare / len(rest)
    return widths
