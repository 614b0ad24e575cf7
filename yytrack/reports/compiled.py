"""Compiled report templates kept between runs (.git/yytrack/templates/), signed so that only what this
user's own yytrack wrote is ever loaded.

Jinja's bytecode is code: a file planted in a copied repository's cache would run as soon as a report
is rendered. So every entry carries an HMAC-SHA256 made with a key that lives outside every
repository (in the user's cache folder, readable only by the user); an entry that does not verify —
copied from elsewhere, edited, truncated — is ignored and the template is compiled again from its
source. Jinja itself then checks that the entry was compiled from the template's current text.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path
from typing import Optional

MAX_ENTRY_BYTES = 16 * 1024 * 1024
TAG = b"yytrack-templates-1"


def user_key() -> Optional[bytes]:
    """This user's signing key, made on first use; None when there is nowhere private to keep it."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "yytrack"
    path = base / "template-key"
    try:
        if not path.exists():
            base.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_size != 32 or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            return None
        return path.read_bytes()
    except (OSError, RuntimeError):  # no home folder, read-only, a race with another first run
        return None


def bytecode_cache(folder: Optional[Path], options: str):
    """A jinja2 BytecodeCache over folder, or None when there is no folder or no key."""
    import jinja2

    key = user_key() if folder is not None else None
    if key is None:
        return None

    class SignedCache(jinja2.BytecodeCache):
        def get_cache_key(self, name: str, filename: Optional[str] = None) -> str:
            text = f"{options}\0{jinja2.__version__}\0{name}\0{filename or ''}"
            return hashlib.sha1(text.encode("utf-8")).hexdigest()

        def load_bytecode(self, bucket) -> None:
            path = folder / f"{bucket.key}.jbc"
            try:
                st = path.lstat()
                if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY_BYTES:
                    return
                data = path.read_bytes()
            except OSError:
                return
            mac, payload = data[:32], data[32:]
            if hmac.compare_digest(mac, hmac.new(key, TAG + payload, hashlib.sha256).digest()):
                bucket.bytecode_from_string(payload)

        def dump_bytecode(self, bucket) -> None:
            payload = bucket.bytecode_to_string()
            mac = hmac.new(key, TAG + payload, hashlib.sha256).digest()
            try:
                folder.mkdir(parents=True, exist_ok=True)
                tmp = folder / f".{bucket.key}.{os.getpid()}.tmp"
                tmp.write_bytes(mac + payload)
                os.replace(tmp, folder / f"{bucket.key}.jbc")
            except OSError:
                pass  # a read-only repository compiles every time

    return SignedCache()
