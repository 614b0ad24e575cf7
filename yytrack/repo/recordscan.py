"""A fast reader for the machine-written record files, with the YAML loader as the fallback.

`records.append_update` writes every entry in one fixed layout, so a line reader recovers exactly what
the YAML loader would, an order of magnitude faster. Anything outside that layout (a double-quoted or
block scalar, a plain value YAML would read as a number, bool, null or date, a comment, an unknown key)
raises `Unreadable` and the caller uses the YAML loader: the result is never different, at worst slower.
"""

from __future__ import annotations

import re
from typing import List, Optional

ENTRY_KEYS = {"date", "recorded", "author", "status", "progress", "note", "evidence", "indicators",
              "on_behalf", "source"}
LIST_KEY = "updates:\n"
# Plain scalars that YAML (1.2 core schema, as ruamel resolves it) would not read as a string.
NOT_A_STRING = re.compile(r"""^(?:[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+|0x[0-9a-fA-F_]+|0o[0-7_]+)
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE
    |yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|\d{4}-\d\d?-\d\d?.*|<<|=)$""", re.X)
UNSAFE_START = tuple("'\"&*!|>%@`[]{},#?:-")


class Unreadable(Exception):
    """The text is outside the fixed layout: use the YAML loader."""


def scalar(raw: str) -> str:
    """A plain or single-quoted scalar as the string YAML would read."""
    if raw.startswith("'"):
        if len(raw) < 2 or not raw.endswith("'") or "'" in raw[1:-1].replace("''", ""):
            raise Unreadable(raw)
        return raw[1:-1].replace("''", "'")
    if (not raw or raw.startswith(UNSAFE_START) or " #" in raw or ": " in raw or raw != raw.strip()
            or "\t" in raw or NOT_A_STRING.match(raw)):
        raise Unreadable(raw)
    return raw


def _value(key: str, raw: str):
    if key == "on_behalf":
        if raw not in ("true", "false"):
            raise Unreadable(raw)
        return raw == "true"
    if key == "progress":
        if raw == "":
            return None
        if not raw.isdigit():
            raise Unreadable(raw)
        return int(raw)
    return scalar(raw)


def parse_entries(text: str) -> List[dict]:
    """The `updates:` list of a record file as dicts, or Unreadable."""
    at = text.find("\n" + LIST_KEY)
    if at < 0:
        raise Unreadable("no list")
    entries: List[dict] = []
    nested: Optional[str] = None
    for line in text[at + 1 + len(LIST_KEY):].split("\n"):
        if not line:
            continue
        if line.startswith("  - "):
            entries.append({})
            nested = None
            line = "    " + line[4:]
        if not entries:
            raise Unreadable(line)
        nested = _line(entries[-1], line, nested)
    return entries


def _line(entry: dict, line: str, nested: Optional[str]) -> Optional[str]:
    if nested == "evidence" and line.startswith("      - "):
        entry["evidence"].append(scalar(line[8:]))
        return nested
    if nested == "indicators" and line.startswith("      ") and not line.startswith("       "):
        name, _, value = line[6:].partition(": ")
        try:
            entry["indicators"][scalar(name)] = float(value)
        except ValueError as e:
            raise Unreadable(line) from e
        return nested
    if not line.startswith("    ") or line.startswith("     "):
        raise Unreadable(line)
    key, _, raw = line[4:].partition(":")
    if key not in ENTRY_KEYS or key in entry or (raw and not raw.startswith(" ")):
        raise Unreadable(line)
    raw = raw[1:]
    if key in ("evidence", "indicators"):
        if raw:
            raise Unreadable(line)
        entry[key] = [] if key == "evidence" else {}
        return key
    entry[key] = _value(key, raw)
    return None
