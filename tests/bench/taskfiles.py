"""tasks/ of the synthetic repository: units, config, one plan.yaml per plan and one file per measure."""

from __future__ import annotations

import datetime as dt
from typing import Dict, List

import synth

from yytrack.repo import yamlio

DIGITS = "零一二三四五六七八九"
SECTIONS = ["大力发展居家社区医养结合服务", "推动医养结合机构提质扩面", "强化服务监管", "完善支持政策"]


def chinese(n: int) -> str:
    """1 → 一, 12 → 十二, 30 → 三十 (1–99)."""
    tens, ones = divmod(n, 10)
    if not tens:
        return DIGITS[ones]
    return f"{DIGITS[tens] if tens > 1 else ''}十{DIGITS[ones] if ones else ''}"


def units_yaml(units: List[str]) -> str:
    rows = []
    for name in units:
        level = "province" if name.startswith("省") else "county"
        full = "福建" + name if name.startswith("省") else "福建省" + name
        rows.append({"name": name, "full_name": full, "level": level})
    return yamlio.dump_text({"units": rows})


def config_yaml() -> str:
    return yamlio.dump_text({"supervisor": {"office": "省卫健委老龄处", "reviewers": ["laoling@bench.example.cn"]},
                            "people": {}, "evidence": {"max_mb": 20}})


def plan_yaml(p: int, issued: dt.date) -> str:
    return yamlio.dump_text({
        "id": synth.plan_id(p), "title": f"关于进一步推进医养结合发展的实施方案（基准第{chinese(p + 1)}号）",
        "doc_number": f"闽卫老龄〔{issued.year}〕{101 + p}号", "issuer": "福建省卫生健康委员会等十一部门",
        "issued": issued.isoformat(), "supervisor": "省卫健委老龄处",
        "reporting": {"cycle": "monthly", "due_day": 25}})


def measure_yaml(layout: synth.Layout, m: int, units: List[str], today: dt.date) -> str:
    """Lead rotates over the units, every other unit cooperates; a third of the measures are recurring."""
    seq = m % layout.measures + 1
    section = (seq - 1) * len(SECTIONS) // layout.measures
    lead = units[m % len(units)]
    deadlines = [] if seq % 3 == 0 else [
        {"date": (today + dt.timedelta(days=seq * 40 - 300)).isoformat(), "what": f"完成第{chinese(seq)}项阶段任务"}]
    indicators = [] if seq % 4 else [{
        "name": f"第{chinese(seq)}项任务覆盖率", "target": 90, "unit": "%", "direction": ">=",
        "deadline": (today + dt.timedelta(days=365)).isoformat(),
        "observations": [{"date": today.isoformat(), "value": 60 + seq % 30, "source": "基准测试数据"}]}]
    return "# yaml-language-server: $schema=../schema/measure.schema.json\n" + yamlio.dump_text({
        "id": synth.measure_id(layout, m), "number": f"（{chinese(seq)}）", "seq": seq,
        "section": f"{chinese(section + 1)}、{SECTIONS[section]}", "title": f"{synth.OBJECTS[m % 12]}（第{seq}项）",
        "text": f"{synth.OBJECTS[m % 12]}（第{seq}项）。各责任单位按职责分工落实，按月报送进展。",
        "lead_units": [lead], "cooperating_units": [u for u in units if u != lead], "lead_inferred": False,
        "deadlines": deadlines, "indicators": indicators, "implements": []})


def task_files(layout: synth.Layout, units: List[str], issued: dt.date) -> Dict[str, str]:
    """Repository path → text. Deadlines are placed around the last month, so some are overdue."""
    year, month = layout.last_month
    today = dt.date(year, month, 28)
    out = {"tasks/units.yaml": units_yaml(units), "tasks/config.yaml": config_yaml()}
    for p in range(layout.plans):
        out[f"tasks/{synth.plan_id(p)}/plan.yaml"] = plan_yaml(p, issued)
        for seq in range(layout.measures):
            m = p * layout.measures + seq
            out[f"tasks/{synth.plan_id(p)}/{synth.measure_id(layout, m)}.yaml"] = measure_yaml(layout, m, units, today)
    return out
