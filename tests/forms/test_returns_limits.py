"""Returned forms as an attacker would send them: a zip bomb, too many rows, evidence that is not beside
the form (a path, `..`, a subfolder, a link), and the preview that lists what evidence will be taken."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import pytest

from conftest import git, run_cli, snapshot
from test_forms import fill, form_path, frepo, make_forms, out  # noqa: F401  (fixtures)


def refused(repo: Path, path: Path, *args: str) -> str:
    before = snapshot(repo)
    proc = run_cli(repo, "collect", str(path), *args)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert snapshot(repo) == before
    return proc.stderr


def add_bomb(path: Path, megabytes: int) -> None:
    """An extra part of zeros: a few hundred KB in the file, `megabytes` when unpacked."""
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as part:
            block = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(block)


def test_zip_bomb_is_refused_in_well_under_a_second(frepo, out):
    make_forms(frepo, out)
    path = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中", "本期进展说明": "x"}})
    add_bomb(path, 600)
    assert path.stat().st_size < 2 * 1024 * 1024
    started = time.monotonic()
    message = refused(frepo, path, "--dry-run")
    assert time.monotonic() - started < 5  # the whole command, interpreter start included
    assert "解压后有 600 MB" in message and "forms.max_unpacked_mb" in message
    from yytrack.errors import FormRejected
    from yytrack.forms.returns import Limits, read_return

    started = time.monotonic()
    with pytest.raises(FormRejected):
        read_return(path, Limits())
    assert time.monotonic() - started < 0.5


def test_limits_come_from_the_config(frepo, out):
    make_forms(frepo, out)
    path = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中", "本期进展说明": "x"}})
    assert run_cli(frepo, "collect", str(path), "--dry-run").returncode == 0
    config = frepo / "tasks" / "config.yaml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original + "forms:\n  max_rows: 3\n", encoding="utf-8")
    git(frepo, "commit", "-qam", "限制行数")
    assert "forms.max_rows" in refused(frepo, path, "--dry-run")
    config.write_text(original + "forms:\n  max_file_mb: 0.001\n", encoding="utf-8")
    git(frepo, "commit", "-qam", "限制大小")
    assert "文件过大" in refused(frepo, path, "--dry-run")
    config.write_text(original + "forms:\n  max_rows: 很多\n", encoding="utf-8")
    git(frepo, "commit", "-qam", "写错")
    assert "forms.max_rows 应为" in refused(frepo, path, "--dry-run")


def test_returned_form_that_is_a_device_or_fifo_is_refused(frepo, tmp_path):
    fifo = tmp_path / "回执.xlsx"
    os.mkfifo(fifo)
    started = time.monotonic()
    assert "命名管道" in refused(frepo, fifo, "--dry-run")
    assert "设备文件" in refused(frepo, Path("/dev/zero"), "--dry-run")
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("name, kind", [
    ("../外面.pdf", "不要带路径"), ("..", "不要带路径"), ("子目录/材料.pdf", "不要带路径"),
    ("链接.pdf", "符号链接"), ("文件夹", "文件夹"), ("管道.pdf", "特殊文件"), ("没有.pdf", "找不到佐证材料"),
])
def test_evidence_must_be_a_named_regular_file_beside_the_form(frepo, out, tmp_path, name, kind):
    make_forms(frepo, out)
    secret = tmp_path / "外面.pdf"
    secret.write_bytes(b"%PDF secret")
    (out / "子目录").mkdir()
    (out / "子目录" / "材料.pdf").write_bytes(b"%PDF")
    (out / "链接.pdf").symlink_to(secret)
    (out / "文件夹").mkdir()
    os.mkfifo(out / "管道.pdf")
    path = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中", "本期进展说明": "x",
                                                         "佐证材料文件名": name}})
    message = refused(frepo, path, "--dry-run")
    assert kind in message, message
    assert "外面" not in git(frepo, "ls-files") and "secret" not in git(frepo, "log", "-p")


def test_preview_lists_the_evidence_files(frepo, out):
    make_forms(frepo, out)
    (out / "验收报告.pdf").write_bytes(b"%PDF-1.4 report")
    (out / "照片.jpg").write_bytes(b"\xff\xd8\xff photo")
    (out / "没有写进表里.pdf").write_bytes(b"%PDF other")
    path = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中", "本期进展说明": "x",
                                                         "佐证材料文件名": "验收报告.pdf；照片.jpg"}})
    proc = run_cli(frepo, "collect", str(path), "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "佐证材料" in proc.stdout and "验收报告.pdf、照片.jpg" in proc.stdout
    assert "没有写进表里" not in proc.stdout
    proc = run_cli(frepo, "collect", str(path), "--yes")
    assert proc.returncode == 0, proc.stderr
    stored = git(frepo, "ls-files", "progress").splitlines()
    assert any(p.endswith("验收报告.pdf") for p in stored) and any(p.endswith("照片.jpg") for p in stored)
    assert not any("没有写进表里" in p for p in stored)
