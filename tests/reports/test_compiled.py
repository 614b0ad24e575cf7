"""Compiled templates in .git/yytrack/templates (yytrack.reports.compiled): reused between runs, and
never loaded unless this user's yytrack signed them."""

from __future__ import annotations

import hashlib
import hmac
import io
import marshal
import os
import pickle
from pathlib import Path

from conftest import run_cli

from yytrack.reports.compiled import TAG, user_key


def _report(repo: Path, out: Path) -> str:
    proc = run_cli(repo, "report", "--plan", "demo", "--month", "2026-11", "--as-of", "2026-11-20",
                   "--format", "md", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out.read_text(encoding="utf-8")


def _planted(entry: bytes, marker: Path) -> bytes:
    """The same entry with its code replaced by code that leaves a marker file."""
    from jinja2.bccache import bc_magic

    payload = entry[32:]
    assert payload.startswith(bc_magic)
    stream = io.BytesIO(payload[len(bc_magic):])
    checksum = pickle.load(stream)  # the template's source checksum, as jinja wrote it
    source = (f"import pathlib\npathlib.Path({str(marker)!r}).touch()\n"
              "def root(context, missing=None, environment=None):\n    return iter(())\n"
              "blocks = {}\ndebug_info = ''\n")
    return bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(compile(source, "<planted>", "exec"))


def test_templates_compile_once_and_unsigned_code_is_never_run(repo, tmp_path):
    first = _report(repo, tmp_path / "a.md")
    entries = list((repo / ".git" / "yytrack" / "templates").glob("*.jbc"))
    assert entries
    assert _report(repo, tmp_path / "b.md") == first
    key = user_key()
    assert key is not None and (Path(os.environ["HOME"]) / ".cache" / "yytrack" / "template-key").is_file()
    marker = tmp_path / "ran"
    for entry in entries:
        code = _planted(entry.read_bytes(), marker)
        other = hmac.new(b"k" * 32, TAG + code, hashlib.sha256).digest()  # another machine's key
        entry.write_bytes(other + code)
    assert _report(repo, tmp_path / "c.md") == first
    assert not marker.exists()
    for entry in entries:  # the same planted code, signed with this user's key, would run: the key is the wall
        code = _planted(entry.read_bytes(), marker)
        entry.write_bytes(hmac.new(key, TAG + code, hashlib.sha256).digest() + code)
    run_cli(repo, "report", "--plan", "demo", "--month", "2026-11", "--format", "md", "-o", str(tmp_path / "d.md"))
    assert marker.exists()
