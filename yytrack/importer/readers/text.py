"""Plain text: UTF-8 or GB18030 (tables copied as `|`- or tab-separated cells are read by parse_document)."""

from __future__ import annotations

from yytrack.importer.textnorm import decode_text


def read_text(raw: bytes) -> str:
    return decode_text(raw)
