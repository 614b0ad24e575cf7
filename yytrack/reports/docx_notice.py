"""The 催办通知 (.docx) for one unit, in the 通知 form: title, 主送 unit, body, 落款 and date.

It tells the unit what is owed and how to report: the 报送表, the tracking system, or the supervising
office's contact person. No command lines: those are for technical users, in the Markdown version.
"""

from __future__ import annotations

import io

from yytrack.reports import docx_parts as part
from yytrack.reports.docx_table import table
from yytrack.reports.docx_gongwen import body, signature
from yytrack.reports.textfit import chinese_dates, title_lines


def ways_to_report(c: dict) -> str:
    contact = c["document"]["contact"]
    ask = f"请与{c['office']}联系（{contact}）" if contact else f"请与{c['office']}联系"
    return (f"报送方式：填写随本通知下发的落实情况报送表，连同佐证材料发回{c['office']}；"
            f"已使用督导跟踪系统的单位，也可直接在系统中报送。如有疑问，{ask}。")


def notice_title(c: dict) -> str:
    return f"关于抓紧报送{c['period']['label']}落实进展的通知"


def notice_bytes(c: dict) -> bytes:
    """One unit's 催办通知 as a Word document in 公文 form."""
    document = part.new_document()
    part.title(document, notice_title(c), title_lines(notice_title(c), part.TITLE_CHARS))
    part.paragraph(document, f"{c['full_name']}：")
    plans = "、".join(f"《{p['title']}》" + (f"（{p['doc_number']}）" if p["doc_number"] else "") for p in c["plans"])
    body(document, f"根据{plans}要求，你单位承担的下列事项截至{c['as_of_label']}尚需报送进展或加快推进：")
    table(document, ["序号", "措施", "本单位职责", "当前状态", "需办事项"],
               [[n, f"{i['number']}{i['short_title']}", i["role_label"], i["status_label"], "；".join(i["reasons"])]
                for n, i in enumerate(c["items"], 1)],
               ["fixed", "wrap", "fixed", "fixed", "rest"], [2, 9, 3, 3, 10])
    period = c["period"]
    if period["due_passed"]:
        body(document, f"{period['label']}的报送截止日（{period['due']}）已过，请尽快补报落实进展。")
    else:
        body(document, f"请于{period['due']}前报送{period['label']}落实进展。")
    body(document, "已逾期或即将到期的事项，请抓紧推进，并说明进度和存在的困难。")
    body(document, ways_to_report(c))
    signature(document, c["document"]["signer"], c["as_of_label"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


__all__ = ["notice_bytes", "chinese_dates"]
