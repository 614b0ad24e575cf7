"""Evidence files: where a unit's attachments go inside the repository, checked before anything is copied."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import List, Sequence, Tuple

from yytrack.errors import EvidenceError
from yytrack.model import Measure
from yytrack.repo import files, safepath

DEFAULT_EVIDENCE_MB = 20
SAFE_NAME = re.compile(r"[^\w\u4e00-\u9fff\u3400-\u4dbf（）()\-.]+")


def evidence_plan(root: Path, config: dict, measure: Measure, unit: str, day: dt.date,
                  sources: Sequence[str]) -> List[Tuple[Path, str]]:
    """(source file, repository path) pairs; every name is made safe and kept inside evidence/."""
    limit_mb = limit_of(config) / (1024 * 1024)
    folder = f"{files.PROGRESS}/{measure.plan}/{measure.id}/evidence/{unit}"
    planned: List[Tuple[Path, str]] = []
    for raw in sources:
        src = Path(raw).expanduser()
        if src.is_symlink():
            raise EvidenceError(f"佐证材料“{raw}”是符号链接，请直接指定文件本身")
        if not src.exists():
            raise EvidenceError(f"找不到佐证材料“{raw}”")
        if not src.is_file():
            raise EvidenceError(f"佐证材料“{raw}”不是普通文件（是目录？），请逐个指定文件")
        size_mb = src.stat().st_size / (1024 * 1024)
        if size_mb > limit_mb:
            raise EvidenceError(f"佐证材料“{src.name}”有 {size_mb:.1f} MB，超过上限 {limit_mb:g} MB"
                                "（tasks/config.yaml 的 evidence.max_mb）")
        safe = SAFE_NAME.sub("_", src.name).strip("._") or "file"
        rel = f"{folder}/{day.isoformat()}-{safe}"
        taken = {r for _, r in planned}
        stem, dot, ext = rel.rpartition(".") if "." in safe else (rel, "", "")
        n = 2
        while rel in taken or os.path.lexists(root / rel):
            rel = f"{stem}-{n}{dot}{ext}" if dot else f"{rel}-{n}"
            n += 1
        safepath.check_chain(root / rel, root, final_may_be_missing=True)  # no link on the way in
        planned.append((src, rel))
    return planned


def limit_of(config: dict) -> int:
    """evidence.max_mb of tasks/config.yaml in bytes."""
    return int(float(((config.get("evidence") or {}).get("max_mb")) or DEFAULT_EVIDENCE_MB) * 1024 * 1024)


def copy_in(root: Path, config: dict, src: Path, rel: str) -> None:
    """Copy one planned evidence file: at most the limit is read, and the write follows no link."""
    data = safepath.read_input(src, limit_of(config), "佐证材料")
    safepath.write_atomic(root / rel, data, root=root)
