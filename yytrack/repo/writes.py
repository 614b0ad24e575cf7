"""Writing safely: one writer at a time, a journal that undoes a killed writer's files, and commits of
exactly the paths written, with their trailers."""

from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Tuple

from yytrack.errors import GitError, LockTimeout, NotATrackingRepo
from yytrack.repo import safepath, store
from yytrack.repo.store import TRAILER_PREFIX, Identity, git_dir, head_commit, run_git

LOCK_TIMEOUT_SECONDS = 60


def _wait_for_index(gd: Path) -> None:
    """A git process of a writer that was killed may still be finishing: give it a moment."""
    for _ in range(50):
        if not (gd / "index.lock").exists():
            return
        time.sleep(0.1)
    raise GitError(f"git 索引被锁定（{gd / 'index.lock'}）；如确认没有其他 git 程序在运行，删除该文件后重试")


def ensure_writable_state(root: Path) -> None:
    """Refuse to write while git is in the middle of something a commit would disturb."""
    gd = git_dir(root)
    for marker, what in (("MERGE_HEAD", "合并"), ("rebase-merge", "变基"), ("rebase-apply", "变基"),
                         ("CHERRY_PICK_HEAD", "拣选"), ("REVERT_HEAD", "还原")):
        if (gd / marker).exists():
            raise GitError(f"仓库正处于未完成的{what}中，请先完成或中止（git status 查看）后再操作")
    _wait_for_index(gd)
    # HEAD and the config read already made tell it without another git process; git decides otherwise.
    branch = store.head_symref(root)
    if branch is None or store.config_value(root, "core.bare").lower() in ("true", "yes", "on", "1"):
        _ask_git_about_worktree(root)
    elif branch == "":
        raise GitError(DETACHED)


DETACHED = "当前处于分离头指针（detached HEAD）状态，请先切换到分支：git switch main"


def _ask_git_about_worktree(root: Path) -> None:
    inside = run_git(root, "rev-parse", "--is-inside-work-tree", "--symbolic-full-name", "HEAD", check=False)
    answer = inside.stdout.split()
    if not answer or answer[0] != "true":
        raise NotATrackingRepo(f"{root} 不是 git 仓库的工作目录，无法记录；请在跟踪仓库（git clone 得到的目录）中操作")
    detached = (answer[1:] == ["HEAD"] and inside.returncode == 0) or (  # unborn: HEAD too, but exit 128
        inside.returncode != 0 and run_git(root, "symbolic-ref", "-q", "HEAD", check=False).returncode != 0)
    if detached:
        raise GitError(DETACHED)


# ---------------------------------------------------------------- lock and commit


@contextmanager
def locked(root: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Serialize yytrack writers in one clone. The OS releases the lock when a process dies."""
    if not git_dir(root).is_dir():  # opening the lock would create the folder: a stray .git in a plain folder
        raise NotATrackingRepo(f"{root} 不是 git 仓库的工作目录，无法记录；请在跟踪仓库（git clone 得到的目录）中操作")
    path = git_dir(root) / "yytrack.lock"
    try:
        fd = _acquire(path, timeout)
    except OSError as e:
        raise GitError(f"无法创建锁文件 {path}（{e.strerror}）：仓库所在位置只读或磁盘已满，未做任何修改") from e
    try:
        recover_sync(root)  # before the state check: a sync that died may have left its rebase behind
        # Then wait out a killed writer's git child (index.lock), so that the undo below is not refused.
        ensure_writable_state(root)
        recover(root)
        sweep_leftovers(root)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(path: Path, timeout: float) -> int:
    """An exclusive lock held by an open descriptor: flock (POSIX) or msvcrt.locking (Windows), which cost
    nothing to import, where the filelock package costs more than the rest of `update`'s start."""
    fd = os.open(str(path), os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    while True:
        try:
            _try_lock(fd)
            return fd
        except (BlockingIOError, PermissionError):
            if time.monotonic() >= deadline:
                os.close(fd)
                raise LockTimeout(f"另一个 yytrack 进程正在写入本仓库（锁文件 {path}），请稍后重试") from None
            time.sleep(0.05)
        except OSError:
            os.close(fd)
            raise


def _try_lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as e:  # held by another process
            raise BlockingIOError(*e.args) from e
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


LEFTOVER_FOLDERS = ("tasks", "progress", "reports", "templates")


def sweep_leftovers(root: Path) -> None:
    """Temporary files of writers that were killed (a live writer's are left alone): every command starts
    with this, so a kill leaves nothing that survives the next command."""
    for name in LEFTOVER_FOLDERS:
        safepath.sweep_temporaries(root / name)
    safepath.sweep_temporaries(git_dir(root) / "yytrack", depth=2)


def _journal(root: Path) -> Path:
    return git_dir(root) / "yytrack-pending.json"


def recover(root: Path) -> None:
    """Undo the file writes of a yytrack process that died before its commit."""
    journal = _journal(root)
    if not journal.exists():
        return
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        journal.unlink(missing_ok=True)
        return
    if head_commit(root) == data.get("head"):
        restore(root, data.get("tracked", []), data.get("new", []))
    journal.unlink(missing_ok=True)


def _sync_journal(root: Path) -> Path:
    return git_dir(root) / "yytrack-sync.json"


@contextmanager
def integrating(root: Path) -> Iterator[None]:
    """Around a sync's moves of HEAD (fast-forward, rebase, re-applying): whatever stops it, even a kill,
    HEAD goes back to where it was, with every local commit on it; the remote's are fetched again."""
    journal = _sync_journal(root)
    try:
        journal.write_text(json.dumps({"head": head_commit(root)}), encoding="utf-8")
    except OSError as e:
        journal.unlink(missing_ok=True)
        raise GitError(f"无法写入 {journal}（{e.strerror}，可能是只读或磁盘已满）；未做任何修改") from e
    try:
        yield
    except BaseException:
        recover_sync(root)
        raise
    journal.unlink(missing_ok=True)


def recover_sync(root: Path) -> None:
    """Undo the half-done integration of a sync that died (see `integrating`)."""
    journal = _sync_journal(root)
    if not journal.exists():
        return
    try:
        head = json.loads(journal.read_text(encoding="utf-8"))["head"]
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)
        return
    gd = git_dir(root)
    _wait_for_index(gd)
    if (gd / "rebase-merge").exists() or (gd / "rebase-apply").exists():
        run_git(root, "rebase", "--abort", check=False)
    if head:
        run_git(root, "reset", "-q", "--hard", head)
    journal.unlink(missing_ok=True)


def restore(root: Path, tracked: Sequence[str], new: Sequence[str]) -> None:
    if tracked:
        run_git(root, "checkout", "-q", "HEAD", "--", *tracked, check=False)
        run_git(root, "reset", "-q", "--", *tracked, check=False)
    for rel in new:
        run_git(root, "rm", "-q", "-r", "--cached", "--ignore-unmatch", "--", rel, check=False)
        target = root / rel
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)
    # A writer killed inside yamlio.write_atomic leaves its temporary file next to the target.
    for folder in {(root / rel) if (root / rel).is_dir() else (root / rel).parent for rel in (*tracked, *new)}:
        for stray in folder.glob(".yytrack-*.tmp"):
            stray.unlink(missing_ok=True)


def path_state(root: Path, paths: Sequence[str]) -> Tuple[Optional[str], List[str]]:
    """(HEAD commit or None on an unborn branch, paths with uncommitted changes) in one git call."""
    out = run_git(root, "status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all", "--", *paths).stdout
    head, dirty = None, []
    for item in filter(None, out.split("\0")):
        if item.startswith("# branch.oid "):
            oid = item.split()[-1]
            head = None if oid == "(initial)" else oid
        elif not item.startswith("#"):
            dirty.append(item.rsplit(" ", 1)[-1] if item[0] in "12u" else item[2:])
    return head, dirty


def dirty_paths(root: Path, paths: Sequence[str]) -> List[str]:
    return path_state(root, paths)[1]


def commit_paths(root: Path, paths: Sequence[str], message: str, who: Identity, write) -> str:
    """Write files (via the callable), commit exactly those paths, and return the new commit id.

    On any failure the files, the index entries and HEAD are restored to what they were.
    """
    head, dirty = path_state(root, paths)
    if dirty:
        raise GitError(f"这些文件有未提交的修改，请先提交或撤销：{'、'.join(dirty[:3])}")
    tracked = [p for p in paths if (root / p).exists()]  # clean and there: tracked; the others will be new
    new = [p for p in paths if not (root / p).exists()]
    if head is None:
        raise GitError("仓库还没有任何提交（任务文件尚未提交），请先提交 tasks/ 或用 yytrack init 新建跟踪仓库")
    journal = _journal(root)
    try:
        journal.write_text(json.dumps({"head": head, "tracked": tracked, "new": new}, ensure_ascii=False),
                           encoding="utf-8")
    except OSError as e:  # nothing written yet
        journal.unlink(missing_ok=True)
        raise GitError(f"无法写入 {journal}（{e.strerror}，可能是只读或磁盘已满）；未做任何修改") from e
    # --author names the author only; the committer stays whoever runs the command (their git identity),
    # and is borrowed from the author only where git has no identity at all.
    env = {"GIT_AUTHOR_NAME": who.name, "GIT_AUTHOR_EMAIL": who.email}
    if not who.from_config and not store.config_value(root, "user.email"):
        env.update(GIT_COMMITTER_NAME=who.name, GIT_COMMITTER_EMAIL=who.email)
    try:
        write()
        if new:  # `git commit -- paths` stages tracked paths itself; only new files need adding first
            run_git(root, "add", "--", *new)
        # verbatim: the note in the history is byte for byte the note in the record
        run_git(root, "commit", "-q", "--cleanup=verbatim", "-F", "-", "--", *paths, input_text=message, env=env)
    except OSError as e:
        restore(root, tracked, new)
        journal.unlink(missing_ok=True)
        raise GitError(f"无法写入 {e.filename or '文件'}（{e.strerror}，可能是只读或磁盘已满）；已恢复原状") from e
    except BaseException:
        restore(root, tracked, new)
        journal.unlink(missing_ok=True)
        raise
    journal.unlink(missing_ok=True)
    return store.head_after_commit(root) or ""


def trailer_block(trailers: Sequence[Tuple[str, str]]) -> str:
    return "\n".join(f"{TRAILER_PREFIX}{key}: {value}" for key, value in trailers)
