"""Plain text: UTF-8 or GB18030, tables copied as `|`- or tab-separated cells turned into measure lines."""

from __future__ import annotations

from yytrack.importer.tables import text_tables
from yytrack.importer.textnorm import decode_text


def read_text(raw: bytes) -> str:
    return "\n".join(text_tables(decode_text(raw).split("\n"))) + "\n"
