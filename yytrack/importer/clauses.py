"""What a measure's text commits to: the responsibility clause (who), deadlines (when), targets (how much).

Clause forms: 〔责任单位：省卫健委、民政厅牵头，省发改委、财政厅按职责分工落实〕, （责任单位：县卫健局、医保局，驻丘保险机构）
(no lead marked), （国家卫生健康委、工业和信息化部等按职责分工负责）, 牵头单位：… / 责任单位：… lines, A牵头，B、C配合.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

OPENERS, CLOSERS = "（(〔[【", "）)〕]】"
CLAUSE_LABEL = re.compile(r"^(牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|协办单位|参与单位)[：:]")
_ROLE_MARKER = re.compile(
    r"(?:等)?(按职责分工(?:落实|负责)?|牵头负责|牵头|负责落实|共同负责|配合|参与|负责|落实)$")
_FORWARD = (  # clauses that assign units to every following measure
    re.compile(r"以下(?:均|各项任务均|任务均)?(?:需|由)(.+?)(?:负责)?落实[，,]?不再(?:列出|重复)"),
    re.compile(r"(?:具体任务)?均涉及(.+?)[，,]不再(?:做|作)分工"),
)
SHARED_PREFIXES = ("省", "市", "县", "区", "州")
_NOT_A_PREFIX = ("市场", "市监", "区域", "县域", "省级", "市级", "县级", "区级", "州级")
# Units that carry their own place or are proper names never take a shared prefix.
_PROPER_START = ("团", "人行", "驻", "中国", "中华", "共青团", "全国", "国家", "国务院", "各", "地方", "中央", "中共",
                 "有关", "相关", "其他")
_PLACE_START = re.compile(
    r"^(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川"
    r"|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门|厦门|深圳|青岛|大连|宁波|平潭"
    r"|[\u4e00-\u9fff]{2,5}?(?:省|市|州|县|盟|自治区|综合实验区|新区|开发区|高新区))")


@dataclass(frozen=True)
class ClauseUnits:
    lead: Tuple[str, ...] = ()
    """Units marked 牵头, or the first listed when lead_inferred."""
    cooperating: Tuple[str, ...] = ()
    """The rest of the listed units."""
    lead_inferred: bool = False
    """True when nothing is marked 牵头 and the first-listed unit is taken as lead (排在第一位的为牵头单位)."""
    forward: Tuple[str, ...] = ()
    """Units the clause makes responsible for every following measure (以下均需…落实，不再列出)."""
    forward_text: str = ""
    """The sentence that says so, for the plan's note."""


# ---------------------------------------------------------------- finding the clause


def split_top(text: str, separators: str) -> List[str]:
    """Split on separators that are not inside brackets: 各市、县（区）人民政府 keeps its inner 、."""
    parts, depth, current = [], 0, []
    for ch in text:
        depth += (ch in OPENERS) - (ch in CLOSERS)
        if ch in separators and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _matching_opener(text: str) -> Optional[int]:
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += (text[i] in CLOSERS) - (text[i] in OPENERS)
        if depth == 0:
            return i
    return None


def looks_like_clause(content: str) -> bool:
    if CLAUSE_LABEL.match(content):
        return True
    first = content.split("。")[0]
    return bool(re.search(r"按职责分工|(?:牵头|配合)(?:负责)?(?:[，,；;]|$)|负责(?:落实)?$", first))


def split_clause(text: str) -> Tuple[str, Optional[str]]:
    """(text without the trailing bracketed clause, the clause's content) — or (text, None)."""
    stripped = text.rstrip("。 ")
    if not stripped or stripped[-1] not in CLOSERS:
        return text, None
    start = _matching_opener(stripped)
    if start is None:
        return text, None
    content = stripped[start + 1:-1].strip()
    if not looks_like_clause(content):
        return text, None
    return stripped[:start].rstrip(), content


# ---------------------------------------------------------------- reading the clause


def parse_clause(content: str) -> ClauseUnits:
    """Lead and cooperating units as written (shared prefixes distributed), plus forward assignments."""
    listed: List[Tuple[str, str]] = []  # (role, name) in the order written; role lead / cooperating / listed
    forward: List[str] = []
    forward_text = []
    has_lead_label = bool(re.search(r"(牵头单位|牵头部门)[：:]", content))
    for sentence in split_top(content, "。"):
        units, said = find_forward(sentence)
        if units:
            forward += units
            forward_text.append(said)
            continue
        for part in split_top(sentence, "；;\n"):
            listed += _part_roles(part, has_lead_label)
    lead = [name for role, name in listed if role == "lead"]
    others = [name for role, name in listed if role != "lead"]
    inferred = not lead and bool(others)
    if inferred:
        lead, others = others[:1], others[1:]
    return ClauseUnits(tuple(_unique(lead)), tuple(_unique(n for n in others if n not in lead)), inferred,
                       tuple(_unique(forward)), "。".join(forward_text))


def find_forward(text: str) -> Tuple[List[str], str]:
    """(units, sentence) when the text assigns units to every following measure, else ([], '')."""
    for sentence in split_top(text, "。"):
        for pattern in _FORWARD:
            match = pattern.search(sentence)
            if match:
                return [name for chunk in split_top(match.group(1), "，,") for name in distribute(chunk)], sentence
    return [], ""


def _part_roles(part: str, has_lead_label: bool) -> List[Tuple[str, str]]:
    label = CLAUSE_LABEL.match(part)
    body = part[label.end():] if label else part
    label_role = ""
    if label and label.group(1).startswith("牵头"):
        label_role = "lead"
    elif label and (not label.group(1).startswith("责任") or has_lead_label):
        label_role = "cooperating"  # 配合单位, or 责任单位 beside a separate 牵头单位
    roles = []
    for role, chunk in _role_chunks(body):
        roles += [(label_role or role, name) for name in distribute(chunk)]
    return roles


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


def distribute(chunk: str) -> List[str]:
    """The units of a 、-list, a shared prefix carried onto the bare names after it: 省卫健委、民政厅 →
    省卫健委, 省民政厅. Names with their own place (福建银保监局) or proper names (团省委) stay as written."""
    chunk = re.sub(r"等$", "", re.sub(r"^(?:由|请)", "", chunk.strip()))
    names, prefix = [], ""
    for written in _merge_bare_places(split_top(chunk, "、")):
        own = own_prefix(written)
        if own:
            prefix = own
        names.append(prefix + written if prefix and not own and not is_proper(written) else written)
    return names


def _merge_bare_places(tokens: List[str]) -> List[str]:
    """各市、县（区）人民政府: a token that is only 各市 / 市 belongs with the next one."""
    merged: List[str] = []
    for token in tokens:
        if merged and re.fullmatch(r"各?[省市县区乡镇]", merged[-1]):
            merged[-1] += "、" + token
        else:
            merged.append(token)
    return merged


def own_prefix(name: str) -> str:
    """省 for 省民政厅; '' for 市场监管局 (市场 is not a place) and for proper names."""
    if name.startswith(_NOT_A_PREFIX):
        return ""
    return next((p for p in SHARED_PREFIXES if name.startswith(p) and len(name) > len(p)), "")


def is_proper(name: str) -> bool:
    return name.startswith(_PROPER_START) or bool(_PLACE_START.match(name))


def _unique(names: Iterable[str]) -> List[str]:
    return list(dict.fromkeys(names))


# ---------------------------------------------------------------- deadlines
