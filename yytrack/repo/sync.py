"""`yytrack sync`: fetch, integrate, push, with bounded retries.

Updates by different units or to different measures live in different files, so a rebase of the
local commits onto the remote never conflicts for them. When the same unit's record for the same
measure changed on two clones, sync stops and names both commits; `--keep-both` then re-applies the
local entries from their structured data on top of the remote ones, so neither is lost.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple

from yytrack.repo import records, store, history, writes
from yytrack.errors import GitError, SyncConflict

MAX_ATTEMPTS = 12


@dataclass(frozen=True)
class SyncResult:
    remote: str
    """Remote name, e.g. origin."""
    branch: str
    """Branch on the remote."""
    received: int
    """Commits that came from the remote."""
    sent: int
    """Local commits pushed."""
    attempts: int
    """How many fetch-integrate-push rounds it took."""
    reapplied: int = 0
    """Local updates re-applied on top of the remote (--keep-both)."""


def _count(root: Path, spec: str) -> int:
    return int(store.run_git(root, "rev-list", "--count", spec).stdout.strip() or 0)


def _fetch(root: Path, remote: str, branch: str) -> Optional[str]:
    proc = store.run_git(root, "fetch", "-q", remote, check=False, timeout=store.network_timeout())
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or [""])[-1]
        raise GitError(f"无法从远程仓库 {remote} 获取（{tail}）；请检查网络或地址后重试，本地数据未改动")
    ref = f"refs/remotes/{remote}/{branch}"
    found = store.run_git(root, "rev-parse", "--verify", "-q", ref, check=False).stdout.strip()
    return ref if found else None


def sync(root: Path, keep_both: bool = False, attempts: int = MAX_ATTEMPTS) -> SyncResult:
    with writes.locked(root):
        if store.run_git(root, "status", "--porcelain", "--untracked-files=no").stdout.strip():
            raise GitError("有未提交的修改，请先提交或撤销（git status 查看）后再同步")
        remote, branch = store.upstream(root)
        received = reapplied = 0
        for attempt in range(1, attempts + 1):
            ref = _fetch(root, remote, branch)
            if ref:
                with writes.integrating(root):
                    got, again = _integrate(root, ref, keep_both)
                received += got
                reapplied += again
            sent = _count(root, f"{ref}..HEAD") if ref else _count(root, "HEAD")
            if sent == 0:
                return SyncResult(remote, branch, received, 0, attempt, reapplied)
            push = store.run_git(root, "push", "-q", remote, f"HEAD:refs/heads/{branch}", check=False,
                                 timeout=store.network_timeout())
            if push.returncode == 0:
                return SyncResult(remote, branch, received, sent, attempt, reapplied)
            # "[rejected]" (someone pushed first) and a ref the server could not lock or move because a
            # concurrent push moved it are worth another round; a hook's refusal, or a lock file left by a
            # push that died there, never goes away by retrying.
            if not transient(push.stderr):
                raise GitError(_push_failure(remote, push.stderr))
            time.sleep(min(0.1 * 2 ** attempt, 4.0) * (0.5 + random.random()))
        raise GitError(f"推送到 {remote} 连续 {attempts} 次被拒绝（其他处室正在推送）；本地提交仍在，请稍后再次同步")


TRANSIENT = ("but expected", "failed to update ref", "fetch first", "non-fast-forward", "stale info",
             "incorrect old value")


def transient(stderr: str) -> bool:
    """A rejection caused by a concurrent push: fetch, re-integrate, retry."""
    if "yytrack" in stderr or "File exists" in stderr:
        return False
    return "[rejected]" in stderr or any(mark in stderr for mark in TRANSIENT)


def _push_failure(remote: str, stderr: str) -> str:
    """One line: git's most telling line (a lock file, an error), not its closing hint."""
    lines = [line.strip().removeprefix("remote:").strip() for line in stderr.splitlines() if line.strip()]
    telling = (next((line for line in lines if ".lock" in line), None)
               or next((line for line in lines if "yytrack" in line), None)
               or next((line for line in lines if line.lower().startswith(("error", "fatal", "错误", "致命错误"))), None)
               or (lines[-1] if lines else ""))
    advice = ("如确认共享仓库上没有正在进行的推送，删除其中这个 .lock 文件后再同步" if ".lock" in telling
              else "可稍后再次同步")
    return f"推送到 {remote} 失败（{telling}）；本地提交仍在，{advice}"


def _integrate(root: Path, ref: str, keep_both: bool) -> Tuple[int, int]:
    """Bring the remote's commits in under ours; return (received, re-applied)."""
    incoming = _count(root, f"HEAD..{ref}")
    if incoming == 0:
        return 0, 0
    if _count(root, f"{ref}..HEAD") == 0:
        store.run_git(root, "merge", "-q", "--ff-only", ref)
        return incoming, 0
    rebase = store.run_git(root, "rebase", "-q", ref, check=False)
    if rebase.returncode == 0:
        return incoming, 0
    store.run_git(root, "rebase", "--abort", check=False)
    collisions = _collisions(root, ref)
    if not keep_both or not collisions:
        raise SyncConflict(_conflict_message(collisions))
    return incoming, _reapply(root, ref)


def _collisions(root: Path, ref: str) -> List[Tuple[str, str, str]]:
    """(path, local commit line, remote commit line) for files changed on both sides."""
    base = store.run_git(root, "merge-base", "HEAD", ref).stdout.strip()
    ours = set(store.run_git(root, "diff", "--name-only", "-z", base, "HEAD").stdout.split("\0")) - {""}
    theirs = set(store.run_git(root, "diff", "--name-only", "-z", base, ref).stdout.split("\0")) - {""}
    found = []
    for path in sorted(ours & theirs):
        local = store.run_git(root, "log", "-1", "--format=%h %s（%an）", f"{ref}..HEAD", "--", path).stdout.strip()
        other = store.run_git(root, "log", "-1", "--format=%h %s（%an）", f"HEAD..{ref}", "--", path).stdout.strip()
        found.append((path, local, other))
    return found


def _conflict_message(collisions) -> str:
    if not collisions:
        return "与远程仓库的修改冲突（任务文件被两处同时修改），已中止同步，本地数据未改动；请联系管理员处理"
    path, local, other = collisions[0]
    more = f"等 {len(collisions)} 处" if len(collisions) > 1 else ""
    return (f"同一进展记录{more}在两处都有修改：本地 {local}；远程 {other}（{path}）。已中止同步，两条都未丢失；"
            "如两条都应保留，运行 yytrack sync --keep-both")


def _reapply(root: Path, ref: str) -> int:
    """Move onto the remote and re-record each local update from its structured data."""
    local = history.read_log(root, ["progress"], rev=f"{ref}..HEAD")[::-1]
    others = store.run_git(root, "rev-list", f"{ref}..HEAD", "--invert-grep", f"--grep=^{store.TRAILER_PREFIX}")
    if others.stdout.strip():
        raise SyncConflict("本地有非 yytrack 的提交与远程冲突，无法自动合并；请手工 git rebase 处理")
    backup = f"refs/yytrack/backup/{dt.datetime.now():%Y%m%d%H%M%S}"
    store.run_git(root, "update-ref", backup, "HEAD")
    try:
        store.run_git(root, "reset", "-q", "--hard", ref)
        for commit in local:
            _reapply_one(root, commit)
    except BaseException:
        store.run_git(root, "reset", "-q", "--hard", backup)
        raise
    return len(local)


def _reapply_one(root: Path, commit: history.Commit) -> None:
    from yytrack.repo import yamlio

    changed = history.changed_files(root, commit.id)
    for path in changed:
        text = history.file_at(root, commit.id, path)
        if path.endswith(".yaml") and text is not None:
            _append_entries(root, path, text)
        elif text is not None:
            raw = store.run_git(root, "cat-file", "blob", f"{commit.id}:{path}").stdout
            yamlio.write_atomic(root / path, raw)
    store.run_git(root, "add", "--", *changed)
    name, email = commit.author.rsplit(" <", 1)
    env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email.rstrip(">"), "GIT_AUTHOR_DATE": commit.authored}
    message = store.run_git(root, "log", "-1", "--format=%B", commit.id).stdout
    store.run_git(root, "commit", "-q", "--cleanup=verbatim", "-F", "-", "--", *changed, input_text=message, env=env)


def _append_entries(root: Path, path: str, theirs_text: str) -> None:
    """Append the entries of our version that the current file lacks, keeping its own entries."""
    from yytrack.repo import yamlio

    ours = yamlio.parse_fast(theirs_text, path) or {}
    target = root / path
    current = yamlio.load_fast(target) if target.exists() else {}
    list_key = "reviews" if path.endswith("_review.yaml") else "updates"
    have = (current or {}).get(list_key) or []
    missing = [e for e in ours.get(list_key) or [] if e not in have]
    for entry in missing:
        if list_key == "reviews":
            review = records.Review(ours.get("measure", ""), entry["decision"], records.files.to_date(entry["date"]),
                                    entry.get("note", ""), entry.get("author", ""), entry.get("recorded", ""))
            records.append_review(target, review)
            continue
        update = records.update_from_dict(entry, ours["measure"], ours["unit"], path)
        previous = records.read_current(target, update.measure, update.unit)
        records.append_update(target, update, previous)
