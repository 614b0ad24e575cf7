"""The Excel side of a report form: layout, validation, protection and print setup (openpyxl)."""

from __future__ import annotations

from pathlib import Path

from yytrack.errors import UsageProblem
from yytrack.forms.layout import (COLUMNS, FACT_DUE, FACT_PERIOD, FACT_PLAN, FACT_UNIT, FIRST_DATA_ROW, HEADER_ROW,
                    INSTRUCTIONS, MAIN_SHEET, META_SHEET, PROGRESS, STATUS, UnitForm, due_date, row_values)
from yytrack.model import STATUS_LABELS

FONT = "宋体"
TITLE_FONT = "黑体"
LINE_PT = 14.5          # one line of 10.5 pt text
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FILL_IN = "FFF2CC"      # light yellow: the cells to fill
READ_ONLY = "F2F2F2"    # light grey: what the office pre-filled
HEADER = "D9E1F2"


def save_form(form: UnitForm, path: Path) -> Path:
    """Write the workbook; the visible sheet first so that Excel's “save as CSV” exports it."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    book = Workbook()
    sheet = book.active
    sheet.title = MAIN_SHEET
    write_heading(sheet, form)
    write_rows(sheet, form)
    add_validation(sheet, form)
    protect_and_print(sheet, form)
    write_meta(book.create_sheet(META_SHEET), form)
    # Locking the structure keeps clerks from adding, renaming or unhiding sheets.
    book.security = WorkbookProtection(lockStructure=True)
    try:
        book.save(path)
    except OSError as e:
        raise UsageProblem(f"无法写入 {path}（{e.strerror}）；如该文件正在 Excel 中打开，请先关闭") from e
    return path


def as_text(cell) -> None:
    """Keep a text cell text: a value starting with = + - @ tab or CR is never a formula or DDE."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def text_lines(text, width: float) -> int:
    """Lines a text takes in a column of the given width (CJK and full-width characters count two)."""
    import math
    import unicodedata

    usable = max(width - 1.5, 2)
    return sum(max(1, math.ceil(sum(2 if unicodedata.east_asian_width(ch) in "WFA" and ord(ch) > 0x2000 else 1
                                    for ch in line) / usable))
               for line in str("" if text is None else text).split("\n"))


def fit_height(sheet, row: int, texts, widths, size: float = 10.5) -> None:
    """A row height that shows every line of its wrapped cells."""
    lines = max([text_lines(t, w) for t, w in zip(texts, widths)] or [1])
    sheet.row_dimensions[row].height = round(lines * LINE_PT * size / 10.5 + 4, 1)


def _style(cell, size=10.5, bold=False, fill=None, wrap=True, font=FONT, center=False):
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    cell.font = Font(name=font, size=size, bold=bold)
    cell.alignment = Alignment(wrap_text=wrap, vertical="center", horizontal="center" if center else None)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
        thin = Side(style="thin", color="A6A6A6")
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


def write_heading(sheet, form: UnitForm) -> None:
    from openpyxl.utils import get_column_letter

    last_col = get_column_letter(len(COLUMNS))
    total = sum(width for _, width, _ in COLUMNS)
    sheet["A1"] = f"《{form.plan.title}》落实情况报送表"
    as_text(sheet["A1"])
    _style(sheet["A1"], size=16, font=TITLE_FONT, center=True)
    sheet.merge_cells(f"A1:{last_col}1")
    fit_height(sheet, 1, [sheet["A1"].value], [total * 10.5 / 16], size=16)
    for text, first, last in fact_cells(form):
        sheet.cell(2, first, text)
        as_text(sheet.cell(2, first))
        _style(sheet.cell(2, first), bold=True, wrap=False)
        sheet.merge_cells(start_row=2, start_column=first, end_row=2, end_column=last)
    sheet.row_dimensions[2].height = LINE_PT + 4
    sheet["A3"] = INSTRUCTIONS
    _style(sheet["A3"], size=9.5)
    sheet.merge_cells(f"A3:{last_col}3")
    fit_height(sheet, 3, [INSTRUCTIONS], [total * 10.5 / 9.5], size=9.5)
    for col, (header, width, fill_in) in enumerate(COLUMNS, 1):
        cell = sheet.cell(HEADER_ROW, col, header)
        _style(cell, bold=True, fill=FILL_IN if fill_in else HEADER, center=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
    fit_height(sheet, HEADER_ROW, [c[0] for c in COLUMNS], [c[1] for c in COLUMNS])


def fact_cells(form: UnitForm):
    """Row 2 as “label：value” cells over merged column spans, readable on screen and in a CSV."""
    facts = [(FACT_PLAN, f"《{form.plan.title}》", 1, 3), (FACT_UNIT, form.unit, 4, 7), (FACT_PERIOD, form.period, 8, 9),
             (FACT_DUE, due_date(form.plan, form.period).isoformat(), 10, 12),
             ("督办处室", form.plan.supervisor, 13, 14)]
    return [(f"{label}：{value}", first, last) for label, value, first, last in facts]


def write_rows(sheet, form: UnitForm) -> None:
    from openpyxl.styles import Protection

    for offset, row in enumerate(form.rows):
        r = FIRST_DATA_ROW + offset
        for col, value in enumerate(row_values(row), 1):
            cell = sheet.cell(r, col, value)
            as_text(cell)
            fill_in = COLUMNS[col - 1][2]
            _style(cell, fill=FILL_IN if fill_in else READ_ONLY)
            if fill_in:
                cell.protection = Protection(locked=False)
            if COLUMNS[col - 1][0] == PROGRESS:
                cell.number_format = "0"
        # Rows tall enough for every wrapped line, with room for one more line of the clerk's own.
        fit_height(sheet, r, [*row_values(row)[:-1], f"{row_values(row)[-1]}\n"], [c[1] for c in COLUMNS])


def _column_range(sheet, header: str, form: UnitForm) -> str:
    from openpyxl.utils import get_column_letter

    col = get_column_letter([c[0] for c in COLUMNS].index(header) + 1)
    return f"{col}{FIRST_DATA_ROW}:{col}{FIRST_DATA_ROW + max(len(form.rows), 1) - 1}"


def add_validation(sheet, form: UnitForm) -> None:
    """Excel refuses a wrong status or progress as it is typed; `collect` checks again regardless."""
    from openpyxl.worksheet.datavalidation import DataValidation

    statuses = DataValidation(type="list", formula1='"' + ",".join(STATUS_LABELS.values()) + '"',
                              allow_blank=True, showErrorMessage=True, showInputMessage=True,
                              errorTitle="状态无效", error="请从下拉列表中选择：" + "、".join(STATUS_LABELS.values()),
                              promptTitle="本期状态", prompt="从下拉列表选择")
    progress = DataValidation(type="whole", operator="between", formula1="0", formula2="100",
                              allow_blank=True, showErrorMessage=True, showInputMessage=True,
                              errorTitle="进度无效", error="请填写 0 到 100 之间的整数",
                              promptTitle="本期进度", prompt="0 到 100 的整数（百分比）")
    statuses.add(_column_range(sheet, STATUS, form))
    progress.add(_column_range(sheet, PROGRESS, form))
    sheet.add_data_validation(statuses)
    sheet.add_data_validation(progress)


def protect_and_print(sheet, form: UnitForm) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    protection = sheet.protection
    protection.sheet = True
    # Let clerks widen columns and rows to read long text; everything else stays locked.
    protection.formatColumns = False
    protection.formatRows = False
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 4)
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as needed
    sheet.print_title_rows = f"1:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddHeader.right.text = f"{form.unit}  {form.period}"


def write_meta(sheet, form: UnitForm) -> None:
    for r, (key, value) in enumerate(form.meta.fields(), 1):
        sheet.cell(r, 1, key)
        sheet.cell(r, 2, value)
    sheet.protection.sheet = True
    sheet.sheet_state = "veryHidden"
