"""Evidence sent with a returned form: only the files the form names, sitting beside it, as regular files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional, Tuple

from yytrack.errors import EvidenceError
from yytrack.model import Measure
from yytrack.repo.evidence import evidence_plan

LIST_SPLIT = re.compile(r"[；;\n]+")


def evidence_files(tracker, ctx, measure: Measure, text: str) -> Tuple[str, ...]:
    """Evidence is sent along with the form: only files named in the form that sit beside it, as regular
    files (no path, no `..`, no subfolder, no link)."""
    folder = ctx.form.path.parent
    found = []
    for name in (n.strip() for n in LIST_SPLIT.split(text or "")):
        if not name:
            continue
        if Path(name).name != name or name in (".", "..") or "/" in name or "\\" in name:
            raise EvidenceError(f"佐证材料只填文件名，不要带路径：“{name}”")
        kind = _entry_kind(folder / name)
        if kind is None:
            raise EvidenceError(f"找不到佐证材料“{name}”：请把它和报送表放在同一文件夹（{folder}）")
        if kind != "file":
            raise EvidenceError(f"佐证材料“{name}”是{kind}，不是普通文件，拒绝收取")
        found.append(str(folder / name))
    evidence_plan(tracker.root, tracker.config, measure, ctx.unit, ctx.date, found)  # size and type checks, as `update` does
    return tuple(found)


def _entry_kind(path: Path) -> Optional[str]:
    """'file' for a regular file, a Chinese word for anything else, None when nothing is there."""
    import stat

    try:
        mode = path.lstat().st_mode
    except OSError:
        return None
    if stat.S_ISLNK(mode):
        return "符号链接"
    if stat.S_ISDIR(mode):
        return "文件夹"
    return "file" if stat.S_ISREG(mode) else "特殊文件（设备或管道）"
