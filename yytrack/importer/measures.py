"""One measure: its clause read from its paragraphs, its units resolved, dates, targets and doubts.

A measure whose reading is uncertain (no clause, words in the clause that are no unit, a label this
reader does not know, a name unlike a unit's) is listed in `review` with the reason; the writer marks
its file `review: true` and `yytrack check` reports it until a person has looked and removed the mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple, Union

from yytrack.importer import clauses
from yytrack.importer.dates import ONGOING, find_dates, find_targets
from yytrack.importer.structure import (ARABIC_ITEM, CIRCLED, PAREN_ARABIC, PAREN_ITEM, SECTION, Draft, has_clause,
                                        inner_clause)
from yytrack.importer.units import is_unusual
from yytrack.model import chinese_number


_PERSON_SENTENCE = re.compile(rf"(?<=[。；])((?:{clauses.PERSON_LABEL})[：:][^。；，,：:]{{1,12}})[。；]?")


@dataclass(frozen=True)
class ReadDraft:
    body: str
    """The measure's text without its clauses (heading included)."""
    clause_text: Optional[str]
    """All clause contents found, joined by ；; None when the measure has none."""
    clause: Optional[clauses.ClauseUnits]


def read_draft(draft: Draft, first_leads: bool = False) -> ReadDraft:
    """Clauses at the end of any of the measure's paragraphs, inside them, and on label lines of their own."""
    found: List[str] = []
    kept: List[str] = []
    joined_body, joined_clause = clauses.split_clause("".join(draft.paragraphs))
    paragraphs = [joined_body] if joined_clause else draft.paragraphs
    if joined_clause:
        found.append(joined_clause)
    for paragraph in paragraphs:
        body, content = clauses.split_clause(paragraph)
        while content is None and inner_clause(body):
            content_inner = inner_clause(body)
            found.append(content_inner)
            body = re.sub(r"[（(〔]" + re.escape(content_inner) + r"[）)〕]", "", body, count=1)
        if content:
            found.append(content)
        kept.append(body)
    found = found[1:] + found[:1] if joined_clause else found  # keep document order
    body = "".join(kept)
    persons = list(_PERSON_SENTENCE.finditer(body))  # …机制。分管省领导：张某。 inside the text
    for match in reversed(persons):
        body = body[:match.start()] + body[match.end():]
    found += [match.group(1) for match in persons]
    content = "；".join(found + draft.clause_lines) if found or draft.clause_lines else None
    parsed = clauses.parse_clause(content, first_leads) if content else None
    return ReadDraft(body, content, parsed)


class Builder:
    """Turns drafts into measure dicts, collecting unknown units, flags and doubts on the way."""

    def __init__(self, plan: str, resolver, year: Optional[int]):
        self.plan, self.resolver, self.year = plan, resolver, year
        self.measures: List[dict] = []
        self.new_units: List[str] = []
        self.flagged: List[Tuple[str, str]] = []
        self.notices: List[str] = []
        self.notes: List[str] = []
        self.review: Dict[str, str] = {}
        self._last_number = 0

    def add_all(self, items: List[Union[Draft, str]], read: Dict[int, ReadDraft]) -> None:
        """Every measure in order; a forward clause (以下均需…落实) gives its units to the measures after it."""
        forward: List[str] = []
        for item in items:
            if isinstance(item, Draft):
                done = read[id(item)]
                units, said = (list(done.clause.forward), done.clause.forward_text) if done.clause else ([], "")
                here = units if units and re.search(r"下同|均涉及", said) else forward  # 下同: this one too
                self.add(item, done, here)
            else:  # a paragraph between measures may say it too
                units, said = clauses.find_forward(item)
                if not units and has_clause(item) and not clauses.first_listed_leads(item):
                    self.notices.append(f"这段责任分工没有归入任何措施，请对照原文处理：{item[:120]}")
            if units:
                forward = units
                self.notes.append(said)

    def add(self, draft: Draft, done: ReadDraft, forward: List[str]) -> None:
        seq = len(self.measures) + 1
        measure_id = f"{self.plan}-{seq:02d}"
        number, body = split_number(done.body)
        title, text = title_and_text(body, _heading_of(draft))
        clause = done.clause or clauses.ClauseUnits()
        lead, cooperating = self._names(clause.lead), self._names(clause.cooperating)
        implied = [u for u in self._names(forward) if u not in lead + cooperating]
        measure = {"id": measure_id, "number": number, "seq": seq, "section": draft.section, "title": title,
                   "text": text, "lead_units": lead, "cooperating_units": cooperating, "implied_units": implied,
                   "lead_inferred": clause.lead_inferred}
        if clause.leaders:
            measure["leaders"] = list(clause.leaders)
        measure.update(self._dates(body, draft.timing_lines + list(clause.timing)))
        measure["indicators"] = find_targets(body, self.year)
        measure["implements"] = []
        self.measures.append(measure)
        self._check(measure_id, number, done.clause_text, clause, lead + cooperating)

    def _names(self, names: Sequence[str]) -> List[str]:
        resolved = []
        for name in names:
            canonical, known = self.resolver.resolve(name)
            if not known and canonical not in self.new_units:
                self.new_units.append(canonical)
            resolved.append(canonical)
        return list(dict.fromkeys(resolved))

    def _dates(self, body: str, timing: List[str]) -> dict:
        """The measure's own 完成时限 (a table cell, a label line) wins over dates in its text."""
        said = "".join(re.sub(r"^[^：:]*[：:]", "", t) for t in timing)
        found = find_dates(said, self.year, timing=True) if said else []
        if not found and not (said and ONGOING.search(said)):
            found = find_dates(body, self.year)
        starts = [d.start for d in found if d.start]
        deadlines = {}
        for d in sorted(found, key=lambda d: d.deadline):
            deadlines.setdefault(d.deadline.isoformat(), d.what or said)
        dates: dict = {"start": min(starts).isoformat()} if starts else {}
        dates["deadlines"] = [{"date": day, "what": what} for day, what in deadlines.items()]
        if not deadlines and ONGOING.search(said or body):
            dates["ongoing"] = True
        return dates

    def _check(self, measure_id: str, number: str, content: Optional[str], clause: clauses.ClauseUnits,
               units: List[str]) -> None:
        value = _number_value(number)
        if self._last_number and value not in (self._last_number + 1, 1):
            self.flagged.append((measure_id, f"编号不连续：{number}排在第 {self._last_number} 条之后，请核对原文是否漏识别"))
        self._last_number = value
        doubts = []
        if content is None:
            doubts.append("未找到责任单位括注，责任单位为空，请对照原文补充")
        elif not units and not clause.forward:
            doubts.append(f"责任单位括注中没有识别出单位：{content}")
        if clause.unread:
            doubts.append("责任条款中有未能识别的文字：" + "；".join(clause.unread))
        odd = [u for u in units if is_unusual(u)]
        if odd:
            doubts.append("这些名称不像单位名称，请核对：" + "、".join(odd))
        for doubt in doubts:
            self.flagged.append((measure_id, doubt))
        if doubts:
            self.review[measure_id] = "；".join(doubts)


def _number_value(number: str) -> int:
    """（三） → 3, 12. → 12, （4） → 4, ⑤ → 5."""
    bare = re.sub(r"[（）().、．\s]", "", number)
    if bare and bare in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
        return "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(bare) + 1
    return chinese_number(bare) if bare else 0


def _heading_of(draft: Draft) -> str:
    return split_number(clauses.split_clause(draft.paragraphs[0])[0])[1]


def split_number(paragraph: str) -> Tuple[str, str]:
    """（一） from (一) or （一）; 1. 1、 （1） ① as written."""
    paren = PAREN_ITEM.match(paragraph)
    if paren:
        return f"（{paren.group(1)}）", paragraph[paren.end():]
    for pattern in (ARABIC_ITEM, PAREN_ARABIC, CIRCLED, SECTION):
        match = pattern.match(paragraph)
        if match:
            return match.group(0), paragraph[match.end():].lstrip()
    return "", paragraph


def title_and_text(body: str, heading: str) -> Tuple[str, str]:
    """Title: the sentence before the first 。 (or the whole heading line when it has none); text: the rest."""
    if heading.strip() and not re.search(r"[。！？]", heading) and len(heading) < len(body) \
            and body.startswith(heading):
        return heading.strip(), body[len(heading):].strip()  # （一）全国医养结合示范县 + a paragraph below
    match = re.search(r"[。！？]", body)
    if not match:
        return body.strip(), ""
    return body[:match.start()].strip(), body[match.end():].strip()
