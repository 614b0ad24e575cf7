"""Reading returned report forms: the .xlsx as sent out, or a CSV that Excel saved from it.

An .xlsx is trusted only with its hidden sheet intact (checksum over plan, unit, period, revision and
measure ids). A CSV has no hidden sheet: Excel's “save as CSV” keeps the visible sheet, whose row 2
says “方案编号：… 报送单位：… 报送期：…”; where those cells are gone, the file name
`<YYYY-MM>-<单位>-报送表.csv` gives period and unit, and the plan is --plan or the repository's only plan.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from yytrack.errors import FormRejected
from yytrack.forms.layout import (EVIDENCE, FACT_PERIOD, FACT_PLAN, FACT_UNIT, FORM_VERSION, ID, INDICATORS, MAIN_SHEET,
                    META_SHEET, NOTE, PROGRESS, STATUS, FormMeta, loose_period)

REQUIRED_COLUMNS = (ID, STATUS, PROGRESS, NOTE)
OPTIONAL_COLUMNS = (EVIDENCE, INDICATORS)
MAX_FORM_BYTES = 20 * 1024 * 1024
FACT_PATTERN = re.compile(rf"^\s*({FACT_PLAN}|{FACT_UNIT}|{FACT_PERIOD})\s*[:：]\s*(.*?)\s*$")
NAME_PATTERN = re.compile(r"^(\d{4}-\d{2})-(.+?)-报送表")


@dataclass(frozen=True)
class ReturnedForm:
    path: Path
    """The file as given on the command line."""
    label: str
    """How messages name it: the file, and the sheet for an .xlsx."""
    plan: str
    """Plan id; empty when a CSV does not say."""
    unit: str
    """Unit name as written in the form."""
    period: str
    """YYYY-MM; empty when it cannot be told."""
    rows: Tuple[Tuple[int, Dict[str, str]], ...]
    """(row number as Excel shows it, column header → cell text) for every non-empty data row."""
    measures: Optional[Tuple[str, ...]] = None
    """The measure ids the form was sent with (from the hidden sheet); None for a CSV."""
    revision: str = ""
    """Repository revision the form was made from; empty for a CSV."""


def read_return(path: Path) -> ReturnedForm:
    """Read one returned form; refuse (FormRejected) a file that cannot be read or trusted."""
    if not path.is_file():
        if path.is_dir():
            raise FormRejected(f"{path} 是目录，请指定其中的报送表文件")
        raise FormRejected(f"找不到报送表文件 {path}")
    if path.stat().st_size > MAX_FORM_BYTES:
        raise FormRejected(f"{path}：文件过大，不像是报送表")
    if path.suffix.lower() == ".csv":
        return read_csv(path)
    return read_xlsx(path)


def cell_text(value) -> str:
    """Cell value as the clerk sees it: 60.0 → 60, a date → 2026-11-20, nothing → ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def read_xlsx(path: Path) -> ReturnedForm:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=True)
    except Exception as e:  # zipfile, XML and openpyxl errors all mean: not a readable .xlsx
        raise FormRejected(f"{path}：无法作为 Excel 报送表（.xlsx）打开，文件可能已损坏或格式不对"
                           f"（{type(e).__name__}）；请让单位用 Excel 重新保存为 .xlsx 后发回") from e
    meta = read_meta(book, path)
    sheet = book[MAIN_SHEET] if MAIN_SHEET in book.sheetnames else book.worksheets[0]
    grid = [[cell_text(v) for v in row] for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
    return ReturnedForm(path, f"{path}（工作表“{sheet.title}”）", meta.plan, meta.unit, meta.period,
                        data_rows(grid, path), meta.measures, meta.revision)


def read_meta(book, path: Path) -> FormMeta:
    tampered = (f"{path}：报送表的隐藏核对页被改动（校验不符），无法确认是哪个单位、哪一期的报送，拒绝收取；"
                "请用 yytrack forms 重新生成报送表下发")
    if META_SHEET not in book.sheetnames:
        raise FormRejected(f"{path}：缺少隐藏核对页（{META_SHEET}），不是 yytrack forms 生成的报送表或已被改动，"
                           "拒绝收取；请用 yytrack forms 重新生成报送表下发")
    values = {cell_text(k): cell_text(v) for k, v in book[META_SHEET].iter_rows(max_col=2, values_only=True) if k}
    try:
        meta = FormMeta(values["plan"], values["unit"], values["period"], values["revision"],
                        tuple(m for m in values["measures"].split(",") if m), values["form_version"])
    except KeyError as e:
        raise FormRejected(tampered) from e
    if values.get("checksum") != meta.checksum():
        raise FormRejected(tampered)
    if meta.version != FORM_VERSION:
        raise FormRejected(f"{path}：报送表格式版本 {meta.version} 不受本版 yytrack 支持（支持 {FORM_VERSION}）；"
                           "请升级 yytrack 或重新生成报送表")
    return meta


def decode_csv(path: Path) -> str:
    """UTF-8 (with or without BOM, Excel's “CSV UTF-8”), else GBK (Excel's plain CSV on Chinese Windows)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise FormRejected(f"{path}：无法读取（{e.strerror}）") from e
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FormRejected(f"{path}：不是 UTF-8 或 GBK 编码的 CSV 文件")


def read_csv(path: Path) -> ReturnedForm:
    text = decode_csv(path)
    if "\0" in text:
        raise FormRejected(f"{path}：不是文本格式的 CSV 文件（可能是改了扩展名的 Excel 文件）")
    try:
        grid = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as e:
        raise FormRejected(f"{path}：CSV 格式错误（{e}）") from e
    facts = read_facts(grid)
    named = NAME_PATTERN.match(path.stem)
    period = loose_period(facts.get(FACT_PERIOD, "")) or (named.group(1) if named else "")
    unit = facts.get(FACT_UNIT) or (named.group(2) if named else "")
    return ReturnedForm(path, str(path), facts.get(FACT_PLAN, "").lower(), unit, period, data_rows(grid, path))


def read_facts(grid: List[List[str]]) -> Dict[str, str]:
    """“方案编号：demo” and the like from the rows above the column headers."""
    facts: Dict[str, str] = {}
    for row in grid[:header_index(grid) or 0]:
        for cell in row:
            match = FACT_PATTERN.match(cell)
            if match and match.group(2):
                facts.setdefault(match.group(1), match.group(2))
    return facts


def header_index(grid: List[List[str]]) -> Optional[int]:
    return next((i for i, row in enumerate(grid[:20]) if ID in row and STATUS in row), None)


def data_rows(grid: List[List[str]], path: Path) -> Tuple[Tuple[int, Dict[str, str]], ...]:
    at = header_index(grid)
    if at is None:
        raise FormRejected(f"{path}：找不到表头（“{ID}”“{STATUS}”等列），不是报送表或表格结构被改动")
    headers = grid[at]
    missing = [h for h in REQUIRED_COLUMNS if h not in headers]
    if missing:
        raise FormRejected(f"{path}：缺少“{'”“'.join(missing)}”列，表格结构被改动；请在原表上填写")
    columns = {h: headers.index(h) for h in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if h in headers}
    rows = []
    for number, cells in enumerate(grid[at + 1:], start=at + 2):
        picked = {h: (cells[i] if i < len(cells) else "") for h, i in columns.items()}
        if any(picked.values()):
            rows.append((number, picked))
    return tuple(rows)
