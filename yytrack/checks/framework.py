"""`yytrack check`: every problem in the tracking files, one per line with its place, like bean-check.

Each file is loaded round-trip so that a problem can name the line it is on. Nothing here raises on
bad input: a file that cannot be read becomes a problem, and the other files are still checked.
The field-by-field rules are in checks.schema, the rules across files in checks.rules and checks.progress;
checks.runner runs them all.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from yytrack.repo import files, yamlio
from yytrack.errors import InvalidTaskFile

CONFLICT_MARKER = re.compile(r"^(<<<<<<<|>>>>>>>)( |$)", re.MULTILINE)
SEVERITY_LABELS = {"error": "错误", "warning": "警告"}
TOP_LEVEL_TYPES = {list: "列表", str: "文本", int: "整数", float: "数值", bool: "true/false"}


@dataclass(frozen=True)
class Problem:
    path: str
    """Path of the file, relative to the repository root, with forward slashes."""
    line: int
    """1-based line the problem is on (1 when it concerns the whole file)."""
    message: str
    """What is wrong and what to do, in Chinese."""
    severity: str = "error"
    """error (the data cannot be trusted) or warning (worth a look)."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {SEVERITY_LABELS.get(self.severity, self.severity)}：{self.message}"


class Report:
    """Collects the problems of one run."""

    def __init__(self) -> None:
        self.problems: List[Problem] = []

    def error(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, max(int(line), 1), message, "error"))

    def warning(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, max(int(line), 1), message, "warning"))


@dataclass
class Doc:
    path: str
    """Path relative to the root, as shown in problems."""
    data: Any
    """The round-trip mapping, or None when the file could not be read as one (already reported)."""


@dataclass
class Tree:
    """Every tracking file, parsed; what could not be parsed has data None."""

    root: Path
    units: Optional[Doc] = None
    config: Optional[Doc] = None
    plans: Dict[str, Doc] = field(default_factory=dict)
    """Plan folder name → its plan.yaml."""
    measures: List[Tuple[str, Doc]] = field(default_factory=list)
    """(plan folder name, measure file) pairs."""
    records: List[Doc] = field(default_factory=list)
    """progress/<plan>/<measure>/<unit>.yaml"""
    reviews: List[Doc] = field(default_factory=list)
    """progress/<plan>/<measure>/_review.yaml"""


# ---------------------------------------------------------------- loading


class _Lines:
    """What line_of reads from a round-trip node: 0-based lines of the keys and of the node."""

    def __init__(self, lines: Dict[str, int], line: int):
        self.lines, self.line = lines, line

    def key(self, key: Any) -> Tuple[int, int]:
        return self.lines.get(key, self.line), 0


class Head(dict):
    """The top-level plain values of a record already checked on its own (checks.recordcheck), with lines."""

    def __init__(self, values: Dict[str, Any], lines: Dict[str, int], line: int):
        super().__init__(values)
        self.lc = _Lines(lines, line)


def load_tree(root: Path, report: Report, load_record=None) -> Tree:
    """Every tracking file; record and review files through load_record(path, report) when given."""
    tree = Tree(root)
    tasks = root / files.TASKS
    for name, attr in ((files.UNITS_FILE, "units"), (files.CONFIG_FILE, "config")):
        if (tasks / name).is_file():
            setattr(tree, attr, load_doc(root, tasks / name, report))
    for folder in sorted(p for p in tasks.iterdir() if p.is_dir() and not p.name.startswith(".")):
        _load_plan_folder(root, folder, tree, report)
    for path in sorted((root / files.PROGRESS).glob("*/*/*.yaml")):
        doc = load_record(path, report) if load_record else load_doc(root, path, report)
        (tree.reviews if path.name == files.REVIEW_FILE else tree.records).append(doc)
    _sweep_conflict_markers(root, tree, report)
    return tree


def _load_plan_folder(root: Path, folder: Path, tree: Tree, report: Report) -> None:
    if not (folder / files.PLAN_FILE).is_file():
        strays = sorted(folder.glob("*.yaml"))
        if strays:  # measures without a plan.yaml are silently skipped by every command
            report.warning(relative(root, strays[0]), 1, f"目录 {folder.name} 中没有 plan.yaml，其中的措施文件不会被读取")
        return
    tree.plans[folder.name] = load_doc(root, folder / files.PLAN_FILE, report)
    for path in files.measure_files(folder):
        tree.measures.append((folder.name, load_doc(root, path, report)))


def load_doc(root: Path, path: Path, report: Report) -> Doc:
    """Parse one file; a file that is unreadable, conflicted, malformed or not a mapping is reported."""
    rel = relative(root, path)
    try:
        text = yamlio.read_text(path)
    except InvalidTaskFile as e:
        report.error(rel, 1, _without_path(e.message, path))
        return Doc(rel, None)
    marker = conflict_marker_line(text)
    if marker:
        report.error(rel, marker, "含有 git 合并冲突标记（<<<<<<<），请解决冲突并删去标记行")
        return Doc(rel, None)
    try:
        yamlio.refuse_aliases(path, text)  # what every other command refuses, check must flag too
    except InvalidTaskFile as e:
        where, _, message = e.message.removeprefix(f"{path}:").partition(": ")
        report.error(rel, int(where) if where.isdigit() else 1, message or e.message)
        return Doc(rel, None)
    try:
        data = _checking_yaml().load(text)
    except Exception as e:  # ruamel raises many types; each means the text is not valid YAML
        report.error(rel, _error_line(e), f"YAML 格式错误（{_error_text(e)}），请检查缩进、冒号和引号")
        return Doc(rel, None)
    if not isinstance(data, dict):
        report.error(rel, 1, _not_mapping_message(data))
        return Doc(rel, None)
    return Doc(rel, data)


def _sweep_conflict_markers(root: Path, tree: Tree, report: Report) -> None:
    """Conflict markers in YAML files that no other check reads (evidence folders excepted)."""
    loaded = {d.path for d in tree.records + tree.reviews + [m for _, m in tree.measures]}
    loaded |= {d.path for d in (tree.units, tree.config, *tree.plans.values()) if d is not None}
    for top in (files.TASKS, files.PROGRESS):
        for path in sorted((root / top).rglob("*.yaml")):
            rel = relative(root, path)
            if rel in loaded or "/evidence/" in rel:
                continue
            try:
                line = conflict_marker_line(yamlio.read_text(path))
            except InvalidTaskFile:
                continue  # not a tracking file; unreadable files elsewhere are not ours to judge
            if line:
                report.error(rel, line, "含有 git 合并冲突标记（<<<<<<<），请解决冲突并删去标记行")


def conflict_marker_line(text: str) -> int:
    """1-based line of the first conflict marker, or 0."""
    match = CONFLICT_MARKER.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


@functools.lru_cache(maxsize=1)
def _text_date_constructor():
    from ruamel.yaml.constructor import RoundTripConstructor

    class TextDateConstructor(RoundTripConstructor):
        pass

    # A subclass gets its own table, so the loaders in files.py keep building real dates.
    TextDateConstructor.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda constructor, node: constructor.construct_scalar(node)
    )
    return TextDateConstructor


def _checking_yaml():
    """Round-trip YAML that keeps dates as the text written, so 2026-02-30 is reported, not raised."""
    yaml = yamlio._roundtrip_yaml()
    yaml.Constructor = _text_date_constructor()
    return yaml


def _error_line(e: Exception) -> int:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    return mark.line + 1 if mark is not None else 1


def _error_text(e: Exception) -> str:
    return getattr(e, "problem", None) or (str(e).strip().splitlines() or [type(e).__name__])[0]


def _not_mapping_message(data: Any) -> str:
    if data is None:
        return "文件是空的，顶层应为键值映射（key: value）"
    kind = type(data).__name__
    for base, label in TOP_LEVEL_TYPES.items():  # bool comes after int, so true/false wins for booleans
        if isinstance(data, base):
            kind = label
    return f"顶层应为键值映射（key: value），而不是{kind}"


def _without_path(message: str, path: Path) -> str:
    prefix = f"{path}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def line_of(node: Any, key: Any = None) -> int:
    """1-based line of a mapping key, a list item, or the node itself; 1 when unknown."""
    try:
        if key is None:
            return node.lc.line + 1
        if isinstance(node, list):
            return node.lc.item(key)[0] + 1
        return node.lc.key(key)[0] + 1
    except Exception:  # plain values carry no position
        return 1
