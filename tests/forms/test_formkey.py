"""Forms that cannot be forged: the hidden sheet's identity is bound by HMAC-SHA256 under a key that
lives only with the supervising office, outside the repository."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from conftest import git, run_cli, snapshot
from test_forms import THIS_MONTH, fill, form_path, frepo, make_forms, out  # noqa: F401  (fixtures)


def key_files(home: Path) -> list:
    return sorted((home / ".config" / "yytrack").glob("forms-*.key"))


def rewrite_meta(path: Path, changes: dict, mac) -> None:
    """Change hidden-sheet values and put back a check value computed by `mac(values)`."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["_yytrack"]
    values = {row[0].value: row[1].value for row in sheet.iter_rows()}
    values.update(changes)
    for row in sheet.iter_rows():
        if row[0].value in values:
            row[1].value = values[row[0].value]
        if row[0].value == "mac":
            row[1].value = mac(values)
    book.save(path)


def old_checksum(values: dict) -> str:
    """The plain sha256 earlier versions wrote: anyone can recompute it."""
    text = "\n".join(["yytrack-form", values["form_version"], values["plan"], values["unit"], values["period"],
                      values["revision"], values["measures"]])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def guessed_hmac(values: dict) -> str:
    """An HMAC under a key the forger chose (the repository holds no key to copy)."""
    from yytrack.forms.layout import FormMeta

    meta = FormMeta(values["plan"], values["unit"], values["period"], values["revision"],
                    tuple(values["measures"].split(",")), values["form_version"])
    return meta.compute_mac(b"k" * 32)


def collect_refused(repo: Path, path: Path) -> str:
    before = snapshot(repo)
    proc = run_cli(repo, "collect", str(path), "--partial")
    assert proc.returncode == 1, proc.stdout
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert snapshot(repo) == before
    return proc.stderr


def test_key_is_created_once_outside_the_repository_with_mode_0600(frepo, out, isolated_home):
    make_forms(frepo, out)
    found = key_files(isolated_home)
    assert len(found) == 1
    assert stat.S_IMODE(found[0].stat().st_mode) == 0o600
    first = found[0].read_bytes()
    make_forms(frepo, out)
    assert found[0].read_bytes() == first  # reused, not replaced
    assert not list(frepo.rglob("*.key")) and "key" not in git(frepo, "status", "--porcelain")


@pytest.mark.parametrize("changes", [{"unit": "省卫健委"}, {"period": "2020-01"}, {"plan": "extra"},
                                     {"unit": "省卫健委", "period": "2020-01"}])
@pytest.mark.parametrize("mac", [old_checksum, guessed_hmac], ids=["sha256", "hmac-wrong-key"])
def test_altered_identity_with_recomputed_check_value_is_refused(frepo, out, changes, mac):
    make_forms(frepo, out)
    path = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中", "本期进展说明": "伪造"}})
    rewrite_meta(path, changes, mac)
    assert "密钥校验不符" in collect_refused(frepo, path)


def test_untouched_form_collects_and_a_form_from_another_key_does_not(frepo, out, isolated_home):
    make_forms(frepo, out)
    path = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中", "本期进展说明": "真实"}})
    proc = run_cli(frepo, "collect", str(path), "--dry-run")
    assert proc.returncode == 0, proc.stderr
    key = key_files(isolated_home)[0]
    key.write_text(os.urandom(32).hex() + "\n", encoding="ascii")  # another office's key
    assert "密钥校验不符" in collect_refused(frepo, path)
    key.unlink()
    assert "本机没有本仓库的报送表密钥" in collect_refused(frepo, path)


def test_rotated_key_signs_new_forms_and_still_verifies_old_ones(frepo, out, tmp_path, isolated_home):
    make_forms(frepo, out)
    old = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中", "本期进展说明": "旧表"}})
    newer = tmp_path / "新表"
    make_forms(frepo, newer, "--new-key")
    lines = key_files(isolated_home)[0].read_text(encoding="ascii").split()
    assert len(lines) == 2
    new = fill(form_path(newer, "省卫健委"), {"demo-01": {"本期状态": "推进中", "本期进展说明": "新表"}})
    assert run_cli(frepo, "collect", str(old), "--dry-run").returncode == 0
    assert run_cli(frepo, "collect", str(new), "--dry-run").returncode == 0
    key = key_files(isolated_home)[0]
    key.write_text(lines[0] + "\n", encoding="ascii")  # the old line removed once its forms are back
    assert "密钥校验不符" in collect_refused(frepo, old)
    import openpyxl

    mac = {r[0].value: r[1].value for r in openpyxl.load_workbook(new)["_yytrack"].iter_rows()}["mac"]
    assert mac != {r[0].value: r[1].value for r in openpyxl.load_workbook(old)["_yytrack"].iter_rows()}["mac"]
