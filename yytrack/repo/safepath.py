"""Safe paths: every file yytrack reads or writes in a repository is a regular file inside it.

A committed symlink, a device, a FIFO or a path that leaves the repository is refused with one line
naming it. Reads open with no-follow and non-blocking (a FIFO cannot hang the open), check the opened
file is regular and read at most limit + 1 bytes, so the limit counts what is actually read. Writes check
the whole parent chain under the repository for links, create missing folders one by one, write a
temporary file opened with no-follow and exclusive create (the umask decides its mode), and replace.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Optional, Union

from yytrack.errors import UnsafePath

TEMP_PREFIX = ".yytrack-"
TEMP_SUFFIX = ".tmp"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)

PathLike = Union[str, "os.PathLike[str]"]


def repository_of(path: PathLike) -> Optional[Path]:
    """The nearest folder above path (not following links) that holds a `.git` entry, or None."""
    here = Path(os.path.abspath(path)).parent
    for folder in (here, *here.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return None


def _chain(root: Optional[Path], path: Path):
    """The components of path below root, outermost first (just path itself when there is no root)."""
    if root is None:
        return [path]
    try:
        rel = path.relative_to(root)
    except ValueError:
        raise UnsafePath(f"{path}：路径在仓库 {root} 之外，拒绝读写") from None
    if ".." in rel.parts:
        raise UnsafePath(f"{path}：路径含有“..”，可能指到仓库之外，拒绝读写")
    steps, here = [], root
    for part in rel.parts:
        here = here / part
        steps.append(here)
    return steps


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "目录"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def check_chain(path: PathLike, root: Optional[PathLike] = None, final_may_be_missing: bool = False) -> Path:
    """Refuse a link anywhere from root down to path, and a final entry that is not a regular file.

    root defaults to the repository path lies in; outside any repository only the final entry is checked.
    Returns the absolute path (links above the repository left as they are).
    """
    target = Path(os.path.abspath(path))
    base = Path(os.path.abspath(root)) if root is not None else repository_of(target)
    steps = _chain(base, target)
    for i, step in enumerate(steps):
        try:
            info = os.lstat(step)
        except FileNotFoundError:
            if final_may_be_missing:
                return target  # nothing further down exists either
            raise UnsafePath(f"{path}：无法读取（文件不存在）") from None
        except OSError as e:
            raise UnsafePath(f"{path}：无法读取（{e.strerror}）") from e
        if stat.S_ISLNK(info.st_mode):
            where = "" if step == target else f"（其上级 {step} 是链接）"
            raise UnsafePath(f"{path}：是符号链接{where}，拒绝读写；跟踪仓库中的文件必须是普通文件")
        last = i == len(steps) - 1
        if not last and not stat.S_ISDIR(info.st_mode):
            raise UnsafePath(f"{path}：上级 {step} 不是目录，无法读写")
        if last and not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise UnsafePath(f"{path}：无法读取（是目录，不是普通文件）")
            raise UnsafePath(f"{path}：是{_kind(info.st_mode)}，不是普通文件，拒绝读写")
    return target


def read_bytes(path: PathLike, limit: int, what: str = "文件", root: Optional[PathLike] = None) -> bytes:
    """At most limit bytes of a regular file; more is refused, counting the bytes actually read."""
    target = check_chain(path, root)
    return _read_open(path, target, limit, what, _NOFOLLOW)


def read_input(path: PathLike, limit: int, what: str = "文件") -> bytes:
    """A file the user names on the command line (a document to import, a returned form): a link to it is
    followed, but what it opens must be a regular file, and at most limit bytes are read."""
    return _read_open(path, Path(os.path.abspath(path)), limit, what, 0)


def _read_open(path: PathLike, target: Path, limit: int, what: str, follow_flag: int) -> bytes:
    try:
        fd = os.open(target, os.O_RDONLY | follow_flag | _NONBLOCK | _BINARY)
    except OSError as e:
        raise UnsafePath(f"{path}：无法读取（{e.strerror}）") from e
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # swapped between the check and the open
            raise UnsafePath(f"{path}：是{_kind(info.st_mode)}，不是普通文件，拒绝读写")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise UnsafePath(f"{path}：无法读取（{e.strerror}）") from e
    finally:
        os.close(fd)
    if size > limit:
        raise UnsafePath(f"{path}：文件过大，{what}不应超过 {_size_text(limit)}")
    return b"".join(chunks)


def _size_text(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB" if limit >= 1024 else f"{limit} 字节"


def _make_parents(target: Path, base: Optional[Path]) -> None:
    """Create missing folders one at a time; an existing one must be a real folder, not a link."""
    folders = list(reversed(target.parents))
    if base is not None:
        folders = [f for f in folders if f != base and base in f.parents]
    for folder in folders:
        try:
            info = os.lstat(folder)
        except FileNotFoundError:
            try:
                os.mkdir(folder)
            except FileExistsError:
                pass
            info = os.lstat(folder)
        if base is not None and stat.S_ISLNK(info.st_mode):
            raise UnsafePath(f"{target}：上级 {folder} 是符号链接，拒绝写入")
        if not stat.S_ISDIR(os.stat(folder).st_mode):
            raise UnsafePath(f"{target}：上级 {folder} 不是目录，无法写入")


def write_atomic(path: PathLike, data: bytes, root: Optional[PathLike] = None) -> None:
    """Write through a temporary file in the same folder (no-follow, exclusive), fsync, then replace.

    Inside a repository no link anywhere from it down to path is followed; the target itself may not be a
    link or a special file. The file's mode follows the umask, like any file the user creates.
    """
    target = Path(os.path.abspath(path))
    base = Path(os.path.abspath(root)) if root is not None else repository_of(target)
    _chain(base, target)  # inside, no ..
    _make_parents(target, base)
    check_chain(target, base, final_may_be_missing=True)
    tmp = target.parent / f"{TEMP_PREFIX}{os.getpid()}-{os.urandom(6).hex()}{TEMP_SUFFIX}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _writer_alive(name: str) -> bool:
    """Is the process that named this temporary file (`.yytrack-<pid>-<random>.tmp`) still running?"""
    pid = name[len(TEMP_PREFIX):].split("-", 1)[0]
    if not pid.isdigit() or int(pid) == 0:
        return False
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's live process
    return True


def sweep_temporaries(folder: Path, depth: int = 6) -> int:
    """Remove the `.yytrack-*.tmp` files that killed writers left under folder; a live writer's stay."""
    removed = 0
    if depth < 0:
        return 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            removed += sweep_temporaries(Path(entry.path), depth - 1)
        elif (entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX)
              and entry.is_file(follow_symlinks=False) and not _writer_alive(entry.name)):
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                pass
    return removed
