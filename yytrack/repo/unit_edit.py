"""Editing the unit registry: `yytrack units merge OLD NEW` folds a variant name into a unit."""

from __future__ import annotations

from pathlib import Path
from typing import List

from yytrack.repo import files, store, writes, yamlio
from yytrack.errors import UnknownUnit, UsageProblem

UNIT_KEYS = ("lead_units", "cooperating_units", "implied_units")


def _rename_in_list(items, old: str, new: str) -> bool:
    """Replace old by new in a ruamel sequence in place (keeping comments); drop a duplicate."""
    if not items or old not in items:
        return False
    at = items.index(old)
    if new in items:
        del items[at]
    else:
        items[at] = new
    return True


def _rewrite_measures(root: Path, old: str, new: str) -> List[str]:
    changed = []
    for plan_dir in files.plan_dirs(root):
        for path in files.measure_files(plan_dir):
            data = yamlio.load_roundtrip(path)
            if isinstance(data, dict) and any([_rename_in_list(data.get(k), old, new) for k in UNIT_KEYS]):
                header = "".join(line + "\n" for line in yamlio.read_text(path).splitlines()
                                 if line.startswith("# yaml-language-server"))[:200]
                body = yamlio.dump_text(data)
                yamlio.write_atomic(path, body if body.startswith("# yaml-language-server") else header + body)
                changed.append(path.relative_to(root).as_posix())
    return changed


def _rewrite_registry(root: Path, old: str, new: str) -> None:
    path = root / files.TASKS / files.UNITS_FILE
    data = yamlio.load_roundtrip(path)
    units = data.get("units") or []
    names = [u.get("name") for u in units]
    if new not in names:
        raise UnknownUnit(f"单位名录中没有“{new}”；合并的目标必须是已登记的单位")
    target = units[names.index(new)]
    if old in names:
        del units[names.index(old)]
    aliases = target.get("aliases")
    if aliases is None:
        target["aliases"] = [old]
    elif old not in aliases:
        aliases.append(old)
    for unit in units:
        _rename_in_list(unit.get("members"), old, new)
    yamlio.write_atomic(path, yamlio.dump_text(data))


def _mentioned(root: Path, name: str) -> bool:
    """Whether the name appears anywhere under tasks/ (read as text: a broken file must not hide it)."""
    for path in (root / files.TASKS).rglob("*.yaml"):
        try:
            if name in yamlio.read_text(path):
                return True
        except Exception:
            return True  # unreadable: let the merge itself report the file
    return False


def merge_units(root: Path, old: str, new: str, author: str | None = None) -> List[str]:
    """Make `old` an alias of `new`, replace it in every measure file, commit once."""
    old, new = old.strip(), new.strip()
    if not old or not new or old == new:
        raise UsageProblem("请给出两个不同的单位名称：yytrack units merge 旧名称 新名称")
    who = store.identity(root, author)
    with writes.locked(root):  # the repository's state is checked first, then the name
        if not _mentioned(root, old):
            raise UnknownUnit(f"“{old}”既不在单位名录中，也没有措施使用它，无需合并")
        registry = files.TASKS + "/" + files.UNITS_FILE
        touched: List[str] = []

        def write():
            _rewrite_registry(root, old, new)
            touched.extend(_rewrite_measures(root, old, new))

        # The measure files to touch are known only after reading them, so commit the whole tasks/ folder.
        message = f"单位合并：{old} → {new}\n\nYytrack-Units-Merge: {old} => {new}\n"
        writes.commit_paths(root, [files.TASKS], message, who, write)
    return [registry, *touched]
