"""A pre-receive hook for the shared bare repository: refuse pushes that fail the audit rules."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Iterable, List

from yytrack.repo import store
from yytrack.trust.audit import Violation, audit_commits
from yytrack.errors import UsageProblem

ZERO = "0" * 40
MARK = "# yytrack pre-receive hook"


def install(bare: Path) -> Path:
    """Write hooks/pre-receive into a bare repository, calling this Python's yytrack."""
    bare = bare.expanduser().resolve()
    if not bare.is_dir() or not store.is_bare(bare):
        raise UsageProblem(f"{bare} 不是裸仓库（git init --bare 创建的共享仓库）")
    hook = bare / "hooks" / "pre-receive"
    if hook.exists() and MARK not in hook.read_text(encoding="utf-8", errors="replace"):
        raise UsageProblem(f"{hook} 已有其他 pre-receive 钩子，请先合并或移走")
    hook.parent.mkdir(exist_ok=True)
    script = f'#!/bin/sh\n{MARK}\nexec "{sys.executable}" -m yytrack hook run\n'
    hook.write_text(script, encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return hook


def check_push(root: Path, lines: Iterable[str]) -> List[Violation]:
    """Audit the commits each pushed ref brings that the repository does not have yet."""
    violations: List[Violation] = []
    for line in lines:
        parts = line.split()
        if len(parts) != 3 or parts[1] == ZERO:
            continue  # malformed or a branch deletion: nothing new to audit
        old, new, _ref = parts
        revs = [new, "--not", "--all"]
        violations += audit_commits(root, revs, config_rev=new)
    return violations


def run(stdin=None) -> int:
    root = Path(os.environ.get("GIT_DIR", ".")).resolve()
    violations = check_push(root, (stdin or sys.stdin).read().splitlines())
    for v in violations:
        print(f"yytrack 拒绝推送：{v}", file=sys.stderr)
    if violations:
        print("yytrack 拒绝推送：请用 yytrack update 重新报送，不要手工修改他人的进展记录", file=sys.stderr)
    return 1 if violations else 0
