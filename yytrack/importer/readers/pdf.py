"""PDF through pdfplumber: the text of each page with its tables read as tables, in reading order.

Bounded: at most MAX_PAGES pages are read. A PDF without a text layer (a scan) is refused with a line
that says so, since its text would have to be recognised first.
"""

from __future__ import annotations

import io
from typing import List, Optional

from yytrack.errors import UsageProblem
from yytrack.importer.tables import header_roles, rows_to_lines

MAX_PAGES = 500


def read_pdf(raw: bytes, name: str) -> str:
    pdfplumber = _pdfplumber()
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise UsageProblem(f"“{name}”有 {len(pdf.pages)} 页，超过导入上限 {MAX_PAGES} 页")
            lines, roles = [], None
            for page in pdf.pages:
                page_lines, roles = _page_lines(page, roles)
                lines += page_lines
    except UsageProblem:
        raise
    except Exception as e:  # pdfminer raises many kinds of errors on a damaged or encrypted file
        raise UsageProblem(f"“{name}”不是可读取的 PDF 文件（{type(e).__name__}），可能已损坏或加密") from e
    if sum(len(line.strip()) for line in lines) < 20:
        raise UsageProblem(f"“{name}”没有文字层（像是扫描件或图片），无法识别文字：请先用 OCR 转为文字或向发文单位索取电子版")
    return "\n".join(lines) + "\n"


def _pdfplumber():
    try:
        import pdfplumber
    except ImportError as e:
        raise UsageProblem("读取 PDF 需要 pdfplumber，请先安装：pip install pdfplumber") from e
    return pdfplumber


def _page_lines(page, roles: Optional[dict]):
    """Text above, between and below the page's tables, the tables as measure lines.

    A table that goes on from the previous page has no header: the previous header's columns hold.
    """
    lines: List[str] = []
    top = 0
    for table in sorted(page.find_tables(), key=lambda t: t.bbox[1]):
        x0, y0, x1, y1 = table.bbox
        if y0 > top:
            lines += _text(page.within_bbox((0, top, page.width, y0)))
        rows = table.extract()
        header = next((i for i, r in enumerate(rows[:3]) if header_roles(r)), None)
        if header is not None:
            roles = header_roles(rows[header])
            lines += rows_to_lines(rows[header:])
        elif roles and rows and len(rows[0]) > max(roles.values()):
            lines += rows_to_lines(rows, roles)
        else:
            lines += [" ".join(c for c in r if c) for r in rows]
        top = y1
    lines += _text(page.within_bbox((0, top, page.width, page.height))) if top < page.height else []
    return lines, roles


def _text(region) -> List[str]:
    return (region.extract_text() or "").split("\n")
