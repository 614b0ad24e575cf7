"""Policy text → a plan and its measures, in the shape of tasks/<plan>/*.yaml.

The text goes through normalize_text (PDF noise, punctuation), is cut into sections (一、) and measures
((一) or 1.), and each measure's responsibility clause, dates and targets are read by `clauses`.
The result is data only; write_import puts it on disk and the caller commits it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from yytrack.errors import UsageProblem
from yytrack.importer import clauses
from yytrack.importer.measures import Builder, read_draft
from yytrack.importer.planinfo import document_year, plan_info
from yytrack.importer.structure import Draft, collect
from yytrack.importer.tables import text_tables
from yytrack.importer.textnorm import decode_text, fix_punctuation, normalize_text
from yytrack.model import Unit

__all__ = ["ImportResult", "UnitResolver", "decode_text", "normalize_text", "parse_document"]

MEASURE_HEADER = "# yaml-language-server: $schema=../schema/measure.schema.json\n"
PLAN_HEADER = "# yaml-language-server: $schema=../schema/plan.schema.json\n"
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
    notices: List[str] = field(default_factory=list)
    """Document-level warnings: a responsibility clause that belongs to no measure, …"""
    review: Dict[str, str] = field(default_factory=dict)
    """measure id → why its reading is uncertain; written as `review: true` until a person clears it."""

    @property
    def warnings(self) -> List[dict]:
        """Every warning, for --json: {"measure": id or null, "message": …}."""
        return [{"measure": m, "message": text} for m, text in self.flagged] + \
            [{"measure": None, "message": text} for text in self.notices]


def parse_document(text: str, plan: str, registry: Sequence[Unit] = (), title: Optional[str] = None,
                   doc_number: Optional[str] = None, source: Optional[str] = None) -> ImportResult:
    """Read a policy document (text as extracted from PDF, Word or a web page) into a plan and its measures."""
    if not PLAN_ID.match(plan or ""):
        raise UsageProblem(f"方案 id“{plan}”不合适：只能用小写字母、数字和连字符，如 fujian")
    text = "\n".join(text_tables(text.replace("\r\n", "\n").split("\n")))  # | or tab tables copied as text
    paragraphs = [p for p in normalize_text(text).split("\n") if p]
    items = collect(paragraphs)
    drafts = [item for item in items if isinstance(item, Draft)]
    if not drafts:
        raise UsageProblem("没有识别出任何措施：正文中应有“（一）”或“1.”这样编号的条目")
    info = plan_info(paragraphs, plan, title, doc_number, source)
    first_leads = clauses.first_listed_leads("\n".join(paragraphs))
    read = [read_draft(d, first_leads) for d in drafts]
    resolver = UnitResolver(registry, _usual_prefix(r.clause for r in read if r.clause))
    builder = Builder(plan, resolver, document_year(info, paragraphs))
    builder.add_all(items, dict(zip(map(id, drafts), read)))
    if builder.notes:
        info["note"] = "；".join(dict.fromkeys(builder.notes))
    return ImportResult(info, builder.measures, builder.new_units, builder.flagged, builder.notices, builder.review)


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


