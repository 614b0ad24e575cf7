"""Deadlines and numeric targets stated in a measure's text."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import List, Optional, Tuple


@dataclass(frozen=True)
class DateFound:
    start: Optional[dt.date]
    """First day of a range (2025年8月—2025年9月 → 2025-08-01); None for a plain deadline."""
    deadline: dt.date
    """The last day by which the thing is due."""
    what: str
    """The words that say what is due."""


_YEAR_RANGE = re.compile(r"(\d{4})年?[—–\-－~～至到](\d{4})年(?!\d{1,2}月)")
_MONTH_RANGE = re.compile(r"(\d{4})年(\d{1,2})月[—–\-－~～至到]+(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?")
_DAY = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:前|之前|以前)")
_MONTH_END = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(?:底|末)")
_YEAR_END = re.compile(r"(\d{4})年(?:底|末|年底)")
_BY_YEAR = re.compile(r"(?:到|至|于|在)(\d{4})年(?!\d{1,2}月|底|末)")
_AS_OF = re.compile(r"(?:截至|截止|截止到)$")  # 截至2023年底 reports a value; it sets no deadline


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _date_of(kind: str, m: re.Match, year: Optional[int]) -> Optional[Tuple[Optional[dt.date], dt.date]]:
    g = m.groups()
    if kind == "year_range":
        return dt.date(int(g[0]), 1, 1), dt.date(int(g[1]), 12, 31)
    if kind == "month_range":
        end_year = int(g[2] or g[0])
        end = dt.date(end_year, int(g[3]), int(g[4])) if g[4] else _last_day(end_year, int(g[3]))
        return dt.date(int(g[0]), int(g[1]), 1), end
    if kind == "day":
        return None, dt.date(int(g[0]), int(g[1]), int(g[2]))
    if kind == "month_end":
        if not (g[0] or year):
            return None  # 6月底前 needs the document's year
        return None, _last_day(int(g[0] or year), int(g[1]))
    return None, dt.date(int(g[0]), 12, 31)  # year_end, by_year


_DATE_PATTERNS = (("year_range", _YEAR_RANGE), ("month_range", _MONTH_RANGE), ("day", _DAY),
                  ("month_end", _MONTH_END), ("year_end", _YEAR_END), ("by_year", _BY_YEAR))


def sentences(text: str) -> List[str]:
    return [s for s in re.split(r"(?<=[。！？])", text) if s.strip("。！？ ")]


def find_dates(text: str, year: Optional[int] = None) -> List[DateFound]:
    """Dates that commit the measure, in order: 到2022年, 2023年底前, 6月底前, 2025年8月—2025年9月 …
    长期坚持 / 持续推进 carry no date, so a recurring measure simply finds none."""
    found: List[DateFound] = []
    for sentence in sentences(text):
        taken: List[Tuple[int, int]] = []
        for kind, pattern in _DATE_PATTERNS:
            for m in pattern.finditer(sentence):
                if any(m.start() < e and s < m.end() for s, e in taken) or _AS_OF.search(sentence[:m.start()]):
                    continue
                try:
                    dates = _date_of(kind, m, year)
                except ValueError:  # 2月30日: a typo in the source; better no date than a wrong one
                    dates = None
                if dates:
                    taken.append(m.span())
                    found.append(DateFound(dates[0], dates[1], _what(sentence, m.start())))
    return found


def _what(sentence: str, at: int) -> str:
    """From the comma-chunk holding the date to the end of the sentence: 到2022年，在1个社区开展…试点."""
    cut = max(sentence.rfind(p, 0, at) for p in "，,：")
    what = sentence[cut + 1:] if cut >= 0 and "（" not in sentence[cut:at] else sentence
    return what.strip().rstrip("。；！？")


# ---------------------------------------------------------------- numeric targets

_TARGET = re.compile(
    r"(?P<verb>力争达到|达到|达|提高到|提高至|提升到|提升至|增加到|增至|超过|高于|不低于|不少于|低于|少于|不超过|不高于"
    r"|控制在|保持在|稳定在|增长|下降|降低|满)?(?<![\d.])(?P<num>\d+(?:\.\d+)?)"
    r"(?P<unit>%|个百分点|万元|亿元|元|万人|人次|人|家|个|所|张|年|天|项|名|床|户)?(?P<qual>及以上|以上|及以下|以下|以内|左右)?")
_DIRECTION = {"以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<=", "左右": "=",
              "超过": ">", "高于": ">", "低于": "<", "少于": "<", "不超过": "<=", "不高于": "<=", "控制在": "<="}
_LEAD_FILLER = re.compile(r"^(?:(?:力争|确保|到|至|在)?\d{4}年(?:底|末)?(?:前)?|其中|力争|确保|实现|使|推动|全面)+")
_TRAIL_FILLER = re.compile(r"(?:力争|均|要|应|将|可)+$")


def find_targets(text: str, year: Optional[int] = None) -> List[dict]:
    """Numeric targets as indicators {name, target, unit, direction[, deadline]}: 达到70%以上, 100%, 满5年及以上."""
    indicators = []
    for sentence in sentences(text):
        if re.match(r"(?:截至|截止)", sentence):
            continue  # 截至2023年底，签约率50.67%：measured values, not targets
        dates = find_dates(sentence, year)
        for chunk in re.split(r"[，,；;：:。！？]", sentence):
            if re.search(r"截至|截止", chunk):
                continue
            for m in _TARGET.finditer(chunk):
                if not (m["unit"] == "%" or m["verb"] or (m["qual"] and m["unit"])):
                    continue  # a bare number (1家, 30个工作日) is not a target
                indicator = {"name": _target_name(chunk, m), "target": _number(m["num"]), "unit": m["unit"] or "",
                             "direction": _DIRECTION.get(m["qual"] or "", _DIRECTION.get(m["verb"] or "", ">="))}
                if dates:
                    indicator["deadline"] = dates[-1].deadline.isoformat()
                indicators.append(indicator)
    return indicators


def _target_name(chunk: str, m: re.Match) -> str:
    before = _TRAIL_FILLER.sub("", _LEAD_FILLER.sub("", chunk[:m.start()]))
    after = chunk[m.end():]
    if m["verb"] in ("增长", "下降", "降低"):
        before += m["verb"]  # 地区生产总值增长 6.2%: the change is what is measured
    name = before + after if len(after) >= 2 else before
    return name or chunk


def _number(text: str):
    value = float(text)
    return int(value) if value.is_integer() else value
