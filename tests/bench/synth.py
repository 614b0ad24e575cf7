"""The synthetic province: plans, measures, units and every update, as pure functions of the layout.

Nothing here is random at run time: update k of pair i is computed from (i, k) alone, so the tracking
repository and the peers' data files (Taskwarrior, hledger, TaskJuggler) describe exactly the same
history without holding it in memory, and two runs with the same options produce the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator, List, Tuple

from yytrack.model import Update

TZ = dt.timezone(dt.timedelta(hours=8))
DEPARTMENTS = ["省卫健委", "省民政厅", "省医保局", "省财政厅", "省人社厅", "省发改委", "省教育厅", "省住建厅",
               "省自然资源厅", "省市场监管局", "省中医药局", "省残联"]
COUNTY_SYLLABLES = "安福建宁清永平德化泰顺昌浦城松溪政和屏南古田尤溪沙明将乐光泽武夷连江罗源闽侯长乐晋江南"
SURNAMES = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许"
GIVEN = ["明", "芳", "磊", "静", "伟", "丽", "强", "敏", "军", "燕", "涛", "婷", "斌", "霞", "杰", "洁"]
ACTIONS = ["完成", "推进", "组织开展", "督促落实", "部署", "统筹推进", "持续开展", "牵头组织"]
OBJECTS = ["全省护理型床位摸底", "社区医养结合服务设施建设", "医养结合机构质量评估", "家庭病床服务扩面",
           "安宁疗护试点", "老年健康服务体系建设", "长期护理保险试点资金测算", "养老机构内设医疗站点备案",
           "基层医疗机构签约服务", "医养结合人才培训", "老年人健康管理", "智慧健康养老应用试点"]
RESULTS = ["新增护理型床位 {n} 张", "覆盖 {n} 个乡镇（街道）", "完成率 {p}%", "签约 {n} 家机构",
           "培训 {n} 人次", "发现问题 {n} 个，已整改 {m} 个", "下达补助资金 {n} 万元", "建成服务站点 {n} 个"]
OBSTACLES = ["资金尚未到位", "用地指标待批", "人员编制不足", "部门间数据未打通"]


@dataclass(frozen=True)
class Layout:
    """P plans × M measures × U units, one update per unit × measure × month, N updates in all."""

    updates: int
    plans: int = 1
    measures: int = 30
    units: int = 10
    last_month: Tuple[int, int] = (2026, 1)
    """(year, month) of the newest updates; every pair reports in it."""

    @property
    def pairs(self) -> int:
        return self.plans * self.measures * self.units

    @property
    def months(self) -> int:
        return -(-self.updates // self.pairs)

    def count(self, pair: int) -> int:
        """How many updates pair i has: the oldest month is partial when N is not a multiple."""
        full, extra = divmod(self.updates, self.pairs)
        return full + (1 if pair < extra else 0)

    def first_month_offset(self, pair: int) -> int:
        return self.months - self.count(pair)


def plan_id(p: int) -> str:
    return f"bench{p + 1:02d}"


def measure_id(layout: Layout, m: int) -> str:
    """m counts measures across plans: plan m // M, sequence m % M + 1."""
    return f"{plan_id(m // layout.measures)}-{m % layout.measures + 1:02d}"


def unit_names(count: int) -> List[str]:
    """Provincial departments first, then county governments with two-character names."""
    names = DEPARTMENTS[:count]
    n = len(COUNTY_SYLLABLES)
    i = 0
    while len(names) < count:
        a, b = divmod(i, n)
        if a != b and a < n:
            names.append(f"{COUNTY_SYLLABLES[a]}{COUNTY_SYLLABLES[b]}县人民政府")
        i += 1
    return names


def author_of(u: int) -> str:
    name = SURNAMES[u % len(SURNAMES)] + GIVEN[(u * 7) % len(GIVEN)]
    return f"{name} <u{u:03d}@bench.example.cn>"


def pair_of(layout: Layout, i: int) -> Tuple[int, int]:
    """(measure index, unit index) of pair i; units vary fastest so a measure's files sit together."""
    return divmod(i, layout.units)


def month_of(layout: Layout, i: int, k: int) -> Tuple[int, int]:
    year, month = layout.last_month
    back = layout.months - 1 - (layout.first_month_offset(i) + k)
    index = year * 12 + (month - 1) - back
    return index // 12, index % 12 + 1


def _mix(*values: int) -> int:
    """A small deterministic hash: the same (pair, month) always gets the same day, note and status."""
    h = 2166136261
    for v in values:
        h = ((h ^ (v & 0xFFFFFFFF)) * 16777619) & 0xFFFFFFFF
    return h


def note_for(h: int, status: str, progress: int) -> str:
    if status == "blocked":
        return f"因{OBSTACLES[h % len(OBSTACLES)]}，{OBJECTS[(h >> 4) % len(OBJECTS)]}进度暂缓，已报请协调。"
    result = RESULTS[(h >> 8) % len(RESULTS)].format(n=(h >> 12) % 900 + 12, m=(h >> 20) % 11 + 1, p=progress)
    text = f"{ACTIONS[h % len(ACTIONS)]}{OBJECTS[(h >> 4) % len(OBJECTS)]}，{result}。"
    if status == "done":
        text += "本阶段任务已全部完成，相关材料已归档。"
    return text


def _when(layout: Layout, i: int, k: int) -> Tuple[int, dt.datetime]:
    """(hash, recording moment) of update k of pair i: a day 1–22 of its month, during office hours."""
    year, month = month_of(layout, i, k)
    h = _mix(i, k, year, month)
    day = 1 + (_mix(i, 3) + k) % 22
    moment = dt.datetime(year, month, day, 8, 30, tzinfo=TZ) + dt.timedelta(minutes=h % 540, seconds=h % 60)
    return h, moment


def update_at(layout: Layout, units: List[str], i: int, k: int) -> Update:
    """Update k (0 = oldest) of pair i: a progress cycle of 12–48 months, with occasional blocks."""
    m, u = pair_of(layout, i)
    h, moment = _when(layout, i, k)
    cycle = 12 + _mix(i) % 37
    step = (k + _mix(i, 7) % cycle) % cycle
    progress = round(100 * step / (cycle - 1))
    if step == 0:
        status = "not_started"
    elif progress >= 100:
        status = "done"
    else:
        status = "blocked" if h % 29 == 0 else "in_progress"
    return Update(measure=measure_id(layout, m), unit=units[u], status=status, date=moment.date(),
                  progress=progress, note=note_for(h, status, progress), author=author_of(u),
                  recorded=moment.isoformat(timespec="milliseconds"))


def commit_order(layout: Layout) -> Iterator[Tuple[int, int]]:
    """(pair, k) of every update in recording order: month by month, by time within the month."""
    for offset in range(layout.months):
        month = []
        for i in range(layout.pairs):
            k = offset - layout.first_month_offset(i)
            if k >= 0:
                month.append((_when(layout, i, k)[1], i, k))
        month.sort()
        yield from ((i, k) for _, i, k in month)


def epoch(update: Update) -> int:
    return int(dt.datetime.fromisoformat(update.recorded).timestamp())
