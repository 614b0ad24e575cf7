"""A first month as a new office lives it: the supervising office sets up a repository and the shared
remote, three offices clone it and report, the supervisor reviews and reports. Everything reads in
Chinese, nothing missed before tracking began shows red, and no step ends in a dead end."""

from __future__ import annotations

import re
import subprocess

from tests.cli.test_chinese import CODE
from tests.conftest import git, run_cli

OFFICES = {"甲处": ("林芳", "linfang@wjw.fj.example.cn", "省卫健委"),
           "乙处": ("陈磊", "chenlei@mzt.fj.example.cn", "省民政厅"),
           "丙处": ("黄静", "huangjing@ybj.fj.example.cn", "省医保局")}
SUPERVISOR = "sun@example.cn"


def english(text: str) -> set:
    """ASCII words outside paths, option names, measure ids, commit ids and code."""
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # paths
    text = re.sub(r"(?<![\w-])--?[a-z][a-z-]*", " ", text)
    text = re.sub(r"\b[a-z]+(?:-[a-z0-9]+)*-\d+\b", " ", text)  # measure ids
    text = re.sub(r"\b[0-9a-f]{7,40}\b", " ", text)
    words = set(re.findall(r"[A-Za-z][A-Za-z_]+", text))
    return words - CODE - {"fujian", "national", "sync", "update", "origin", "main", "name", "email", "config",
                           "user", "clone", "hook", "install", "yytrack"}


def say(cwd, *args):
    proc = run_cli(cwd, *args)
    assert proc.returncode == 0, (args, proc.stderr)
    assert not english(proc.stdout + proc.stderr), (args, english(proc.stdout + proc.stderr), proc.stdout)
    return proc.stdout


def test_a_first_month_from_init_to_the_report(tmp_path):
    home = tmp_path / "督办处"
    say(tmp_path, "init", str(home), "--plan", "fujian")
    config = home / "tasks/config.yaml"
    people = "".join(f"  {email}: [{unit}]\n" for _, email, unit in OFFICES.values())
    config.write_text(config.read_text(encoding="utf-8").replace("reviewers: []", f"reviewers: [{SUPERVISOR}]")
                      .replace("people: {}", "people:\n" + people), encoding="utf-8")
    git(home, "commit", "-qam", "登记审核人和人员")
    say(home, "check")

    shared = tmp_path / "服务器/老龄.git"
    shared.parent.mkdir()
    out = say(home, "remote", "init", str(shared))
    clones = {}
    for office, (name, email, _unit) in OFFICES.items():
        target = tmp_path / office
        proc = subprocess.run(["git", "clone", "-q", str(shared), str(target)], capture_output=True, text=True)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        assert f"git clone {shared}" in out
        git(target, "config", "user.name", name)
        git(target, "config", "user.email", email)
        clones[office] = target

    say(clones["甲处"], "update", "fujian-05", "--unit", "省卫健委", "--status", "已完成", "--note", "争创示范县 3 个。")
    say(clones["乙处"], "update", "fujian-04", "--unit", "省民政厅", "--status", "推进中", "--progress", "50%",
        "--note", "护理床位改造过半。")
    say(clones["丙处"], "update", "fujian-09", "--unit", "省医保局", "--status", "受阻", "--note", "资金测算未完成。")
    for office in clones.values():
        say(office, "sync")
    say(home, "sync")
    say(home, "review", "fujian-05", "--accept", "--note", "材料齐全，同意销号。", "--author", f"孙敏 <{SUPERVISOR}>")
    say(home, "status", "--plan", "fujian")
    say(home, "remind", "--plan", "fujian")
    committed = say(home, "report", "--plan", "fujian", "--commit", "--author", f"孙敏 <{SUPERVISOR}>")
    assert "已提交到 git" in committed
    say(home, "sync")
    say(clones["丙处"], "sync")
    say(home, "audit")

    report = next((home / "reports").glob("*-fujian-督导通报.md")).read_text(encoding="utf-8")
    assert "连续两期" not in report
    reasons = re.findall(r"^- （[^）]+）.*（红）：(.*)$", report, re.M)
    assert all("截止日期" in r and "已逾期" in r and "未报送" not in r for r in reasons), reasons
    assert "统计期间：尚无已过报送截止日的报送期" in report and "0.0%" not in report
    assert "同意办结" in report and "已办结" in report
    assert "牵头单位报告受阻" in report
    assert (clones["丙处"] / next((home / "reports").glob("*-fujian-督导通报.md")).relative_to(home)).is_file()
