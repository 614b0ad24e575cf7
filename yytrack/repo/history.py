"""Reading history: commits with their trailers from one `git log`, file versions from one `git cat-file`."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from yytrack.repo.store import TRAILER_PREFIX, git_command, head_commit, run_git

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


@dataclass(frozen=True)
class LoggedCommit:
    commit: Commit
    """Message, author and trailers."""
    parents: Tuple[str, ...]
    """Parent commit ids."""
    files: Tuple[str, ...]
    """Paths the commit changed (against its first parent)."""


def read_commits(root: Path, revs: Sequence[str]) -> List[LoggedCommit]:
    """Commits in revs (e.g. ["HEAD"], ["A..B"], [new, "--not", "--all"]), oldest first."""
    fmt = "%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%aI%x1f%cI%x1f%B%x1d"
    out = run_git(root, "log", "--reverse", "--no-color", "--no-renames", "--name-only",
                        f"--format={fmt}", *revs, "--").stdout
    result = []
    for chunk in out.split("\x1e"):
        if not chunk.strip():
            continue
        head, _, names = chunk.partition("\x1d")
        cid, parents, rest = head.split("\x1f", 2)
        parsed = _parse_commit(f"{cid}\x1f{rest}")
        if parsed is not None:
            files = tuple(n for n in names.split("\n") if n.strip())
            result.append(LoggedCommit(parsed, tuple(parents.split()), files))
    return result


class BlobReader:
    """`git cat-file --batch` kept open: one process answers every `rev:path` question."""

    def __init__(self, root: Path):
        self.proc = subprocess.Popen(git_command(root, "cat-file", "--batch"), cwd=str(root), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)

    def read(self, rev: str, path: str) -> Optional[str]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"{rev}:{path}\n".encode("utf-8"))
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().decode("utf-8", "replace").split()
        if len(header) < 3 or header[1] != "blob":
            return None
        data = self.proc.stdout.read(int(header[2]) + 1)[:-1]
        return data.decode("utf-8", "replace")

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait()
