"""The supervising office's key for report forms: kept outside the repository, one per repository.

`forms` binds each form's identity (plan, unit, period, revision, measures) with HMAC-SHA256 under this
key; `collect` recomputes it. Whoever holds only the repository or a form cannot make a valid form for
another unit or period. The key file lives in `$XDG_CONFIG_HOME/yytrack/` (default `~/.config/yytrack/`),
is created with mode 0600 on the first `forms`, and holds one key per line: the first signs, every line
verifies (so forms sent before a rotation can still be collected until their line is removed).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import List

from yytrack.errors import FormRejected, YytrackError
from yytrack.repo import safepath, store

MAX_KEY_FILE_BYTES = 64 * 1024


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "yytrack"


def repository_id(root: Path) -> str:
    """The repository's first commit, shortened: the same in every clone, different between repositories."""
    out = store.run_git(root, "rev-list", "--max-parents=0", "HEAD", check=False).stdout.split()
    return sorted(out)[0][:16] if out else "unborn"


def key_path(root: Path) -> Path:
    return config_dir() / f"forms-{repository_id(root)}.key"


def _read(path: Path) -> List[bytes]:
    raw = safepath.read_bytes(path, MAX_KEY_FILE_BYTES, "报送表密钥文件", root=path.parent)
    keys = []
    for line in raw.decode("ascii", "replace").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            try:
                keys.append(bytes.fromhex(line))
            except ValueError as e:
                raise YytrackError(f"{path}：密钥文件格式不对（每行应为一个十六进制密钥）") from e
    return [k for k in keys if len(k) >= 16]


def _write(path: Path, keys: List[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write("".join(k.hex() + "\n" for k in keys))
    os.replace(tmp, path)


def signing_key(root: Path, new: bool = False) -> bytes:
    """The current key, created on first use; with new, a fresh key goes first and the old ones stay."""
    path = key_path(root)
    try:
        keys = _read(path) if os.path.lexists(path) else []
        if new or not keys:
            keys = [secrets.token_bytes(32), *keys]
            _write(path, keys)
    except OSError as e:
        raise YytrackError(f"无法写入报送表密钥 {path}（{e.strerror}）") from e
    return keys[0]


def verifying_keys(root: Path) -> List[bytes]:
    path = key_path(root)
    if not os.path.lexists(path):
        raise FormRejected(f"本机没有本仓库的报送表密钥（{path}）：报送表只能由生成它的督办处室收取，"
                           "或把该密钥文件复制到本机同一位置")
    return _read(path)
