"""Writing an import: the plan folder with plan.yaml and one file per measure."""

from __future__ import annotations

from pathlib import Path
from typing import List

from yytrack.errors import UsageProblem
from yytrack.importer.document import MEASURE_HEADER, PLAN_HEADER, ImportResult
from yytrack.repo.files import PLAN_FILE, TASKS
from yytrack.repo.yamlio import write_yaml


def write_import(root: Path, result: ImportResult, overwrite: bool = False) -> List[Path]:
    """Write tasks/<plan>/plan.yaml and one file per measure; return the paths written (not committed).

    A measure the import was unsure of (result.review) is written with `review: true`.
    An existing plan folder is hand-curated work: it is replaced only with overwrite=True, and then
    measure files the new import no longer has are removed so the folder matches the import.
    """
    plan_id = result.plan["id"]
    folder = Path(root) / TASKS / plan_id
    old = sorted(folder.glob(f"{plan_id}-[0-9]*.yaml")) if folder.is_dir() else []
    if ((folder / PLAN_FILE).exists() or old) and not overwrite:
        raise UsageProblem(f"tasks/{plan_id}/ 已存在，导入会覆盖人工修改过的措施文件；确需重新导入请先删除该目录")
    written = [folder / PLAN_FILE]
    write_yaml(written[0], result.plan, PLAN_HEADER)
    for measure in result.measures:
        path = folder / f"{measure['id']}.yaml"
        if measure["id"] in result.review:
            measure = {**measure, "review": True}  # check reports it until a person removes the mark
        write_yaml(path, measure, MEASURE_HEADER)
        written.append(path)
    for stale in set(old) - set(written):
        stale.unlink()
    return written
