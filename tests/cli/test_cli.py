"""The command line as a user meets it: help, version, init, and the installed wheel."""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig

from conftest import PROJECT, git, run_cli

CJK = re.compile(r"[\u4e00-\u9fff]")


def subcommands(tmp_path) -> list:
    out = run_cli(tmp_path, "--help").stdout
    names = re.findall(r"^  ([a-z]+)\s", out.split("命令")[-1], re.M)
    assert len(names) >= 8, out
    return names


def test_version_and_help_are_chinese(tmp_path):
    version = run_cli(tmp_path, "--version")
    assert version.returncode == 0 and re.fullmatch(r"yytrack \d+\.\d+\.\d+\n", version.stdout)
    helped = run_cli(tmp_path, "--help")
    assert helped.returncode == 0 and "用法：" in helped.stdout and "显示本帮助并退出" in helped.stdout
    for name in subcommands(tmp_path):
        proc = run_cli(tmp_path, name, "--help")
        assert proc.returncode == 0, (name, proc.stderr)
        description = proc.stdout.split("\n\n")[1]
        assert CJK.search(description), (name, proc.stdout)
        assert "Show this message" not in proc.stdout


def test_usage_errors_are_one_chinese_line_with_exit_2(tmp_path):
    for args in (["--nonsense"], ["list", "--plan"], ["frobnicate"]):
        proc = run_cli(tmp_path, *args)
        assert proc.returncode == 2, args
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("错误：") and "--help" in lines[0], proc.stderr


def test_outside_a_tracking_repo_says_what_to_do(tmp_path):
    proc = run_cli(tmp_path, "list")
    assert proc.returncode == 1 and "yytrack init" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_repo_option_and_environment_override(repo, tmp_path):
    by_option = run_cli(tmp_path, "--repo", str(repo), "list", "--json")
    by_env = run_cli(tmp_path, "list", "--json", env={"YYTRACK_REPO": str(repo)})
    assert by_option.returncode == by_env.returncode == 0
    assert by_option.stdout == by_env.stdout and '"demo-01"' in by_option.stdout


def test_discovery_walks_up_from_a_subfolder(repo):
    proc = run_cli(repo, "show", "demo-02", cwd=repo / "tasks" / "demo")
    assert proc.returncode == 0 and "完善价格政策" in proc.stdout and "（推定）" in proc.stdout


def test_init_creates_a_committed_repository_with_bundled_plans(tmp_path):
    target = tmp_path / "新仓库"
    proc = run_cli(tmp_path, "init", str(target), "--plan", "fujian")
    assert proc.returncode == 0, proc.stderr
    assert (target / "tasks/fujian/fujian-03.yaml").is_file()
    assert (target / "tasks/national/plan.yaml").is_file()  # the parent plan comes along
    assert (target / ".gitattributes").read_text(encoding="utf-8").startswith("#")
    assert git(target, "status", "--porcelain") == ""
    assert git(target, "log", "--format=%s") == "新建跟踪仓库：fujian、national\n"
    assert run_cli(target, "check").returncode == 0


def test_init_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "file").write_text("keep", encoding="utf-8")
    proc = run_cli(tmp_path, "init", str(tmp_path / "x"))
    assert proc.returncode == 2 and "不为空" in proc.stderr
    assert (tmp_path / "x" / "file").read_text(encoding="utf-8") == "keep"


def test_built_wheel_works_in_a_fresh_virtualenv(tmp_path):
    """Not editable: the wheel alone carries the plans and templates."""
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(PROJECT)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("yytrack-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site = next(venv.glob("lib/python*/site-packages"))
    # Dependencies come from the test environment; yytrack itself only from the wheel.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run([str(venv / "bin/yytrack"), "init", "tracking"], cwd=str(elsewhere), capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    located = subprocess.run([str(venv / "bin/python"), "-c", "import yytrack; print(yytrack.__file__)"],
                             capture_output=True, cwd=str(elsewhere)).stdout.decode()
    assert str(venv) in located
    made = elsewhere / "tracking"
    for plan in ("national", "fujian", "qiubei", "fujian-demo-2025"):
        assert (made / "tasks" / plan / "plan.yaml").is_file(), plan
    assert any((made / "templates").iterdir())
    assert (made / "tasks/schema/measure.schema.json").is_file()
