"""`yytrack update` at a real terminal (a pty): it asks for unit, status, progress and note, shows a
summary and commits only after the person confirms."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import git, run_cli

TIMEOUT = 30


class Terminal:
    """A yytrack process whose stdin, stdout and stderr are a pseudo-terminal."""

    def __init__(self, repo: Path, *args: str):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen([sys.executable, "-m", "yytrack", *args], cwd=str(repo), stdin=slave,
                                     stdout=slave, stderr=slave, close_fds=True, env=dict(os.environ))
        os.close(slave)
        self.seen = ""

    def expect(self, text: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while text not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"waited for {text!r}; the terminal shows:\n{self.seen}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the process ended and closed the terminal
                    chunk = b""
                assert chunk, f"the process ended before {text!r}:\n{self.seen}"
                self.seen += chunk.decode("utf-8", "replace")
        shown, self.seen = self.seen, self.seen[self.seen.index(text) + len(text):]
        return shown

    def send(self, line: str) -> None:
        os.write(self.master, (line + "\r").encode("utf-8"))

    def finish(self) -> int:
        rest = b""
        while True:
            ready, _, _ = select.select([self.master], [], [], TIMEOUT)
            try:
                chunk = os.read(self.master, 4096) if ready else b""
            except OSError:
                chunk = b""
            if not chunk:
                break
            rest += chunk
        self.seen += rest.decode("utf-8", "replace")
        os.close(self.master)
        return self.proc.wait(TIMEOUT)


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def map_people(repo: Path, text: str) -> None:
    config = repo / "tasks/config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + text, encoding="utf-8")
    git(repo, "commit", "-qam", "登记人员")


def test_a_clerk_is_asked_everything_and_offered_only_their_unit(repo):
    map_people(repo, "people:\n  tester@example.cn: [省民政厅]\n")
    first = run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--progress", "40",
                    "--note", "完成摸底")
    assert first.returncode == 0, first.stderr
    term = Terminal(repo, "update", "demo-01")
    menu = term.expect("请选择报送单位")
    assert "1. 省民政厅" in menu and "省卫健委" not in menu and "省财政厅" not in menu
    term.send("省卫健委")  # not theirs: asked again
    assert "不在上面的列表中" in term.expect("请选择报送单位")
    term.send("省民政厅")  # a name is as good as the number
    assert "1. 未启动" in term.expect("请选择状态")
    term.send("受阻")
    assert "回车保留上次的 40%" in term.expect("请输入进度")
    term.send("")
    term.expect("请输入受阻原因说明（必填）")
    term.send("")  # required: asked again
    assert "必须说明受阻原因" in term.expect("请输入受阻原因说明（必填）")
    term.send("资金未到位。")
    summary = term.expect("确认提交？")
    for line in ("单位：省民政厅", "状态：受阻", "进度：40%", "说明：资金未到位。"):
        assert line in summary, summary
    term.send("y")
    assert term.finish() == 0, term.seen
    assert "已记录：进展 demo-01 省民政厅：受阻 40%" in term.seen
    message = git(repo, "log", "-1", "--format=%B")
    assert "Yytrack-Progress: 40" in message and "资金未到位。" in message and "Yytrack-Status: blocked" in message


def test_the_supervisor_sees_every_unit_and_may_decline(repo):
    map_people(repo, "people:\n  li@example.cn: [省民政厅]\n  tester@example.cn: [省卫健委]\n")
    config = repo / "tasks/config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("- sun@example.cn", "- tester@example.cn"),
                      encoding="utf-8")
    git(repo, "commit", "-qam", "审核人")
    before = head(repo)
    term = Terminal(repo, "update", "demo-01")
    menu = term.expect("请选择报送单位")
    for unit in ("省卫健委", "省民政厅", "省财政厅", "各市、县（区）人民政府", "福州市人民政府"):
        assert unit in menu, menu
    term.send("9")  # out of range: asked again
    term.expect("请选择报送单位")
    term.send("2")
    term.expect("请选择状态")
    term.send("2")
    assert "回车不填" in term.expect("请输入进度")
    term.send("六十")
    term.expect("请输入进度")
    term.send("60%")
    term.expect("请输入进展说明（回车不填）")
    term.send("")
    summary = term.expect("确认提交？")
    assert "单位：省民政厅" in summary and "状态：推进中" in summary and "进度：60%" in summary
    term.send("n")
    assert term.finish() == 1
    assert "已取消，未记录任何进展" in term.seen and "Traceback" not in term.seen
    assert head(repo) == before and git(repo, "status", "--porcelain") == ""


def test_options_given_are_not_asked_again(repo):
    term = Terminal(repo, "update", "demo-02", "--unit", "省医保局", "--status", "已完成")
    term.expect("请输入完成情况说明（必填）")
    term.send("价格政策已出台。")
    summary = term.expect("确认提交？")
    assert "进度：100%（已完成）" in summary
    term.send("")  # Enter confirms
    assert term.finish() == 0, term.seen
    assert "已完成 100%" in term.seen


def test_a_script_is_never_asked(repo):
    before = head(repo)
    proc = run_cli(repo, "update", "demo-01")
    assert proc.returncode == 2 and "--unit" in proc.stderr
    proc = run_cli(repo, "update", "demo-01", "--unit", "省卫健委")
    assert proc.returncode == 2 and "--status" in proc.stderr
    assert head(repo) == before


def test_a_person_with_no_unit_of_this_measure_is_told_why(repo):
    map_people(repo, "people:\n  tester@example.cn: [省医保局]\n")
    term = Terminal(repo, "update", "demo-01")
    assert term.finish() == 2
    assert "省医保局" in term.seen and "不是 demo-01 的责任单位" in term.seen and "Traceback" not in term.seen
    # Now the person at the terminal is not listed at all.
    config = repo / "tasks/config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("tester@example.cn", "other@example.cn"),
                      encoding="utf-8")
    git(repo, "commit", "-qam", "换人")
    term = Terminal(repo, "update", "demo-01")
    assert term.finish() == 2
    assert "tester@example.cn: [所在单位]" in term.seen
