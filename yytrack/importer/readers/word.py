"""Word .docx through python-docx: body paragraphs and tables in document order.

The zip is checked before python-docx opens it: a bounded number of members and a bounded unpacked
size, so a zip bomb is refused instead of filling memory.
"""

from __future__ import annotations

import io
import zipfile
from typing import List

from yytrack.errors import UsageProblem
from yytrack.importer.tables import header_roles, rows_to_lines

MAX_UNPACKED = 200 * 1024 * 1024
MAX_MEMBERS = 2000


def _check_zip(raw: bytes, name: str) -> None:
    try:
        members = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise UsageProblem(f"“{name}”不是完好的 Word 文档（.docx），无法读取") from e
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise UsageProblem(f"“{name}”解压后过大（超过 {MAX_UNPACKED // 1024 // 1024} MB 或 {MAX_MEMBERS} 个部件），"
                           "不像正常的 Word 文档，未导入")


def read_docx(raw: bytes, name: str) -> str:
    _check_zip(raw, name)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as e:  # python-docx raises KeyError, ValueError, lxml errors … on a damaged package
        raise UsageProblem(f"“{name}”不是完好的 Word 文档（.docx），无法读取（{type(e).__name__}）") from e
    from yytrack.importer.readers.numbering import Numbering

    numbering = Numbering(document)
    lines: List[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            lines.append(numbering.label(paragraph) + paragraph.text)
        elif tag == "tbl":
            lines += table_lines(Table(child, document))
    return "\n".join(lines) + "\n"


def table_lines(table) -> List[str]:
    """A Word table: measure lines when its header names the columns, else its cells as paragraphs."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:  # a horizontally merged cell comes once per grid column: keep it once
            key = id(cell._tc)
            cells.append("" if key in seen else cell.text)
            seen.add(key)
        rows.append(cells)
    if any(header_roles(r) for r in rows[:3]):
        start = next(i for i, r in enumerate(rows) if header_roles(r))
        return rows_to_lines(rows[start:])
    return [" ".join(c for c in r if c.strip()) for r in rows]
