"""Shortening text for a table cell: end with …, and never cut inside a bracket pair."""

from __future__ import annotations

import re

PAIRS = {"（": "）", "(": ")", "〔": "〕", "【": "】", "《": "》", "“": "”", "‘": "’", "[": "]", "〈": "〉",
         "「": "」", "『": "』", "{": "}"}
CLOSERS = {close: open_ for open_, close in PAIRS.items()}


BRACKETS = re.compile("[" + re.escape("".join(PAIRS) + "".join(CLOSERS)) + "]")


def _still_open(text: str) -> list:
    """Positions of the brackets still open at the end of text, outermost first."""
    stack = []
    for found in BRACKETS.finditer(text):  # only the brackets: a table clips a note per row
        i, ch = found.start(), found.group()
        if ch in PAIRS:
            stack.append(i)
        elif stack and text[stack[-1]] == CLOSERS[ch]:
            stack.pop()
    return stack


def clip(text: str, limit: int) -> str:
    """At most `limit` characters on one line; a shortened text ends with … and leaves out a bracket it
    would otherwise cut open (…（闽卫督函〔20 becomes …); a text wholly in brackets keeps them closed
    （全部在括号里很长） becomes （全部…）). Whitespace runs become one space."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    kept = flat[:max(limit - 1, 0)]
    still = _still_open(kept)
    if still and still[0] > 0:
        return kept[:still[0]].rstrip() + "…"
    if still:  # the whole text is in brackets: shorten inside them and close them again
        kept = flat[:max(limit - 1 - len(still), 1)]
        still = _still_open(kept)
        return kept + "…" + "".join(PAIRS[kept[i]] for i in reversed(still))
    return kept.rstrip() + "…"
