"""SSH commit signatures: verify many commits in one `git log`, and set signing up for a clerk."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple

from yytrack.errors import GitError
from yytrack.repo.store import run_git


def verified_signers(root: Path, ids: Sequence[str], allowed_signers: str) -> Dict[str, str]:
    """commit id → the principal (email) whose listed key made a good signature; unsigned ones are absent."""
    if not ids or not allowed_signers.strip():
        return {}
    with tempfile.TemporaryDirectory(prefix="yytrack-signers-") as tmp:
        path = Path(tmp) / "allowed_signers"
        path.write_text(allowed_signers, encoding="utf-8")
        out = run_git(root, "-c", f"gpg.ssh.allowedSignersFile={path}", "log", "--no-walk=unsorted", "--stdin",
                      "--format=%H%x1f%G?%x1f%GS", input_text="\n".join(ids) + "\n", check=False).stdout
    found = {}
    for line in out.splitlines():
        parts = line.split("\x1f")
        if len(parts) == 3 and parts[1] == "G" and parts[2]:
            found[parts[0]] = parts[2]
    return found


def _keygen(*args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["ssh-keygen", *args], capture_output=True, timeout=60)
    except OSError as e:
        raise GitError("找不到 ssh-keygen：请先安装 OpenSSH 客户端（Debian：apt-get install openssh-client）") from e


def setup_signing(root: Path, key: Optional[Path], email: str) -> Tuple[Path, str]:
    """Use (or create) an SSH key and configure this repository to sign every commit with it.

    Returns (private key path, public-key line)."""
    key = (key or Path.home() / ".ssh" / "id_ed25519").expanduser()
    if key.suffix == ".pub":
        key = key.with_suffix("")
    pub = key.with_name(key.name + ".pub")
    if not key.exists():
        key.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        made = _keygen("-q", "-t", "ed25519", "-N", "", "-C", email, "-f", str(key))
        if made.returncode != 0:
            raise GitError(f"无法生成密钥 {key}（{made.stderr.decode('utf-8', 'replace').strip()}）")
    if not pub.exists():
        derived = _keygen("-y", "-f", str(key))
        if derived.returncode != 0:
            raise GitError(f"无法读取密钥 {key}（可能有密码或已损坏）")
        pub.write_bytes(derived.stdout)
    line = " ".join(pub.read_text(encoding="utf-8").split()[:2])
    if not line.startswith(("ssh-", "ecdsa-", "sk-")):
        raise GitError(f"{pub} 不是 SSH 公钥")
    for k, v in (("gpg.format", "ssh"), ("user.signingkey", str(pub)), ("commit.gpgsign", "true")):
        run_git(root, "config", "--local", k, v)
    return key, line
