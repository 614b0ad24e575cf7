"""A page saved from a government site: block text in order, tables as measure lines, scripts ignored."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import List, Optional

from yytrack.importer.tables import header_roles, rows_to_lines
from yytrack.importer.textnorm import decode_text

_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "tr", "table",
           "blockquote", "pre", "dd", "dt"}
_SKIP = {"script", "style", "head", "title", "noscript", "template", "iframe", "object", "svg"}


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: List[str] = [""]
        self.skipping = 0
        self.tables: List[List[list]] = []  # open tables (nested ones stack): rows of (text, colspan, rowspan)
        self.cell: Optional[List[str]] = None
        self.span = (1, 1)

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []
            self.span = (_span(dict(attrs).get("colspan")), _span(dict(attrs).get("rowspan")))
        elif tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in ("td", "th") and self.tables and self.cell is not None:
            if not self.tables[-1]:
                self.tables[-1].append([])
            self.tables[-1][-1].append(("".join(self.cell).strip(), *self.span))
            self.cell = None
        elif tag == "table" and self.tables:
            rows = self.tables.pop()
            self._break()
            self.lines += _table_lines(rows)
            self.lines.append("")
        elif tag in _BLOCKS:
            self._break()

    def handle_data(self, data):
        if self.skipping:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif not self.tables:
            self.lines[-1] += re.sub(r"\s+", " ", data)

    def _break(self):
        if self.cell is not None:
            self.cell.append("\n")
        elif self.lines[-1].strip():
            self.lines.append("")


def _span(value: Optional[str]) -> int:
    return min(int(value), 50) if value and value.strip().isdigit() and int(value) > 0 else 1


def _grid(rows: List[list]) -> List[List[str]]:
    """Rows of cell texts with row- and column-spans filled in, as the table is seen."""
    grid: List[List[str]] = []
    below: dict = {}  # column → (text, rows still covered)
    for row in rows:
        cells: List[str] = []
        queue = list(row)
        while queue or any(col >= len(cells) for col in below):
            col = len(cells)
            if col in below:
                text, left = below.pop(col)
                cells.append(text)
                if left > 1:
                    below[col] = (text, left - 1)
                continue
            if not queue:
                cells.append("")
                continue
            text, colspan, rowspan = queue.pop(0)
            for offset in range(colspan):
                cells.append(text if offset == 0 else "")
                if rowspan > 1:
                    below[col + offset] = (text, rowspan - 1)
        grid.append(cells)
    return grid


def _table_lines(rows: List[list]) -> List[str]:
    rows = _grid(rows)
    if any(header_roles(r) for r in rows[:3]):
        start = next(i for i, r in enumerate(rows) if header_roles(r))
        return rows_to_lines([[c.replace("\n", "") for c in r] for r in rows[start:]])
    return [" ".join(c.strip() for c in r if c.strip()) for r in rows]


def _charset(raw: bytes) -> Optional[str]:
    match = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", raw[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def read_html(raw: bytes) -> str:
    charset = _charset(raw)
    if charset in ("gb2312", "gbk", "gb18030"):
        text = raw.decode("gb18030", errors="replace")
    else:
        text = decode_text(raw)
    parser = _PageText()
    parser.feed(text)
    parser.close()
    return "\n".join(line.strip() for line in parser.lines if line.strip()) + "\n"
