"""Unit names inside a clause: 、-lists with a shared place prefix, nested brackets, 等 tails, fragments.

省卫健委、民政厅 → 省卫健委, 省民政厅; 各县（市）人民政府〈含高新区管委会，下同〉 is one unit whose remark
goes; 省财政厅等有关部门和单位 ends at 等. A name that reads like part of a sentence (列第一位者为牵头单位)
is a fragment: it is never a unit, and the measure is marked for review.
"""

from __future__ import annotations

import re
from typing import Iterable, List

OPENERS, CLOSERS = "（(〔[【〈《「", "）)〕]】〉》」"
SHARED_PREFIXES = ("省", "市", "县", "区", "州")
_NOT_A_PREFIX = ("市场", "市监", "区域", "县域", "省级", "市级", "县级", "区级", "州级", "省直", "市直", "县直", "区直")
# Units that carry their own place or are proper names never take a shared prefix.
_PROPER_START = ("团", "人行", "人民银行", "驻", "中国", "中华", "共青团", "全国", "国家", "国务院", "国网", "各", "地方",
                 "中央", "中共", "有关", "相关", "其他", "其它", "某某", "省直", "市直", "县直", "区直")
# Vertically managed agencies carry their own place or none: 人民银行某某中心支行, 某某银保监局, 国网某某供电公司
_VERTICAL = re.compile(r"银保监|证监|金融监管总局|海关|人民银行|中心支行|分行|供电公司|电力公司|通信管理局|邮政管理局|气象局"
                       r"|国家税务总局|烟草|铁路局|民航|边检")
_PLACE_START = re.compile(
    r"^(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川"
    r"|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门|厦门|深圳|青岛|大连|宁波|平潭"
    r"|[\u4e00-\u9fff]{2,5}?(?:省|市|州|县|盟|自治区|综合实验区|新区|开发区|高新区))")
# A remark inside a unit: 〈含高新区管委会，下同〉, （含开发区）, （以下简称…）
_REMARK = re.compile(r"[（(〈《\[【]\s*(?:含|包括|包含|不含|以下|下同)[^）)〉》\]】]*[）)〉》\]】]")
# What follows 等 when the list ends in generic words: 等有关部门和单位, 等省直相关部门及各地
_GENERIC_TAIL = re.compile(
    r"等(?:省直|市直|县直|区直|各级|其他|其它|有关|相关|部门|单位|及|和|与|、|各地|各市|各县|各区|成员|职能|涉及|机构|地方"
    r"|各有关|负责|的)*$")
# Words of a sentence, never of a unit name.
FRAGMENT_WORDS = re.compile(r"牵头|负责|落实|配合|下同|不再|列出|按职责|分工|第一位|首位|以下|均需|为准|确保|做好|完成"
                            r"|年底|月底|季度|[：:。？！]|\d")
_UNIT_END = re.compile(
    r"(?:局|厅|委|办|部|院|会|府|处|室|司|行|署|中心|公司|集团|团|联|所|站|校|队|社|馆|台|单位|部门|各地|机构|街道|乡镇|镇|乡"
    r"|社区|村|组|企业|银行|海关|党委|党组|人大|政协|监委|纪委|区|县|市|省|州|盟|旗|园|场|军|部队|总队|支队|大队|医院"
    r"|大学|学院|学校|协会|商会|学会|基地|平台|运营商|保险机构|媒体|电视台|报社|各地区|各部门|人民政府|管委会|中央|总局|协|联社)$")


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


def clean_name(name: str) -> str:
    """A unit name without its remark, its 等 tail and stray punctuation."""
    name = _REMARK.sub("", name.strip())
    name = re.sub(r"^(?:由|请|及|和|与|以及|会同)", "", name)
    name = _GENERIC_TAIL.sub("", name)
    return name.strip(" ，,、；;。")


def distribute(chunk: str) -> List[str]:
    """The units of a 、-list, a shared prefix carried onto the bare names after it: 省卫健委、民政厅 →
    省卫健委, 省民政厅. Names with their own place (福建银保监局) or proper names (团省委) stay as written."""
    chunk = _GENERIC_TAIL.sub("", _REMARK.sub("", chunk.strip()))
    chunk = re.sub(r"^(?:由|请)", "", chunk)
    names, prefix = [], ""
    for written in _merge_bare_places(split_top(chunk, "、")):
        written = clean_name(written)
        if not written:
            continue
        own = own_prefix(written)
        if own:
            prefix = own
        names.append(prefix + written if prefix and not own and not is_proper(written) else written)
    return names


def _merge_bare_places(tokens: List[str]) -> List[str]:
    """各市、县（区）人民政府: a token that is only 各市 / 市 belongs with the next place-led one."""
    merged: List[str] = []
    for token in tokens:
        if merged and re.fullmatch(r"各?[省市县区乡镇]", merged[-1]) and re.match(r"[市县区乡镇街]", token) \
                and not token.startswith(_NOT_A_PREFIX):
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
    return name.startswith(_PROPER_START) or bool(_PLACE_START.match(name)) or bool(_VERTICAL.search(name))


def is_fragment(name: str) -> bool:
    """Words of a sentence rather than a unit: 列第一位者为牵头单位, 不再单独列出, a whole clause."""
    return len(name) < 2 or len(name) > 30 or bool(FRAGMENT_WORDS.search(name))


def is_unusual(name: str) -> bool:
    """A name that does not end the way unit names do (局、委、人民政府 …): kept, but worth a look."""
    bare = re.sub(r"[（(〈][^）)〉]*[）)〉]$", "", name)
    return not _UNIT_END.search(bare)


def unique(names: Iterable[str]) -> List[str]:
    return list(dict.fromkeys(names))
