"""Text: control characters in any text field of any tracking file are an error with `path:line`.

C0 controls other than tab and line feed, DEL and C1 controls can drive a terminal (escape sequences),
break Word and Excel files, and hide text; the bidi overrides and isolates (U+202A–U+202E,
U+2066–U+2069) make text read differently from what it is.
"""

from __future__ import annotations

from typing import Any, Iterator, Tuple

from yytrack.checks.framework import Doc, Head, Report, Tree, line_of
from yytrack.model.text import CONTROL


def _strings(node: Any, line: int) -> Iterator[Tuple[int, str, str]]:
    """(line, key path, text) for every key and string value under node."""
    if isinstance(node, dict):
        for key, value in node.items():
            at = line_of(node, key) if line_of(node, key) > 1 else line
            if isinstance(key, str):
                yield at, key, key
            yield from ((ln, f"{key}.{path}" if path else str(key), text) for ln, path, text in _strings(value, at))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            at = line_of(node, i) if line_of(node, i) > 1 else line
            yield from _strings(value, at)
    elif isinstance(node, str):
        yield line, "", node


def describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def check_doc_text(doc: Doc, report: Report) -> None:
    if doc is None or doc.data is None or isinstance(doc.data, Head):  # a Head: checked in checks.recordcheck
        return
    for line, path, text in _strings(doc.data, 1):
        found = CONTROL.search(text)
        if found:
            where = f"{path} " if path else ""
            report.error(doc.path, line, f"{where}含有控制字符 {describe(found.group())}（终端转义、双向文字覆盖等），"
                                          "请删去后保存")


def check_control_characters(tree: Tree, report: Report) -> None:
    docs = [tree.units, tree.config, *tree.plans.values(), *(d for _, d in tree.measures), *tree.records,
            *tree.reviews]
    for doc in docs:
        check_doc_text(doc, report)


RULES = (check_control_characters,)
