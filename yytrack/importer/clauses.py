"""What a measure's text commits to: the responsibility clause (who), and the rules a document states
about clauses (列第一位者为牵头单位，下同; 以下…均需…落实，不再单独列出).

Clause forms: 〔责任单位：省卫健委、民政厅牵头，省发改委、财政厅按职责分工落实〕, （责任单位：县卫健局、医保局）
(no lead marked), （国家卫生健康委、工业和信息化部等按职责分工负责）, label lines of many spellings
(牵头单位 / 牵头责任单位 / 主要协作单位 / 配合部门 / 协办单位 / 部门分工：X牵头，Y配合), person lines
(分管省领导：张三, 责任领导) recorded apart from units, and A牵头，B、C配合.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from yytrack.importer.units import (CLOSERS, OPENERS, distribute, is_fragment, is_proper, is_unusual, own_prefix,
                                    split_top, unique)

__all__ = ["CLAUSE_LABEL", "ClauseUnits", "distribute", "find_forward", "first_listed_leads", "is_proper",
           "own_prefix", "parse_clause", "split_clause", "split_top"]

UNIT_LABEL = (r"(?:主要|具体|其他)?(?:牵头|主责|主办|责任|配合|协办|协作|参与|参加|协同|承办|落实|实施|督办)(?:责任)?"
              r"(?:单位|部门)|(?:部门|责任|任务)分工")
PERSON_LABEL = r"(?:分管|责任|牵头|联系|包保|督导|挂钩)(?:负责)?(?:省|市|县|区|州)?(?:领导|负责人|责任人)|责任人|负责领导"
CLAUSE_LABEL = re.compile(rf"^({UNIT_LABEL}|{PERSON_LABEL})[：:]")
_ANY_LABEL = re.compile(rf"({UNIT_LABEL}|{PERSON_LABEL})[：:]")
_UNIT_LABEL_AT = re.compile(rf"(?:{UNIT_LABEL})[：:]")
_TIMING_LABEL = re.compile(r"^(?:完成时限|完成时间|时间节点|时限要求|完成期限|进度安排)[：:]")
_DATED = re.compile(r"\d{4}年|\d{1,2}月(?:底|末|前|份)|季度|年底|长期坚持|持续推进")
_NAME_ROLE = re.compile(r"[（(〔](?:牵头(?:单位|部门)?|主责|配合|协办|参与)[）)〕]$")
_OTHER_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,8}[：:]")
_ROLE_MARKER = re.compile(
    r"(?:等)?(按职责分工(?:落实|负责)?|按职责(?:落实|负责)|牵头负责|牵头落实|牵头|负责落实|共同负责|分别负责|配合落实|配合|参与"
    r"|协办|协助|负责|落实)$")
# 列第一位者为牵头单位 / 排在第一位的为牵头单位 / 排名第一的单位为牵头单位 / 首位为牵头单位
_FIRST_LEADS = re.compile(r"(?:列|排|位|名)[^，。；;、]{0,4}(?:第一|首)[^，。；;]{0,8}(?:为|是)?牵头|第一个?单位为牵头|首位[^，。；;]{0,4}牵头")
_RULE_PART = re.compile(rf"[^，。；;]*(?:{_FIRST_LEADS.pattern})[^，。；;]*|下同")
_FORWARD = (  # clauses that assign units to every following measure
    re.compile(r"以下(?:各项|所有|措施|任务|工作|各项任务|各项工作|各项措施)?(?:均|都)?(?:需|须|要|由)(.+?)(?:负责|认真|抓好|组织)?"
               r"(?:贯彻)?(?:落实|实施|推进)[，,]?(?:不再|不)(?:单独|一一|重复)?(?:列出|列举|重复|标注|列明)"),
    re.compile(r"(?:具体任务)?均涉及(.+?)[，,]不再(?:做|作)分工"),
)


@dataclass(frozen=True)
class ClauseUnits:
    lead: Tuple[str, ...] = ()
    """Units marked 牵头, or the first listed when no lead is marked."""
    cooperating: Tuple[str, ...] = ()
    """The rest of the listed units."""
    lead_inferred: bool = False
    """True when nothing is marked 牵头 and the first-listed unit is taken as lead by convention only
    (False when the document states the rule: 列第一位者为牵头单位)."""
    forward: Tuple[str, ...] = ()
    """Units the clause makes responsible for every following measure (以下均需…落实，不再列出)."""
    forward_text: str = ""
    """The sentence that says so, for the plan's note."""
    leaders: Tuple[str, ...] = ()
    """Persons named on 分管省领导 / 责任领导 lines: recorded, never units."""
    unread: Tuple[str, ...] = ()
    """Parts of the clause not understood (an unknown label, words that are no unit): for a person to read."""
    timing: Tuple[str, ...] = ()
    """完成时限：… parts written inside the clause."""


# ---------------------------------------------------------------- finding the clause


def _matching_opener(text: str) -> Optional[int]:
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += (text[i] in CLOSERS) - (text[i] in OPENERS)
        if depth == 0:
            return i
    return None


def looks_like_clause(content: str, bare_list: bool = False) -> bool:
    """Clause words (牵头, 按职责分工负责, a label), or — with bare_list, after a full stop — only unit names."""
    if CLAUSE_LABEL.match(content) or _FIRST_LEADS.search(content):
        return True
    first = content.split("。")[0]
    if re.search(r"按职责|(?:牵头|配合|协办)(?:负责|落实)?(?:[，,；;]|$)|负责(?:落实)?$|落实$", first):
        return True
    return bare_list and is_unit_list(content)


def is_unit_list(content: str) -> bool:
    """（县委督查室、县政府督查室）: a bracket holding nothing but unit names is a clause without a label."""
    if len(content) > 150 or re.search(r"[。：:；;]|\d", content):
        return False
    names = [n for chunk in split_top(content, "，,") for n in distribute(chunk)]
    return bool(names) and all(not is_fragment(n) and not is_unusual(n) and len(n) >= 3 for n in names)


def split_clause(text: str) -> Tuple[str, Optional[str]]:
    """(text without its trailing clause, the clause's content) — or (text, None).

    The clause is bracketed at the end (…。（省财政厅牵头）), or labelled after the last sentence
    (…。责任单位：省财政厅、省发改委。), or a last sentence made only of units and their roles
    (…。省商务厅牵头，省财政厅配合。)."""
    for finder in (_bracketed, _labelled, _sentence):
        body, content = finder(text)
        if content is not None:
            return body, content
    return text, None


def _bracketed(text: str) -> Tuple[str, Optional[str]]:
    stripped = text.rstrip("。；; ")
    if not stripped or stripped[-1] not in CLOSERS:
        return text, None
    start = _matching_opener(stripped)
    if start is None:
        return text, None
    content = stripped[start + 1:-1].strip()
    if not looks_like_clause(content, stripped[:start].rstrip().endswith(("。", "；", "！"))):
        return text, None
    return stripped[:start].rstrip(), content


def _labelled(text: str) -> Tuple[str, Optional[str]]:
    for match in _UNIT_LABEL_AT.finditer(text):
        if match.start() > 0 and text[match.start() - 1] in "。；;" and len(text) - match.start() <= 300:
            return text[:match.start()].rstrip(), text[match.start():].strip().rstrip("。；; ")
    return text, None


def _sentence(text: str) -> Tuple[str, Optional[str]]:
    """The shortest tail of the last sentence, from a comma on, made only of units and their roles."""
    stripped = text.rstrip("。；; ")
    cut = max(stripped.rfind("。"), stripped.rfind("；"))
    last = stripped[cut + 1:].strip()
    chunks = split_top(last, "，,")
    if cut < 0 or not last or len(last) > 200 or not _ROLE_MARKER.search(chunks[-1]):
        return text, None
    for k in range(len(chunks)):
        tail = "，".join(chunks[k:])
        if _only_units(tail):
            head = "，".join(chunks[:k])
            return stripped[:cut + 1] + (head + "。" if head else ""), tail
    return text, None


def _only_units(tail: str) -> bool:
    parsed = parse_clause(tail)
    units = parsed.lead + parsed.cooperating
    return bool(units) and not parsed.unread and not any(is_unusual(u) or len(u) < 3 for u in units)


def first_listed_leads(text: str) -> bool:
    """The document states that the first-listed unit leads (列第一位者为牵头单位)."""
    return bool(_FIRST_LEADS.search(text))


# ---------------------------------------------------------------- reading the clause


def _parts(content: str) -> List[str]:
    """The clause cut into parts: at ；/。/line ends, and before each label written inline."""
    parts = []
    for part in split_top(content, "；;\n。"):
        starts = [m.start() for m in _ANY_LABEL.finditer(part) if m.start() > 0] + [len(part)]
        previous = 0
        for start in starts:
            if part[previous:start].strip(" ，,"):
                parts.append(part[previous:start].strip(" ，,"))
            previous = start
    return parts


def parse_clause(content: str, first_leads: bool = False) -> ClauseUnits:
    """Lead and cooperating units as written (shared prefixes distributed), persons, forward assignments."""
    listed: List[Tuple[str, str]] = []  # (role, name) in the order written; role lead / cooperating / listed
    forward, forward_text, leaders, unread, timing = [], [], [], [], []
    first_leads = first_leads or first_listed_leads(content)
    has_lead_label = bool(re.search(r"(?:牵头|主责|主办|主要责任)(?:责任)?(?:单位|部门)[：:]", content))
    for part in _parts(content):
        units, said = find_forward(part)
        if units:
            forward += units
            forward_text.append(said)
            continue
        part = _RULE_PART.sub("", part).strip(" ，,")
        if _TIMING_LABEL.match(part):
            timing.append(part)
            continue
        dated = [c for c in split_top(part, "，,") if _DATED.search(c)]  # …负责，2022年底前完成
        timing += dated
        part = "，".join(c for c in split_top(part, "，,") if c not in dated)
        if not part:
            continue
        person = re.match(rf"^(?:{PERSON_LABEL})[：:](.*)$", part)
        if person:
            names = [n for n in split_top(person.group(1), "、，,") if n]
            leaders += [n for n in names if len(n) <= 12 and not re.search(r"[：:]", n)]
            unread += [n for n in names if len(n) > 12 or re.search(r"[：:]", n)]
            continue
        roles, bad = _part_roles(part, has_lead_label)
        listed += roles
        unread += bad
    lead = [name for role, name in listed if role == "lead"]
    others = [name for role, name in listed if role != "lead"]
    inferred = not lead and bool(others)
    if inferred:
        lead, others = others[:1], others[1:]
    return ClauseUnits(tuple(unique(lead)), tuple(unique(n for n in others if n not in lead)),
                       inferred and not first_leads, tuple(unique(forward)), "。".join(forward_text),
                       tuple(unique(leaders)), tuple(unread), tuple(timing))


def find_forward(text: str) -> Tuple[List[str], str]:
    """(units, sentence) when the text assigns units to every following measure, else ([], '')."""
    for sentence in split_top(text, "。"):
        for pattern in _FORWARD:
            match = pattern.search(sentence)
            if match:
                return [name for chunk in split_top(match.group(1), "，,") for name in distribute(chunk)
                        if not is_fragment(name)], sentence
    return [], ""


def _part_roles(part: str, has_lead_label: bool) -> Tuple[List[Tuple[str, str]], List[str]]:
    """(role, name) pairs of one part, and what in it could not be read as units."""
    label = CLAUSE_LABEL.match(part)
    if not label and _OTHER_LABEL.match(part) and not _ROLE_MARKER.search(part.split("，")[0]):
        return [], [part]  # 督查组：… — a label this reader does not know
    body = part[label.end():] if label else part
    label_role = _label_role(label.group(1), has_lead_label) if label else ""
    roles, unread = [], []
    for role, chunk in _role_chunks(body):
        for name in distribute(chunk):
            given = label_role or role
            marked = _NAME_ROLE.search(name)  # 市发改委（牵头）
            if marked:
                name, given = name[:marked.start()].strip(), ("lead" if "牵头" in marked.group(0) else "cooperating")
            if is_fragment(name):
                unread.append(name)
            else:
                roles.append((given, name))
    return roles, unread


def _label_role(label: str, has_lead_label: bool) -> str:
    if re.search(r"牵头|主责|主办|主要责任", label):
        return "lead"
    if re.search(r"配合|协办|协作|参与|参加|协同|承办", label) or has_lead_label:
        return "cooperating"  # 配合单位, or 责任单位 beside a separate 牵头单位
    return ""  # 责任单位 / 部门分工 alone: the markers inside, or the first listed, decide


def _role_chunks(body: str) -> List[Tuple[str, str]]:
    """Comma-separated chunks with the role their marker gives (a marker covers the unmarked chunks before it)."""
    result, pending = [], []
    for chunk in split_top(body, "，,"):
        marker = _ROLE_MARKER.search(chunk)
        names = chunk[:marker.start()] if marker else chunk
        pending.append(names)
        if marker:
            role = "lead" if marker.group(1).startswith("牵头") else "cooperating"
            result += [(role, c) for c in pending if c]
            pending = []
    return result + [("listed", c) for c in pending if c]
