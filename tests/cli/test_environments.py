"""The command line in odd environments: C locale, GBK consoles, PYTHONUTF8=0, Chinese paths, Chinese git.

Every environment runs the same suite (update, list, show, status, log, check, report) with stdout
redirected to a file, as a scheduled task or a batch file would. Data on disk is always UTF-8 and
identical; what the console cannot show is replaced, never fatal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import assert_clean_failure, make_repo

NOTE = "已完成摸底 😀 𠀀 \u200f"  # emoji, a rare CJK character outside the BMP, an RTL mark


def _locales() -> set:
    proc = subprocess.run(["locale", "-a"], capture_output=True)
    return {line.strip().lower().replace("utf-8", "utf8") for line in proc.stdout.decode("ascii", "replace").split()}


def _git_speaks(env: dict) -> str:
    """What git says outside a repository under env (Chinese when its translations are installed)."""
    proc = subprocess.run(["git", "rev-parse", "--git-dir"], cwd="/", capture_output=True,
                          env={**os.environ, **env})
    return proc.stderr.decode("utf-8", "replace")


def chinese_git_env() -> dict:
    """LANG=zh_CN.UTF-8 when that locale exists (install `locales`, run locale-gen), else LANGUAGE=zh_CN,
    which git's gettext honours when its translations are installed even without the locale."""
    if "zh_cn.utf8" in _locales():
        return {"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8"}
    return {"LANGUAGE": "zh_CN"}


GIT_ZH = chinese_git_env()
GIT_SPEAKS_CHINESE = any("\u4e00" <= ch <= "\u9fff" for ch in _git_speaks(GIT_ZH))

# name → (environment, encoding the console output is written in, whether that encoding has Chinese)
ENVIRONMENTS = {
    "lc_all_c": ({"LC_ALL": "C", "LANG": "C", "LANGUAGE": ""}, "utf-8", True),  # Python turns on UTF-8 mode
    "pythonioencoding_gbk": ({"PYTHONIOENCODING": "gbk"}, "gbk", True),  # a Chinese Windows console
    "pythonutf8_0": ({"PYTHONUTF8": "0"}, None, True),  # the locale decides (C.UTF-8 or zh_CN.UTF-8 here)
    "pythonutf8_0_c_locale": ({"PYTHONUTF8": "0", "LC_ALL": "C", "LANG": "C"}, "utf-8", True),
    "git_in_chinese": (GIT_ZH, "utf-8", True),
    # click treats an ASCII stream as misconfigured and writes UTF-8 to it; latin-1 it keeps, replacing.
    "ascii_console": ({"PYTHONIOENCODING": "ascii"}, "utf-8", True),
    "latin1_console_c_locale": ({"PYTHONIOENCODING": "latin-1", "LC_ALL": "C", "LANG": "C"}, "latin-1", False),
}


def console_encoding(env: dict) -> str:
    """The encoding Python picks for stdout under env (for a redirected stdout)."""
    code = "import sys; print(sys.stdout.encoding)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env={**os.environ, **env})
    return proc.stdout.decode("ascii").strip()


def run_to_file(repo: Path, out: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run yytrack with stdout redirected to a file (not a pipe, not a terminal) and stdin closed."""
    with out.open("wb") as handle:
        proc = subprocess.run([sys.executable, "-m", "yytrack", *args], cwd=str(repo), stdout=handle,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env={**os.environ, **env})
    return subprocess.CompletedProcess(proc.args, proc.returncode, out.read_bytes(), proc.stderr)


@pytest.fixture
def office_repo(tmp_path) -> Path:
    """A repository under a path with Chinese characters, spaces and full-width brackets."""
    return make_repo(tmp_path / "办公室 文件" / "跟踪 仓库（2026 年）")


@pytest.mark.parametrize("name", sorted(ENVIRONMENTS))
def test_cli_suite_in_environment(office_repo, tmp_path, name):
    env, encoding, has_chinese = ENVIRONMENTS[name]
    if name == "git_in_chinese" and not GIT_SPEAKS_CHINESE:
        pytest.skip(f"git does not print Chinese here with {env} (no zh_CN locale or no git translations)")
    encoding = encoding or console_encoding(env)
    out = tmp_path / "输出.txt"
    report = tmp_path / "通报 输出" / "通报.md"

    def ok(*args: str) -> str:
        proc = run_to_file(office_repo, out, env, *args)
        stderr = proc.stderr.decode(encoding, "replace")
        assert proc.returncode == 0, (name, args, stderr)
        assert stderr == "", (name, args, stderr)
        return proc.stdout.decode(encoding)  # strict: whatever was written is valid in the console's encoding

    recorded = ok("update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--progress", "40", "--note", NOTE)
    listed = ok("list")
    shown = ok("show", "demo-01")
    summary = ok("status")
    logged = ok("log")
    checked = ok("check")
    ok("report", "-o", str(report))
    assert "demo-01" in listed and "demo-01" in logged and "40%" in listed
    if has_chinese:
        assert "已记录" in recorded and "推进居家社区医养结合设施建设" in shown and "检查完毕" in checked
        assert "省民政厅" in summary or "推进中" in summary
    else:
        assert "?" in shown  # replaced, not fatal
    # Whatever the console, the data is UTF-8 and exactly what was typed.
    record = (office_repo / "progress/demo/demo-01/省民政厅.yaml").read_text(encoding="utf-8")
    assert f"note: {NOTE.strip()}" in record or NOTE.strip() in record
    from yytrack import Tracker

    tracker = Tracker(office_repo)
    assert tracker.unit_updates(tracker.get("demo-01"))["省民政厅"][-1].note == NOTE.strip()
    assert tracker.log("demo-01")[0].note == NOTE.strip()
    text = report.read_text(encoding="utf-8")
    assert "省民政厅" in text and "医养结合示例方案" in text


@pytest.mark.parametrize("name", sorted(ENVIRONMENTS))
def test_errors_stay_one_line_in_environment(office_repo, tmp_path, name):
    env, encoding, has_chinese = ENVIRONMENTS[name]
    if name == "git_in_chinese" and not GIT_SPEAKS_CHINESE:
        pytest.skip("git does not print Chinese here")
    encoding = encoding or console_encoding(env)
    for args in (["show", "没有这条"], ["update", "demo-01", "--unit", "不存在的单位", "--status", "推进中", "--note", "x"],
                 ["status", "--as-of", "二〇二六年"]):
        proc = run_to_file(office_repo, tmp_path / "out.txt", env, *args)
        decoded = subprocess.CompletedProcess(args, proc.returncode, "", proc.stderr.decode(encoding))
        if has_chinese:
            assert_clean_failure(decoded, 2)
        else:
            assert proc.returncode == 2 and len(decoded.stderr.strip().splitlines()) == 1
            assert "Traceback" not in decoded.stderr


@pytest.mark.skipif(not GIT_SPEAKS_CHINESE, reason="git does not print Chinese here")
def test_git_messages_in_chinese_reach_the_user_in_one_line(office_repo, tmp_path):
    """yytrack reads git's porcelain output and exit codes, never its prose: a translated git changes
    only the wording of the detail it passes on."""
    subprocess.run(["git", "remote", "add", "origin", "git://127.0.0.1:9/没有.git"], cwd=str(office_repo), check=True)
    proc = run_to_file(office_repo, tmp_path / "out.txt", GIT_ZH, "sync")
    line = assert_clean_failure(subprocess.CompletedProcess([], proc.returncode, "", proc.stderr.decode("utf-8")), 1)
    assert "无法从远程仓库 origin 获取" in line
    detail = line.split("获取（", 1)[1].split("）；", 1)[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), line  # git's own words, in Chinese
    subprocess.run(["git", "checkout", "-q", "--detach"], cwd=str(office_repo), check=True)
    proc = run_to_file(office_repo, tmp_path / "out.txt", GIT_ZH, "update", "demo-01", "--unit", "省民政厅",
                       "--status", "推进中", "--note", "x")
    line = assert_clean_failure(subprocess.CompletedProcess([], proc.returncode, "", proc.stderr.decode("utf-8")), 1)
    assert "分离头指针" in line


def test_sync_between_clones_with_chinese_git(tmp_path):
    """A rejected push is recognised by git's untranslated [rejected] marker, so retries work in Chinese."""
    if not GIT_SPEAKS_CHINESE:
        pytest.skip("git does not print Chinese here")
    seed = make_repo(tmp_path / "种子")
    bare = tmp_path / "共享 仓库.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(seed), str(bare)], check=True)
    clones = []
    for name in ("甲处", "乙处"):
        subprocess.run(["git", "clone", "-q", str(bare), str(tmp_path / name)], check=True)
        clones.append(tmp_path / name)
    for i, (clone, unit, measure) in enumerate(zip(clones, ("省卫健委", "省医保局"), ("demo-01", "demo-02"))):
        proc = run_to_file(clone, tmp_path / "out.txt", GIT_ZH, "update", measure, "--unit", unit, "--status",
                           "推进中", "--note", f"第{i}处")
        assert proc.returncode == 0, proc.stderr.decode()
    for clone in (*clones, clones[0]):
        proc = run_to_file(clone, tmp_path / "out.txt", GIT_ZH, "sync")
        assert proc.returncode == 0, proc.stderr.decode()
    heads = {subprocess.run(["git", "rev-parse", "HEAD"], cwd=str(c), capture_output=True).stdout for c in clones}
    assert len(heads) == 1
