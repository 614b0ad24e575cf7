"""The 任务台账 (.xlsx): one row per measure × responsible unit, ready to print for a meeting.

A4 landscape, fitted one page wide; a title row with the plan's name and the period; the header row
repeats on every printed page; row heights fit the wrapped text; frozen panes and filters; alert cells
coloured and worded. Every cell holding task or user text is stored as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import List

from yytrack.reports.textfit import display_width, wrapped_lines

# (header, width in spreadsheet columns, wraps?)
LEDGER_COLUMNS = (("序号", 8, False), ("措施", 26, True), ("责任单位", 20, True), ("角色", 8, False),
                  ("措施状态", 8, False), ("本单位状态", 10, False), ("本单位进度（%）", 9, False),
                  ("最近报送日期", 12, False), ("最新说明", 40, True), ("预警", 6, False), ("预警原因", 34, True))
LEDGER_HEADERS = [c[0] for c in LEDGER_COLUMNS]
ALERT_FILLS = {"red": "F4B6B0", "yellow": "FBE5A0", "green": "C8E6C9"}
TITLE_ROW, HEADER_ROW = 1, 2
FONT, FONT_PT, LINE_PT = "宋体", 10.5, 14.5
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell) -> None:
    """Keep a text cell text: a value starting with = + - @ tab or CR is never a formula or DDE."""
    value = cell.value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def ledger_rows(c: dict) -> List[list]:
    rows = []
    for m in c["measures"]:
        for u in m["units"]:
            day = dt.date.fromisoformat(u["last_report"]) if u["last_report"] else None
            rows.append([m["number"], m["title"], u["unit"], u["role_label"], m["status_label"], u["status_label"],
                         u["progress"], day, u["note"] or "", m["alert_label"], "；".join(m["alert_reasons"])])
    return rows


def row_height(values: list) -> float:
    """Points a row needs so that every wrapped cell shows all its lines (CJK characters count two)."""
    lines = 1
    for (_, width, wraps), value in zip(LEDGER_COLUMNS, values):
        if wraps and value:
            lines = max(lines, wrapped_lines(str(value), width - 1.5))
    return round(lines * LINE_PT + 4, 1)


def _title(sheet, c: dict) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.cell(TITLE_ROW, 1, f"《{c['plan']['title']}》任务台账（{c['period']['label']}，截至{c['as_of_label']}）")
    cell = sheet.cell(TITLE_ROW, 1)
    as_text(cell)
    cell.font = Font(name="黑体", size=14)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.merge_cells(f"A{TITLE_ROW}:{get_column_letter(len(LEDGER_COLUMNS))}{TITLE_ROW}")
    total = sum(w for _, w, _ in LEDGER_COLUMNS)
    sheet.row_dimensions[TITLE_ROW].height = 22 * wrapped_lines(str(cell.value), total * 10.5 / 14 - 2) + 6


def _header(sheet) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="808080")
    for col, (header, width, _) in enumerate(LEDGER_COLUMNS, 1):
        cell = sheet.cell(HEADER_ROW, col, header)
        cell.font = Font(name="黑体", size=FONT_PT)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        sheet.column_dimensions[get_column_letter(col)].width = width
    needed = max(wrapped_lines(h, w - 1.5) for h, w, _ in LEDGER_COLUMNS)
    sheet.row_dimensions[HEADER_ROW].height = needed * LINE_PT + 4


def _body(sheet, c: dict, rows: List[list]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    alert_of = {m["alert_label"]: m["alert"] for m in c["measures"]}
    for r, values in enumerate(rows, HEADER_ROW + 1):
        for col, ((header, _, wraps), value) in enumerate(zip(LEDGER_COLUMNS, values), 1):
            cell = sheet.cell(r, col, value)
            as_text(cell)
            cell.font = Font(name=FONT, size=FONT_PT)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=wraps, vertical="top",
                                       horizontal=None if wraps else "center")
            if header == "最近报送日期":
                cell.number_format = "yyyy-mm-dd"
            if header == "预警" and ALERT_FILLS.get(alert_of.get(value, "")):
                cell.fill = PatternFill("solid", fgColor=ALERT_FILLS[alert_of[value]])
        sheet.row_dimensions[r].height = row_height(values)


def _print_setup(sheet, c: dict, last_row: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(LEDGER_COLUMNS))}{last_row}"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.5
    margins.top, margins.bottom, margins.header, margins.footer = 0.6, 0.6, 0.3, 0.3
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddHeader.right.text = f"{c['period']['label']}任务台账"


def xlsx_bytes(c: dict) -> bytes:
    """The 任务台账 workbook."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "任务台账"
    rows = ledger_rows(c)
    _title(sheet, c)
    _header(sheet)
    _body(sheet, c, rows)
    _print_setup(sheet, c, HEADER_ROW + max(len(rows), 1))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["LEDGER_HEADERS", "display_width", "ledger_rows", "row_height", "xlsx_bytes", "as_text"]
