"""The monthly 督导通报 as an official document (公文, GB/T 9704-2012).

Order: optional 版头 (发文机关标志, 文号, red line), title, 主送机关, body (一、 … 七、), 附件说明, 署名 and
成文日期, then the 附件 on a page of its own. Levels: 一、 黑体, （一） 楷体, 1. 仿宋 bold. Every section
says something: a section with nothing to list says so in one line.
"""

from __future__ import annotations

import io
from typing import List

from yytrack.reports import docx_parts as part
from yytrack.reports.docx_table import table
from yytrack.reports.textfit import chinese_dates, title_lines

CHINESE_ORDINALS = "一二三四五六七八九十"
ALERT_FILLS = {"red": "F4B6B0", "yellow": "FBE5A0", "green": "C8E6C9"}
ANNEX_TITLE = "本月报送明细"


def heading(document, ordinal: int, text: str) -> None:
    part.paragraph(document, f"{CHINESE_ORDINALS[ordinal]}、{text}", part.HEI, indent=True, keep_next=True)


def subheading(document, ordinal: int, text: str) -> None:
    part.paragraph(document, f"（{CHINESE_ORDINALS[ordinal]}）{text}", part.KAI, indent=True, keep_next=True)


def numbered(document, n: int, lead: str, rest: str) -> None:
    """A level-3 item: `1.` and its lead in bold 仿宋, then the text."""
    p = part.paragraph(document, indent=True)
    part.run(p, f"{n}. {lead}", bold=True)
    part.run(p, rest)


def body(document, text: str) -> None:
    part.paragraph(document, chinese_dates(text), indent=True, align="justify")


def masthead(document, doc: dict) -> None:
    """版头: 发文机关标志 in red 小标宋, the 文号 centred, then the red line. Only when configured."""
    if not doc.get("masthead"):
        return
    p = part.paragraph(document, align="center")
    part.no_grid(p)
    part.run(p, doc["masthead"], part.TITLE_FONT, 30, color=part.RED)
    part.paragraph(document)
    if doc.get("number"):
        part.paragraph(document, doc["number"], align="center")
    part.red_line(document)
    part.paragraph(document)


def opening(document, c: dict) -> None:
    plan = c["plan"]
    number = f"（{plan['doc_number']}）" if plan["doc_number"] else ""
    part.paragraph(document, f"{c['document']['recipients']}：")
    body(document, f"根据《{plan['title']}》{number}要求，现将截至{c['as_of_label']}各单位"
                   f"{c['period']['label']}落实情况通报如下：")


def summary(document, c: dict) -> None:
    s = c["summary"]
    heading(document, 0, "总体情况")
    statuses = "，".join(f"{x['label']}{x['count']}条" for x in s["by_status"] if x["count"])
    levels = "，".join(f"{x['label']}{'' if x['key'] == 'none' else '色预警'}{x['count']}条"
                      for x in s["by_alert"] if x["count"])
    rate = s["reporting"]
    body(document, f"《{c['plan']['title']}》共有措施{s['measures']}条，其中{statuses or '尚无进展'}。"
                   f"预警情况：{levels or '无'}。")
    if rate["due"]:
        body(document, f"本月应报送{rate['due']}项，已报送{rate['reported']}项，报送率{rate['rate_label']}。")
    else:
        body(document, "本月没有应报送的事项。")


def measures(document, c: dict) -> None:
    heading(document, 1, "各措施落实情况")
    rows = c["measures"]
    if not rows:
        body(document, "本方案尚无措施。")
        return
    subheading(document, 0, "落实情况一览")
    table(document, ["序号", "措施", "牵头单位", "状态", "进度", "最新进展", "最近报送", "预警"],
               [[m["number"], m["short_title"], m["lead_label"], m["status_label"], m["progress_label"],
                 m["note_short"] or "—", m["last_report"] or "未报送", m["alert_label"]] for m in rows],
               ["fixed", "wrap", "wrap", "fixed", "fixed", "rest", "fixed", "alert"],
               [2, 6, 5, 3, 2, 5, 4, 2], [ALERT_FILLS.get(m["alert"]) for m in rows])
    flagged = [m for m in rows if m["alert_reasons"]]
    subheading(document, 1, "预警原因")
    if not flagged:
        body(document, "本月没有预警事项。")
    for n, m in enumerate(flagged, 1):
        word = {"red": "红色预警", "yellow": "黄色预警"}.get(m["alert"], m["alert_label"])
        numbered(document, n, f"{m['number']}{m['short_title']}（{word}）。",
                 chinese_dates("；".join(m["alert_reasons"])) + "。")


def _sections(c: dict) -> list:
    d, ch, t = c["deadlines"], c["changes"], c["timeliness"]
    return [
        ("本月未报送单位", ["单位", "未报送措施"],
         [[u["unit"], "；".join(f"{m['number']}{m['short_title']}（{m['role_label']}）" for m in u["measures"])]
          for u in c["missing"]], ["wrap", "rest"], [6, 12], "本月应报单位均已报送。"),
        ("逾期和即将到期事项", ["措施", "牵头单位", "截止日期", "事项", "情况", "状态"],
         [[f"{r['number']}{r['short_title']}", r["lead_label"], r["date"], r["what"] or "—", r["days_label"],
           r["status_label"]] for r in d["overdue"] + d["near"]],
         ["wrap", "wrap", "fixed", "rest", "fixed", "fixed"], [8, 5, 4, 6, 4, 3], "本月无逾期或即将到期事项。"),
        ("指标完成情况", ["指标", "目标", "最新值", "日期", "来源", "情况"],
         [[f"{i['number']}{i['name']}", i["target_label"], i["latest_label"], i["latest_date"] or "—",
           i["source"] or "—", i["state_label"]] for i in c["indicators"]],
         ["rest", "fixed", "fixed", "fixed", "wrap", "fixed"], [7, 3, 3, 5, 9, 3], "本方案未设置量化指标。"),
        ("本月变化", ["日期", "措施", "单位", "状态变化", "报送人"],
         [[x["date"], f"{x['number']}{x['short_title']}", x["unit"], f"{x['from_label']}→{x['to_label']}",
           x["author"]] for x in ch["transitions"]]
         + [[r["date"], f"{r['number']}{r['short_title']}", "（办结审核）", r["decision_label"], r["author"]]
            for r in ch["reviews"]], ["fixed", "rest", "wrap", "wrap", "wrap"], [4, 8, 5, 5, 3],
         "本月没有状态变化。"),
        (f"各单位报送及时率（{t['span']}）", ["排名", "单位", "应报", "按时", "及时率"],
         [[u["rank"], u["unit"], u["due"], u["on_time"], u["rate_label"]] for u in t["units"]],
         ["fixed", "rest", "fixed", "fixed", "fixed"], [2, 8, 2, 2, 3], "统计期间内没有应报事项。"),
    ]


def sections(document, c: dict) -> None:
    """Sections 三 to 七, each a table or one line saying there is nothing to list."""
    for ordinal, (text, headers, rows, kinds, minimum, empty) in enumerate(_sections(c), start=2):
        heading(document, ordinal, text)
        if rows:
            table(document, headers, rows, kinds, minimum)
        else:
            body(document, empty)


def closing(document, c: dict) -> None:
    """The request, 附件说明, 署名 and 成文日期 (右空四字, the 署名 centred above the date)."""
    # The request, the 附件说明 and the signature stay on one page: each keeps with the next.
    part.paragraph(document, chinese_dates(f"请各有关单位对照本通报，抓紧推进预警和逾期事项，于每月"
                                           f"{c['plan']['due_day']}日前报送落实进展。"),
                   indent=True, align="justify", keep_next=True)
    part.paragraph(document, keep_next=True)
    part.paragraph(document, f"附件：1. {ANNEX_TITLE}", indent=True, keep_next=True)
    part.paragraph(document, keep_next=True)
    signature(document, c["document"]["signer"], c["as_of_label"])


def signature(document, signer: str, date: str) -> None:
    """署名 over 成文日期: the date 右空四字, the 署名 centred above it; two blank lines before."""
    part.paragraph(document, keep_next=True)
    part.paragraph(document, keep_next=True)
    date_chars, signer_chars = part.text_chars(date), part.text_chars(signer)
    signer_right = max(4 + (date_chars - signer_chars) / 2, 2)
    part.paragraph(document, signer, align="right", right_chars=signer_right, keep_next=True)
    part.paragraph(document, date, align="right", right_chars=4)


def annex(document, c: dict) -> None:
    """附件1 on a new page: label in 黑体 at the top left, the title centred, the month's reports."""
    part.paragraph(document, "附件1", part.HEI, page_break=True, keep_next=True)
    part.paragraph(document)
    part.title(document, ANNEX_TITLE, [ANNEX_TITLE])
    if not c["annex"]:
        body(document, "本月没有报送记录。")
    for ordinal, measure in enumerate(c["annex"]):
        p = part.paragraph(document, indent=True, keep_next=True)
        part.run(p, f"{measure['number']}{measure['title']}", part.KAI)
        table(document, ["日期", "单位", "状态", "进度", "说明", "报送人"],
                   [[u["date"], u["unit"], u["status_label"], u["progress_label"], u["note"] or "—", u["author"]]
                    for u in measure["updates"]],
                   ["fixed", "wrap", "fixed", "fixed", "rest", "wrap"], [4, 5, 3, 2, 10, 3])


def docx_bytes(c: dict) -> bytes:
    """The monthly report as a Word document in 公文 form."""
    document = part.new_document()
    masthead(document, c["document"])
    part.title(document, c["title"], title_lines(c["title"], part.TITLE_CHARS))
    opening(document, c)
    summary(document, c)
    measures(document, c)
    sections(document, c)
    closing(document, c)
    annex(document, c)
    return _saved(document)


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def paragraphs_text(document) -> List[str]:
    return [p.text for p in document.paragraphs]
