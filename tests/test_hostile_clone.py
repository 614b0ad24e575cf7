"""Received repositories: each hostile file kind planted in a clone, every read command run over it.

Kinds: links (a measure, a template folder, a record pointing outside), special files (a FIFO, a device
where the machine allows one), bombs (aliases, a huge file, an xlsx that unpacks to hundreds of MB),
control characters, and out-of-range dates. Every command gives at most one clean line on stderr, never
a traceback or an internal error, and nothing outside the clone changes (the supervising office's form
key under ~/.config/yytrack is the one file yytrack keeps outside, by design). `make stress` runs every
command over every kind; the normal run covers every kind with the commands that read it first.
"""

from __future__ import annotations

import hashlib
import os
import time
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, git, make_repo, run_cli

STRESS = bool(os.environ.get("YYTRACK_STRESS"))
READ_COMMANDS = [
    ["list"], ["list", "--json"], ["show", "demo-01"], ["show", "demo-01", "--json"], ["status"], ["check"],
    ["log"], ["audit"], ["units", "list"], ["remind"], ["remind", "--notice"], ["report"],
    ["report", "--format", "html"], ["report", "--format", "docx"], ["report", "--format", "xlsx"],
    ["forms", "--plan", "demo", "-o", "reports/表"], ["collect", "{form}", "--dry-run"],
    ["import", "{document}", "--plan", "新方案", "--dry-run"],
]
QUICK_COMMANDS = [["list"], ["status"], ["check"], ["report"], ["collect", "{form}", "--dry-run"],
                  ["import", "{document}", "--plan", "新方案", "--dry-run"]]


def _committed(repo: Path, kind: str, victim: Path) -> None:
    """What an attacker with push access commits."""
    tasks = repo / "tasks" / "demo"
    if kind == "link_measure":
        (tasks / "demo-02.yaml").unlink()
        (tasks / "demo-02.yaml").symlink_to("/etc/passwd")
    elif kind == "link_templates":
        (repo / "templates").symlink_to(victim)
    elif kind == "link_record":
        record = repo / "progress" / "demo" / "demo-01" / "省民政厅.yaml"
        record.parent.mkdir(parents=True)
        record.symlink_to(victim / "secret.yaml")
    elif kind == "bomb_aliases":
        (tasks / "demo-02.yaml").write_text("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a]\n"
                                            "c: [*b, *b, *b, *b, *b, *b, *b]\n", encoding="utf-8")
    elif kind == "bomb_huge":
        with (tasks / "demo-02.yaml").open("ab") as handle:
            handle.write(b"# " + b"x" * (6 * 1024 * 1024) + b"\n")
    elif kind == "control_characters":
        text = (tasks / "demo-01.yaml").read_text(encoding="utf-8")
        text = text.replace("title: 推进居家社区医养结合设施建设", 'title: "\\e[2J\\e]0;x\\a清屏\\u202e措施\\x9b"')
        (tasks / "demo-01.yaml").write_text(text, encoding="utf-8")
    elif kind == "date_out_of_range":
        record = repo / "progress" / "demo" / "demo-01" / "省民政厅.yaml"
        record.parent.mkdir(parents=True)
        record.write_text((FIXTURES / "hostile" / "record_bad_date" / "progress" / "demo" / "demo-01" /
                           "省民政厅.yaml").read_text(encoding="utf-8").replace("一月五日", "'0001-01-01'"),
                          encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", f"收到的改动：{kind}")


def _local(clone: Path, kind: str) -> None:
    """What only a received share or zip can hold (git does not store FIFOs or devices)."""
    target = clone / "tasks" / "demo" / "demo-02.yaml"
    if kind == "fifo":
        target.unlink()
        os.mkfifo(target)
    elif kind == "device":
        target.unlink()
        try:
            os.mknod(target, 0o600 | 0o020000, os.makedev(1, 5))  # /dev/zero's numbers
        except PermissionError:  # not root: the system's own device through a link
            target.symlink_to("/dev/zero")


KINDS = ["link_measure", "link_templates", "link_record", "fifo", "device", "bomb_aliases", "bomb_huge",
         "bomb_xlsx", "control_characters", "date_out_of_range"]


def _tree_digest(top: Path, skip: tuple) -> dict:
    """Every entry under top (not following links) with its content hash, except the skipped folders."""
    found = {}
    for folder, dirs, names in os.walk(top):
        here = Path(folder)
        dirs[:] = [d for d in dirs if here / d not in skip]
        for name in names + [d for d in dirs if (here / d).is_symlink()]:
            path = here / name
            if path.is_symlink():
                found[str(path)] = "link:" + os.readlink(path)
            elif path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[str(path)] = "special"
    return found


def _bomb_form(clone: Path, out: Path) -> Path:
    proc = run_cli(clone, "forms", "--plan", "demo", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    form = sorted(out.glob("*.xlsx"))[0]
    with zipfile.ZipFile(form, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as part:
            for _ in range(300):
                part.write(b"\0" * (1024 * 1024))
    return form


@pytest.mark.parametrize("kind", KINDS)
def test_every_read_command_over_a_hostile_clone(tmp_path, kind, isolated_home):
    victim = tmp_path / "受害目录"
    victim.mkdir()
    (victim / "secret.yaml").write_text("measure: demo-01\nsecret: 口令\n", encoding="utf-8")
    (victim / "督导通报.md.j2").write_text("外来模板 {{ title }}\n", encoding="utf-8")
    origin = make_repo(tmp_path / "来源")
    _committed(origin, kind, victim)
    clone = tmp_path / "收到的仓库"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    _local(clone, kind)
    inputs = tmp_path / "收到的文件"
    inputs.mkdir()
    document = inputs / "方案.txt"
    document.write_text("示例方案\n一、总体要求\n（一）做好示例工作。（省卫健委牵头）\n", encoding="utf-8")
    if kind == "bomb_xlsx":
        form = _bomb_form(make_repo(tmp_path / "督办处室"), inputs / "表")
        document = Path("/dev/zero")
    else:
        form = inputs / "回执.xlsx"
        form.write_bytes(b"PK\x03\x04 not a zip")
    skip = (clone, isolated_home / ".config" / "yytrack")
    before = _tree_digest(tmp_path, skip)
    for args in READ_COMMANDS if STRESS else QUICK_COMMANDS:
        args = [a.replace("{form}", str(form)).replace("{document}", str(document)) for a in args]
        started = time.monotonic()
        proc = run_cli(clone, *args)
        assert time.monotonic() - started < 30, (kind, args)
        assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr, (kind, args, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) <= 1, (kind, args, proc.stderr)
        if proc.returncode != 0:
            assert lines and lines[0].startswith("错误："), (kind, args, proc.stderr)
        assert "\x1b" not in proc.stdout and "\u202e" not in proc.stdout, (kind, args)
    assert _tree_digest(tmp_path, skip) == before, kind
    written = [p.read_bytes() for p in (clone / "reports").rglob("*") if p.is_file()]
    assert not any("口令".encode("utf-8") in data or b"root:" in data for data in written), kind
