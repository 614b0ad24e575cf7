"""`yytrack init`: a new tracking repository from the bundled plans and templates."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from yytrack.repo import files, store
from yytrack.repo.bundled import data_dir
from yytrack.errors import UsageProblem

GITATTRIBUTES = """\
# YAML 与模板统一用 LF 换行，Windows 上也不转换，避免整文件差异
*.yaml text eol=lf
*.j2 text eol=lf
*.md text eol=lf
# 佐证材料和报告按二进制处理
progress/**/evidence/** binary
*.docx binary
*.xlsx binary
"""
GITIGNORE = "# yytrack 派生缓存在 .git/yytrack/ 下，不需要忽略规则\n~$*\n"
README = """\
# 跟踪仓库

本仓库由 yytrack 管理：`tasks/` 为方案和措施，`progress/` 为各单位报送的进展，`reports/` 为督导通报。

常用命令：`yytrack list`、`yytrack update 措施编号 --unit 单位 --status 推进中 --note 说明`、`yytrack report`。
"""


def set_tracking_start(plan_file: Path, day: dt.date) -> None:
    """Write `tracking_start` into a plan.yaml as one line, keeping every other line and comment as is."""
    line = f"tracking_start: '{day.isoformat()}'"
    lines = plan_file.read_text(encoding="utf-8").splitlines()
    found = [i for i, text in enumerate(lines) if text.startswith("tracking_start:")]
    if found:
        lines[found[0]] = line
    else:
        after = [i for i, text in enumerate(lines) if text.startswith(("issued:", "supervisor:"))]
        lines.insert(after[-1] + 1 if after else len(lines), line)
    plan_file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def init_repo(directory: str, plans: Sequence[str], author: str | None,
              start: Optional[dt.date] = None) -> Tuple[Path, List[str]]:
    target = Path(directory).expanduser().resolve()
    if target.exists() and any(target.iterdir()):
        raise UsageProblem(f"目录 {target} 已存在且不为空，请指定一个新目录")
    source = data_dir("tasks")
    available = sorted(p.name for p in source.iterdir() if (p / files.PLAN_FILE).is_file())
    chosen = [p.strip().lower() for p in plans] or available
    unknown = [p for p in chosen if p not in available]
    if unknown:
        raise UsageProblem(f"没有内置方案“{'、'.join(unknown)}”；可选：{'、'.join(available)}")
    chosen = _with_parents(source, chosen)
    who = store.identity(target.parent if target.parent.exists() else Path.cwd(), author)
    target.mkdir(parents=True, exist_ok=True)
    try:
        _populate(target, source, chosen)
        for plan in chosen:
            set_tracking_start(target / files.TASKS / plan / files.PLAN_FILE, start or dt.date.today())
        store.run_git(target, "init", "-q")
        store.run_git(target, "symbolic-ref", "HEAD", "refs/heads/main")
        # Chinese file names shown as themselves in git log --stat, not as octal escapes.
        store.run_git(target, "config", "core.quotepath", "off")
        store.run_git(target, "add", "-A")
        env = {"GIT_AUTHOR_NAME": who.name, "GIT_AUTHOR_EMAIL": who.email,
               "GIT_COMMITTER_NAME": who.name, "GIT_COMMITTER_EMAIL": who.email}
        message = f"新建跟踪仓库：{'、'.join(chosen)}\n\nYytrack-Init: {','.join(chosen)}\n"
        store.run_git(target, "commit", "-q", "-F", "-", input_text=message, env=env)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target, chosen


def _with_parents(source: Path, chosen: List[str]) -> List[str]:
    """A plan comes with the plan it implements, so its `implements` links resolve."""
    out = list(dict.fromkeys(chosen))
    for plan in out:
        parent = files.read_plan(source / plan).parent
        if parent and parent not in out and (source / parent).is_dir():
            out.append(parent)
    return out


def _populate(target: Path, source: Path, chosen: Sequence[str]) -> None:
    tasks = target / files.TASKS
    tasks.mkdir()
    for name in (files.UNITS_FILE, files.CONFIG_FILE):
        if (source / name).is_file():
            shutil.copyfile(source / name, tasks / name)
    if (source / "schema").is_dir():
        shutil.copytree(source / "schema", tasks / "schema")
    for plan in chosen:
        shutil.copytree(source / plan, tasks / plan)
    shutil.copytree(data_dir("templates"), target / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    (target / "reports").mkdir()
    (target / "reports" / ".gitkeep").write_text("", encoding="utf-8")
    (target / ".gitattributes").write_text(GITATTRIBUTES, encoding="utf-8")
    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    (target / "README.md").write_text(README, encoding="utf-8")
