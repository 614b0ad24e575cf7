"""Tables → the text form the structure reader understands: one numbered measure per row.

A 任务分工方案 is often a table: 序号 | 重点任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限. Columns are
recognised by their header; each row becomes `N. 具体措施` followed by label lines (牵头单位：…, 配合单位：…,
完成时限：…), and a change in the 重点任务 column becomes a section line. Tables copied into text arrive
with their cells separated by `|` or tabs; `text_tables` finds those runs of lines and converts them too.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence


_COLUMNS = (  # (role, header pattern), first match wins for a header cell
    ("number", re.compile(r"^(?:序号|编号|序)$")),
    ("leader", re.compile(r"(?:责任|分管|牵头|联系)领导|责任人")),
    ("lead", re.compile(r"牵头|主责|主办|主要责任")),
    ("cooperating", re.compile(r"配合|协办|协作|参与|参加|协同|责任单位|责任部门|落实单位|实施单位|承办")),
    ("deadline", re.compile(r"时限|时间节点|完成时间|进度安排|时间安排|完成期限|截止")),
    ("content", re.compile(r"具体(?:措施|任务|内容)|工作(?:措施|内容|举措)|主要(?:措施|内容)|任务(?:内容|措施)|措施|内容|举措|事项")),
    ("task", re.compile(r"任务|工作|类别|领域|方面|项目")),
)
_CELL_SPLIT = re.compile(r"\s*[|｜\t]\s*")


def header_roles(cells: Sequence[str]) -> Optional[Dict[str, int]]:
    """Column index per role when the row is a header (a text column and a unit column), else None."""
    roles: Dict[str, int] = {}
    for index, cell in enumerate(cells):
        cell = re.sub(r"\s+", "", cell or "")
        if not cell or len(cell) > 12:
            continue
        role = next((r for r, pattern in _COLUMNS if pattern.search(cell)), None)
        if role and role not in roles:
            roles[role] = index
    if "content" not in roles and "task" in roles:
        roles["content"] = roles.pop("task")
    if "content" in roles and ("lead" in roles or "cooperating" in roles):
        return roles
    return None


def rows_to_lines(rows: List[List[Optional[str]]], roles: Optional[Dict[str, int]] = None) -> List[str]:
    """The lines for a table's rows (header row included or roles given for a continued table)."""
    lines: List[str] = []
    previous: List[str] = []
    section, sections, count = "", 0, 0
    for raw in rows:
        cells = [_clean(c) for c in raw]
        header = header_roles(cells)
        if roles is None or header is not None:
            # a header, a second header row under merged cells (责任单位 over 牵头单位 | 配合单位),
            # or the header repeated on a new page: the lower row names the columns more exactly
            roles = {**(roles or {}), **(header or {})}
            roles = _without_shared_columns(roles, header or {})
            continue
        # a PDF table gives None for a cell merged with the one above: it repeats that cell
        cells = [previous[i] if raw[i] is None and i < len(previous) else c for i, c in enumerate(cells)]
        previous = cells
        value = {role: cells[i] if i < len(cells) else "" for role, i in roles.items()}
        content = value.get("content", "")
        if not content:
            continue
        task = value.get("task", "")
        if task and task != section and task != content:
            section, sections = task, sections + 1
            lines.append(f"{chinese_numeral(sections)}、{_strip_number(task)}")
        count += 1
        lines += _row_lines(value, count)
    return lines


def _without_shared_columns(roles: Dict[str, int], newer: Dict[str, int]) -> Dict[str, int]:
    """One role per column: where two roles claim a column, the newer header row's wins."""
    by_column: Dict[int, str] = {}
    for role, column in roles.items():
        if column not in by_column or role in newer:
            by_column[column] = role
    return {role: column for column, role in by_column.items()}


def chinese_numeral(value: int) -> str:
    """1 → 一, 15 → 十五, 21 → 二十一 (section numbers)."""
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    tens, ones = divmod(value, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def _row_lines(value: Dict[str, str], count: int) -> List[str]:
    number = re.sub(r"\D", "", value.get("number", "")) or str(count)
    content = _strip_number(value["content"])
    if not re.search(r"[。！？；]$", content):
        content += "。"
    lines = [f"{number}. {content}"]
    if value.get("lead"):
        lines.append(f"牵头单位：{value['lead']}")
    if value.get("cooperating"):
        label = "配合单位" if value.get("lead") else "责任单位"
        lines.append(f"{label}：{value['cooperating']}")
    if value.get("leader"):
        lines.append(f"责任领导：{value['leader']}")
    if value.get("deadline"):
        lines.append(f"完成时限：{value['deadline']}")
    return lines


def _strip_number(text: str) -> str:
    """A cell's own numbering (1. / （一） / 一、) goes: the row is numbered by the table."""
    return re.sub(r"^(?:\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)\s*", "", text)


def _clean(cell: Optional[str]) -> str:
    """A cell's lines joined: a cell is one paragraph however the printer broke it."""
    return re.sub(r"\s*\n\s*", "", (cell or "").strip())


def text_tables(lines: List[str]) -> List[str]:
    """Lines of a text copy with `|`- or tab-separated table runs replaced by their measure lines."""
    out: List[str] = []
    i = 0
    while i < len(lines):
        cells = _split_cells(lines[i])
        roles = header_roles(cells) if len(cells) >= 3 else None
        if roles is None:
            out.append(lines[i])
            i += 1
            continue
        rows = [cells]
        i += 1
        while i < len(lines) and (len(_split_cells(lines[i])) >= 2 or not lines[i].strip()):
            if lines[i].strip():
                rows.append(_split_cells(lines[i]))
            i += 1
        out += rows_to_lines(rows)
    return out


def _split_cells(line: str) -> List[str]:
    stripped = line.strip().strip("|｜")
    if not re.search(r"[|｜\t]", stripped):
        return []
    return _CELL_SPLIT.split(stripped)
