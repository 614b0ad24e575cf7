"""Tables of an official document: columns fitted to their content within the 版心, a header row that
repeats on every page, rows that never split across pages, alert cells shaded and worded."""

from __future__ import annotations

from typing import List, Optional, Sequence

from yytrack.reports import docx_parts as part
from yytrack.reports.textfit import fit_columns, print_width

CELL_MARGIN_TWIPS = 57                                                # 1 mm either side of a cell
CELL_PAD_PT = 2 * CELL_MARGIN_TWIPS / 20 + 1.5


def table(document, headers: Sequence[str], rows: List[Sequence], kinds: Sequence[str],
          minimum: Sequence[float], fills: Optional[List[Optional[str]]] = None) -> None:
    """A table whose columns fit their content; header repeats on every page; rows never split.

    kinds/minimum as in textfit.fit_columns (minimum in characters); fills: per row, a colour for the
    cell of the column whose kind is "alert" (drawn as fixed), or None.
    """
    from docx.shared import Pt

    texts = [[str(h)] + ["" if r[i] is None else str(r[i]) for r in rows] for i, h in enumerate(headers)]
    half_pt = part.TABLE_PT / 2          # a half-width unit; print_width allows for wide digits
    total = (part.TEXT_WIDTH_PT - CELL_PAD_PT * len(headers)) / half_pt
    widths = fit_columns(texts, ["fixed" if k == "alert" else k for k in kinds], total,
                         [2 * m for m in minimum], slack=1, measure=print_width)
    t = document.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    _fixed_layout(t, [w * half_pt + CELL_PAD_PT for w in widths])
    for cell, text in zip(t.rows[0].cells, headers):
        _cell_text(cell, text, part.HEI, center=True)
    _row_flags(t.rows[0], header=True)
    for index, values in enumerate(rows):
        row = t.add_row()
        _row_flags(row)
        for col, (cell, value) in enumerate(zip(row.cells, values)):
            alert = kinds[col] == "alert"
            _cell_text(cell, "" if value is None else str(value), part.BODY_FONT, center=alert or kinds[col] == "fixed")
            if alert and fills and fills[index]:
                _shade(cell, fills[index])
    gap = part.paragraph(document)  # a small gap under the table, not a whole grid line
    part.no_grid(gap)
    gap.paragraph_format.line_spacing = Pt(8)
    part.run(gap, "", size=4)


def _fixed_layout(t, widths_pt: List[float]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False  # w:tblLayout fixed: the widths below hold
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    t._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    twips = [int(w * 20) for w in widths_pt]
    for col, width in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), twips):
        col.set(qn("w:w"), str(width))
    for row in t.rows:
        for cell, w in zip(row.cells, widths_pt):
            cell.width = Pt(w)


def _row_flags(row, header: bool = False) -> None:
    from docx.oxml import OxmlElement

    pr = row._tr.get_or_add_trPr()
    pr.append(OxmlElement("w:cantSplit"))
    if header:
        pr.append(OxmlElement("w:tblHeader"))


def _cell_text(cell, text: str, font: str, center: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = cell.paragraphs[0]
    part.tight(p)
    part.no_grid(p)
    p.paragraph_format.line_spacing = Pt(part.TABLE_PT * 1.35)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    part.run(p, text, font, part.TABLE_PT)


def _shade(cell, color: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color)
    cell._tc.get_or_add_tcPr().append(shading)
