"""The only module that runs git: find the repository, lock it, commit with trailers, read history.

Hot paths (update, log, report) call the git binary directly through one small runner: it is an
order of magnitude faster than GitPython's index writes and per-commit object access. GitPython is
used where it serves and speed does not matter (sync, hook installation, init).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from yytrack.errors import GitError, LockTimeout, MissingIdentity, NotATrackingRepo

TRAILER_PREFIX = "Yytrack-"
LOCK_TIMEOUT_SECONDS = 60
GIT_CONFIG = ["-c", "core.quotepath=off", "-c", "i18n.commitEncoding=utf-8", "-c", "i18n.logOutputEncoding=utf-8"]


def network_timeout() -> float:
    """Seconds a fetch or push may take: a server that accepts and then stays silent would hang git forever."""
    try:
        return max(float(os.environ.get("YYTRACK_NETWORK_TIMEOUT", "") or 300), 1.0)
    except ValueError:
        return 300.0


def run_git(root: Path, *args: str, input_text: Optional[str] = None, check: bool = True,
            env: Optional[Dict[str, str]] = None, timeout: Optional[float] = None) -> subprocess.CompletedProcess:
    """Run git in root with UTF-8 in and out; raise GitError on a non-zero exit when check is set."""
    full_env = dict(os.environ)
    full_env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"})
    full_env.update(env or {})
    try:
        proc = subprocess.run(
            ["git", *GIT_CONFIG, *args], cwd=str(root), env=full_env, capture_output=True,
            input=None if input_text is None else input_text.encode("utf-8"), timeout=timeout,
        )
    except FileNotFoundError as e:
        raise GitError("找不到 git 程序，请先安装 git 并确保它在 PATH 中") from e
    except subprocess.TimeoutExpired as e:
        raise GitError(f"git {args[0]} 超过 {timeout:g} 秒没有完成（远程仓库无响应？），已停止；"
                       "本地数据未改动，请检查网络后重试") from e
    result = subprocess.CompletedProcess(proc.args, proc.returncode,
                                         proc.stdout.decode("utf-8", "replace"),
                                         proc.stderr.decode("utf-8", "replace"))
    if check and proc.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1:] or [""]
        raise GitError(f"git {args[0]} 失败（退出码 {proc.returncode}）：{detail[0]}")
    return result


# ---------------------------------------------------------------- discovery


def find_root(start: Path) -> Path:
    """Walk up from start to the first folder with both .git and tasks/."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "tasks").is_dir() and (folder / ".git").exists():
            return folder
    raise NotATrackingRepo(f"{start} 及其上级目录都不是跟踪仓库（需要一个含 tasks/ 的 git 仓库）；"
                           "可用 yytrack init DIR 新建，或用 --repo 指定")


def git_dir(root: Path) -> Path:
    dot_git = root / ".git"
    if dot_git.is_file():  # a worktree or submodule: .git is a pointer file
        target = dot_git.read_text(encoding="utf-8").strip().removeprefix("gitdir:").strip()
        return (root / target).resolve()
    return dot_git


def head_commit(root: Path) -> Optional[str]:
    proc = run_git(root, "rev-parse", "--verify", "-q", "HEAD", check=False)
    return proc.stdout.strip() or None


def _wait_for_index(gd: Path) -> None:
    """A git process of a writer that was killed may still be finishing: give it a moment."""
    for _ in range(50):
        if not (gd / "index.lock").exists():
            return
        time.sleep(0.1)
    raise GitError(f"git 索引被锁定（{gd / 'index.lock'}）；如确认没有其他 git 程序在运行，删除该文件后重试")


def ensure_writable_state(root: Path) -> None:
    """Refuse to write while git is in the middle of something a commit would disturb."""
    inside = run_git(root, "rev-parse", "--is-inside-work-tree", "--symbolic-full-name", "HEAD", check=False)
    answer = inside.stdout.split()
    if not answer or answer[0] != "true":
        raise NotATrackingRepo(f"{root} 不是 git 仓库的工作目录，无法记录；请在跟踪仓库（git clone 得到的目录）中操作")
    gd = git_dir(root)
    for marker, what in (("MERGE_HEAD", "合并"), ("rebase-merge", "变基"), ("rebase-apply", "变基"),
                         ("CHERRY_PICK_HEAD", "拣选"), ("REVERT_HEAD", "还原")):
        if (gd / marker).exists():
            raise GitError(f"仓库正处于未完成的{what}中，请先完成或中止（git status 查看）后再操作")
    _wait_for_index(gd)
    detached = (answer[1:] == ["HEAD"] and inside.returncode == 0) or (  # unborn: HEAD too, but exit 128
        inside.returncode != 0 and run_git(root, "symbolic-ref", "-q", "HEAD", check=False).returncode != 0)
    if detached:
        raise GitError("当前处于分离头指针（detached HEAD）状态，请先切换到分支：git switch main")


# ---------------------------------------------------------------- identity


@dataclass(frozen=True)
class Identity:
    name: str
    """Person's name as git records it."""
    email: str
    """Person's email."""
    from_config: bool = False
    """True when read from git config, which then also names the committer."""

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def parse_identity(text: str) -> Identity:
    text = (text or "").strip()
    if "<" in text and text.endswith(">") and text.isprintable():  # a line break would forge commit headers
        name, email = text[:-1].split("<", 1)
        if name.strip() and "@" in email:
            return Identity(name.strip(), email.strip())
    raise MissingIdentity(f"--author 格式应为 \"姓名 <邮箱>\"，收到“{text}”")


def identity(root: Path, author: Optional[str]) -> Identity:
    if author:
        return parse_identity(author)
    out = run_git(root, "config", "--get-regexp", r"^user\.(name|email)$", check=False).stdout
    values = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
    name, email = values.get("user.name", "").strip(), values.get("user.email", "").strip()
    if not name or not email:
        raise MissingIdentity('没有设置提交身份：请运行 git config --global user.name "姓名" 和 '
                              'git config --global user.email "邮箱"，或使用 --author "姓名 <邮箱>"')
    return Identity(name, email, from_config=True)


# ---------------------------------------------------------------- lock and commit


@contextmanager
def locked(root: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Serialize yytrack writers in one clone. The OS releases the lock when a process dies."""
    from filelock import FileLock, Timeout

    if not git_dir(root).is_dir():  # FileLock would create the folder: a stray .git in a plain folder
        raise NotATrackingRepo(f"{root} 不是 git 仓库的工作目录，无法记录；请在跟踪仓库（git clone 得到的目录）中操作")
    path = git_dir(root) / "yytrack.lock"
    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout as e:
        raise LockTimeout(f"另一个 yytrack 进程正在写入本仓库（锁文件 {path}），请稍后重试") from e
    except OSError as e:
        raise GitError(f"无法创建锁文件 {path}（{e.strerror}）：仓库所在位置只读或磁盘已满，未做任何修改") from e
    try:
        recover_sync(root)  # before the state check: a sync that died may have left its rebase behind
        # Then wait out a killed writer's git child (index.lock), so that the undo below is not refused.
        ensure_writable_state(root)
        recover(root)
        yield
    finally:
        lock.release()


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
    # A writer killed inside files.write_atomic leaves its temporary file next to the target.
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
    # Clean paths that exist are tracked; the others will be new.
    tracked = [p for p in paths if (root / p).exists()]
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
    env = {"GIT_AUTHOR_NAME": who.name, "GIT_AUTHOR_EMAIL": who.email,
           "GIT_COMMITTER_NAME": who.name, "GIT_COMMITTER_EMAIL": who.email}
    if who.from_config:
        env = {k: v for k, v in env.items() if k.startswith("GIT_AUTHOR")}
    try:
        write()
        run_git(root, "add", "--", *paths)
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
    return head_commit(root) or ""


def trailer_block(trailers: Sequence[Tuple[str, str]]) -> str:
    return "\n".join(f"{TRAILER_PREFIX}{key}: {value}" for key, value in trailers)


# ---------------------------------------------------------------- history

LOG_FORMAT = "%x1e%H%x1f%aN%x1f%aE%x1f%aI%x1f%cI%x1f%B"


@dataclass(frozen=True)
class Commit:
    id: str
    """Full commit id."""
    author: str
    """`姓名 <email>`."""
    email: str
    """Author email alone."""
    authored: str
    """Author date, ISO 8601."""
    committed: str
    """Committer date, ISO 8601."""
    subject: str
    """First line of the message."""
    note: str
    """The message body without the trailers."""
    trailers: Tuple[Tuple[str, str], ...]
    """Yytrack trailers, key without the prefix, in order."""

    def trailer(self, key: str, default: str = "") -> str:
        return next((v for k, v in self.trailers if k == key), default)

    def trailer_all(self, key: str) -> List[str]:
        return [v for k, v in self.trailers if k == key]


def _parse_commit(chunk: str) -> Optional[Commit]:
    fields = chunk.split("\x1f", 5)
    if len(fields) < 6:
        return None
    cid, name, email, authored, committed, message = fields
    lines = message.rstrip("\n").split("\n")
    trailers = []
    while lines and lines[-1].startswith(TRAILER_PREFIX) and ": " in lines[-1]:
        key, value = lines.pop()[len(TRAILER_PREFIX):].split(": ", 1)
        trailers.append((key, value))
    trailers.reverse()
    subject = lines[0] if lines else ""
    note = "\n".join(lines[1:]).strip()
    return Commit(cid, f"{name} <{email}>", email, authored, committed, subject, note, tuple(trailers))


def read_log(root: Path, paths: Sequence[str] = (), since: Optional[str] = None, until: Optional[str] = None,
             rev: str = "HEAD", only_yytrack: bool = True) -> List[Commit]:
    """All commits in one `git log` call, newest first, bounded by dates and paths."""
    if head_commit(root) is None:
        return []
    args = ["log", f"--format={LOG_FORMAT}", "--no-color"]
    if only_yytrack:
        args.append(f"--grep=^{TRAILER_PREFIX}")
    if since:
        args.append(f"--since={since}")
    if until:
        args.append(f"--until={until}")
    args.append(rev)
    args += ["--", *paths] if paths else []
    out = run_git(root, *args).stdout
    commits = (_parse_commit(chunk) for chunk in out.split("\x1e") if chunk.strip())
    return [c for c in commits if c is not None]


def changed_files(root: Path, commit: str) -> List[str]:
    out = run_git(root, "diff-tree", "--root", "--no-commit-id", "-r", "--name-only", "-z", commit).stdout
    return [p for p in out.split("\0") if p]


def file_at(root: Path, commit: str, path: str) -> Optional[str]:
    proc = run_git(root, "show", f"{commit}:{path}", check=False)
    return proc.stdout if proc.returncode == 0 else None


def maintain(root: Path) -> None:
    """Commit-graph with changed-path Bloom filters: path-limited `git log` stays fast on long histories."""
    run_git(root, "commit-graph", "write", "--reachable", "--changed-paths")
    shutil.rmtree(git_dir(root) / "yytrack", ignore_errors=True)  # derived only: rebuilt on next read


# ---------------------------------------------------------------- repository facts (GitPython)
# Not on a hot path, so GitPython's object model reads better here than parsing porcelain output.


def _open_repo(path: Path):
    import git

    try:
        return git.Repo(str(path))
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as e:
        raise NotATrackingRepo(f"{path} 不是 git 仓库") from e


def is_bare(path: Path) -> bool:
    try:
        return path.is_dir() and _open_repo(path).bare
    except NotATrackingRepo:  # a plain folder is simply not a bare repository
        return False


def upstream(root: Path) -> Tuple[str, str]:
    """(remote, branch) to sync with: the branch's upstream, else origin/<current branch>."""
    repo = _open_repo(root)
    if repo.head.is_detached:
        raise GitError("当前处于分离头指针状态，无法同步；请先 git switch main")
    branch = repo.active_branch
    tracking = branch.tracking_branch()
    if tracking is not None:
        return tracking.remote_name, tracking.remote_head
    names = [r.name for r in repo.remotes]
    if not names:
        raise GitError("没有配置远程仓库；请先 git remote add origin <共享仓库地址>")
    return ("origin" if "origin" in names else names[0]), branch.name
