"""Reading returned report forms: the .xlsx as sent out, or a CSV that Excel saved from it.

An .xlsx is trusted only with its hidden sheet intact (HMAC-SHA256 under the supervising office's key over
plan, unit, period, revision and measure ids). A CSV has no hidden sheet: Excel's “save as CSV” keeps the visible sheet, whose row 2
says “方案编号：… 报送单位：… 报送期：…”; where those cells are gone, the file name
`<YYYY-MM>-<单位>-报送表.csv` gives period and unit, and the plan is --plan or the repository's only plan.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from yytrack.errors import FormRejected, UnsafePath
from yytrack.repo import safepath
from yytrack.forms.layout import (EVIDENCE, FACT_PERIOD, FACT_PLAN, FACT_PLAN_ID, FACT_UNIT, FORM_VERSION, ID, INDICATORS, MAIN_SHEET,
                    META_SHEET, NOTE, PROGRESS, STATUS, FormMeta, loose_period)

REQUIRED_COLUMNS = (ID, STATUS, PROGRESS, NOTE)
OPTIONAL_COLUMNS = (EVIDENCE, INDICATORS)
MAX_FORM_BYTES = 20 * 1024 * 1024
FACT_PATTERN = re.compile(rf"^\s*({FACT_PLAN_ID}|{FACT_PLAN}|{FACT_UNIT}|{FACT_PERIOD})\s*[:：]\s*(.*?)\s*$")
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


@dataclass(frozen=True)
class Limits:
    """What a returned form may weigh before it is parsed (tasks/config.yaml, forms: …)."""
    file_bytes: int = MAX_FORM_BYTES
    """The file as received (forms.max_file_mb)."""
    unpacked_bytes: int = 20 * 1024 * 1024
    """Sum of the uncompressed sizes of an .xlsx's parts (forms.max_unpacked_mb)."""
    rows: int = 10_000
    """Rows of the fill-in sheet (forms.max_rows)."""

    @classmethod
    def from_config(cls, config: dict) -> "Limits":
        forms = (config or {}).get("forms") or {}
        mb = 1024 * 1024
        return cls(int(float(forms.get("max_file_mb") or MAX_FORM_BYTES / mb) * mb),
                   int(float(forms.get("max_unpacked_mb") or cls.unpacked_bytes / mb) * mb),
                   int(forms.get("max_rows") or cls.rows))


def read_return(path: Path, limits: Limits = Limits(), keys=()) -> ReturnedForm:
    """Read one returned form; refuse (FormRejected) a file that cannot be read or trusted."""
    if path.is_dir() and not path.is_symlink():
        raise FormRejected(f"{path} 是目录，请指定其中的报送表文件")
    if not os.path.lexists(path):
        raise FormRejected(f"找不到报送表文件 {path}")
    try:
        raw = safepath.read_input(path, limits.file_bytes, "报送表（forms.max_file_mb）")
    except UnsafePath as e:
        raise FormRejected(e.message) from e
    if path.suffix.lower() == ".csv":
        return read_csv(path, raw, limits)
    return read_xlsx(path, raw, limits, keys)


def cell_text(value) -> str:
    """Cell value as the clerk sees it: 60.0 → 60, a date → 2026-11-20, nothing → ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def check_unpacked(path: Path, raw: bytes, limits: Limits) -> None:
    """Refuse a zip bomb from its directory alone: zipfile never inflates a part past its declared size."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise FormRejected(f"{path}：无法作为 Excel 报送表（.xlsx）打开，文件可能已损坏或格式不对"
                           f"（{type(e).__name__}）；请让单位用 Excel 重新保存为 .xlsx 后发回") from e
    total = sum(max(p.file_size, 0) for p in parts)
    if len(parts) > 1000 or total > limits.unpacked_bytes:
        raise FormRejected(f"{path}：解压后有 {total // (1024 * 1024)} MB（{len(parts)} 个部件），超过上限 "
                           f"{limits.unpacked_bytes // (1024 * 1024)} MB（tasks/config.yaml 的 forms.max_unpacked_mb），"
                           "不像是报送表，拒绝读取")


def read_xlsx(path: Path, raw: bytes, limits: Limits = Limits(), keys=()) -> ReturnedForm:
    from openpyxl import load_workbook

    check_unpacked(path, raw, limits)
    try:
        book = load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as e:  # zipfile, XML and openpyxl errors all mean: not a readable .xlsx
        raise FormRejected(f"{path}：无法作为 Excel 报送表（.xlsx）打开，文件可能已损坏或格式不对"
                           f"（{type(e).__name__}）；请让单位用 Excel 重新保存为 .xlsx 后发回") from e
    meta = read_meta(book, path, keys)
    sheet = book[MAIN_SHEET] if MAIN_SHEET in book.sheetnames else book.worksheets[0]
    if sheet.max_row > limits.rows:
        raise FormRejected(f"{path}：报送表有 {sheet.max_row} 行，超过上限 {limits.rows} 行"
                           "（tasks/config.yaml 的 forms.max_rows），拒绝读取")
    grid = [[cell_text(v) for v in row] for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
    return ReturnedForm(path, f"{path}（工作表“{sheet.title}”）", meta.plan, meta.unit, meta.period,
                        data_rows(grid, path), meta.measures, meta.revision)


def read_meta(book, path: Path, keys=()) -> FormMeta:
    tampered = (f"{path}：报送表的隐藏核对页被改动（密钥校验不符），无法确认是哪个单位、哪一期的报送，拒绝收取；"
                "请用 yytrack forms 重新生成报送表下发")
    if META_SHEET not in book.sheetnames:
        raise FormRejected(f"{path}：缺少隐藏核对页（{META_SHEET}），不是 yytrack forms 生成的报送表或已被改动，"
                           "拒绝收取；请用 yytrack forms 重新生成报送表下发")
    values = {cell_text(k): cell_text(v) for k, v in book[META_SHEET].iter_rows(max_col=2, values_only=True) if k}
    if values.get("form_version") != FORM_VERSION:
        raise FormRejected(f"{path}：报送表格式版本 {values.get('form_version') or '未知'} 不受本版 yytrack 支持"
                           f"（支持 {FORM_VERSION}，带密钥校验）；请用 yytrack forms 重新生成报送表下发")
    try:
        meta = FormMeta(values["plan"], values["unit"], values["period"], values["revision"],
                        tuple(m for m in values["measures"].split(",") if m), values["form_version"],
                        values["mac"])
    except KeyError as e:
        raise FormRejected(tampered) from e
    if not meta.verify(keys() if callable(keys) else keys):
        raise FormRejected(tampered)
    return meta


def decode_csv(path: Path, raw: bytes) -> str:
    """UTF-8 (with or without BOM, Excel's “CSV UTF-8”), else GBK (Excel's plain CSV on Chinese Windows)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FormRejected(f"{path}：不是 UTF-8 或 GBK 编码的 CSV 文件")


def read_csv(path: Path, raw: bytes, limits: Limits = Limits()) -> ReturnedForm:
    text = decode_csv(path, raw)
    if "\0" in text:
        raise FormRejected(f"{path}：不是文本格式的 CSV 文件（可能是改了扩展名的 Excel 文件）")
    try:
        grid = []
        for row in csv.reader(io.StringIO(text, newline="")):
            grid.append([cell.strip() for cell in row])
            if len(grid) > limits.rows:
                raise FormRejected(f"{path}：报送表超过 {limits.rows} 行（tasks/config.yaml 的 forms.max_rows），"
                                   "拒绝读取")
    except csv.Error as e:
        raise FormRejected(f"{path}：CSV 格式错误（{e}）") from e
    facts = read_facts(grid)
    named = NAME_PATTERN.match(path.stem)
    period = loose_period(facts.get(FACT_PERIOD, "")) or (named.group(1) if named else "")
    unit = facts.get(FACT_UNIT) or (named.group(2) if named else "")
    plan = facts.get(FACT_PLAN_ID, "").lower() or facts.get(FACT_PLAN, "")  # an id, or the plan's title
    return ReturnedForm(path, str(path), plan, unit, period, data_rows(grid, path))


def read_facts(grid: List[List[str]]) -> Dict[str, str]:
    """“方案：《…》”, “报送单位：…” and the like from the rows above the column headers."""
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
