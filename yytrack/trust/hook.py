"""The pre-receive hook of the shared repository.

Every commit new to the server is judged by the policy of the already-accepted tip of the protected
branch (never by the commits being pushed); the protected branch only moves forward, linearly; other
refs are refused unless the config allows them; the pusher's identity, where the server gives one,
must be the author's unless the commit carries its author's valid signature. A policy that cannot be
read refuses the push (fail closed).
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import stat
import sys
from pathlib import Path
from typing import Iterable, List, Optional, Tuple

from yytrack.errors import UsageProblem
from yytrack.repo import store
from yytrack.repo.changes import ZERO, is_ancestor, read_changes, ref_value
from yytrack.trust.audit import Policies, Violation, audit_changes
from yytrack.trust.policy import Policy

MARK = "# yytrack pre-receive hook"
PUSHER_VARIABLES = ("GL_USER", "GITEA_PUSHER_NAME", "GL_USERNAME", "YYTRACK_PUSHER")


def pusher_login(environ=None) -> Optional[str]:
    """Who the server authenticated: gitolite, Gitea/Forgejo, GitLab, or a hand-made forced command."""
    environ = os.environ if environ is None else environ
    return next((environ[v] for v in PUSHER_VARIABLES if environ.get(v)), None)


def interpreter() -> str:
    """A Python that survives a recreated virtualenv: the venv's own path (recreating it in place keeps
    the path), falling back to the yytrack on PATH."""
    return sys.executable


def hook_script() -> str:
    python = interpreter()
    found = shutil.which("yytrack")
    fallback = f'exec "{found}" hook run\n' if found else ""
    return (f"#!/bin/sh\n{MARK}\n# 解释器：{python}；如重建了虚拟环境到别处，请重新运行 yytrack hook install\n"
            f'if [ -x "{python}" ]; then exec "{python}" -m yytrack hook run; fi\n{fallback}'
            'echo "yytrack 拒绝推送：找不到 yytrack（钩子中的 Python 已不存在），请在服务器上重新运行 yytrack hook install" >&2\n'
            "exit 1\n")


def install(bare: Path, hook_path: Optional[Path] = None) -> Path:
    """Write the pre-receive hook (into hooks/ or the given path) and make git itself refuse rewrites."""
    bare = bare.expanduser().resolve()
    if not bare.is_dir() or not store.is_bare(bare):
        raise UsageProblem(f"{bare} 不是裸仓库（git init --bare 创建的共享仓库）")
    hook = hook_path or bare / "hooks" / "pre-receive"
    if hook.exists() and MARK not in hook.read_text(encoding="utf-8", errors="replace"):
        raise UsageProblem(f"{hook} 已有其他 pre-receive 钩子，请先合并或移走")
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(hook_script(), encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    store.run_git(bare, "config", "receive.denyNonFastForwards", "true")
    store.run_git(bare, "config", "receive.denyDeletes", "true")
    return hook


def _tip_policy(root: Path, branch_tip: Optional[str]) -> Tuple[Optional[Policy], Optional[str]]:
    """(policy at the accepted tip, or None before the first push; a refusal message when unreadable)."""
    if branch_tip is None:
        return None, None
    from yytrack.repo.changes import Objects

    objects = Objects(root)
    try:
        found = Policies(objects).at(branch_tip)
    finally:
        objects.close()
    return (None, f"受保护分支当前版本的策略无法读取：{found}") if isinstance(found, str) else (found, None)


def _ref_problems(root: Path, policy: Optional[Policy], old: str, new: str, ref: str) -> List[str]:
    branch = policy.protected_branch if policy else "main"
    if ref != f"refs/heads/{branch}":
        allowed = policy.allowed_refs if policy else ()
        if not any(fnmatch.fnmatchcase(ref, pattern) for pattern in allowed):
            return [f"{ref}：只允许推送到受保护分支 {branch}（其他引用须在 allowed_refs 中配置）"]
        return []
    if new == ZERO:
        return [f"{ref}：不允许删除受保护分支"]
    if old != ZERO and not is_ancestor(root, old, new):
        return [f"{ref}：不允许非快进推送（改写历史），请先 yytrack sync"]
    return []


def check_push(root: Path, lines: Iterable[str], login: Optional[str] = None) -> List[str]:
    """Refusal lines for a push (empty: accept)."""
    updates = [tuple(line.split()) for line in lines if len(line.split()) == 3]
    tip = ref_value(root, "HEAD") or ref_value(root, "refs/heads/main")
    policy, unreadable = _tip_policy(root, tip)
    if policy is not None and ref_value(root, f"refs/heads/{policy.protected_branch}") not in (None, tip):
        policy, unreadable = _tip_policy(root, ref_value(root, f"refs/heads/{policy.protected_branch}"))
    if unreadable:
        return [unreadable]
    pusher = None
    if login and policy is not None and not policy.open:
        pusher = policy.email_of_login(login)
        if pusher is None:
            return [f"推送者 {login} 未在 tasks/config.yaml 的 people 中登记（people.<邮箱>.login: {login}）"]
    refusals: List[str] = []
    for old, new, ref in updates:
        refusals += _ref_problems(root, policy, old, new, ref)
        if new == ZERO or refusals:
            continue
        changes = read_changes(root, [new, "--not", "--all"])
        refusals += [str(v) for v in audit_changes(root, changes, fixed=policy, pusher=pusher)]
    return refusals


def run(stdin=None) -> int:
    root = Path(os.environ.get("GIT_DIR", ".")).resolve()
    try:
        refusals = check_push(root, (stdin or sys.stdin).read().splitlines(), pusher_login())
    except Exception as e:  # fail closed: whatever breaks, nothing is accepted
        refusals = [f"检查时出错（{type(e).__name__}: {e}），按拒绝处理"]
    for line in refusals:
        print(f"yytrack 拒绝推送：{line}", file=sys.stderr)
    return 1 if refusals else 0


__all__ = ["Violation", "check_push", "install", "run", "pusher_login"]
