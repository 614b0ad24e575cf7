"""YAML in and out.

Bulk reads use the C-backed safe loader; the one file being edited is loaded round-trip so that
comments and layout survive. Every write is atomic: temporary file, fsync, replace.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, Optional

from yytrack.errors import InvalidTaskFile
from yytrack.repo import safepath

MAX_YAML_BYTES = 5 * 1024 * 1024  # a task file is a page of text; anything larger is a mistake
# Task files nest four levels deep. The C-backed composer recurses once per level and overflows the C stack
# (a crash, not an exception) somewhere past 20 000 levels, which `[[[[…` or `- - - …` reach in a few KB.
MAX_NESTING = 64
_COMPACT_NESTING = re.compile(r"(?:[-?][ \t]+){%d}" % MAX_NESTING)
_COMPACT_START = re.compile(r"[-?][ \t]+[-?][ \t]")  # cheap test first: two compact levels in a row


def _safe_yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=False)
    return yaml


def _roundtrip_yaml():
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip keeps comments and key order
    yaml.allow_unicode = True
    yaml.width = 1 << 16  # never fold long Chinese lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def read_text(path: Path) -> str:
    """Read a text file written by a person: UTF-8 (with or without BOM), else GB18030."""
    raw = safepath.read_bytes(path, MAX_YAML_BYTES, "任务文件")
    try:
        return decode_human_text(raw)
    except UnicodeDecodeError as e:
        raise InvalidTaskFile(f"{path}: 不是 UTF-8 或 GBK 编码的文本") from e


def decode_human_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK, what Chinese Windows saves);
    CRLF becomes LF. Raises UnicodeDecodeError when it is neither."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    return text.replace("\r\n", "\n")


def _yaml_error(path: Path, e: Exception) -> InvalidTaskFile:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    line = f"{mark.line + 1}" if mark is not None else "1"
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    return InvalidTaskFile(f"{path}:{line}: YAML 格式错误（{problem}），请检查缩进、冒号和引号")


def load_fast(path: Path) -> Any:
    """Parse a YAML file with the safe loader (no tags, aliases limited by size)."""
    return parse_fast(read_text(path), path)


def parse_fast(text: str, where: Any) -> Any:
    """Parse YAML text with the safe loader after refusing oversized text, aliases and runaway nesting."""
    if len(text) > MAX_YAML_BYTES:
        raise InvalidTaskFile(f"{where}: 内容过大（{len(text) // 1024} KB），任务文件不应超过 5 MB")
    refuse_aliases(where, text)
    try:
        return _safe_yaml().load(text)
    except Exception as e:  # ruamel raises many types; all mean the same to a user
        raise _yaml_error(where, e) from e


def refuse_aliases(path: Any, text: str) -> None:
    """Task files have no use for anchors and aliases; refusing them stops billion-laughs files.

    Nesting deeper than MAX_NESTING is refused here too, before the recursive composer sees it.
    """
    maybe_alias = "*" in text and "&" in text
    maybe_deep = text.count("[") + text.count("{") > MAX_NESTING or (
        _COMPACT_START.search(text) is not None and _COMPACT_NESTING.search(text) is not None)
    if not (maybe_alias or maybe_deep):
        return  # the fast path: neither is possible
    from ruamel.yaml import YAML
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent

    depth = 0
    try:
        for event in YAML(typ="safe", pure=False).parse(text):  # the event parser does not recurse
            line = event.start_mark.line + 1 if event.start_mark else 1
            if isinstance(event, AliasEvent):
                raise InvalidTaskFile(f"{path}:{line}: 不支持 YAML 锚点和别名（&、*），请直接写出内容")
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    raise InvalidTaskFile(f"{path}:{line}: 嵌套超过 {MAX_NESTING} 层，不像任务文件，"
                                          "请检查是否粘贴了多余的括号或短横线")
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except InvalidTaskFile:
        raise
    except Exception as e:
        raise _yaml_error(path, e) from e


def load_roundtrip(path: Path) -> Any:
    """Parse a YAML file keeping comments, for editing."""
    text = read_text(path)
    try:
        return _roundtrip_yaml().load(text)
    except Exception as e:
        raise _yaml_error(path, e) from e


def dump_text(data: Any) -> str:
    stream = io.StringIO()
    _roundtrip_yaml().dump(data, stream)
    return stream.getvalue()


def write_atomic(path: Path, content: bytes | str, root: Optional[Path] = None) -> None:
    """Write through a temporary file in the same folder, fsync, then replace; never through a link
    (from root down, default: the repository the path is in)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    safepath.write_atomic(path, data, root)


def write_yaml(path: Path, data: Any, header: str = "") -> None:
    write_atomic(path, header + dump_text(data))
