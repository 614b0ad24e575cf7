"""The YAML text of an everyday progress entry, without loading the YAML library.

`yytrack update` appends one entry per run, and importing and running ruamel's round-trip dumper costs
more than the rest of the append. Most entries hold only a date, a timestamp, a name, a status word, a
number and a note in plain Chinese; for those the dumper's output is fixed and is written here directly.
Anything else (evidence, indicators, on-behalf entries, a note that YAML would quote or escape) returns
None and goes through the dumper. tests/repo/test_plainyaml.py holds the two to the same bytes.
"""

from __future__ import annotations

import re
from typing import Optional

ORDER = ("date", "recorded", "author", "status", "progress", "note")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:[+-]\d{2}:\d{2}|Z)")
_ASCII_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;()%/+=<>@_-")
# Words a YAML reader might take for something other than text, in any case: always left to the dumper.
_WORDS = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf", "infinity"}
MAX_PLAIN = 2000


def _wide_safe(ch: str) -> bool:
    """CJK ideographs, fullwidth forms (，：（）％), CJK punctuation (、。《》) and “”‘’—…."""
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0xFF01 <= code <= 0xFF5E or 0x3001 <= code <= 0x301F
            or code in (0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026))


def plain(text: str) -> bool:
    """True when the dumper would write text as it is, with no quotes or escapes (conservatively)."""
    if not text or len(text) > MAX_PLAIN or text != text.strip(" ") or text.lower() in _WORDS:
        return False
    first = text[0]
    if not (first.isascii() and first.isalpha()) and not (0x4E00 <= ord(first) <= 0x9FFF):
        return False
    return all(ch in _ASCII_SAFE or (not ch.isascii() and _wide_safe(ch)) for ch in text)


def entry_text(entry: dict) -> Optional[str]:
    """`  - date: '…'\n    recorded: …` exactly as the round-trip dumper writes it, or None."""
    if tuple(entry) not in (ORDER, ORDER[:4] + ORDER[5:]):
        return None
    day, moment, progress = entry["date"], entry["recorded"], entry.get("progress")
    if not (isinstance(day, str) and _DAY.fullmatch(day) and isinstance(moment, str) and _MOMENT.fullmatch(moment)):
        return None
    words = (entry["author"], entry["status"], entry["note"])
    if not all(isinstance(w, str) for w in words) or not all(plain(w) for w in words[:2]):
        return None
    if "progress" in entry and (type(progress) is not int or not 0 <= progress <= 100):
        return None
    note = entry["note"]
    if note and not plain(note):
        return None
    lines = [f"  - date: '{day}'", f"    recorded: '{moment}'", f"    author: {entry['author']}",
             f"    status: {entry['status']}"]
    if "progress" in entry:
        lines.append(f"    progress: {progress}")
    lines.append(f"    note: {note}" if note else "    note: ''")
    return "\n".join(lines) + "\n"
