"""Everything a person reads is Chinese: every command's help, click's own words in usage errors, unit
levels; a group given no command shows its help. ASCII is allowed only for option names, command names,
values a user types (status keys, formats, dates) and code (git, YAML, paths)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import run_cli
from yytrack.cli import cli

# Values and code that appear in help texts: typed values, file formats, tools, paths, placeholders.
CODE = {"CSV", "csv", "DD", "MM", "YYYY", "Excel", "GBK", "UTF", "JSON", "YAML", "git", "yytrack", "blocked",
        "done", "in_progress", "not_started", "md", "html", "docx", "xlsx", "contact", "main", "origin", "pre",
        "receive", "qiubei", "reports", "tasks", "templates", "srv", "YYTRACK_REPO", "SSH", "ssh", "pdf", "txt",
        "doc", "wps", "ed25519", "gitolite", "Gitea", "GitLab", "HEAD", "Markdown", "Word"}


def command_paths(command=cli, path=()):
    yield list(path)
    commands = command.load_all() if command is cli else getattr(command, "commands", {})
    for name, sub in commands.items():
        if not sub.hidden:
            yield from command_paths(sub, (*path, name))


COMMANDS = list(command_paths())
NAMES = {name for path in COMMANDS for name in path}


def english_words(text: str) -> set:
    """ASCII words left once option names, quoted input, command names and known code are taken out."""
    text = re.sub(r"(?<![\w-])--?[A-Za-z][A-Za-z-]*", " ", text)  # option names
    text = re.sub(r"'[^']*'|“[^”]*”|\"[^\"]*\"", " ", text)  # what the user typed, quoted back
    text = re.sub(r"[~\w.-]*/[\w./-]+", " ", text)  # paths (~/.ssh/id_ed25519, 裸仓库/hooks/pre-receive)
    return {w for w in re.findall(r"[A-Za-z][A-Za-z_]+", text) if w not in CODE and w not in NAMES}


def test_the_walk_covers_every_command():
    assert ["update"] in COMMANDS and ["units", "merge"] in COMMANDS and ["remote", "init"] in COMMANDS
    assert len(COMMANDS) >= 20


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "yytrack")
def test_every_help_is_chinese(tmp_path, path):
    proc = run_cli(tmp_path, *path, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "用法：" in proc.stdout and "选项：" in proc.stdout
    assert not english_words(proc.stdout), (english_words(proc.stdout), proc.stdout)


def test_required_options_are_marked_in_chinese(tmp_path):
    out = run_cli(tmp_path, "review", "--help").stdout
    assert "[必填]" in out and "required" not in out


@pytest.mark.parametrize("path", [[], ["units"], ["hook"], ["remote"]], ids=lambda p: " ".join(p) or "yytrack")
def test_a_group_without_a_command_prints_its_help(tmp_path, path):
    proc = run_cli(tmp_path, *path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.startswith(f"用法： yytrack {' '.join(path)}".rstrip() + " ") and "命令：" in proc.stdout
    assert "\n\n" in proc.stdout  # laid out, not flattened into one line


USAGE_ERRORS = [
    (["updte"], "是否是"),
    (["lst"], "没有命令"),
    (["--nope"], "没有选项"),
    (["list", "--stat"], "是否是"),
    (["units", "nope"], "没有命令"),
    (["update"], "缺少参数 措施编号"),
    (["update", "demo-01", "--progress"], "需要一个值"),
    (["update", "demo-01", "--progress", "abc"], "0 到 100"),
    (["update", "demo-01", "--progress", "六十"], "0 到 100"),
    (["review", "demo-01", "--accept"], "缺少选项 --note"),
    (["review", "demo-01", "--accept", "--reject", "--note", "x"], "只能选一个"),
    (["log", "a", "b"], "多余的参数"),
    (["init"], "缺少参数 目录"),
    (["units", "merge", "a"], "缺少参数"),
    (["remote", "init"], "缺少参数 路径"),
    (["hook", "install"], "缺少参数 裸仓库"),
    (["report", "--format", "pdf"], "pdf"),
    (["status", "--as-of"], "需要一个值"),
]


@pytest.mark.parametrize("args, fragment", USAGE_ERRORS, ids=lambda a: " ".join(a) if isinstance(a, list) else "")
def test_usage_errors_are_one_chinese_line(repo, args, fragment):
    proc = run_cli(repo, *args)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert len(lines) == 1 and lines[0].startswith("错误：") and fragment in lines[0], proc.stderr
    assert not english_words(lines[0]), (english_words(lines[0]), lines[0])


def test_progress_accepts_a_percent_sign(repo):
    proc = run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--progress", "60%",
                   "--note", "完成摸底")
    assert proc.returncode == 0, proc.stderr
    assert "推进中 60%" in proc.stdout


def test_missing_note_names_the_option(repo):
    for status in ("已完成", "受阻"):
        proc = run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", status)
        assert proc.returncode == 2 and "--note" in proc.stderr, proc.stderr


def test_unit_levels_read_in_chinese(repo):
    proc = run_cli(repo, "units", "list")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"\s省\s", proc.stdout) and re.search(r"\s市\s", proc.stdout), proc.stdout
    for level in ("national", "province", "city", "county"):
        assert level not in proc.stdout
    assert '"level"' in run_cli(repo, "units", "list", "--json").stdout  # JSON keeps the keys


def test_every_command_lives_where_the_root_looks_for_it():
    from yytrack.cli.base import AREAS

    commands = cli.load_all()
    assert set(commands) == set(AREAS)
    for name, command in commands.items():
        assert command.callback.__module__ == f"yytrack.cli.{AREAS[name]}", name
