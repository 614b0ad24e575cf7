"""The only module that runs git: find the repository, lock it, commit with trailers, read history.

Hot paths (update, log, report) call the git binary directly through one small runner: it is an
order of magnitude faster than GitPython's index writes and per-commit object access. GitPython is
used where it serves and speed does not matter (sync, hook installation, init).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from yytrack.errors import GitError, MissingIdentity, NotATrackingRepo

TRAILER_PREFIX = "Yytrack-"
GIT_CONFIG = ["-c", "core.quotepath=off", "-c", "i18n.commitEncoding=utf-8", "-c", "i18n.logOutputEncoding=utf-8",
              # Nothing a repository's own config (or a work-tree file it includes) names is run by yytrack's
              # git calls: no hooks, no fsmonitor, no pager, no external diff, no signing program of its choice.
              "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "core.pager=cat",
              "-c", "diff.external=", "-c", "gpg.program=gpg", "-c", "gpg.x509.program=gpgsm",
              "-c", "gpg.ssh.program=ssh-keygen", "-c", "gpg.ssh.defaultKeyCommand="]
# Signing stays on only as `yytrack signing setup` configures it (SSH format, a key file, commit.gpgSign);
# any other signing setup a received repository carries is switched off rather than run.
NO_SIGNING = ["-c", "commit.gpgSign=false", "-c", "tag.gpgSign=false"]
_SIGNING_KEYS = ("gpg.format", "user.signingkey", "commit.gpgsign")
# filter.<driver>.clean/smudge/process and merge.<driver>.driver choose programs through .gitattributes,
# which anyone may commit; the drivers a repository's config defines are neutralised per repository.
_DRIVER_KEYS = (r"^(filter\..+\.(clean|smudge|process)|merge\..+\.driver|diff\..+\.(textconv|command)"
                r"|gpg\.format|user\.signingkey|commit\.gpgsign)$")
# Read in the same call, so that a write needs no more git processes for them.
_OTHER_KEYS = ("user.email", "core.bare")
_config_read: Dict[str, List[Tuple[str, str]]] = {}
_driver_overrides: Dict[str, List[str]] = {}


def _config_pairs(root: Path) -> List[Tuple[str, str]]:
    """(name, value) of the driver, signing and _OTHER_KEYS settings, read once per process and root."""
    key = str(root)
    if key not in _config_read:
        pattern = _DRIVER_KEYS[:-2] + "|" + "|".join(k.replace(".", "\\.") for k in _OTHER_KEYS) + ")$"
        try:
            proc = subprocess.run(["git", *GIT_CONFIG, "config", "--get-regexp", pattern],
                                  cwd=key, capture_output=True, timeout=30)
            lines = proc.stdout.decode("utf-8", "replace").splitlines() if proc.returncode == 0 else []
        except (OSError, subprocess.SubprocessError):
            lines = []
        _config_read[key] = [tuple((line.split(" ", 1) + [""])[:2]) for line in lines if line.strip()]
    return _config_read[key]


def config_value(root: Path, name: str) -> str:
    """The last value of one of _OTHER_KEYS ("" when unset), from the one config read."""
    values = [v.strip() for n, v in _config_pairs(root) if n == name]
    return values[-1] if values else ""


def program_overrides(root: Path) -> List[str]:
    """`-c` pairs that switch off every filter, merge and diff driver the repository's config defines."""
    key = str(root)
    if key not in _driver_overrides:
        pairs = [(n, v) for n, v in _config_pairs(root) if n not in _OTHER_KEYS]
        signing = {name: value.strip() for name, value in pairs if name in _SIGNING_KEYS}
        ssh_signing = (signing.get("gpg.format") == "ssh" and signing.get("user.signingkey")
                       and signing.get("commit.gpgsign", "").lower() in ("true", "yes", "on", "1"))
        found = [] if ssh_signing else list(NO_SIGNING)
        for name in (n for n, _ in pairs if n not in _SIGNING_KEYS):
            value = "false" if name.endswith(".driver") else ""
            found += ["-c", f"{name}={value}"]
            if name.startswith("filter."):
                found += ["-c", f"{name.rsplit('.', 1)[0]}.required=false"]
        _driver_overrides[key] = found
    return _driver_overrides[key]


def git_command(root: Path, *args: str) -> List[str]:
    return ["git", *GIT_CONFIG, *program_overrides(root), *args]


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
    data = None if input_text is None else input_text.encode("utf-8")
    try:
        if timeout is None:
            proc = subprocess.run(git_command(root, *args), cwd=str(root), env=full_env, capture_output=True,
                                  input=data)
        else:
            proc = _run_in_group(git_command(root, *args), root, full_env, data, timeout)
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


def _run_in_group(command: List[str], root: Path, env: Dict[str, str], data: Optional[bytes],
                  timeout: float) -> subprocess.CompletedProcess:
    """A network call in its own process group: on timeout the whole group (git remote-http, ssh…) is killed."""
    import signal

    proc = subprocess.Popen(command, cwd=str(root), env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(data, timeout=timeout)
    except BaseException:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.communicate()
        raise
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


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


def head_symref(root: Path) -> Optional[str]:
    """The branch HEAD names ("refs/heads/main"), "" when HEAD is detached, None when git must be asked
    (HEAD unreadable, or a ref storage other than files)."""
    try:
        text = (git_dir(root) / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
    if text.startswith("ref: "):
        ref = text[5:].strip()
        return None if ref.endswith("/.invalid") else ref
    return "" if _is_object_id(text) else None


def _is_object_id(text: str) -> bool:
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)


def head_after_commit(root: Path) -> Optional[str]:
    """HEAD right after our own commit: the branch's loose ref, which `git commit` has just written;
    git is asked when the ref is not a plain file (a worktree, another ref storage)."""
    ref = head_symref(root)
    if ref and ref.startswith("refs/heads/") and ".." not in ref:
        try:
            text = (git_dir(root) / ref).read_text(encoding="ascii").strip()
            if _is_object_id(text):
                return text
        except (OSError, UnicodeDecodeError):
            pass
    return head_commit(root)


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
