"""`yytrack import`: read a document, write its task files, register new units, commit once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from yytrack.repo import files, safepath, store, writes, yamlio
from yytrack.errors import UsageProblem


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # a policy document is a few hundred KB of text


def read_document(path: Path):
    from yytrack.importer.document import decode_text

    if path.is_dir() and not path.is_symlink():
        raise UsageProblem(f"“{path}”是目录，请指定文件")
    if not os.path.lexists(path):
        raise UsageProblem(f"无法读取“{path}”（文件不存在）")
    return decode_text(safepath.read_input(path, MAX_DOCUMENT_BYTES, "政策文件"))


def parse_file(root: Path, path: Path, plan: str, title: Optional[str] = None, doc_number: Optional[str] = None):
    from yytrack.importer.document import parse_document

    return parse_document(read_document(path), plan, files.read_units(root), title=title, doc_number=doc_number,
                          source=path.name)


def _register(root: Path, names) -> None:
    """Append unknown unit names to the registry (a person can merge variants later)."""
    if not names:
        return
    path = root / files.TASKS / files.UNITS_FILE
    data = yamlio.load_roundtrip(path) if path.exists() else {"units": []}
    if data.get("units") is None:
        data["units"] = []
    for name in names:
        data["units"].append({"name": name, "level": "other"})
    yamlio.write_atomic(path, yamlio.dump_text(data))


def import_file(root: Path, path: Path, plan: str, title: Optional[str] = None, doc_number: Optional[str] = None,
                force: bool = False, author: Optional[str] = None):
    """Parse, write tasks/<plan>/ and the registry, and commit both in one commit."""
    from yytrack.importer.writer import write_import

    result = parse_file(root, path, plan, title, doc_number)
    if not result.measures:
        raise UsageProblem(f"在“{path.name}”中没有找到编号的措施（（一）、1. 等），未导入")
    who = store.identity(root, author)
    folder = f"{files.TASKS}/{result.plan['id']}"
    registry = f"{files.TASKS}/{files.UNITS_FILE}"
    with writes.locked(root):
        def write():
            write_import(root, result, overwrite=force)
            _register(root, result.new_units)

        message = (f"导入 {result.plan['id']}：{result.plan.get('title', '')}（{len(result.measures)} 条措施）\n\n"
                   f"Yytrack-Import: {result.plan['id']}\n")
        commit = writes.commit_paths(root, [folder, registry], message, who, write)
    return result, commit
