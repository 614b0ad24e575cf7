"""The tracking repository's files: where plans, measures and records live, and task files as model objects."""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path
from typing import Any, Iterator, List, Optional

from yytrack.errors import InvalidTaskFile
from yytrack.model import Deadline, Indicator, Measure, Observation, Plan, Unit
from yytrack.model.validate import SANE_FIRST_YEAR, SANE_LAST_YEAR
from yytrack.repo.yamlio import load_fast

TASKS = "tasks"
PROGRESS = "progress"
UNITS_FILE = "units.yaml"
CONFIG_FILE = "config.yaml"
PLAN_FILE = "plan.yaml"
REVIEW_FILE = "_review.yaml"


# ---------------------------------------------------------------- conversions


def to_date(value: Any, where: str = "") -> Optional[dt.date]:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError as e:
            raise InvalidTaskFile(f"{where}: 日期“{value}”格式不对，应为 YYYY-MM-DD") from e
    if not SANE_FIRST_YEAR <= day.year <= SANE_LAST_YEAR:
        raise InvalidTaskFile(f"{where}: 日期“{value}”超出合理范围（{SANE_FIRST_YEAR}—{SANE_LAST_YEAR} 年），"
                              "请运行 yytrack check 查看详情")
    return day


def _strings(value: Any) -> tuple:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"应为列表，收到“{value}”")
    return tuple(str(v) for v in value)


def _flag(value: Any, key: str) -> bool:
    """true/false only: in YAML 1.2 `no`, `off` and `否` are text, and bool("no") would be True."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise TypeError(f"{key} 应为 true 或 false，收到“{value}”")
    return value


def _mapping(data: Any, where: str) -> dict:
    if data is None:
        raise InvalidTaskFile(f"{where}:1: 文件是空的（或只有注释），顶层应为键值映射（key: value）")
    if not isinstance(data, dict):
        kind = {list: "列表", str: "文本", bool: "true/false", int: "整数", float: "数值"}.get(type(data), type(data).__name__)
        raise InvalidTaskFile(f"{where}:1: 顶层应为键值映射（key: value），而不是{kind}")
    return data


def unit_from_dict(d: dict, where: str) -> Unit:
    try:
        return Unit(
            name=str(d.get("name", "")),
            full_name=str(d.get("full_name") or ""),
            aliases=_strings(d.get("aliases")),
            level=str(d.get("level") or ""),
            members=_strings(d.get("members")),
            contact=str(d.get("contact") or ""),
            group=_flag(d.get("group"), "group"),
        )
    except (TypeError, ValueError) as e:
        raise InvalidTaskFile(f"{where}:1: 单位“{d.get('name', '')}”的字段类型不对（{e}），请运行 yytrack check 查看详情") from e


def plan_from_dict(d: dict, where: str) -> Plan:
    reporting = d.get("reporting") or {}
    try:
        return Plan(
            id=str(d.get("id", "")),
            title=str(d.get("title", "")),
            doc_number=str(d.get("doc_number") or ""),
            issuer=str(d.get("issuer") or ""),
            issued=to_date(d.get("issued"), where),
            parent=str(d.get("parent") or ""),
            supervisor=str(d.get("supervisor") or ""),
            due_day=int(reporting.get("due_day", 25)) if isinstance(reporting, dict) else 25,
            cycle=str(reporting.get("cycle", "monthly")) if isinstance(reporting, dict) else "monthly",
            note=str(d.get("note") or ""),
            tracking_start=to_date(d.get("tracking_start"), where),
        )
    except (TypeError, ValueError) as e:
        raise InvalidTaskFile(f"{where}:1: 字段类型不对（{e}），请运行 yytrack check 查看详情") from e


def _indicator(d: dict, where: str) -> Indicator:
    target = d.get("target")
    observations = tuple(
        Observation(date=to_date(o.get("date"), where), value=float(o["value"]), source=str(o.get("source") or ""))
        for o in (d.get("observations") or [])
    )
    return Indicator(
        name=str(d.get("name", "")),
        target=None if target is None else float(target),
        unit=str(d.get("unit") or ""),
        direction=str(d.get("direction") or ">="),
        deadline=to_date(d.get("deadline"), where),
        observations=tuple(sorted(observations, key=lambda o: o.date)),
    )


def measure_from_dict(d: dict, plan: str, where: str) -> Measure:
    try:
        return Measure(
            id=str(d["id"]).lower(),
            plan=plan,
            number=str(d.get("number", "")),
            seq=int(d.get("seq", 0)),
            title=str(d.get("title", "")),
            section=str(d.get("section") or ""),
            text=str(d.get("text") or ""),
            lead_units=_strings(d.get("lead_units")),
            cooperating_units=_strings(d.get("cooperating_units")),
            implied_units=_strings(d.get("implied_units")),
            lead_inferred=_flag(d.get("lead_inferred"), "lead_inferred"),
            start=to_date(d.get("start"), where),
            deadlines=tuple(
                Deadline(date=to_date(x.get("date"), where), what=str(x.get("what") or ""))
                for x in (d.get("deadlines") or [])
            ),
            indicators=tuple(_indicator(x, where) for x in (d.get("indicators") or [])),
            implements=tuple(s.lower() for s in _strings(d.get("implements"))),
            leaders=_strings(d.get("leaders")),
            ongoing=_flag(d.get("ongoing"), "ongoing"),
            review=_flag(d.get("review"), "review"),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise InvalidTaskFile(f"{where}:1: 字段缺失或类型不对（{e}），请运行 yytrack check 查看详情") from e


# ---------------------------------------------------------------- the tasks/ tree


def plan_dirs(root: Path) -> List[Path]:
    tasks = root / TASKS
    if not tasks.is_dir():
        return []
    return sorted(p for p in tasks.iterdir() if (p / PLAN_FILE).is_file())


def measure_files(plan_dir: Path) -> List[Path]:
    return sorted(p for p in plan_dir.glob("*.yaml") if p.name != PLAN_FILE)


def plan_folder(root: Path, key: str) -> Optional[Path]:
    """tasks/<key>/ when it is a plan folder; None for anything that is not a plain folder name."""
    folder = root / TASKS / key
    try:
        plain = key and not key.startswith(".") and not {"/", "\\", "\0"} & set(key)
        return folder if plain and (folder / PLAN_FILE).is_file() else None
    except (OSError, ValueError):
        return None


def record_names(folder: Path) -> List[str]:
    """The record files of a measure's progress folder, sorted ([] when there is none). scandir, not glob:
    `status` asks this for every measure."""
    try:
        names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".yaml"))
    except OSError:
        return []
    return [n for n in names if n != REVIEW_FILE]


def read_plan(plan_dir: Path, load=load_fast) -> Plan:
    path = plan_dir / PLAN_FILE
    return plan_from_dict(_mapping(load(path), str(path)), str(path))


def read_measures(plan_dir: Path, plan_id: str, load=load_fast) -> Iterator[Measure]:
    for path in measure_files(plan_dir):
        yield measure_from_dict(_mapping(load(path), str(path)), plan_id, str(path))


def read_units(root: Path, load=load_fast) -> List[Unit]:
    path = root / TASKS / UNITS_FILE
    if not path.is_file():
        return []
    data = _mapping(load(path), str(path))
    listed = data.get("units") or []
    if not isinstance(listed, list):
        raise InvalidTaskFile(f"{path}:1: units 应为单位列表（每项以 - name: 开头），请运行 yytrack check 查看详情")
    return [unit_from_dict(u, str(path)) for u in listed if isinstance(u, dict)]


def read_config(root: Path, load=load_fast) -> dict:
    path = root / TASKS / CONFIG_FILE
    if not path.is_file():
        return {}
    return config_shape(_mapping(load(path) or {}, str(path)), str(path))


def _texts(value) -> bool:
    return isinstance(value, list) and all(isinstance(u, str) for u in value)


def _person_ok(value) -> bool:
    """A people entry: a unit, a list of units, or {units, login, keys}."""
    if isinstance(value, dict):
        return (set(value) <= {"units", "login", "keys"} and _texts(value.get("units", []))
                and isinstance(value.get("login", ""), str) and _texts(value.get("keys", [])))
    return isinstance(value, str) or _texts(value)


def config_shape(data: dict, where: str) -> dict:
    """The parts of config.yaml that commands rely on, checked for shape so a typo is one clear line."""
    def wrong(key: str, expected: str) -> InvalidTaskFile:
        return InvalidTaskFile(f"{where}:1: {key} 应为{expected}，请按注释修改后运行 yytrack check")

    supervisor = data.get("supervisor")
    if supervisor is not None and not isinstance(supervisor, dict):
        raise wrong("supervisor", "键值映射（office: 处室名称、reviewers: [邮箱]）")
    reviewers = (supervisor or {}).get("reviewers")
    if reviewers is not None and not isinstance(reviewers, list):
        raise wrong("supervisor.reviewers", "邮箱列表，如 [sun@example.cn]")
    admins = (supervisor or {}).get("admins")
    if admins is not None and not isinstance(admins, list):
        raise wrong("supervisor.admins", "邮箱列表，如 [zhou@example.cn]")
    people = data.get("people")
    if people is not None and (not isinstance(people, dict) or not all(_person_ok(v) for v in people.values())):
        raise wrong("people", "“邮箱: [单位, …]”或“邮箱: {units: [单位], login: 登录名, keys: [公钥]}”的映射")
    evidence = data.get("evidence")
    if evidence is not None and not isinstance(evidence, dict):
        raise wrong("evidence", "键值映射（max_mb: 数值）")
    limit = (evidence or {}).get("max_mb")
    if not _positive(limit):
        raise wrong("evidence.max_mb", "大于 0 的数值（MB）")
    forms = data.get("forms")
    if forms is not None and not isinstance(forms, dict):
        raise wrong("forms", "键值映射（max_file_mb、max_unpacked_mb、max_rows）")
    for key in ("max_file_mb", "max_unpacked_mb", "max_rows"):
        if not _positive((forms or {}).get(key)):
            raise wrong(f"forms.{key}", "大于 0 的数值")
    return data


def _positive(value: Any) -> bool:
    """None (not set) or a finite number above 0."""
    return value is None or (not isinstance(value, bool) and isinstance(value, (int, float))
                             and math.isfinite(value) and value > 0)
