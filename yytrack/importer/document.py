"""Policy text → a plan and its measures, in the shape of tasks/<plan>/*.yaml.

The text goes through normalize_text (PDF noise, punctuation), is cut into sections (一、) and measures
((一) or 1.), and each measure's responsibility clause, dates and targets are read by `clauses`.
The result is data only; write_import puts it on disk and the caller commits it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

from yytrack.importer import clauses
from yytrack.importer.dates import find_dates, find_targets
from yytrack.errors import UsageProblem
from yytrack.model import Unit, chinese_number
from yytrack.importer.textnorm import decode_text, fix_punctuation, normalize_text

__all__ = ["ImportResult", "UnitResolver", "decode_text", "normalize_text", "parse_document"]

MEASURE_HEADER = "# yaml-language-server: $schema=../schema/measure.schema.json\n"
PLAN_HEADER = "# yaml-language-server: $schema=../schema/plan.schema.json\n"
SECTION = re.compile(r"^([一二三四五六七八九十百]+)、")
PAREN_ITEM = re.compile(r"^[（(]([一二三四五六七八九十百]+)[）)]")
ARABIC_ITEM = re.compile(r"^(\d{1,2})[.、](?!\d)")
TIMING_LABEL = re.compile(r"^(?:完成时限|完成时间|时间节点|时限要求)[：:]")
# Where the body of the document ends: distribution list, attachments, contact, the printing line, a date.
END_OF_BODY = re.compile(r"^[-*•]?(?:抄送|抄报|附件|主题词|联系人)|印发$|^\d{4}年\d{1,2}月\d{1,2}日$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}〔\d{4}〕\d+号")
DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
TITLE_LINE = re.compile(r"^[^《，。；：]{4,60}(?:通知|方案|意见|办法|规划|措施|计划|要点|细则|规定|决定)$")
PLAN_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class ImportResult:
    plan: dict
    """plan.yaml content: id, title, doc_number, issuer, issued, parent, supervisor, reporting, source, note."""
    measures: List[dict]
    """One dict per measure, in the shape of tasks/<plan>/<plan>-NN.yaml."""
    new_units: List[str]
    """Unit names the registry does not know (by name, full name or alias), in order of appearance."""
    flagged: List[Tuple[str, str]]
    """(measure id, Chinese message) for what a person must check: no clause, numbering gaps …"""


@dataclass
class _Draft:
    """A measure while its paragraphs are being collected."""

    section: str
    paragraphs: List[str] = field(default_factory=list)
    clause_lines: List[str] = field(default_factory=list)  # 牵头单位：… / 责任单位：… on lines of their own
    timing_lines: List[str] = field(default_factory=list)  # 完成时限：…
    closed: bool = False  # the clause has been read; what follows belongs to no measure
    clause_text: Optional[str] = None  # the clause's content, once read
    clause: Optional[clauses.ClauseUnits] = None

    def read_clause(self) -> None:
        """The clause: bracketed at the end of the text, and/or on label lines of its own."""
        _, content = clauses.split_clause("".join(self.paragraphs))
        if self.clause_lines:
            content = "；".join(([content] if content else []) + self.clause_lines)
        self.clause_text = content
        self.clause = clauses.parse_clause(content) if content else None


def parse_document(text: str, plan: str, registry: Sequence[Unit] = (), title: Optional[str] = None,
                   doc_number: Optional[str] = None, source: Optional[str] = None) -> ImportResult:
    """Read a policy document (text as extracted from PDF or Word) into a plan and its measures."""
    if not PLAN_ID.match(plan or ""):
        raise UsageProblem(f"方案 id“{plan}”不合适：只能用小写字母、数字和连字符，如 fujian")
    paragraphs = [p for p in normalize_text(text).split("\n") if p]
    items = _collect(paragraphs, _measure_pattern(paragraphs))
    drafts = [item for item in items if isinstance(item, _Draft)]
    if not drafts:
        raise UsageProblem("没有识别出任何措施：正文中应有“（一）”或“1.”这样编号的条目")
    plan_info = _plan_info(paragraphs, plan, title, doc_number, source)
    for draft in drafts:
        draft.read_clause()
    resolver = UnitResolver(registry, _usual_prefix(d.clause for d in drafts if d.clause))
    builder = _Builder(plan, resolver, _document_year(plan_info))
    builder.add_all(items)
    if builder.notes:
        plan_info["note"] = "；".join(dict.fromkeys(builder.notes))
    return ImportResult(plan_info, builder.measures, builder.new_units, builder.flagged)


# ---------------------------------------------------------------- structure


def _measure_pattern(paragraphs: List[str]) -> re.Pattern:
    """Measures are numbered （一） when the document has such items under its sections, else 1."""
    first_section = next((i for i, p in enumerate(paragraphs) if SECTION.match(p)), 0)
    body = paragraphs[first_section:]
    if any(PAREN_ITEM.match(p) for p in body):
        return PAREN_ITEM
    return ARABIC_ITEM


def _collect(paragraphs: List[str], measure: re.Pattern) -> List[Union[_Draft, str]]:
    """Measures (as drafts) and the loose paragraphs between them, in document order."""
    items: List[Union[_Draft, str]] = []
    section, current = "", None
    for p in paragraphs:
        if SECTION.match(p) and not measure.match(p):
            section, current = p.split("。")[0], None
        elif measure.match(p):
            current = _Draft(section, [p], closed=clauses.split_clause(p)[1] is not None)
            items.append(current)
        elif current and clauses.CLAUSE_LABEL.match(p):
            current.clause_lines.append(p)
        elif current and TIMING_LABEL.match(p):
            current.timing_lines.append(p)
        elif current and not current.closed and not _ends_body(p):
            current.paragraphs.append(p)
            current.closed = clauses.split_clause(p)[1] is not None
        else:
            current = None
            items.append(p)
    return items


def _ends_body(paragraph: str) -> bool:
    """Body paragraphs are sentences; a short line without punctuation is a signature or a new title."""
    bare = len(paragraph) <= 30 and not re.search(r"[，。；：！？]", paragraph)
    return bare or bool(END_OF_BODY.search(paragraph))


def _usual_prefix(read: Iterable[clauses.ClauseUnits]) -> str:
    """The place prefix most units of the document carry (县 in a county plan); '' when none does."""
    counts = Counter(clauses.own_prefix(n) for c in read for n in c.lead + c.cooperating)
    counts.pop("", None)
    return counts.most_common(1)[0][0] if counts else ""


# ---------------------------------------------------------------- names → registry


class UnitResolver:
    """Turns a name from a clause into the registry's canonical name (by name, full name or alias)."""

    def __init__(self, registry: Sequence[Unit] = (), document_prefix: str = ""):
        self._canonical: Dict[str, str] = {}
        for unit in registry:
            for spelling in (unit.name, unit.full_name, *unit.aliases):
                if spelling:
                    self._canonical.setdefault(fix_punctuation(spelling), unit.name)
        self.document_prefix = document_prefix

    def resolve(self, name: str) -> Tuple[str, bool]:
        """(canonical name, found in the registry). A bare name in its own comma list (税务局 in a county
        plan) is also tried with the document's usual prefix (县税务局), for registries without that alias."""
        candidates = [name]
        if self.document_prefix and not clauses.own_prefix(name) and not clauses.is_proper(name):
            candidates.append(self.document_prefix + name)
        for candidate in candidates:
            if candidate in self._canonical:
                return self._canonical[candidate], True
        return name, False


# ---------------------------------------------------------------- one measure


class _Builder:
    """Turns drafts into measure dicts, collecting unknown units and flags on the way."""

    def __init__(self, plan: str, resolver: UnitResolver, year: Optional[int]):
        self.plan, self.resolver, self.year = plan, resolver, year
        self.measures: List[dict] = []
        self.new_units: List[str] = []
        self.flagged: List[Tuple[str, str]] = []
        self.notes: List[str] = []
        self._last_number = 0

    def add_all(self, items: List[Union[_Draft, str]]) -> None:
        """Every measure in order; a forward clause (以下均需…落实) gives its units to the measures after it."""
        forward: List[str] = []
        for item in items:
            if isinstance(item, _Draft):
                self.add(item, forward)
                units, said = (list(item.clause.forward), item.clause.forward_text) if item.clause else ([], "")
            else:  # a paragraph between measures may say it too
                units, said = clauses.find_forward(item)
            if units:
                forward = units
                self.notes.append(said)

    def add(self, draft: _Draft, forward: List[str]) -> None:
        seq = len(self.measures) + 1
        measure_id = f"{self.plan}-{seq:02d}"
        number, heading = _split_number(draft.paragraphs[0])
        body, _ = clauses.split_clause(heading + "".join(draft.paragraphs[1:]))
        title, text = _title_and_text(body, heading)
        clause = draft.clause or clauses.ClauseUnits()
        lead, cooperating = self._names(clause.lead), self._names(clause.cooperating)
        implied = [u for u in self._names(forward) if u not in lead + cooperating]
        measure = {"id": measure_id, "number": number, "seq": seq, "section": draft.section, "title": title,
                   "text": text, "lead_units": lead, "cooperating_units": cooperating, "implied_units": implied,
                   "lead_inferred": clause.lead_inferred}
        measure.update(self._dates(body + "".join(draft.timing_lines)))
        measure["indicators"] = find_targets(body, self.year)
        measure["implements"] = []
        self.measures.append(measure)
        self._check(measure_id, number, draft.clause_text, lead + cooperating)

    def _names(self, names: Sequence[str]) -> List[str]:
        resolved = []
        for name in names:
            canonical, known = self.resolver.resolve(name)
            if not known and canonical not in self.new_units:
                self.new_units.append(canonical)
            resolved.append(canonical)
        return list(dict.fromkeys(resolved))

    def _dates(self, text: str) -> dict:
        found = find_dates(text, self.year)
        starts = [d.start for d in found if d.start]
        deadlines = {}
        for d in sorted(found, key=lambda d: d.deadline):
            deadlines.setdefault(d.deadline.isoformat(), d.what)
        dates: dict = {"start": min(starts).isoformat()} if starts else {}
        dates["deadlines"] = [{"date": day, "what": what} for day, what in deadlines.items()]
        return dates

    def _check(self, measure_id: str, number: str, content: Optional[str], units: List[str]) -> None:
        value = chinese_number(re.sub(r"[（）().、]", "", number))
        if self._last_number and value not in (self._last_number + 1, 1):
            self.flagged.append((measure_id, f"编号不连续：{number}排在第 {self._last_number} 条之后，请核对原文是否漏识别"))
        self._last_number = value
        if content is None:
            self.flagged.append((measure_id, "未找到责任单位括注，责任单位为空，请对照原文补充"))
        elif not units:
            self.flagged.append((measure_id, f"责任单位括注中没有识别出单位：{content}"))


def _split_number(paragraph: str) -> Tuple[str, str]:
    """（一） from (一) or （一）; 1. and 1、 as written."""
    paren = PAREN_ITEM.match(paragraph)
    if paren:
        return f"（{paren.group(1)}）", paragraph[paren.end():]
    arabic = ARABIC_ITEM.match(paragraph)
    return arabic.group(0), paragraph[arabic.end():]


def _title_and_text(body: str, heading: str) -> Tuple[str, str]:
    """Title: the sentence before the first 。 (or the whole heading line when it has none); text: the rest."""
    if heading.strip() and not re.search(r"[。！？]", heading) and len(heading) < len(body):
        return heading.strip(), body[len(heading):].strip()  # （一）全国医养结合示范县 + a paragraph below
    match = re.search(r"[。！？]", body)
    if not match:
        return body.strip(), ""
    return body[:match.start()].strip(), body[match.end():].strip()


# ---------------------------------------------------------------- the plan


def _plan_info(paragraphs: List[str], plan: str, title: Optional[str], doc_number: Optional[str],
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


def _document_year(plan_info: dict) -> Optional[int]:
    """The year that 6月底前 refers to: the 文号's year, else the date of issue."""
    match = re.search(r"〔(\d{4})〕", plan_info.get("doc_number", ""))
    if match:
        return int(match.group(1))
    issued = plan_info.get("issued")
    return int(issued[:4]) if issued else None


# ---------------------------------------------------------------- writing
