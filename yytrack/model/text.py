"""Control characters in text from files: found, stripped for documents, escaped for the terminal.

C0 controls other than tab and line feed, DEL, C1 controls, and the bidi overrides and isolates
(U+202A–U+202E, U+2066–U+2069). Pure functions, no I/O.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_control(text: str) -> bool:
    return CONTROL.search(text) is not None


def strip_controls(text: str) -> str:
    """For Markdown, HTML, Word, Excel: the characters are dropped."""
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def escape_controls(text: str) -> str:
    r"""For the terminal: each shows as its escape (\x1b, \u202e), so nothing reaches the terminal raw.

    Inside JSON strings the escape reads back as the same character."""
    if not _TERMINAL.search(text):
        return text
    return _TERMINAL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def clean_deep(value: Any) -> Any:
    """Strip control characters from every string in nested dicts, lists, tuples and frozen dataclasses."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, dict):
        return {clean_deep(k): clean_deep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_deep(v) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(clean_deep(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: clean_deep(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value
