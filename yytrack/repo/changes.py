"""Commits with what they changed, for judging: `git rev-list` and `git diff-tree` streams, one `git cat-file --batch`.

Unlike `history.read_log`, every change carries the file modes and both blob ids, so a judge can
refuse links and submodules and compare the old and new bytes of a file without asking git again.
Author name and email are taken as written in the commit (no mailmap).
"""

from __future__ import annotations

import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from yytrack.repo.streams import stream_texts
from yytrack.repo.store import TRAILER_PREFIX, git_command, run_git

FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%B%x1d"
# git keeps up to 96 MB of delta bases by default; a record's versions form one long delta chain, and
# 16 MB reads them as fast while keeping every command's memory bounded.
SMALL_CACHE = ["-c", "core.deltaBaseCacheLimit=16m"]
KEEP_BYTES = 24 << 20  # blobs an audit keeps between batches (10^5 updates: 300 records of 60 KB fit)
ZERO = "0" * 40


@dataclass(frozen=True)
class FileChange:
    path: str
    """Repository path (as git prints it; a quoted path never matches a rule and is refused)."""
    status: str
    """A, M, D or T."""
    old_mode: str
    """Mode before (000000 when added)."""
    new_mode: str
    """Mode after (000000 when deleted)."""
    old: str
    """Blob id before (zeros when added)."""
    new: str
    """Blob id after (zeros when deleted)."""


@dataclass(frozen=True)
class Change:
    id: str
    """Commit id."""
    parents: Tuple[str, ...]
    """Parent ids."""
    name: str
    """Author name."""
    email: str
    """Author email."""
    authored: str
    """Author date, ISO 8601."""
    subject: str
    """First line of the message."""
    trailers: Tuple[Tuple[str, str], ...]
    """Yytrack trailers (key without the prefix)."""
    files: Tuple[FileChange, ...]
    """What changed against the first parent (nothing is listed for a merge)."""

    @property
    def author(self) -> str:
        return f"{self.name} <{self.email}>"

    def trailer(self, key: str, default: str = "") -> str:
        return next((v for k, v in self.trailers if k == key), default)

    def trailer_all(self, key: str) -> List[str]:
        return [v for k, v in self.trailers if k == key]


def _trailers(message: str) -> Tuple[str, Tuple[Tuple[str, str], ...]]:
    lines = message.rstrip("\n").split("\n")
    found = []
    while lines and lines[-1].startswith(TRAILER_PREFIX) and ": " in lines[-1]:
        key, value = lines.pop()[len(TRAILER_PREFIX):].split(": ", 1)
        found.append((key, value))
    return (lines[0] if lines else ""), tuple(reversed(found))


def _files(raw: str) -> Tuple[FileChange, ...]:
    out = []
    for line in raw.split("\n"):
        if not line.startswith(":") or "\t" not in line:
            continue
        meta, _, path = line[1:].partition("\t")
        parts = meta.split()
        if len(parts) >= 5:
            out.append(FileChange(path, parts[4][:1], parts[0], parts[1], parts[2], parts[3]))
    return tuple(out)


def read_changes(root: Path, revs: Sequence[str]) -> List[Change]:
    """Commits in revs, parents before children, with their raw changes."""
    return list(iter_changes(root, revs))


def iter_changes(root: Path, revs: Sequence[str]) -> Iterator[Change]:
    """The commits of `read_changes`, a batch at a time: memory does not grow with the length of history.

    One `git log --raw` over a long history holds every tree it compared (200 MB at 10^5 commits), so the
    ids come from `git rev-list` and their changes from one `git diff-tree --stdin` per batch."""
    ids = run_git(root, "rev-list", "--reverse", "--topo-order", *revs, "--").stdout.split()
    for start in range(0, len(ids), ID_BATCH):
        yield from _diff_tree(root, ids[start:start + ID_BATCH])


ID_BATCH = 4096


def _diff_tree(root: Path, ids: Sequence[str]) -> Iterator[Change]:
    # --always: a merge is listed too (with no files), so that the judge sees and refuses it
    args = [*SMALL_CACHE, "diff-tree", "--stdin", "--root", "--always", "-r", "--raw", "--no-abbrev",
            "--no-renames", "--no-color", f"--format={FORMAT}"]
    for text in stream_texts(root, args, data="".join(f"{i}\n" for i in ids).encode("ascii")):
        for chunk in text.split("\x1e"):
            change = _change(chunk) if chunk.strip() else None
            if change is not None:
                yield change


def _change(chunk: str) -> Optional[Change]:
    head, _, raw = chunk.partition("\x1d")
    fields = head.split("\x1f", 5)
    if len(fields) < 6:
        return None
    cid, parents, name, email, authored, message = fields
    subject, trailers = _trailers(message)
    return Change(cid, tuple(parents.split()), name, email, authored, subject, trailers, _files(raw))


class Objects:
    """`git cat-file --batch` kept open: blobs by id or by `rev:path`, as bytes."""

    def __init__(self, root: Path):
        self.proc = subprocess.Popen(git_command(root, *SMALL_CACHE, "cat-file", "--batch"), cwd=str(root),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.blobs: Dict[str, Optional[bytes]] = {}  # oldest fetched first
        self.held = 0  # bytes in self.blobs

    def get(self, spec: str) -> Optional[Tuple[str, bytes]]:
        """(object id, content) of a blob, or None when there is no such blob."""
        if not spec or spec == ZERO:
            return None
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(spec.encode("utf-8") + b"\n")
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().decode("utf-8", "replace").split()
        if len(header) < 3 or header[-1] == "missing":
            return None
        data = self.proc.stdout.read(int(header[2]) + 1)[:-1]
        return (header[0], data) if header[1] == "blob" else None

    def blob(self, oid: str) -> Optional[bytes]:
        if oid in self.blobs:
            return self.blobs[oid]
        found = self.get(oid)
        return found[1] if found else None

    def prefetch(self, oids: Sequence[str]) -> None:
        """Read many blobs in one round trip (a writer thread feeds git while this thread reads)."""
        wanted = [o for o in dict.fromkeys(oids) if o and o != ZERO and o not in self.blobs]
        if not wanted:
            return
        assert self.proc.stdin and self.proc.stdout
        stdin = self.proc.stdin
        payload = "".join(f"{o}\n" for o in wanted).encode("ascii")
        writer = threading.Thread(target=lambda: (stdin.write(payload), stdin.flush()))
        writer.start()
        for oid in wanted:
            header = self.proc.stdout.readline().decode("utf-8", "replace").split()
            if len(header) < 3 or header[-1] == "missing":
                self.blobs[oid] = None
                continue
            data = self.proc.stdout.read(int(header[2]) + 1)[:-1]
            kept = self.blobs[oid] = data if header[1] == "blob" else None
            self.held += len(kept or b"")
        writer.join()

    def release(self, oids: Sequence[str]) -> None:
        """Blobs that will not be asked for again (a record's version once its successor is judged)."""
        for oid in oids:
            self.held -= len(self.blobs.pop(oid, None) or b"")

    def forget(self, keep: int = KEEP_BYTES) -> None:
        """Drop the longest-held blobs beyond `keep` bytes. A record's new version in one commit is its old version
        in the next commit that touches it, so kept blobs are read again rather than fetched."""
        for oid in list(self.blobs):
            if self.held <= keep:
                break
            self.held -= len(self.blobs.pop(oid) or b"")

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait()


def is_ancestor(root: Path, old: str, new: str) -> bool:
    return run_git(root, "merge-base", "--is-ancestor", old, new, check=False).returncode == 0


def ref_value(root: Path, ref: str) -> Optional[str]:
    found = run_git(root, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}", check=False).stdout.strip()
    return found or None
