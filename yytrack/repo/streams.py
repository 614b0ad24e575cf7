"""Long git outputs read as they come: `git log` over a whole history, `git diff-tree --stdin` over thousands
of commits. Memory holds a megabyte of output at a time, whatever the length of history."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path
from typing import Dict, Iterator, Optional, Sequence

from yytrack.errors import GitError
from yytrack.repo.store import git_command


def stream_texts(root: Path, args: Sequence[str], separator: str = "\x1e", data: Optional[bytes] = None,
                 env: Optional[Dict[str, str]] = None) -> Iterator[str]:
    """What one git process prints, in pieces of about a megabyte that end where a record ends (records start
    with `separator`, a control character that never falls inside a UTF-8 sequence). `data` is fed to git's
    input while its output is read. GitError (from the caller's frame) when git fails."""
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", **(env or {})}
    try:
        proc = subprocess.Popen(git_command(root, *args), cwd=str(root), env=full_env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL if data is None else subprocess.PIPE)
    except FileNotFoundError as e:
        raise GitError("找不到 git 程序，请先安装 git 并确保它在 PATH 中") from e
    feeder = threading.Thread(target=_feed, args=(proc.stdin, data)) if data is not None else None
    if feeder:
        feeder.start()
    try:
        yield from _pieces(proc.stdout, separator.encode("ascii"))
        error = proc.stderr.read().decode("utf-8", "replace").strip()
        if proc.wait() != 0:
            raise GitError(f"git {_verb(args)} 失败：{(error.splitlines() or [''])[-1]}")
    finally:
        if proc.poll() is None:
            proc.kill()
        if feeder:
            feeder.join()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def _verb(args: Sequence[str]) -> str:
    at = 0
    while at < len(args) - 1 and args[at] == "-c":
        at += 2
    return args[at]


def _feed(stdin, payload: bytes) -> None:
    try:
        stdin.write(payload)
        stdin.close()
    except (BrokenPipeError, ValueError, OSError):
        pass


def _pieces(stream, separator: bytes) -> Iterator[str]:
    pending = b""
    while True:
        block = stream.read(1 << 20)  # whole blocks: a read per pipe write would cost a wake-up each
        if not block:
            break
        cut = block.rfind(separator)
        if cut < 0:
            pending += block
            continue
        text, pending = (pending + block[:cut]).decode("utf-8", "replace"), block[cut:]
        yield text
    yield pending.decode("utf-8", "replace")
