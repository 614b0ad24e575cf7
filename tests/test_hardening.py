"""Hardening: every command against bad input, hostile files, odd repository states and templates.

A command that cannot do what was asked must exit non-zero (2 for usage, 1 otherwise), print exactly
one line on stderr that names the thing and what to do, never a traceback, and leave the repository
byte-identical (conftest.snapshot). Text that is valid (emoji, 𠀀, RTL marks) is recorded faithfully.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, IDENTITY, assert_clean_failure, git, make_repo, run_cli, snapshot

HOSTILE = FIXTURES / "hostile"
STRESS = bool(os.environ.get("YYTRACK_STRESS"))
REVIEWER = "孙晓惠 <sun@example.cn>"
UPDATE = ["update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x"]


def seed_repo(path: Path, fixture: str = "minirepo") -> Path:
    """make_repo without relying on the per-test HOME (for module-scoped repositories)."""
    shutil.copytree(FIXTURES / fixture, path)
    who = ["-c", f"user.name={IDENTITY[0]}", "-c", f"user.email={IDENTITY[1]}"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], [*who, "commit", "-q", "-m", "初始化"],
                 ["config", "user.name", IDENTITY[0]], ["config", "user.email", IDENTITY[1]]):
        subprocess.run(["git", *args], cwd=str(path), check=True, capture_output=True)
    return path


def assert_fails_cleanly(repo: Path, args, code=None, *fragments, cwd=None, env=None) -> str:
    """Run a command that must fail; check the one line and that the repository did not change."""
    before = snapshot(repo)
    proc = run_cli(cwd or repo, *args, env=env)
    line = assert_clean_failure(proc, code, *fragments)
    assert snapshot(repo) == before, f"{args} changed the repository"
    return line


# ---------------------------------------------------------------- bad input, every command


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One repository for all the read-only bad-input cases (each checks it is left unchanged)."""
    base = tmp_path_factory.mktemp("bad-input")
    repo = seed_repo(base / "共享 仓库")
    inputs = base / "输入"
    inputs.mkdir()
    (inputs / "ok.pdf").write_bytes(b"%PDF-1.4")
    (inputs / "big.bin").write_bytes(b"0" * (1024 * 1024 + 1))  # the fixture's limit is 1 MB
    (inputs / "目录").mkdir()
    os.symlink("/etc/passwd", inputs / "outside.pdf")
    os.symlink(repo / "tasks/config.yaml", inputs / "inside.yaml")
    os.mkfifo(inputs / "管道")
    (inputs / "no-measures.txt").write_text("关于印发某某方案的通知\n各有关单位：\n请认真贯彻执行。\n", encoding="utf-8")
    (inputs / "plan.txt").write_text("示例方案\n一、总体要求\n（一）做好示例工作。（省卫健委牵头）\n", encoding="utf-8")
    (inputs / "form.xlsx").write_text("这不是 Excel 文件", encoding="utf-8")
    (inputs / "existing").mkdir()
    (inputs / "existing" / "keep.txt").write_text("keep", encoding="utf-8")
    return repo, inputs


def _case(args, code, fragment):
    return pytest.param(args, code, fragment, id=" ".join(a[:24] for a in args)[:90])


LONG_ID = "demo-" + "9" * 10_000
BAD_INPUT = [
    # the global option
    _case(["--repo", "", "list"], 2, "不能为空"),
    _case(["--repo", "/nonexistent/仓库", "list"], 1, "不是跟踪仓库"),
    _case(["--repo", "a", "--repo", "b", "list"], 2, "只能给出一次"),
    _case(["frobnicate"], 2, "没有命令"),
    # list
    _case(["list", "--plan", "nope"], 2, "没有方案“nope”"),
    _case(["list", "--plan", ""], 2, "--plan 的值不能为空"),
    _case(["list", "--plan", "   "], 2, "--plan 的值不能为空"),
    _case(["list", "--unit", "不存在的单位"], 2, "单位名录中没有“不存在的单位”"),
    _case(["list", "--unit", "民政厅"], 2, "是否是：省民政厅"),
    _case(["list", "--status", "快完了"], 2, "状态“快完了”无效"),
    _case(["list", "--plan", "demo", "--plan", "demo"], 2, "--plan 只能给出一次"),
    _case(["list", "--json", "--bogus"], 2, "没有选项"),
    # show
    _case(["show", ""], 2, "没有措施“”"),
    _case(["show", "demo-999"], 2, "没有措施“demo-999”"),
    _case(["show", "demo-"], 2, "没有措施"),
    _case(["show", "../../etc/passwd"], 2, "没有措施"),
    _case(["show", "demo/../demo-01"], 2, "没有措施"),
    _case(["show", "demo（一百）"], 2, "没有措施"),
    _case(["show", "demo(零)"], 2, "没有措施"),
    _case(["show", LONG_ID], 2, "没有措施"),
    _case(["show", "😀"], 2, "没有措施“😀”"),
    _case(["show", "\u202edemo-01"], 2, "没有措施"),
    _case(["show", "demo-01", "demo-02"], 2, "demo-02"),
    # status
    _case(["status", "--as-of", "2026-02-30"], 2, "不是有效日期"),
    _case(["status", "--as-of", "2026/11/01"], 2, "格式不对"),
    _case(["status", "--as-of", "二〇二六年"], 2, "格式不对"),
    _case(["status", "--as-of", "2026-1-5"], 2, "格式不对"),
    _case(["status", "--as-of", "0000-01-01"], 2, "不是有效日期"),
    _case(["status", "--as-of", ""], 2, "--as-of 的值不能为空"),
    _case(["status", "--as-of", "2026-01-01", "--as-of", "2026-02-01"], 2, "只能给出一次"),
    _case(["status", "--plan", "nope"], 2, "没有方案"),
    # update: ids, units, statuses, numbers, dates
    _case(["update", "", "--unit", "省民政厅", "--status", "推进中", "--note", "x"], 2, "没有措施“”"),
    _case(["update", "demo-01", "--unit", "", "--status", "推进中", "--note", "x"], 2, "--unit 的值不能为空"),
    _case(["update", "demo-01", "--unit", "省民政厅", "--status", "", "--note", "x"], 2, "--status 的值不能为空"),
    _case(["update", "demo-01", "--unit", "省民政厅", "--status", "done"], 2, "缺少完成情况说明"),
    _case([*UPDATE, "--progress", "abc"], 2, "--progress"),
    _case([*UPDATE, "--progress", "1e3"], 2, "--progress"),
    _case([*UPDATE, "--progress", ""], 2, "--progress"),
    _case([*UPDATE, "--progress", "-1"], 2, "进度 -1 超出范围"),
    _case([*UPDATE, "--progress", "101"], 2, "进度 101 超出范围"),
    _case([*UPDATE, "--progress", "9" * 40], 2, "超出范围"),
    _case([*UPDATE, "--date", "2026-02-30"], 2, "不是有效日期"),
    _case([*UPDATE, "--date", "2026/11/01"], 2, "格式不对"),
    _case([*UPDATE, "--date", "二〇二六年十一月一日"], 2, "格式不对"),
    _case([*UPDATE, "--date", "2026-13-01"], 2, "不是有效日期"),
    _case([*UPDATE, "--date", "9999-12-31"], 2, "在今天"),
    _case([*UPDATE, "--date", "0001-01-01"], 2, "早于"),
    _case([*UPDATE, "--date", "1999-12-31"], 2, "方案印发的前一年"),
    _case([*UPDATE, "--date", ""], 2, "--date 的值不能为空"),
    _case([*UPDATE, "--indicator", "护理型床位占比=abc"], 2, "不是数字"),
    _case([*UPDATE, "--indicator", "护理型床位占比=nan"], 2, "不是数字"),
    _case([*UPDATE, "--indicator", "护理型床位占比=inf"], 2, "不是数字"),
    _case([*UPDATE, "--indicator", "护理型床位占比=-inf%"], 2, "不是数字"),
    _case([*UPDATE, "--indicator", "=3"], 2, "格式不对"),
    _case([*UPDATE, "--indicator", "护理型床位占比"], 2, "格式不对"),
    _case([*UPDATE, "--indicator", ""], 2, "格式不对"),
    _case([*UPDATE, "--note", "y"], 2, "--note 只能给出一次"),
    _case([*UPDATE, "--status", "受阻"], 2, "--status 只能给出一次"),
    _case([*UPDATE, "--author", "nobody"], 1, "--author 格式应为"),
    _case([*UPDATE, "--author", ""], 2, "--author 的值不能为空"),
    _case([*UPDATE, "--author", "李明 <li@example.cn"], 1, "--author 格式应为"),
    _case([*UPDATE, "--author", "李\n明 <li@example.cn>"], 1, "--author 格式应为"),
    _case([*UPDATE, "--author", " <li@example.cn>"], 1, "--author 格式应为"),
    # update: evidence
    _case([*UPDATE, "--evidence", "{inputs}/目录"], 2, "不是普通文件"),
    _case([*UPDATE, "--evidence", "{inputs}/missing.pdf"], 2, "找不到佐证材料"),
    _case([*UPDATE, "--evidence", "{inputs}/../输入/../输入/missing.pdf"], 2, "找不到佐证材料"),
    _case([*UPDATE, "--evidence", "{inputs}/outside.pdf"], 2, "是符号链接"),
    _case([*UPDATE, "--evidence", "{inputs}/inside.yaml"], 2, "是符号链接"),
    _case([*UPDATE, "--evidence", "{inputs}/big.bin"], 2, "超过上限 1 MB"),
    _case([*UPDATE, "--evidence", "{inputs}/管道"], 2, "不是普通文件"),
    _case([*UPDATE, "--evidence", "/dev/zero"], 2, "不是普通文件"),
    _case([*UPDATE, "--evidence", ""], 2, "佐证材料"),
    _case([*UPDATE, "--evidence", "{inputs}/ok.pdf", "--evidence", "{inputs}/missing.pdf"], 2, "找不到佐证材料"),
    # review
    _case(["review", "demo-01", "--note", "x"], 2, "--accept"),
    _case(["review", "demo-01", "--accept", "--reject", "--note", "x"], 2, "--accept 与 --reject 只能选一个"),
    _case(["review", "demo-01", "--accept", "--note", "", "--author", REVIEWER], 2, "必须用 --note"),
    _case(["review", "demo-99", "--accept", "--note", "x"], 2, "没有措施“demo-99”"),
    _case(["review", "demo-01", "--accept", "--note", "同意"], 1, "审核人"),
    _case(["review", "demo-01", "--accept", "--note", "同意", "--author", REVIEWER], 2, "才能办结"),
    _case(["review", "demo-01", "--reject", "--note", "退回", "--author", REVIEWER], 2, "无需退回"),
    _case(["review", "demo-01", "--accept", "--note", "x", "--author", "孙晓惠"], 1, "--author 格式应为"),
    # log
    _case(["log", "demo-99"], 2, "没有措施"),
    _case(["log", "--since", "2026-02-30"], 2, "不是有效日期"),
    _case(["log", "--until", "昨天"], 2, "格式不对"),
    _case(["log", "--since", ""], 2, "不能为空"),
    _case(["log", "--unit", "不存在的单位"], 2, "单位名录中没有"),
    # check, audit, gc, sync
    _case(["check", "extra"], 2, "extra"),
    _case(["audit", "--since", "没有这个版本"], 2, "不存在"),
    _case(["audit", "--since", ""], 2, "不能为空"),
    _case(["gc", "extra"], 2, "extra"),
    _case(["sync"], 1, "git remote add origin"),
    # migrate, signing
    _case(["migrate"], 1, "只有省卫健委老龄处"),
    _case(["migrate", "--author", "孙晓惠"], 1, "--author 格式应为"),
    _case(["signing", "setup", "--key", sys.executable], 1, "无法读取密钥"),
    # import
    _case(["import", "/nonexistent/方案.txt", "--plan", "x"], 2, "无法读取"),
    _case(["import", "{inputs}/目录", "--plan", "x"], 2, "是目录"),
    _case(["import", os.path.realpath(sys.executable), "--plan", "x"], 2, "不是 UTF-8 或 GBK"),
    _case(["import", "{inputs}/plan.txt", "--plan", "BAD ID"], 2, "方案 id“BAD ID”不合适"),
    _case(["import", "{inputs}/plan.txt", "--plan", ""], 2, "--plan 的值不能为空"),
    _case(["import", "{inputs}/plan.txt"], 2, "--plan"),
    _case(["import", "{inputs}/no-measures.txt", "--plan", "x"], 2, "没有识别出任何措施"),
    _case(["import", "{inputs}/plan.txt", "--plan", "demo"], 2, "已存在"),
    # units
    _case(["units", "merge", "省民政厅", "不存在的单位"], 2, "单位名录中没有“不存在的单位”"),
    _case(["units", "merge", "省民政厅", "省民政厅"], 2, "两个不同的单位名称"),
    _case(["units", "merge", "", ""], 2, "两个不同的单位名称"),
    _case(["units", "list", "--bogus"], 2, "没有选项"),
    _case(["units", "frobnicate"], 2, "没有命令"),
    # init, hook
    _case(["init", "{inputs}/existing"], 2, "不为空"),
    _case(["init", "/proc/不能写/仓库"], 1, "无法在"),
    _case(["init", "{inputs}/新仓库", "--plan", "nope"], 2, "没有内置方案“nope”"),
    _case(["init", "{inputs}/新仓库2", "--author", "bad"], 1, "--author 格式应为"),
    _case(["hook", "install", "{inputs}"], 2, "不是裸仓库"),
    _case(["hook", "install", "{inputs}/missing.git"], 2, "不是裸仓库"),
    _case(["remote", "init", "{inputs}/existing"], 2, "不为空"),
    _case(["remote", "init", "/proc/不能写/共享.git"], 1, "git init"),
    _case(["init", "{inputs}/新仓库3", "--start", "2026-02-30"], 2, "--start“2026-02-30”不是有效日期"),
    # report, remind, forms, collect
    _case(["report", "--month", "2026-13"], 2, "格式不对"),
    _case(["report", "--month", "2026/11"], 2, "格式不对"),
    _case(["report", "--month", "二〇二六年十一月"], 2, "格式不对"),
    _case(["report", "--month", ""], 2, "--month 的值不能为空"),
    _case(["report", "--month", "2026-10", "--month", "2026-11"], 2, "只能给出一次"),
    _case(["report", "--format", "pdf"], 2, "格式“pdf”无效"),
    _case(["report", "--plan", "nope"], 2, "没有方案"),
    _case(["report", "--as-of", "2026-02-30"], 2, "不是有效日期"),
    _case(["report", "--template", ""], 2, "--template 的值不能为空"),
    _case(["remind", "--month", "2026-00"], 2, "格式不对"),
    _case(["report", "--month", "0000-01"], 2, "超出范围"),
    _case(["report", "--month", "9999-12"], 2, "超出范围"),
    _case(["report", "--as-of", "0001-01-01"], 2, "超出范围"),
    _case(["report", "--as-of", "2101-01-01"], 2, "超出范围"),
    _case(["remind", "--month", "0000-01"], 2, "超出范围"),
    _case(["remind", "--month", "9999-12"], 2, "超出范围"),
    _case(["status", "--as-of", "1999-12-31"], 2, "超出范围"),
    _case(["log", "--since", "0001-01-01"], 2, "超出范围"),
    _case(["forms", "-o", "{inputs}/forms", "--month", "0000-01"], 2, "超出范围"),
    _case(["forms", "-o", "{inputs}/forms", "--month", "9999-12"], 2, "超出范围"),
    _case(["collect", "{inputs}/missing.xlsx", "--month", "9999-12"], 2, "超出范围"),
    _case(["report", "-o", "tasks/config.yaml"], 2, "由 git 管理"),
    _case(["report", "-o", "tasks/demo/demo-01.yaml", "--format", "docx"], 2, "由 git 管理"),
    _case(["report", "-o", "-", "--commit"], 2, "-o -"),
    _case(["remind", "--plan", "nope"], 2, "没有方案"),
    _case(["forms", "-o", "{inputs}/forms", "--month", "下个月"], 2, "格式不对"),
    _case(["forms", "-o", "{inputs}/forms", "--plan", "nope"], 2, "没有方案"),
    _case(["forms", "-o", ""], 2, "不能为空"),
    _case(["collect", "{inputs}/missing.xlsx"], 1, "找不到报送表文件"),
    _case(["collect", "{inputs}/form.xlsx"], 1, "无法作为 Excel 报送表"),
]


@pytest.mark.parametrize("args,code,fragment", BAD_INPUT)
def test_bad_input_is_one_line_and_changes_nothing(shared, args, code, fragment):
    repo, inputs = shared
    args = [a.replace("{inputs}", str(inputs)) for a in args]
    assert_fails_cleanly(repo, args, code, fragment)


def _commands():
    """Every visible command of the click tree, with its path (so commands added later are covered)."""
    from yytrack.cli.base import cli

    out = []

    def walk(group, path):
        for name, command in sorted(group.commands.items()):
            if command.hidden:
                continue
            if hasattr(command, "commands"):
                walk(command, [*path, name])
            else:
                out.append(([*path, name], command))

    cli.load_all()
    walk(cli, [])
    return out


def _value_options(command):
    import click

    return [p for p in command.params if isinstance(p, click.Option) and not p.is_flag and not p.multiple
            and not p.count and p.opts[0].startswith("-")]


TWICE = [pytest.param(path, option.opts[0], id=f"{' '.join(path)} {option.opts[0]}")
         for path, command in _commands() for option in _value_options(command)]


def run_in_process(capsys, *args: str) -> subprocess.CompletedProcess:
    """The command line in this process: for failures found while parsing, before any file is touched."""
    from yytrack.cli import main

    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(args, exited.value.code, out, err)


@pytest.mark.parametrize("path,option", TWICE)
def test_every_option_given_twice_is_refused(capsys, path, option):
    proc = run_in_process(capsys, *path, option, "一", option, "二")
    assert_clean_failure(proc, 2, f"{option} 只能给出一次")


EMPTY = [pytest.param(path, option.opts[0], id=f"{' '.join(path)} {option.opts[0]}")
         for path, command in _commands() for option in _value_options(command) if option.name != "note"]


@pytest.mark.parametrize("path,option", EMPTY)
def test_every_empty_option_value_is_refused(capsys, path, option):
    proc = run_in_process(capsys, *path, option, "")
    assert_clean_failure(proc, 2, f"{option} 的值不能为空")


def test_refusals_while_parsing_happen_before_any_file_is_touched(shared):
    repo, _ = shared
    for args in (["update", "demo-01", "--note", "a", "--note", "b"], ["report", "--month", ""]):
        assert_fails_cleanly(repo, args, 2)


def test_every_command_is_covered_by_the_bad_input_table():
    covered = {tuple(p.values[0][:2]) if p.values[0][0] in ("units", "hook", "remote", "signing") else (p.values[0][0],)
               for p in BAD_INPUT}
    missing = [" ".join(path) for path, _ in _commands() if tuple(path) not in covered]
    assert not missing, f"commands without bad-input cases: {missing}"


# ---------------------------------------------------------------- notes: recorded faithfully or refused

FAITHFUL = {
    "emoji": "已完成摸底 😀👍🏽",
    "rare_cjk": "𠀀𠀁𪚥 生僻字",
    "rtl_marks": "\u200fمرحبا\u200e 与 עברית\u061c",  # marks, not overrides
    "zero_width": "零\u200b宽\ufeff字符",
    "line_breaks": "第一行\n\n\n第二行  \n\t缩进的第三行",
    "yaml_like": "- 列表\nkey: value\n# 注释\n'单引号' \"双引号\" &锚点 *别名 !标签 {a: 1} [1, 2]",
    "trailer_like": "说明\n\nYytrack-Unit: 省医保局\nYytrack-Status: done",
    "null_words": "null",
    "long_ok": "长" * 4000,
}
STRIPPED = {
    "nul": ("前\x00后", "前后"),
    "escape_sequence": ("\x1b[31m红色\x1b[0m", "[31m红色[0m"),
    "bell_and_backspace": ("响\x07铃\x08", "响铃"),
    "crlf": ("第一行\r\n第二行\r\n", "第一行\n第二行"),
    "c1_controls": ("前\x85\x9b后", "前后"),
    "bidi_overrides": ("付款\u202e001\u202c与\u2066隔离\u2069", "付款001与隔离"),
    "surrounding_space": ("  \n 内容 \n ", "内容"),
}


def recorded_note(repo: Path, unit: str = "省民政厅") -> tuple:
    from yytrack import Tracker

    tracker = Tracker(repo)
    updates = tracker.unit_updates(tracker.get("demo-01"))[unit]
    logged = tracker.log("demo-01")[0]
    return updates[-1].note, logged.note


@pytest.mark.parametrize("name", sorted(FAITHFUL))
def test_valid_text_is_recorded_faithfully_via_the_api(tracker, repo, name):
    note = FAITHFUL[name]
    tracker.update("demo-01", "省民政厅", "in_progress", note=note)
    assert recorded_note(repo) == (note.strip(), note.strip())
    shown = json.loads(run_cli(repo, "show", "demo-01", "--json").stdout)
    assert shown["last_update"]["note"] == note.strip()


@pytest.mark.parametrize("name", sorted(STRIPPED))
def test_control_characters_are_stripped(tracker, repo, name):
    note, expected = STRIPPED[name]
    tracker.update("demo-01", "省民政厅", "in_progress", note=note)
    assert recorded_note(repo) == (expected, expected)
    assert run_cli(repo, "check").returncode == 0 and run_cli(repo, "audit").returncode == 0


@pytest.mark.parametrize("name", ["emoji", "rare_cjk", "rtl_marks", "line_breaks", "yaml_like"])
def test_valid_text_is_recorded_faithfully_via_argv(repo, name):
    note = FAITHFUL[name]
    proc = run_cli(repo, *UPDATE[:-1], note)
    assert proc.returncode == 0, proc.stderr
    assert recorded_note(repo) == (note.strip(), note.strip())


@pytest.mark.parametrize("note,message", [
    ("前\ud800后", "代理字符"),
    ("\udcff", "代理字符"),
    ("长" * (1024 * 1024), "说明过长"),
    ("x" * 4001, "说明过长"),
])
def test_unsavable_notes_are_refused_via_the_api(tracker, repo, note, message):
    from yytrack.errors import UsageProblem

    before = snapshot(repo)
    with pytest.raises(UsageProblem, match=message):
        tracker.update("demo-01", "省民政厅", "in_progress", note=note)
    assert snapshot(repo) == before


def run_bytes(repo: Path, *args: bytes) -> subprocess.CompletedProcess:
    """argv as raw bytes: what a terminal in another encoding, or a script, may really pass."""
    proc = subprocess.run([sys.executable.encode(), b"-m", b"yytrack", *args], cwd=str(repo), capture_output=True)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


def test_invalid_utf8_in_argv_is_refused_not_stored(repo):
    head = [a.encode() for a in UPDATE[:-1]]
    before = snapshot(repo)
    lone = run_bytes(repo, *head, b"\xed\xa0\x80 lone surrogate")  # UTF-8 of U+D800
    assert_clean_failure(lone, 2, "代理字符")
    latin1 = run_bytes(repo, *head, "caf\xe9".encode("latin-1"))
    assert_clean_failure(latin1, 2, "代理字符")
    unit = run_bytes(repo, b"update", b"demo-01", b"--unit", "省民政厅".encode("gbk"), b"--status", b"in_progress",
                     b"--note", b"x")
    assert_clean_failure(unit, 2, "单位名录中没有")
    assert snapshot(repo) == before


def test_very_long_notes_via_argv_are_refused(repo):
    before = snapshot(repo)
    proc = run_cli(repo, *UPDATE[:-1], "很长的说明" * 8_000)  # 40 000 characters: 120 KB, under the 128 KB per argument
    assert_clean_failure(proc, 2, "说明过长")
    assert snapshot(repo) == before


# ---------------------------------------------------------------- hand-edited and hostile files

MEASURE = "demo-01.yaml"
COMMANDS = {
    "list": ["list"], "show": ["show", "demo-01"], "status": ["status"], "update": UPDATE,
    "check": ["check"], "report": ["report", "-o", "{out}/通报.md"], "audit": ["audit"],
}
ALL_READERS = ("list", "show", "status", "update", "report")
# mode → (fragment every refusal carries, commands that must refuse). `check` must flag every mode but the
# valid ones; every other command may succeed only where the broken part is not needed for its job.
HOSTILE_MODES = {
    "invalid_yaml": (MEASURE, ALL_READERS),
    "tab_indent": (MEASURE, ALL_READERS),
    "duplicate_keys": ("duplicate key", ALL_READERS),
    "fullwidth_colon_file": ("顶层应为键值映射", ALL_READERS),
    "fullwidth_colon_key": (MEASURE, ALL_READERS),
    "top_level_list": ("而不是列表", ALL_READERS),
    "missing_id": ("字段缺失或类型不对", ALL_READERS),
    "wrong_type_seq": ("字段缺失或类型不对", ALL_READERS),
    "wrong_type_units": (MEASURE, ()),  # one string is read as one (unknown) unit; check flags it
    "wrong_type_deadlines": ("字段缺失或类型不对", ALL_READERS),
    "yaml11_no": ("lead_inferred 应为 true 或 false", ALL_READERS),
    "octal_like_number": (MEASURE, ()),  # 0101 is the integer 101 in YAML 1.2; check flags the type
    "anchors_billion_laughs": ("不支持 YAML 锚点和别名", ALL_READERS),
    "anchor_simple": ("不支持 YAML 锚点和别名", ALL_READERS),
    "nul_bytes": (MEASURE, ALL_READERS),
    "binary_garbage": ("不是 UTF-8 或 GBK", ALL_READERS),
    "empty_file": ("文件是空的", ALL_READERS),
    "only_comments": ("文件是空的", ALL_READERS),
    "conflict_markers": (MEASURE, ALL_READERS),
    "python_tag": (MEASURE, ALL_READERS),
    "bad_date": ("2026-02-30", ALL_READERS),
    "huge_file": ("文件过大", ALL_READERS),
    "deep_nesting": ("嵌套超过", ALL_READERS),
    "deep_nesting_compact": ("嵌套超过", ALL_READERS),
    "directory_as_file": ("无法读取", ALL_READERS),
    "plan_bad_due_day": ("plan.yaml", ("show", "report")),
    "plan_top_list": ("plan.yaml", ("show", "report")),
    "units_not_list": ("units.yaml", ALL_READERS),
    "units_members_scalar": ("units.yaml", ()),  # one string is read as one member; check flags it
    "units_group_no": ("group 应为 true 或 false", ALL_READERS),
    "config_people_list": ("people 应为", ("update", "report", "audit")),
    "config_max_mb_text": ("evidence.max_mb 应为", ("update", "report", "audit")),
    "config_supervisor_text": ("supervisor 应为", ("update", "report", "audit")),
    "record_invalid_yaml": ("省民政厅.yaml", ("list", "show", "status", "report")),
    "record_updates_scalar": ("省民政厅.yaml", ALL_READERS),
    "record_bad_date": ("一月五日", ("list", "show", "status", "report")),
    "record_deep_flow": ("省民政厅.yaml", ("list", "show", "status", "report")),
    "review_not_list": ("_review.yaml", ("list", "show", "status", "report")),
    "review_missing_date": ("_review.yaml", ("list", "show", "status", "report")),
}
VALID_VARIANTS = ("bom", "crlf", "gbk_encoded")
CHECK_MISSES = {"anchors_billion_laughs", "anchor_simple"}  # see test_check_flags_what_the_loaders_refuse


def broken_file(mode: str) -> str:
    """The repository path of the file a mode breaks."""
    folder = HOSTILE / mode
    found = sorted(p for p in folder.rglob("*.yaml")) if folder.is_dir() else []
    return found[0].relative_to(folder).as_posix() if found else f"tasks/demo/{MEASURE}"


def apply_mode(repo: Path, mode: str) -> None:
    """Copy the mode's files over the repository (or generate them) and commit, as a careless edit would."""
    target = repo / "tasks/demo" / MEASURE
    original = target.read_bytes()
    if mode == "huge_file":
        with target.open("ab") as handle:
            line = b"# " + "填充".encode() * 500 + b"\n"
            for _ in range((50 * 1024 * 1024) // len(line) + 1):
                handle.write(line)
    elif mode == "deep_nesting":
        target.write_bytes(original + b"extra: " + b"[" * 100_000 + b"]" * 100_000 + b"\n")
    elif mode == "deep_nesting_compact":
        target.write_bytes(original + b"extra:\n  " + b"- " * 100_000 + b"x\n")
    elif mode == "directory_as_file":
        target.unlink()
        target.mkdir()
        (target / "keep.txt").write_text("目录里的文件", encoding="utf-8")
    else:
        # shutil.copy, not copy2: a fresh clone gives fixture and repository file the same mtime, and a
        # same-size edit with the old mtime would look unchanged to git's index.
        shutil.copytree(HOSTILE / mode, repo, dirs_exist_ok=True, copy_function=shutil.copy)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"手工修改：{mode}")


def test_every_hostile_fixture_has_an_expectation():
    folders = {p.name for p in HOSTILE.iterdir() if p.is_dir()}
    assert folders <= set(HOSTILE_MODES) | set(VALID_VARIANTS) | {"deep_nesting", "unit_names_as_paths"}
    assert (set(HOSTILE_MODES) | set(VALID_VARIANTS)) - {"deep_nesting_compact"} <= folders


@pytest.mark.parametrize("mode", sorted(HOSTILE_MODES))
def test_hostile_file_is_refused_with_one_line_naming_it(repo, tmp_path, mode):
    fragment, must_fail = HOSTILE_MODES[mode]
    apply_mode(repo, mode)
    for name, args in COMMANDS.items():
        args = [a.replace("{out}", str(tmp_path)) for a in args]
        before = snapshot(repo)
        started = time.monotonic()
        proc = run_cli(repo, *args)
        assert time.monotonic() - started < 30, f"{name} took too long on {mode}"
        assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr, (name, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) <= 1, (name, proc.stderr)
        if name == "check" and mode not in CHECK_MISSES:
            assert proc.returncode == 1, (mode, proc.stdout)
            assert f"{broken_file(mode)}:" in proc.stdout, proc.stdout
        elif name in must_fail:
            line = assert_clean_failure(proc, 1, fragment)
            assert ".yaml" in line, line  # names the file
        if proc.returncode != 0:
            assert snapshot(repo) == before, f"{name} changed the repository on {mode}"


@pytest.mark.parametrize("mode", VALID_VARIANTS)
def test_bom_crlf_and_gbk_files_read_like_the_original(repo, tmp_path, mode):
    baseline = {name: run_cli(repo, *args).stdout for name, args in
                (("show", ["show", "demo-01", "--json"]), ("list", ["list", "--json"]))}
    apply_mode(repo, mode)
    assert run_cli(repo, "show", "demo-01", "--json").stdout == baseline["show"]
    assert run_cli(repo, "list", "--json").stdout == baseline["list"]
    assert run_cli(repo, "check").returncode == 0
    proc = run_cli(repo, *UPDATE)
    assert proc.returncode == 0, proc.stderr
    assert run_cli(repo, "report", "-o", str(tmp_path / "通报.md")).returncode == 0


def test_unit_names_that_cannot_be_file_names_are_refused(repo):
    """A registry entry like 省卫健委/老龄处 or ../../tasks/config would write the record into another folder
    (invisible to every reader, or over a task file); .隐藏 would be skipped by every reader."""
    apply_mode(repo, "unit_names_as_paths")
    for unit in ("省卫健委/老龄处", "../../tasks/config", ".隐藏单位", "反斜杠\\单位", "长" * 80):
        assert_fails_cleanly(repo, ["update", "demo-01", "--unit", unit, "--status", "推进中", "--note", "x"], 1,
                      "不能用作文件名", "tasks/units.yaml")
    assert run_cli(repo, *UPDATE).returncode == 0  # the sound units still report


@pytest.mark.parametrize("mode", sorted(CHECK_MISSES))
def test_check_flags_what_the_loaders_refuse(repo, mode):
    apply_mode(repo, mode)
    assert run_cli(repo, "list").returncode == 1
    proc = run_cli(repo, "check")
    assert proc.returncode == 1 and f"{broken_file(mode)}:" in proc.stdout, proc.stdout


def test_load_fast_refuses_deep_nesting_without_crashing(tmp_path):
    """The C composer recurses per level: 100 000 levels used to kill the process with SIGSEGV."""
    from yytrack.repo import yamlio
    from yytrack.errors import InvalidTaskFile

    for name, text in (("flow", "a: " + "[" * 100_000 + "]" * 100_000),
                       ("mapping", "a: " + "{b: " * 50_000 + "}" * 50_000),
                       ("compact", "a:\n  " + "- " * 100_000 + "x\n"),
                       ("compact_wide", "a:\n  " + "-   " * 100_000 + "x\n"),
                       ("complex_keys", "? " * 100_000 + "x\n")):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InvalidTaskFile, match="嵌套超过|YAML 格式错误"):
            yamlio.load_fast(path)
    shallow = tmp_path / "ok.yaml"
    shallow.write_text("a: " + "[" * 60 + "]" * 60 + "\nnote: '" + "[" * 500 + "'\n", encoding="utf-8")
    assert yamlio.load_fast(shallow)["note"] == "[" * 500


# ---------------------------------------------------------------- repository states

WRITERS = {
    "update": UPDATE,
    "review": ["review", "demo-01", "--accept", "--note", "同意", "--author", REVIEWER],
    "units merge": ["units", "merge", "民政厅", "省民政厅"],
    "sync": ["sync"],
}
READERS = {"list": ["list"], "show": ["show", "demo-01"], "status": ["status"], "log": ["log"],
           "check": ["check"], "audit": ["audit"]}


def test_not_a_git_repository(repo, tmp_path):
    shutil.rmtree(repo / ".git")
    assert_clean_failure(run_cli(repo, "list"), 1, "都不是跟踪仓库", "yytrack init")
    for name, args in READERS.items():
        proc = run_cli(tmp_path, "--repo", str(repo), *args)
        assert proc.returncode == 0, (name, proc.stderr)
    for name, args in {**WRITERS, "import": ["import", str(FIXTURES / "import/pdf_sample.txt"), "--plan", "x"]}.items():
        if name == "review":
            continue  # refused before any git access: the measure is not awaiting review
        assert_fails_cleanly(repo, ["--repo", str(repo), *args], 1, "不是 git 仓库", cwd=tmp_path)


def test_bare_repository(repo, tmp_path):
    bare = tmp_path / "共享.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    for args in (["list"], UPDATE, ["sync"]):
        assert_fails_cleanly(bare, ["--repo", str(bare), *args], 1, "不是跟踪仓库", cwd=tmp_path)
        assert_fails_cleanly(bare, args, 1, "不是跟踪仓库")


def test_detached_head_refuses_writes_and_allows_reads(repo, tmp_path):
    git(repo, "checkout", "-q", "--detach", "HEAD")
    for name, args in WRITERS.items():
        if name == "review":
            continue
        assert_fails_cleanly(repo, args, 1, "分离头指针")
    for name, args in {**READERS, "report": ["report", "-o", str(tmp_path / "r.md")]}.items():
        proc = run_cli(repo, *args)
        assert proc.returncode == 0, (name, proc.stderr)


def test_unborn_branch_refuses_to_record(tmp_path):
    repo = tmp_path / "新仓库"
    shutil.copytree(FIXTURES / "minirepo", repo)
    git(repo, "init", "-q", "-b", "main")
    assert run_cli(repo, "list").returncode == 0
    assert_fails_cleanly(repo, UPDATE, 1, "还没有任何提交")
    git(repo, "add", "-A")
    assert_fails_cleanly(repo, UPDATE, 1, "还没有任何提交")
    for args in (["log"], ["audit"], ["check"]):
        assert run_cli(repo, *args).returncode == 0, args


def _diverge(repo: Path, how: str) -> None:
    """Two branches change the same line of demo-02.yaml; start a merge or rebase that stops on it."""
    measure = repo / "tasks/demo/demo-02.yaml"
    text = measure.read_text(encoding="utf-8")
    git(repo, "checkout", "-q", "-b", "other")
    measure.write_text(text.replace("title: ", "title: 他处改写", 1), encoding="utf-8")
    git(repo, "commit", "-qam", "他处")
    git(repo, "checkout", "-q", "main")
    measure.write_text(text.replace("title: ", "title: 本处改写", 1), encoding="utf-8")
    git(repo, "commit", "-qam", "本处")
    proc = subprocess.run(["git", how, "other"], cwd=str(repo), capture_output=True)
    assert proc.returncode != 0
    assert "<<<<<<<" in measure.read_text(encoding="utf-8")


@pytest.mark.parametrize("how,word", [("merge", "合并"), ("rebase", "变基")])
def test_merge_or_rebase_in_progress_with_conflict_markers(repo, tmp_path, how, word):
    _diverge(repo, how)
    for name, args in WRITERS.items():
        if name != "review":
            assert_fails_cleanly(repo, args, 1, f"未完成的{word}")
    for args in (["list"], ["status"], ["report", "-o", str(tmp_path / "r.md")]):
        assert_fails_cleanly(repo, args, 1, "demo-02.yaml")
    before = snapshot(repo)
    checked = run_cli(repo, "check")
    assert checked.returncode == 1 and "demo-02.yaml:5: 错误：含有 git 合并冲突标记" in checked.stdout
    assert snapshot(repo) == before
    assert run_cli(repo, "show", "demo-01").returncode == 0  # an untouched measure can still be read


def test_stale_index_lock_is_named(repo):
    (repo / ".git/index.lock").write_bytes(b"")
    started = time.monotonic()
    line = assert_fails_cleanly(repo, UPDATE, 1, "index.lock")
    assert "删除该文件后重试" in line and time.monotonic() - started < 20
    assert run_cli(repo, "list").returncode == 0


def test_transient_index_lock_is_waited_out(repo):
    lock = repo / ".git/index.lock"
    lock.write_bytes(b"")
    threading.Timer(1.0, lock.unlink).start()
    proc = run_cli(repo, *UPDATE)
    assert proc.returncode == 0, proc.stderr
    assert git(repo, "status", "--porcelain") == ""


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def read_only_repo(repo, tmp_path):
    """The repository seen through a read-only bind mount (a share mounted read-only, a locked USB stick).
    As root, chmod does not stop writes, so a mount is the honest simulation."""
    view = tmp_path / "只读"
    view.mkdir()
    if not (_mount("--bind", str(repo), str(view)) and _mount("-o", "remount,ro,bind", str(view))):
        subprocess.run(["umount", str(view)], capture_output=True)
        pytest.skip("cannot bind-mount read-only here (needs root and mount rights)")
    yield view
    subprocess.run(["umount", str(view)], capture_output=True)


def test_read_only_repository(read_only_repo, tmp_path):
    view = read_only_repo
    for name, args in WRITERS.items():
        if name != "review":
            assert_fails_cleanly(view, args, 1, "只读")
    for name, args in {**READERS, "report": ["report", "-o", str(tmp_path / "r.md")]}.items():
        proc = run_cli(view, *args)
        assert proc.returncode == 0, (name, proc.stderr)


def test_report_into_read_only_repository(read_only_repo):
    assert_fails_cleanly(read_only_repo, ["report"], 1, "reports")


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs: the repository on it, then a filler file until the disk is full."""
    disk = tmp_path / "小盘"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)):
        pytest.skip("cannot mount a tmpfs here; see test_read_only_repository for the read-only simulation")
    yield disk
    subprocess.run(["umount", str(disk)], capture_output=True)


def _fill(disk: Path) -> Path:
    filler = disk / "填满"
    with filler.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass
    return filler


def test_full_disk_loses_nothing(small_disk, tmp_path):
    repo = make_repo(small_disk / "仓库")
    evidence = tmp_path / "材料.pdf"
    evidence.write_bytes(b"%PDF" + b"0" * 200_000)
    assert run_cli(repo, *UPDATE[:-1], "磁盘满之前").returncode == 0
    filler = _fill(small_disk)
    for args in (UPDATE, [*UPDATE, "--evidence", str(evidence)], ["units", "merge", "民政厅", "省民政厅"]):
        line = assert_fails_cleanly(repo, args, 1)
        assert "磁盘已满" in line or "No space" in line or "空间" in line, line
    for args in (["list"], ["status"], ["check"], ["log"], ["audit"]):
        assert run_cli(repo, *args).returncode == 0, args
    # Room for the journal and the record but not for the evidence: the write fails half-way and is undone.
    os.truncate(filler, max(filler.stat().st_size - 64 * 1024, 0))
    line = assert_fails_cleanly(repo, [*UPDATE, "--evidence", str(evidence)], 1)
    assert "磁盘已满" in line or "No space" in line or "空间" in line, line
    filler.unlink()
    assert run_cli(repo, *UPDATE[:-1], "磁盘腾出之后", "--evidence", str(evidence)).returncode == 0
    record = (repo / "progress/demo/demo-01/省民政厅.yaml").read_text(encoding="utf-8")
    assert "磁盘满之前" in record and "磁盘腾出之后" in record
    assert git(repo, "status", "--porcelain") == ""
    assert subprocess.run(["git", "fsck", "--no-progress"], cwd=str(repo), capture_output=True).returncode == 0
    assert run_cli(repo, "check").returncode == 0 and run_cli(repo, "audit").returncode == 0


def test_shallow_clone_reads_records_syncs_and_audits(repo, tmp_path):
    for i in range(3):
        assert run_cli(repo, *UPDATE[:-1], f"第{i}次").returncode == 0
    bare = tmp_path / "共享.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    shallow = tmp_path / "浅克隆"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{bare}", str(shallow))
    assert (shallow / ".git/shallow").is_file()
    proc = run_cli(shallow, "audit")
    assert proc.returncode == 0, proc.stdout  # the edge commit has no parent here: not judged, not blamed
    assert "第2次" in run_cli(shallow, "show", "demo-01").stdout
    assert run_cli(shallow, "update", "demo-02", "--unit", "省医保局", "--status", "推进中",
                   "--note", "浅克隆报送").returncode == 0
    proc = run_cli(shallow, "sync")
    assert proc.returncode == 0, proc.stderr
    assert "浅克隆报送" in git(bare, "log", "-1", "--format=%B", "main")
    assert run_cli(shallow, "check").returncode == 0 and run_cli(shallow, "audit").returncode == 0


def test_stale_lock_in_the_shared_repository_is_named_not_retried(repo, tmp_path):
    """A push that died on a shared folder leaves refs/heads/main.lock there: every later push is refused by the
    server. That is not a race to retry (and not 其他处室正在推送): name the file and say what to do."""
    bare = tmp_path / "共享.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    git(repo, "remote", "add", "origin", str(bare))
    git(repo, "fetch", "-q", "origin")
    git(repo, "branch", "-q", "-u", "origin/main")
    assert run_cli(repo, *UPDATE).returncode == 0
    lock = bare / "refs/heads/main.lock"
    lock.write_bytes(b"")
    started = time.monotonic()
    line = assert_fails_cleanly(repo, ["sync"], 1, "main.lock", "删除")
    assert "其他处室" not in line and time.monotonic() - started < 10
    lock.unlink()
    assert run_cli(repo, "sync").returncode == 0
    assert git(bare, "rev-parse", "main") == git(repo, "rev-parse", "HEAD")


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers (a half-dead server or proxy)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    server.close()


def test_unreachable_remotes_fail_cleanly(repo, tmp_path, silent_server):
    assert run_cli(repo, *UPDATE).returncode == 0
    cases = [
        ("git://127.0.0.1:9/nothing.git", "无法从远程仓库 origin 获取", {}),
        (str(tmp_path / "不存在的共享仓库.git"), "无法从远程仓库 origin 获取", {}),
        ("http://127.0.0.1:9/nothing.git", "无法从远程仓库 origin 获取", {}),
        (f"git://127.0.0.1:{silent_server}/hangs.git", "超过 2 秒没有完成", {"YYTRACK_NETWORK_TIMEOUT": "2"}),
    ]
    git(repo, "remote", "add", "origin", cases[0][0])
    for url, message, env in cases:
        git(repo, "remote", "set-url", "origin", url)
        started = time.monotonic()
        assert_fails_cleanly(repo, ["sync"], 1, message, env=env)
        assert time.monotonic() - started < 30


# ---------------------------------------------------------------- report templates


def _has_template_option() -> bool:
    from yytrack.cli.base import cli

    report = cli.load_all().get("report")
    return report is not None and any("--template" in p.opts for p in report.params)


needs_template_option = pytest.mark.skipif(not _has_template_option(),
                                           reason="yytrack report --template does not exist yet")
TEMPLATES = {
    "syntax_error": ("{% for x in %}\n{{ x }}\n", "语法错误"),
    "unclosed_block": ("{% if true %}\n没有结束\n", "模板"),
    "undefined_variable": ("# {{ 不存在的变量.属性 }}\n", "未定义"),
    "loops_forever_big_range": ("{% for i in range(10**12) %}x{% endfor %}", "模板"),
    "renders_gigabytes_at_once": ("{{ 'x' * 10**10 }}", "模板"),
    "renders_gigabytes_in_a_loop": ("{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}", "超过"),
    "infinite_recursion": ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "递归"),
    "escapes_the_sandbox": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "不允许"),
    "includes_a_system_file": ("{% include '/etc/passwd' %}", "/etc/passwd"),
}


@needs_template_option
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_bad_template_is_one_line(repo, tmp_path, name):
    text, fragment = TEMPLATES[name]
    template = tmp_path / f"{name}.md.j2"
    template.write_text(text, encoding="utf-8")
    started = time.monotonic()
    line = assert_fails_cleanly(repo, ["report", "--template", str(template), "-o", str(tmp_path / "out.md")], 1, fragment)
    assert f"{name}.md.j2" in line or "/etc/passwd" in line
    assert time.monotonic() - started < 40
    assert not (tmp_path / "out.md").exists()


@needs_template_option
def test_missing_template_paths(repo, tmp_path):
    assert_fails_cleanly(repo, ["report", "--template", str(tmp_path / "没有.md.j2")], 1, "找不到模板文件")
    assert_fails_cleanly(repo, ["report", "--template", "没有这个模板"], 1, "找不到模板")
    assert_fails_cleanly(repo, ["report", "--template", str(tmp_path)], 1, "找不到模板")


@needs_template_option
@pytest.mark.skipif(not STRESS, reason="waits out the 30-second render bound; runs under YYTRACK_STRESS=1")
def test_template_that_loops_forever_is_stopped_by_the_clock(repo, tmp_path):
    template = tmp_path / "forever.md.j2"
    template.write_text("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                        encoding="utf-8")
    assert_fails_cleanly(repo, ["report", "--template", str(template), "-o", str(tmp_path / "o.md")], 1, "秒")


@needs_template_option
def test_render_bounds_in_process(repo):
    """The same clock and size bounds, with small limits so the normal run stays fast."""
    import jinja2

    from yytrack.errors import TemplateProblem
    from yytrack.reports.templates import environment, render

    env = environment(repo)
    forever = env.from_string("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    started = time.monotonic()
    with pytest.raises(TemplateProblem, match="秒"):
        render(forever, {}, max_seconds=1)
    assert time.monotonic() - started < 10
    huge = env.from_string("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}")
    with pytest.raises(TemplateProblem, match="MB"):
        render(huge, {}, max_chars=1024 * 1024)
    assert isinstance(env, jinja2.Environment)


@needs_template_option
@pytest.mark.parametrize("content", ["{{ 标题 }}中文模板".encode("gbk"), bytes(range(256))], ids=["gbk", "binary"])
def test_template_in_another_encoding(repo, tmp_path, content):
    template = tmp_path / "编码.md.j2"
    template.write_bytes(content)
    assert_fails_cleanly(repo, ["report", "--template", str(template), "-o", str(tmp_path / "o.md")], 1, "编码.md.j2")


def test_report_output_never_lands_inside_git(repo):
    assert_fails_cleanly(repo, ["report", "-o", str(repo / ".git/HEAD")], None, ".git")


@pytest.mark.parametrize("args", [["report", "-o", "/proc/不能写/通报.md"], ["remind", "--notice", "-o", "/proc/不能写"]],
                         ids=["report", "remind"])
def test_report_output_in_unwritable_place(repo, args):
    assert_fails_cleanly(repo, args, 1, "/proc")
