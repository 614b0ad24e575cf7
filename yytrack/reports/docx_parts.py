"""Building blocks of an official document (公文) per GB/T 9704-2012, on python-docx.

A4; 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (so 35 mm below, 26 mm right); a document grid of 22 lines
× 28 characters of 3号 (16 pt) text; page numbers `— N —` in 4号 宋体 below the 版心, odd pages right and
even pages left, one character in from the edge. East-asian fonts are set through w:eastAsia, which is
what Word reads for Chinese text, and the font table names the fallbacks (仿宋_GB2312 → 仿宋).
"""

from __future__ import annotations

from typing import List, Optional

from yytrack.reports.textfit import display_width

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT, BODY_FALLBACK = "仿宋_GB2312", "仿宋"
HEI, KAI, SONG = "黑体", "楷体_GB2312", "宋体"
KAI_FALLBACK = "楷体"
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, TABLE_PT = 16, 22, 14, 10.5   # 三号, 二号, 四号, 五号
TEXT_WIDTH_MM, TEXT_HEIGHT_MM, TOP_MM, LEFT_MM = 156, 225, 37, 28
LINES, CHARS = 22, 28
LINE_PITCH_TWIPS = round(TEXT_HEIGHT_MM / 25.4 * 1440 / LINES)       # 580: 22 lines fill the 版心
TITLE_CHARS = int(TEXT_WIDTH_MM / 25.4 * 72 // TITLE_PT)              # 20 title characters a line
TEXT_WIDTH_PT = TEXT_WIDTH_MM / 25.4 * 72
CHAR_SPACING_TWIPS = int((TEXT_WIDTH_PT / CHARS - BODY_PT) * 20) - 1   # -5: 15.75 pt a character
RPR_AFTER_SPACING = tuple("w:" + t for t in ("w kern position sz szCs highlight u effect bdr shd fitText vertAlign "
                                            "rtl cs em lang eastAsianLayout specVanish oMath").split())
RED = "FF0000"
# The order of paragraph properties in the schema (ECMA-376 CT_PPr).
PPR_ORDER = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
             "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
             "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
             "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
FALLBACKS = ((TITLE_FONT, TITLE_FALLBACK), (BODY_FONT, BODY_FALLBACK), (KAI, KAI_FALLBACK))


def new_document():
    """An empty A4 document with the 版心, the document grid, Normal = 3号仿宋, and page numbers."""
    import docx

    document = docx.Document()
    _page(document)
    _normal_style(document)
    _declare_fallbacks(document)
    _page_numbers(document)
    return document


def _page(document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(297 - TOP_MM - TEXT_HEIGHT_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(210 - LEFT_MM - TEXT_WIDTH_MM)
    section.header_distance, section.footer_distance = Mm(15), Mm(21)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    # The line grid gives 22 lines; 28 characters a line come from the 字距 of Normal (see _normal_style):
    # a character grid narrower than the font is drawn two cells a character by LibreOffice.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))


def set_fonts(element, name: str) -> None:
    """Latin and east-asian font of a run (r._r) or a style (style.element)."""
    from docx.oxml.ns import qn

    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), name)


def _normal_style(document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element, BODY_FONT)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra space between Chinese and digits
        off = OxmlElement(name)
        off.set(qn("w:val"), "0")
        pPr = normal.element.get_or_add_pPr()
        pPr.insert_element_before(off, *("w:" + t for t in PPR_ORDER[PPR_ORDER.index(name[2:]) + 1:]))
    condensed = OxmlElement("w:spacing")  # 字距: 28 characters of 3号 fill the 156 mm line
    condensed.set(qn("w:val"), str(CHAR_SPACING_TWIPS))
    normal.element.get_or_add_rPr().insert_element_before(condensed, *RPR_AFTER_SPACING)
    styles = document.styles.element
    defaults = styles.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docDefaults")
    if defaults is not None:
        size = defaults.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sz")
        if size is not None:
            size.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", str(BODY_PT * 2))


def _declare_fallbacks(document) -> None:
    """Name 宋体 / 仿宋 / 楷体 as stand-ins in the font table, used where the official fonts are missing."""
    part = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    entries = "".join(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                      f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>' for name, alt in FALLBACKS)
    part._blob = part.blob.replace(b"</w:fonts>", entries.encode("utf-8") + b"</w:fonts>")


def run(paragraph, text: str, font: str = BODY_FONT, size: float = BODY_PT, bold: bool = False,
        color: Optional[str] = None):
    from docx.shared import Pt, RGBColor

    r = paragraph.add_run(text)
    r.font.size = Pt(size)
    r.font.bold = bold
    set_fonts(r._r, font)
    if color:
        r.font.color.rgb = RGBColor.from_string(color)
    return r


def paragraph(document, text: str = "", font: str = BODY_FONT, size: float = BODY_PT, bold: bool = False,
              align: str = "", indent: bool = False, right_chars: float = 0, page_break: bool = False,
              keep_next: bool = False):
    """A paragraph of one run; indent = 首行缩进两字; right_chars = 右空 n 字."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = document.add_paragraph()
    tight(p)
    fmt = p.paragraph_format
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                       "left": WD_ALIGN_PARAGRAPH.LEFT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    if indent:
        fmt.first_line_indent = Pt(BODY_PT * 2)
    if right_chars:
        fmt.right_indent = Pt(BODY_PT * right_chars)
    fmt.page_break_before = page_break
    fmt.keep_with_next = keep_next
    if text:
        run(p, text, font, size, bold)
    return p


def title(document, text: str, lines: List[str]) -> None:
    """The title in 2号小标宋, centred, as the given balanced lines."""
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    p = paragraph(document, align="center", keep_next=True)
    p.paragraph_format.line_spacing = Pt(TITLE_PT * 1.5)
    no_grid(p)
    for i, line in enumerate(lines):
        r = run(p, line, TITLE_FONT, TITLE_PT)
        if i < len(lines) - 1:
            r.add_break(WD_BREAK.LINE)
    paragraph(document)  # a blank line under the title


def add_to_paragraph(p, element) -> None:
    """Put a paragraph property where the schema wants it (Word refuses elements out of order)."""
    pPr = p._p.get_or_add_pPr()
    tag = element.tag.split("}")[1]
    successors = ["w:" + t for t in PPR_ORDER[PPR_ORDER.index(tag) + 1:]]
    pPr.insert_element_before(element, *successors)


def tight(p) -> None:
    """No extra space between Chinese and Latin letters or digits (LibreOffice reads this per paragraph)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for name in ("autoSpaceDE", "autoSpaceDN"):
        off = OxmlElement(f"w:{name}")
        off.set(qn("w:val"), "0")
        add_to_paragraph(p, off)


def no_grid(p) -> None:
    """Take a paragraph off the document grid (titles and table text keep their own line height)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    add_to_paragraph(p, snap)


def _page_numbers(document) -> None:
    """`— N —` in 4号 宋体: odd pages right, even pages left, one character in from the 版心's edge."""
    section = document.sections[0]
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        _page_number_paragraph(p, align)


def _page_number_paragraph(p, align: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "right" else WD_ALIGN_PARAGRAPH.LEFT
    fmt = p.paragraph_format
    (fmt.__setattr__("right_indent" if align == "right" else "left_indent", Pt(PAGE_NUMBER_PT)))
    no_grid(p)
    run(p, "— ", SONG, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run(p, "", SONG, PAGE_NUMBER_PT)
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            r._r.append(field)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        else:
            r.text = text
    run(p, " —", SONG, PAGE_NUMBER_PT)


def red_line(document) -> None:
    """The red separator under the 版头 (and the document number)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = paragraph(document)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", RED)):
        bottom.set(qn(key), value)
    border.append(bottom)
    add_to_paragraph(p, border)


def text_chars(text: str) -> float:
    """Width of a text in body characters (a digit is half a character)."""
    return display_width(text) / 2
