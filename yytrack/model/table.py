"""Plain-text tables as tabulate's "simple" format prints them, without importing tabulate.

tabulate (with wcwidth and importlib.metadata behind it) costs more to import than `status` takes to
answer, so the tables of the terminal commands are laid out here with `unicodedata`, which Python has
already loaded. Text whose width this cannot know for certain (emoji, combining marks, control
characters, line breaks) goes to tabulate itself, so the output is always tabulate's.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence

SAFE_CATEGORIES = {"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",
                   "Sm", "Sc", "Zs"}
# Common Chinese text: ideographs, CJK and full-width punctuation, two columns each in every version
# of wcwidth and unicodedata (checked, not assumed, by tests/model/test_table.py).
WIDE = re.compile("[\u3001-\u3003\u3005-\u3011\u3014-\u301f\u3021-\u3029\u4e00-\u9fa5"
                  "\uff01-\uff3d\uff3f\uff41-\uff60\uffe0-\uffe2\uffe5\uffe6]")
# Punctuation of Chinese text that is one column wide (ambiguous width, counted narrow as wcwidth does):
# … — · and the curly quotes. `_slow_width` gives the same; tests/model/test_table.py checks it.
NARROW = re.compile("[\u2026\u2014\u00b7\u2018\u2019\u201c\u201d]")
# Printable ASCII, WIDE and the … a clipped cell ends with: one byte of UTF-8 per column for ASCII, three
# bytes per two columns for WIDE (all in the BMP, past U+0800), three bytes for the one column of …, so
# the width is (characters + bytes) / 2, less one for each ….
PLAIN = re.compile("[ -~\u2026" + WIDE.pattern[1:] + "*")


def text_width(text: str) -> Optional[int]:
    """Display columns as wcwidth counts them, or None when this cannot be sure."""
    if text.isascii():
        return len(text) if text.isprintable() else None
    if PLAIN.fullmatch(text):
        return ((len(text) + len(text.encode("utf-8"))) >> 1) - text.count("\u2026")
    rest = WIDE.sub("", text)
    if rest.isascii():
        return 2 * len(text) - len(rest) if rest.isprintable() else None
    narrow = NARROW.sub("", rest)
    if narrow.isascii() and narrow.isprintable():
        return 2 * len(text) - len(rest)
    return _slow_width(text)


def _slow_width(text: str) -> Optional[int]:
    from unicodedata import category, east_asian_width

    total = 0
    for ch in text:
        if " " <= ch <= "~":
            total += 1
            continue
        if category(ch) not in SAFE_CATEGORIES or ch in "\u00ad\u3000":
            return None
        total += 2 if east_asian_width(ch) in "WF" else 1
    return total


def simple_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    """tabulate(rows, headers, tablefmt="simple", disable_numparse=True), byte for byte."""
    raw = [["" if v is None else str(v) for v in row] for row in rows]
    heads = [str(h) for h in headers]
    known: Dict[str, Optional[int]] = {}  # columns repeat the same few values (dates, units, statuses)
    for text in (c for row in [heads, *raw] for c in row):
        if text not in known:
            known[text] = text_width(text)
            if known[text] is None:
                return _tabulate(rows, headers)
    if any(len(row) != len(heads) for row in raw):
        return _tabulate(rows, headers)
    cells = [[c.strip() for c in row] for row in raw]
    measured = [[_known(known, c) for c in row] for row in [heads, *cells]]
    widths: List[int] = [max([known[h] + 2] + [m[i] for m in measured[1:]]) for i, h in enumerate(heads)]
    lines = []
    for row, sizes in zip([heads, *cells], measured):
        lines.append("  ".join(c + " " * (w - s) for c, s, w in zip(row, sizes, widths)).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _known(known: Dict[str, Optional[int]], text: str) -> int:
    if text not in known:
        known[text] = text_width(text)
    return known[text] or 0


def _tabulate(rows, headers) -> str:
    from tabulate import tabulate

    return tabulate(rows, headers=list(headers), tablefmt="simple", disable_numparse=True)
