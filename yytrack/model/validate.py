"""Rules an update must meet before anything is written: pure functions over the model, no I/O."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import List, Optional, Sequence, Tuple

from yytrack.errors import UsageProblem
from yytrack.model.entities import STATUS_LABELS, Measure, Update, chinese_number
from yytrack.model.text import strip_controls

MAX_NOTE_CHARS = 4000


def clean_note(note: str) -> str:
    """Drop control characters (keep line breaks), refuse what git cannot store."""
    text = (note or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_NOTE_CHARS:
        raise UsageProblem(f"说明过长（{len(text)} 字），请控制在 {MAX_NOTE_CHARS} 字以内，详细材料可作为 --evidence 附上")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise UsageProblem("说明中含有无法保存的字符（不成对的代理字符），请重新输入") from e
    kept = [ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")]
    return strip_controls("".join(kept))  # and the bidi overrides, which read text backwards


def validate_progress(progress: Optional[int]) -> Optional[int]:
    if progress is None:
        return None
    if not 0 <= progress <= 100:
        raise UsageProblem(f"进度 {progress} 超出范围，应为 0 到 100 之间的整数")
    return progress


FIRST_YEAR, LAST_YEAR = 2000, 2100  # what --month, --as-of, --date and the like may name
SANE_FIRST_YEAR, SANE_LAST_YEAR = 1900, 2100  # any date in a file outside this is a typo (0001, 9999)


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def earliest_update(issued: Optional[dt.date]) -> dt.date:
    """Updates may not predate the plan: 1 January of the year before it was issued (2000 when unknown)."""
    return dt.date(max(issued.year - 1, SANE_FIRST_YEAR), 1, 1) if issued else dt.date(FIRST_YEAR, 1, 1)


def validate_date(day: Optional[dt.date], earliest: Optional[dt.date] = None) -> dt.date:
    today = dt.date.today()
    if day is None:
        return today
    if day > today:
        raise UsageProblem(f"日期 {day} 在今天（{today}）之后；进展只能报送已经发生的情况")
    floor = earliest or dt.date(FIRST_YEAR, 1, 1)
    if day < floor:
        raise UsageProblem(f"日期 {day} 早于 {floor}（方案印发的前一年）；请检查年份")
    return day


def parse_indicators(measure: Measure, pairs: Sequence[str]) -> Tuple[Tuple[str, float], ...]:
    known = {i.name for i in measure.indicators}
    out: List[Tuple[str, float]] = []
    for pair in pairs:
        name, sep, value = (pair or "").partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageProblem(f"指标“{pair}”格式不对，应为 名称=数值")
        if known and name not in known:
            raise UsageProblem(f"{measure.id} 没有指标“{name}”；可用指标：{'、'.join(sorted(known))}")
        try:
            number = float(value.strip().rstrip("%"))
        except ValueError as e:
            raise UsageProblem(f"指标“{name}”的值“{value}”不是数字") from e
        if not math.isfinite(number):  # nan and inf parse as floats but are no measurement
            raise UsageProblem(f"指标“{name}”的值“{value}”不是数字")
        out.append((name, number))
    return tuple(out)


def subject_for(update: Update) -> str:
    progress = f" {update.progress}%" if update.progress is not None else ""
    return f"进展 {update.measure} {update.unit}：{STATUS_LABELS[update.status]}{progress}"


def parse_day(text: str, what: str = "日期", bounded: bool = True) -> dt.date:
    """Strict YYYY-MM-DD; anything else is a usage problem with one clear line. bounded: the year between
    2000 and 2100 (an update's --date is checked against its plan and today instead)."""
    value = (text or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise UsageProblem(f"{what}“{text}”格式不对，应为 YYYY-MM-DD，例如 2026-11-20")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as e:
        raise UsageProblem(f"{what}“{text}”不是有效日期") from e
    if bounded and not year_in_range(day.year):
        raise UsageProblem(f"{what}“{text}”超出范围，年份应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间")
    return day


def measure_key(raw: str) -> str:
    """The id a user's spelling names: fujian-03, FUJIAN-3, fujian（三） and fujian(三) are all fujian-03."""
    key = (raw or "").strip().lower().replace("（", "(").replace("）", ")")
    match = re.fullmatch(r"(.+?)(?:-(\d{1,3})|\((\S+?)\))", key)
    if match:
        plan, digits, chinese = match.groups()
        seq = int(digits) if digits else chinese_number(chinese) or None
        if seq is not None:
            key = f"{plan}-{seq:02d}"
    return key
