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
_DAY_RANGE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?[—–\-－~～至到]+(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_MONTH_RANGE = re.compile(r"(\d{4})年(\d{1,2})月[—–\-－~～至到]+(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?")
_UNTIL_DAY = re.compile(r"(?<![截])(?:至|到)(\d{4})年(\d{1,2})月(\d{1,2})日")
_DAY = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:前|之前|以前)")
_TENDAYS = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(上旬|中旬|下旬)")
_MONTH_END = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(?:底|末|份?前|份?之前|以前|份?(?=完成|建成|出台|印发|实现|启动|上线))")
_QUARTER = re.compile(r"(?:(\d{4})年)?(?:第)?([一二三四1-4])季度")
_HALF = re.compile(r"(?:(\d{4})年|今年|本年度?)?(上半年|年中|下半年)|(?:今|本|(?<![\d年每一二三四五六七八九十两几多数]))(年)(?:底|末)")
_YEAR_END = re.compile(r"(\d{4})年(?:底|末|年底)")
_BY_YEAR = re.compile(r"(?:到|至|于|在)(\d{4})年(?!\d{1,2}月|底|末)")
# Only in a 完成时限 cell or line: a bare date, month or year is the deadline itself.
_PLAIN_DAY = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_PLAIN_MONTH = re.compile(r"(\d{4})年(\d{1,2})月(?!\d)")
_PLAIN_YEAR = re.compile(r"(\d{4})年(?!\d)")
_AS_OF = re.compile(r"(?:截至|截止|截止到)$")  # 截至2023年底 reports a value; it sets no deadline
ONGOING = re.compile(r"长期坚持|持续推进|长期推进|持续开展|长期开展|常态化|长期实施|持续实施|长期")
_QUARTER_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _date_of(kind: str, m: re.Match, year: Optional[int]) -> Optional[Tuple[Optional[dt.date], dt.date]]:
    """(start, deadline) for a match of one of the patterns; None when the year is unknown."""
    g = m.groups()
    if kind == "year_range":
        return dt.date(int(g[0]), 1, 1), dt.date(int(g[1]), 12, 31)
    if kind == "day_range":
        return dt.date(int(g[0]), int(g[1]), int(g[2])), dt.date(int(g[3] or g[0]), int(g[4]), int(g[5]))
    if kind == "month_range":
        end_year = int(g[2] or g[0])
        end = dt.date(end_year, int(g[3]), int(g[4])) if g[4] else _last_day(end_year, int(g[3]))
        return dt.date(int(g[0]), int(g[1]), 1), end
    if kind in ("day", "until_day", "plain_day"):
        return None, dt.date(int(g[0]), int(g[1]), int(g[2]))
    if kind in ("year_end", "by_year", "plain_year"):
        return None, dt.date(int(g[0]), 12, 31)
    if kind == "plain_month":
        return None, _last_day(int(g[0]), int(g[1]))
    if not (g[0] or year):
        return None  # 6月底前 needs the document's year
    return None, _relative(kind, g, int(g[0] or year))


def _relative(kind: str, g: tuple, year: int) -> dt.date:
    if kind == "tendays":
        day = {"上旬": 10, "中旬": 20}.get(g[2])
        return dt.date(year, int(g[1]), day) if day else _last_day(year, int(g[1]))
    if kind == "quarter":
        return _last_day(year, _QUARTER_NUMBER[g[1]] * 3)
    if kind == "half":
        return dt.date(year, 6, 30) if g[1] in ("上半年", "年中") else dt.date(year, 12, 31)  # 下半年, 今年底
    return _last_day(year, int(g[1]))  # month_end


_DATE_PATTERNS = (("year_range", _YEAR_RANGE), ("day_range", _DAY_RANGE), ("month_range", _MONTH_RANGE),
                  ("until_day", _UNTIL_DAY), ("day", _DAY), ("tendays", _TENDAYS), ("month_end", _MONTH_END),
                  ("quarter", _QUARTER), ("year_end", _YEAR_END), ("half", _HALF), ("by_year", _BY_YEAR))
_PLAIN_PATTERNS = (("plain_day", _PLAIN_DAY), ("plain_month", _PLAIN_MONTH), ("plain_year", _PLAIN_YEAR))


def sentences(text: str) -> List[str]:
    return [s for s in re.split(r"(?<=[。！？])", text) if s.strip("。！？ ")]


def find_dates(text: str, year: Optional[int] = None, timing: bool = False) -> List[DateFound]:
    """Dates that commit the measure, in order: 到2022年, 2023年底前, 6月底前, 2025年8月—2025年9月,
    2021年7月1日至12月31日, 三季度 … 长期坚持 / 持续推进 carry no date (see ONGOING).
    timing: the text is a 完成时限 cell or line, where a bare 2023年6月 is the deadline too."""
    found: List[DateFound] = []
    patterns = _DATE_PATTERNS + (_PLAIN_PATTERNS if timing else ())
    for sentence in sentences(text):
        taken: List[Tuple[int, int]] = []
        for kind, pattern in patterns:
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
