"""The exact text records.append_update writes, produced without calling the YAML dumper per update.

The dumper costs about 0.6 ms a call, which is a minute per 10^5 updates. Keys and layout are fixed
(update_to_dict gives the order), and the only choice the dumper makes is how to quote a string, so
that choice is asked of the dumper once per *shape* of string (digits folded to 0: every recorded
timestamp has the same shape) and reused. test_bench_smoke.py checks the result byte for byte against
records.append_update.
"""

from __future__ import annotations

import re
from typing import Dict

from yytrack.repo import yamlio
from yytrack.model import Update
from yytrack.repo.records import update_to_dict

DIGITS = re.compile(r"[0-9]")


class RecordText:
    def __init__(self) -> None:
        self.quoting: Dict[str, str] = {}

    def scalar(self, value) -> str:
        """`value` as the round-trip dumper writes it after `key: `."""
        if isinstance(value, bool) or value is None or not isinstance(value, (int, str)):
            return self._dumped(value)
        if isinstance(value, int):
            return str(value)
        shape = DIGITS.sub("0", value)
        style = self.quoting.get(shape)
        if style is None:
            dumped = self._dumped(shape)
            style = "plain" if dumped == shape else "single" if dumped == f"'{shape}'" else "other"
            self.quoting[shape] = style
        if style == "plain":
            return value
        if style == "single":
            return f"'{value}'"
        return self._dumped(value)

    @staticmethod
    def _dumped(value) -> str:
        text = yamlio.dump_text({"k": value})
        if "\n" in text[:-1]:
            raise ValueError(f"multi-line value not supported by the generator: {value!r}")
        return text[3:-1] if text.startswith("k: ") else text[2:-1]

    def _line(self, indent: str, key: str, value) -> str:
        text = self.scalar(value)
        return f"{indent}{key}: {text}\n" if text else f"{indent}{key}:\n"

    def entry(self, update: Update) -> str:
        """One `updates:` list item."""
        lines = []
        for n, (key, value) in enumerate(update_to_dict(update).items()):
            if isinstance(value, (list, dict)):
                raise ValueError("evidence and indicators are not generated")
            lines.append(self._line("  - " if n == 0 else "    ", key, value))
        return "".join(lines)
