"""`yytrack remote init`: the shared bare repository every office clones, made from this tracking repository."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from yytrack.errors import UsageProblem
from yytrack.repo.store import run_git

BRANCH = "main"


@dataclass(frozen=True)
class SharedRemote:
    path: Path
    """The bare repository, absolute."""
    branch: str
    """The tracking branch its HEAD points at."""
    remote: str
    """The name this repository now knows it by (origin)."""


def _refuse(root: Path, target: Path, remote: str) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageProblem(f"{target} 已存在且不为空；请指定一个新目录（共享仓库由本命令新建）")
    if run_git(root, "remote", "get-url", remote, check=False).returncode == 0:
        url = run_git(root, "remote", "get-url", remote).stdout.strip()
        raise UsageProblem(f"本仓库已有远程仓库 {remote}（{url}）；如要改用新的共享仓库，先运行 git remote remove {remote}")
    if run_git(root, "rev-parse", "--verify", "-q", "HEAD", check=False).returncode != 0:
        raise UsageProblem("本仓库还没有提交；请先用 yytrack init 新建跟踪仓库")
    if run_git(root, "symbolic-ref", "-q", "HEAD", check=False).returncode != 0:
        raise UsageProblem("当前处于分离头指针状态；请先 git switch main")


def create_shared(root: Path, target: Path, remote: str = "origin", branch: str = BRANCH) -> SharedRemote:
    """Create a bare repository at target with HEAD on the tracking branch, push this repository's current
    branch there as that branch, and make it this repository's upstream. On failure nothing is left behind."""
    target = Path(target).expanduser().absolute()
    _refuse(root, target, remote)
    existed = target.exists()
    try:
        run_git(root, "init", "-q", "--bare", str(target))
        run_git(target, "symbolic-ref", "HEAD", f"refs/heads/{branch}")
        run_git(target, "config", "core.quotepath", "off")
        run_git(root, "remote", "add", remote, str(target))
        run_git(root, "push", "-q", "-u", remote, f"HEAD:refs/heads/{branch}")
    except BaseException:
        run_git(root, "remote", "remove", remote, check=False)
        if existed:
            for child in target.iterdir():
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        else:
            shutil.rmtree(target, ignore_errors=True)
        raise
    return SharedRemote(target, branch, remote)
