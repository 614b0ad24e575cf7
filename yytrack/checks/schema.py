"""Field-by-field checks of each file against its JSON Schema, with the line of every problem.

The schemas that editors use while people type (tasks/schema/*.json, shipped with yytrack) are the one
description of the hand-edited files; this is a small interpreter for the part of JSON Schema they use.
Progress and review records are written by yytrack itself, so their schemas are built here from the
model's vocabulary. Unknown keys are warnings: the loaders ignore them, so nothing breaks, but a
misspelt key usually means a value that was meant to count does not.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
from typing import Any, List, Optional

from yytrack.model.validate import SANE_FIRST_YEAR, SANE_LAST_YEAR
from yytrack.repo.bundled import data_dir
from yytrack.checks.framework import Head, Report, Tree, line_of
from yytrack.model import STATUS_LABELS

DATE_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MAX_DEPTH = 20  # round-trip YAML may build self-referencing structures (&a [*a]); never follow them far
TYPE_LABELS = {
    "string": "文本", "integer": "整数", "number": "数值", "boolean": "true/false",
    "array": "列表", "object": "键值映射", "null": "空值",
}

_DATE = {"type": "string", "format": "date"}
_TEXT = {"type": "string"}
_STATUS = {"enum": list(STATUS_LABELS), "description": "状态"}
_PROGRESS = {"type": ["integer", "null"], "minimum": 0, "maximum": 100}
_CURRENT = {
    "type": "object", "required": ["status"], "additionalProperties": False,
    "properties": {"status": _STATUS, "progress": _PROGRESS, "date": _DATE, "note": _TEXT},
}
_UPDATE = {
    "type": "object", "required": ["date", "status"], "additionalProperties": False,
    "properties": {
        "date": _DATE, "recorded": _TEXT, "author": _TEXT, "status": _STATUS, "progress": _PROGRESS,
        "note": _TEXT, "evidence": {"type": "array", "items": _TEXT},
        "indicators": {"type": "object", "additionalProperties": {"type": "number"}},
        "on_behalf": {"type": "boolean"}, "source": _TEXT,
    },
}
RECORD_SCHEMA = {
    "type": "object", "required": ["measure", "unit"], "additionalProperties": False,
    "properties": {"format": {"enum": [2]}, "measure": _TEXT, "unit": _TEXT, "current": _CURRENT,
                   "updates": {"type": "array", "items": _UPDATE}},
}
REVIEW_SCHEMA = {
    "type": "object", "required": ["measure"], "additionalProperties": False,
    "properties": {"measure": _TEXT, "reviews": {"type": "array", "items": {
        "type": "object", "required": ["date", "decision"], "additionalProperties": False,
        "properties": {"date": _DATE, "recorded": _TEXT, "author": _TEXT, "note": _TEXT,
                       "decision": {"enum": ["accept", "reject"], "description": "审核结论"}},
    }}},
}


@functools.lru_cache(maxsize=None)
def file_schema(kind: str) -> dict:
    """The shipped JSON Schema of measure, plan, units or config files."""
    path = data_dir("tasks") / "schema" / f"{kind}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def check_schemas(tree: Tree, report: Report) -> None:
    """Validate every parsed file against the schema of its kind."""
    jobs = [("units", tree.units), ("config", tree.config)]
    jobs += [("plan", doc) for doc in tree.plans.values()]
    jobs += [("measure", doc) for _, doc in tree.measures]
    for kind, doc in jobs:
        if doc is None or doc.data is None:
            continue
        try:
            schema = file_schema(kind)
        except (OSError, ValueError) as e:
            report.error(doc.path, 1, f"无法读取 yytrack 自带的 {kind}.schema.json（{e}），字段未检查")
            continue
        Validator(doc.path, report).check(doc.data, schema, line_of(doc.data), "")
    for schema, docs in ((RECORD_SCHEMA, tree.records), (REVIEW_SCHEMA, tree.reviews)):
        for doc in docs:
            if doc.data is not None and not isinstance(doc.data, Head):  # Head: checked on loading
                Validator(doc.path, report).check(doc.data, schema, line_of(doc.data), "")


def date_problem(value: str) -> Optional[str]:
    """Why a date text is not a real YYYY-MM-DD date, or None when it is one."""
    if not DATE_PATTERN.match(value):
        return f"日期“{value}”格式不对，应写成带引号的 'YYYY-MM-DD'"
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return f"日期“{value}”不存在"
    if not SANE_FIRST_YEAR <= day.year <= SANE_LAST_YEAR:
        return f"日期“{value}”超出合理范围（{SANE_FIRST_YEAR}—{SANE_LAST_YEAR} 年）"
    return None


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    for kind, base in (("boolean", bool), ("integer", int), ("number", float), ("string", str),
                       ("array", list), ("object", dict)):
        if isinstance(value, base):
            return kind
    return type(value).__name__


def _type_fits(value: Any, wanted: Any) -> bool:
    allowed = wanted if isinstance(wanted, list) else [wanted]
    actual = json_type(value)
    return actual in allowed or (actual == "integer" and "number" in allowed)


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


class Validator:
    """Checks one file; `name` is the key a value sits under, used in messages."""

    def __init__(self, path: str, report: Report):
        self.path = path
        self.report = report

    def check(self, value: Any, schema: dict, line: int, name: str, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            return
        where = f"字段 {name} " if name else "顶层"
        if "enum" in schema:
            self._enum(value, schema, line, where)
        elif "type" in schema and not _type_fits(value, schema["type"]):
            self._wrong_type(value, schema, line, where)
        elif isinstance(value, dict):
            self._object(value, schema, depth)
        elif isinstance(value, list):
            self._array(value, schema, name, depth)
        elif isinstance(value, str):
            self._string(value, schema, line, where)
        elif json_type(value) in ("integer", "number"):
            self._number(value, schema, line, where)

    def _enum(self, value: Any, schema: dict, line: int, where: str) -> None:
        if value not in schema["enum"]:
            choices = "、".join(str(c) for c in schema["enum"])
            self.report.error(self.path, line, f"{where}的值“{_shown(value)}”无效，可选：{choices}")

    def _wrong_type(self, value: Any, schema: dict, line: int, where: str) -> None:
        wanted = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        label = "或".join(TYPE_LABELS.get(t, t) for t in wanted if t != "null")
        if schema.get("format") == "date":
            label = "带引号的日期文本 'YYYY-MM-DD'"
        actual = TYPE_LABELS.get(json_type(value), json_type(value))
        shown = "" if value is None or isinstance(value, (dict, list)) else f" {_shown(value)}"
        self.report.error(self.path, line, f"{where}应为{label}，实际是{actual}{shown}")

    def _object(self, value: dict, schema: dict, depth: int) -> None:
        properties = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                self.report.error(self.path, line_of(value), f"缺少必填字段 {key}")
            elif value[key] is None:
                self.report.error(self.path, line_of(value, key), f"必填字段 {key} 是空的")
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            line = line_of(value, key)
            if key in properties:
                if item is not None:  # an empty optional key means the same as a missing one
                    self.check(item, properties[key], line, str(key), depth + 1)
            elif isinstance(extra, dict):
                self.check(item, extra, line, str(key), depth + 1)
            elif extra is False:
                self._unknown_key(key, list(properties), line)

    def _unknown_key(self, key: Any, known: List[str], line: int) -> None:
        close = difflib.get_close_matches(str(key), known, n=1)
        hint = f"，是不是 {close[0]}？" if close else f"（可用字段：{'、'.join(known)}）"
        self.report.warning(self.path, line, f"未知字段 {key}，将被忽略{hint}")

    def _array(self, value: list, schema: dict, name: str, depth: int) -> None:
        items = schema.get("items")
        if not items:
            return
        for index, item in enumerate(value):
            self.check(item, items, line_of(value, index), f"{name} 的第{index + 1}项", depth + 1)

    def _string(self, value: str, schema: dict, line: int, where: str) -> None:
        if schema.get("format") == "date":
            problem = date_problem(value)
            if problem:
                self.report.error(self.path, line, f"{where}的{problem}")
        elif "pattern" in schema and not re.search(schema["pattern"], value):
            hint = schema.get("description", "")
            self.report.error(self.path, line, f"{where}的值“{_shown(value)}”格式不对" + (f"：{hint}" if hint else ""))
        elif len(value.strip()) < schema.get("minLength", 0):
            self.report.error(self.path, line, f"{where}不能为空")

    def _number(self, value: Any, schema: dict, line: int, where: str) -> None:
        low, high, above = schema.get("minimum"), schema.get("maximum"), schema.get("exclusiveMinimum")
        if low is not None and value < low:
            self.report.error(self.path, line, f"{where}的值 {value} 应不小于 {low}")
        elif high is not None and value > high:
            self.report.error(self.path, line, f"{where}的值 {value} 应不大于 {high}")
        elif above is not None and value <= above:
            self.report.error(self.path, line, f"{where}的值 {value} 应大于 {above}")
