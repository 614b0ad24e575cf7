"""`yytrack import`: read a document, write its task files, register new units, commit once."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from yytrack.repo import files, store, writes, yamlio
from yytrack.errors import UsageProblem


def read_document(path: Path) -> str:
    """Text of a .txt, .docx, .pdf or .html file (told apart by content), tables as measure lines."""
    from yytrack.importer.readers import read_document as read

    return read(path)


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
