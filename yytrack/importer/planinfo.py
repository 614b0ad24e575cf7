"""The plan's own details (title, 文号, issuer, date of issue) read from the document's head."""

from __future__ import annotations

import datetime as dt
import re
from typing import List, Optional, Sequence

from yytrack.importer.structure import SECTION

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}〔\d{4}〕\d+号")
DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
TITLE_LINE = re.compile(r"^[^《，。；：]{4,60}(?:通知|方案|意见|办法|规划|措施|计划|要点|细则|规定|决定)$")


def plan_info(paragraphs: List[str], plan: str, title: Optional[str], doc_number: Optional[str],
               source: Optional[str]) -> dict:
    """plan.yaml content, guessing title, 文号, issuer and date from the document's head when not given."""
    first_section = next((i for i, p in enumerate(paragraphs) if SECTION.match(p)), len(paragraphs))
    head = paragraphs[:first_section]
    titles = [p for p in head if TITLE_LINE.match(p)]
    numbers = [m.group(0) for p in head for m in DOC_NUMBER.finditer(p)]
    issuers = [p[:-2] for p in head if p.endswith("文件") and 2 < len(p) <= 30]
    dates = [DATE_LINE.match(p) for p in head if DATE_LINE.match(p)]
    info = {"id": plan, "title": title or (titles[-1] if titles else plan),
            "doc_number": doc_number or (numbers[0] if numbers else ""), "issuer": issuers[0] if issuers else ""}
    if dates:
        year, month, day = (int(g) for g in dates[0].groups())
        info["issued"] = f"{year:04d}-{month:02d}-{day:02d}"
    # Tracking begins the day the plan is imported: earlier months owe no report (editable in plan.yaml).
    info.update({"parent": "", "supervisor": "", "tracking_start": dt.date.today().isoformat(),
                 "reporting": {"cycle": "monthly", "due_day": 25}})
    if source:
        info["source"] = source
    return info


def document_year(plan_info: dict, paragraphs: Sequence[str] = ()) -> Optional[int]:
    """The year that 6月底前 refers to: the 文号's year, else the date of issue, else a year in the
    title (2023年…工作方案), else the date under the signature."""
    match = re.search(r"〔(\d{4})〕", plan_info.get("doc_number", ""))
    if match:
        return int(match.group(1))
    issued = plan_info.get("issued")
    if issued:
        return int(issued[:4])
    match = re.search(r"((?:19|20)\d\d)年", plan_info.get("title", ""))
    if match:
        return int(match.group(1))
    dates = [DATE_LINE.match(p) for p in paragraphs if DATE_LINE.match(p)]
    return int(dates[-1].group(1)) if dates else None
