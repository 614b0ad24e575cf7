"""Word (督导通报) and Excel (任务台账) files from the report context.

The Word file follows official-document conventions (GB/T 9704): A4 with the usual margins, the title
in 方正小标宋简体 (黑体 where it is missing), body in 仿宋_GB2312 (仿宋) 三号, headings 一、二、… in
黑体, tables with a repeating header row. East-asian fonts are set through w:eastAsia, which is what
Word reads for Chinese text, and the font table names the fallbacks.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from typing import List, Sequence

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "黑体"
BODY_FONT, BODY_FALLBACK = "仿宋_GB2312", "仿宋"
HEADING_FONT = "黑体"
BODY_PT, TITLE_PT, TABLE_PT = 16, 22, 10.5  # 三号, 二号, 五号
CHINESE_ORDINALS = "一二三四五六七八九十"
ALERT_FILLS = {"red": "F4B6B0", "yellow": "FBE5A0", "green": "C8E6C9"}


# ---------------------------------------------------------------- Word


def _font(run, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _declare_fallbacks(document) -> None:
    """Name 黑体 / 仿宋 as stand-ins in the font table, used where the official fonts are missing."""
    part = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    entries = "".join(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                      f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
                      for name, alt in ((TITLE_FONT, TITLE_FALLBACK), (BODY_FONT, BODY_FALLBACK)))
    part._blob = part.blob.replace(b"</w:fonts>", entries.encode("utf-8") + b"</w:fonts>")


def _setup(document) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _declare_fallbacks(document)


def _paragraph(document, text: str, font: str = BODY_FONT, size: float = BODY_PT, bold: bool = False,
               align: str = "", indent: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if align:
        paragraph.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)  # 首行缩进两字
    paragraph.paragraph_format.line_spacing = Pt(size * 1.75)
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _table(document, headers: Sequence[str], rows: List[Sequence]) -> None:
    from docx.oxml import OxmlElement

    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on every page
    for cell, text in zip(header.cells, headers):
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, TABLE_PT)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            _font(cell.paragraphs[0].add_run("" if value is None else str(value)), BODY_FALLBACK, TABLE_PT)
    document.add_paragraph()


def _heading(document, ordinal: int, text: str) -> None:
    _paragraph(document, f"{CHINESE_ORDINALS[ordinal]}、{text}", HEADING_FONT)


def _docx_summary(document, c: dict) -> None:
    s = c["summary"]
    statuses = "，".join(f"{x['label']} {x['count']} 条" for x in s["by_status"])
    levels = "，".join(f"{x['label']}{'' if x['key'] == 'none' else '色'} {x['count']} 条" for x in s["by_alert"])
    rate = s["reporting"]
    _paragraph(document, f"{c['plan']['title']}共 {s['measures']} 条措施。其中{statuses}。", indent=True)
    _paragraph(document, f"预警情况：{levels}。", indent=True)
    _paragraph(document, f"本月报送率：应报 {rate['due']} 项，已报 {rate['reported']} 项，"
                         f"报送率 {rate['rate_label']}。", indent=True)


def _docx_measures(document, c: dict) -> None:
    _table(document, ["序号", "措施", "牵头单位", "状态", "进度", "最新进展", "最近报送", "预警"],
           [[m["number"], m["short_title"], m["lead_label"], m["status_label"], m["progress_label"],
             m["note_short"] or "—", m["last_report"] or "未报送", m["alert_label"]] for m in c["measures"]])
    for m in c["measures"]:
        if m["alert_reasons"]:
            _paragraph(document, f"{m['number']}{m['short_title']}（{m['alert_label']}）："
                                 f"{'；'.join(m['alert_reasons'])}", indent=True)


def _docx_sections(document, c: dict) -> None:
    """Sections 三 to 七, each a table or a sentence saying there is nothing to list."""
    d, ch, t = c["deadlines"], c["changes"], c["timeliness"]
    sections = [
        ("本月未报送单位", ["单位", "未报送措施"],
         [[u["unit"], "；".join(f"{m['number']}{m['short_title']}（{m['role_label']}）" for m in u["measures"])]
          for u in c["missing"]], "本月应报单位均已报送。"),
        ("逾期和即将到期事项", ["措施", "牵头单位", "截止日期", "事项", "情况", "状态"],
         [[f"{r['number']}{r['short_title']}", r["lead_label"], r["date"], r["what"] or "—", r["days_label"],
           r["status_label"]] for r in d["overdue"] + d["near"]], "没有已逾期或 30 天内到期的事项。"),
        ("指标完成情况", ["措施", "指标", "目标", "最新值", "日期", "来源", "情况"],
         [[i["number"], i["name"], i["target_label"], i["latest_label"], i["latest_date"] or "—",
           i["source"] or "—", i["state_label"]] for i in c["indicators"]], "本方案未设置量化指标。"),
        ("本月变化", ["日期", "措施", "单位", "状态变化", "报送人"],
         [[x["date"], f"{x['number']}{x['short_title']}", x["unit"], f"{x['from_label']} → {x['to_label']}",
           x["author"]] for x in ch["transitions"]]
         + [[r["date"], f"{r['number']}{r['short_title']}", "（办结审核）", r["decision_label"], r["author"]]
            for r in ch["reviews"]], "本月没有状态变化。"),
        (f"各单位报送及时率（{t['span']}）", ["排名", "单位", "应报", "按时", "及时率"],
         [[u["rank"], u["unit"], u["due"], u["on_time"], u["rate_label"]] for u in t["units"]],
         "统计期间内没有应报事项。"),
    ]
    for ordinal, (title, headers, rows, empty) in enumerate(sections, start=2):
        _heading(document, ordinal, title)
        if rows:
            _table(document, headers, rows)
        else:
            _paragraph(document, empty, indent=True)


def _docx_annex(document, c: dict) -> None:
    _paragraph(document, "附件：本月报送明细", HEADING_FONT)
    for measure in c["annex"]:
        _paragraph(document, f"{measure['number']}{measure['title']}", BODY_FONT, BODY_PT, bold=True)
        _table(document, ["日期", "单位", "状态", "进度", "说明", "报送人"],
               [[u["date"], u["unit"], u["status_label"], u["progress_label"], u["note"] or "—", u["author"]]
                for u in measure["updates"]])
    if not c["annex"]:
        _paragraph(document, "本月没有报送记录。", indent=True)


def docx_bytes(c: dict) -> bytes:
    """The monthly report as a Word document."""
    import docx

    document = docx.Document()
    _setup(document)
    _paragraph(document, c["title"], TITLE_FONT, TITLE_PT, align="center")
    _paragraph(document, f"（{c['period']['label']}）", "楷体", BODY_PT, align="center")
    plan = c["plan"]
    number = f"（{plan['doc_number']}）" if plan["doc_number"] else ""
    for line in (f"文件：{plan['title']}{number}", f"通报期间：{c['period']['start']} 至 {c['period']['end']}"
                 f"，报送截止日 {c['period']['due']}", f"统计截至：{c['as_of_label']}", f"发文单位：{c['office']}"):
        _paragraph(document, line)
    _heading(document, 0, "总体情况")
    _docx_summary(document, c)
    _heading(document, 1, "各措施落实情况")
    _docx_measures(document, c)
    _docx_sections(document, c)
    _docx_annex(document, c)
    _paragraph(document, c["office"], align="right")
    _paragraph(document, c["as_of_label"], align="right")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- Excel

LEDGER_HEADERS = ["方案", "措施编号", "序号", "措施简称", "责任单位", "角色", "措施状态", "本单位状态",
                  "本单位进度(%)", "最近报送日期", "最新说明", "预警", "预警原因"]


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK and full-width characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def ledger_rows(c: dict) -> List[list]:
    rows = []
    for m in c["measures"]:
        for u in m["units"]:
            day = dt.date.fromisoformat(u["last_report"]) if u["last_report"] else None
            rows.append([c["plan"]["id"], m["id"], m["number"], m["title"], u["unit"], u["role_label"],
                         m["status_label"], u["status_label"], u["progress"], day, u["note"], m["alert_label"],
                         "；".join(m["alert_reasons"])])
    return rows


def _fit_columns(sheet, rows: List[list]) -> None:
    from openpyxl.utils import get_column_letter

    for index, header in enumerate(LEDGER_HEADERS, start=1):
        texts = [header] + ["" if r[index - 1] is None else str(r[index - 1]) for r in rows]
        widest = max(display_width(t) for t in texts)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 6), 60)


def xlsx_bytes(c: dict) -> bytes:
    """The 任务台账: one row per measure × responsible unit, frozen header, filter, fitted widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "任务台账"
    rows = ledger_rows(c)
    sheet.append(LEDGER_HEADERS)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    alert_column = LEDGER_HEADERS.index("预警") + 1
    alert_of = {m["alert_label"]: m["alert"] for m in c["measures"]}
    for line in sheet.iter_rows(min_row=2):
        line[LEDGER_HEADERS.index("最近报送日期")].number_format = "yyyy-mm-dd"
        line[LEDGER_HEADERS.index("最新说明")].alignment = Alignment(wrap_text=True, vertical="top")
        fill = ALERT_FILLS.get(alert_of.get(line[alert_column - 1].value, ""))
        if fill:
            line[alert_column - 1].fill = PatternFill("solid", fgColor=fill)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _fit_columns(sheet, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
