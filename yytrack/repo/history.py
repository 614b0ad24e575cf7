"""Reading history: commits with their trailers from one `git log`, file versions from one `git cat-file`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Tuple

from yytrack.errors import GitError
from yytrack.repo.streams import stream_texts
from yytrack.repo.store import TRAILER_PREFIX, head_commit, run_git

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


def split_message(message: str) -> Tuple[str, str, Tuple[Tuple[str, str], ...]]:
    """(subject, note, trailers) of a commit message: the trailers are its last paragraph when every line
    of it is a Yytrack trailer, else the Yytrack trailer lines at its very end."""
    message = message.rstrip("\n")
    body, blank, last = message.rpartition("\n\n")
    block = last.split("\n")
    if blank and all(line.startswith(TRAILER_PREFIX) and ": " in line for line in block):
        trailers = tuple(tuple(line[len(TRAILER_PREFIX):].split(": ", 1)) for line in block)
        subject, _, rest = body.partition("\n")
        return subject, rest.strip(), trailers  # type: ignore[return-value]
    lines = message.split("\n")
    found = []
    while lines and lines[-1].startswith(TRAILER_PREFIX) and ": " in lines[-1]:
        key, value = lines.pop()[len(TRAILER_PREFIX):].split(": ", 1)
        found.append((key, value))
    found.reverse()
    return (lines[0] if lines else ""), "\n".join(lines[1:]).strip(), tuple(found)


def _parse_commit(chunk: str) -> Optional[Commit]:
    fields = chunk.split("\x1f", 5)
    if len(fields) < 6:
        return None
    cid, name, email, authored, committed, message = fields
    subject, note, trailers = split_message(message)
    return Commit(cid, f"{name} <{email}>", email, authored, committed, subject, note, trailers)


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


def read_period_log(root: Path, folder: str, since: str, until: str) -> List[Commit]:
    """`read_log(root, [folder], since, until)`, the same commits in the same order, without a tree
    comparison for every commit from HEAD back to the period.

    With a path, git compares trees for each commit it walks, also the many newer than the period (an
    old month at 10^5 updates: a second and 200 MB). Without one, git only reads commit dates; the files
    each commit in the period changed (`--name-only`) then say which touched the folder. In a history
    without merges that is exactly git's own path filter; with a merge since the period began, or a file
    name git quotes, git's path filter answers as before."""
    if head_commit(root) is None:
        return []
    merges = run_git(root, "rev-list", "--min-parents=2", "--max-count=1", f"--since={since}", "HEAD").stdout
    if merges.strip():
        return read_log(root, [folder], since, until)
    out = run_git(root, "log", f"--format={LOG_FORMAT}%x1d", "--no-color", "--name-only", "--no-renames", "--root",
                  f"--grep=^{TRAILER_PREFIX}", f"--since={since}", f"--until={until}", "HEAD").stdout
    prefix = folder.rstrip("/") + "/"
    found = []
    for chunk in out.split("\x1e"):
        text, mark, names = chunk.rpartition("\x1d")
        if not mark:
            continue
        paths = names.split("\n")
        if any(p.startswith('"') for p in paths):
            return read_log(root, [folder], since, until)
        commit = _parse_commit(text) if any(p.startswith(prefix) for p in paths) else None
        if commit is not None:
            found.append(commit)
    return found


def stream_log(root: Path, paths: Sequence[str] = (), since: Optional[str] = None, until: Optional[str] = None,
               grep: Sequence[str] = (TRAILER_PREFIX,)) -> Iterator[Commit]:
    """The commits of `read_log`, newest first, parsed as `git log` prints them: memory does not grow with
    the length of history, and the first commit is ready before git has read the last."""
    for chunk in log_chunks(root, LOG_FORMAT, paths, since, until, grep):
        commit = _parse_commit(chunk)
        if commit is not None:
            yield commit


def log_chunks(root: Path, fmt: str, paths: Sequence[str], since: Optional[str], until: Optional[str],
               grep: Sequence[str]) -> Iterator[str]:
    """The text of each commit `git log --format=<fmt>` prints (fmt starts each with \\x1e), as it comes."""
    for text in log_texts(root, fmt, paths, since, until, grep):
        yield from (chunk for chunk in text.split("\x1e") if chunk.strip())


def log_texts(root: Path, fmt: str, paths: Sequence[str], since: Optional[str], until: Optional[str],
              grep: Sequence[str]) -> Iterator[str]:
    """What `git log --format=<fmt>` prints, in pieces of about a megabyte that end where a commit ends
    (fmt starts each commit with \\x1e; \\x1e never falls inside a UTF-8 sequence)."""
    args = ["log", f"--format={fmt}", "--no-color"]
    args += [f"--grep=^{pattern}" for pattern in grep]  # any of them
    args += [f"--since={since}"] if since else []
    args += [f"--until={until}", "HEAD", "--", *paths] if until else ["HEAD", "--", *paths]
    try:
        # GIT_FLUSH=0: git writes in full buffers rather than once per commit, which would cost both sides a
        # system call and a wake-up per commit.
        yield from stream_texts(root, args, env={"GIT_FLUSH": "0"})
    except GitError:
        if head_commit(root) is not None:  # an empty repository simply has no history
            raise


def record_log(root: Path, path: str, since: Optional[str], until: Optional[str]) -> Iterator[Commit]:
    """Commits that wrote records under path (progress/, progress/<plan>, progress/<plan>/<measure>)."""
    if path.strip("/") == "progress":
        # Such commits say so in their trailers: asking by trailer rather than by path spares git a tree
        # comparison per commit (a fresh clone has no commit-graph to skip them).
        return stream_log(root, [], since, until, grep=("Yytrack-Measure: ", "Yytrack-Units-Merge: "))
    return stream_log(root, [path], since, until)


def log_key(commit: Commit) -> Tuple[str, float]:
    """Order of `yytrack log`: the day the entry refers to, then when it was committed."""
    try:
        when = dt.datetime.fromisoformat(commit.committed).timestamp()
    except ValueError:
        when = 0.0
    return commit.trailer("Date") or commit.authored[:10], when


def changed_files(root: Path, commit: str) -> List[str]:
    out = run_git(root, "diff-tree", "--root", "--no-commit-id", "-r", "--name-only", "-z", commit).stdout
    return [p for p in out.split("\0") if p]


def file_at(root: Path, commit: str, path: str) -> Optional[str]:
    proc = run_git(root, "show", f"{commit}:{path}", check=False)
    return proc.stdout if proc.returncode == 0 else None
