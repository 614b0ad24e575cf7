"""`yytrack log` reads its rows straight from git (repo/logscan.py, LogTable, LogJson); the library reads
`Commit`s (Tracker.log). On a real repository holding every form of message — yytrack's own updates and
reviews, hand-written commits, trailers out of order, repeated or empty, trailers that are not the last
paragraph, unit merges, commits that are no record at all, entries back-dated and on the same second —
the command's bytes are the straightforward rendering of the library's commits, for every filter."""

from __future__ import annotations

import json
import random

import pytest

from conftest import git, run_cli

UNITS = ("省卫健委", "省民政厅", "省医保局")
TRAILERS = "\n\nYytrack-Measure: {m}\nYytrack-Unit: {u}\nYytrack-Status: {s}\nYytrack-Progress: {p}\nYytrack-Date: {d}"
NOTES = ["", "推进中。", "多个  空格\t和制表符", "很长的说明" * 8, "（全部在括号里的一段很长很长很长很长很长很长的说明文字）",
         "引号“说明”与‘单引号’……—·", "ASCII only note", "表情😀说明", "分隔\x1f符", "第一行\n\n第二段",
         "  前后空格  ", "《办法》〔2024〕12号文件要求的各项工作已经全部按时完成并通过验收"]


def _messages(rng: random.Random):
    """Every form of message a tracking repository may hold, with the measure folder it touches."""
    for i in range(60):
        m, u, note = f"demo-0{rng.randint(1, 3)}", rng.choice(UNITS), rng.choice(NOTES)
        day = f"2026-0{1 + (i // 9) % 3}-{10 + (i // 3) % 3}"  # three in a row share a day (and a second)
        body = f"\n\n{note}" if note else ""
        plain = f"进展 {m} {u}{body}" + TRAILERS.format(m=m, u=u, s=rng.choice(["in_progress", "done", "odd"]),
                                                         p=rng.randint(0, 100), d=day)
        forms = [
            plain, plain + "\nYytrack-Indicator: 床位=12\nYytrack-Evidence: a.pdf",
            plain.replace("Yytrack-Progress: ", "Yytrack-Progressive: "),
            plain.replace(f"\nYytrack-Progress: ", "\nYytrack-Note: x\nYytrack-Progress: "),
            plain + f"\nYytrack-Unit: {rng.choice(UNITS)}\nYytrack-Review: accept",
            plain + "\nYytrack-Review: reject",
            plain.replace(f"Yytrack-Date: {day}", "Yytrack-Date: "),
            plain.replace(f"Yytrack-Date: {day}", "Yytrack-Date: 2026-2-3"),
            plain.replace(f"Yytrack-Date: {day}", "Yytrack-Date: 2026年3月1日"),
            plain + "\n\n附言", plain + "\nSigned-off-by: 某人 <a@b.cn>", plain.replace("\n\n", "\r\n\r\n"),
            f"审核 {m}：同意办结\n\n{note}\n\nYytrack-Measure: {m}\nYytrack-Review: accept\nYytrack-Date: {day}",
            f"审核 {m}：退回\n\n{note}\n\nYytrack-Measure: {m}\nYytrack-Review: reject\nYytrack-Date: {day}",
            f"主题第一行\n主题第二行\n\n{note}" + TRAILERS.format(m=m, u=u, s="blocked", p=5, d=day),
            f"只有主题\nYytrack-Measure: {m}\nYytrack-Date: {day}",
            f"正文提到\n\nYytrack-Measure: {m}\n而不是结尾", f"单位合并：甲 → {u}\n\nYytrack-Units-Merge: 甲 => {u}",
            f"手工提交 {note}", f"初始化\n\nYytrack-Init: demo",
        ]
        yield m, forms[i % len(forms)]  # each form three times or more


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """The minirepo fixture, then 60 commits written by one `git fast-import` (exact bytes, set clocks)."""
    import os
    import shutil
    import subprocess

    from conftest import FIXTURES

    base = tmp_path_factory.mktemp("logscan")
    repo = base / "仓库"
    shutil.copytree(FIXTURES / "minirepo", repo)
    (base / "gitconfig").write_text("", encoding="utf-8")
    env = {**os.environ, "HOME": str(base), "GIT_CONFIG_GLOBAL": str(base / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}
    rng, stream = random.Random(17), []
    for i, (measure, message) in enumerate(_messages(rng)):
        # Several commits share a second, and the clock goes back once, so git's order is not the wanted one.
        when = 1_767_000_000 + 3600 * (i // 3 if i < 30 else i // 3 - 8)
        who = f"{rng.choice(['张三', 'Li Si', '王 五'])} <u{i % 4}@example.cn> {when} +0800"
        data, text = message.encode("utf-8"), f"{i}".encode()
        stream += [b"commit refs/heads/main", f"author {who}\ncommitter {who}".encode("utf-8"),
                   b"data %d" % len(data), data, f"M 644 inline progress/demo/{measure}/{i}.txt".encode("utf-8"),
                   b"data %d" % len(text), text, b""]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "初始化"]):
        subprocess.run(["git", "-c", "user.name=测试员", "-c", "user.email=t@example.cn", *args], cwd=repo, env=env,
                       check=True)
    stream.insert(0, b"reset refs/heads/main\nfrom HEAD\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, env=env, check=True, input=b"\n".join(stream))
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=repo, env=env, check=True)
    return repo


def _expected(repo, args, as_json):
    """The straightforward rendering of Tracker.log: every row a dict, tabulate's "simple" table."""
    import datetime as dt

    from yytrack import Tracker
    from yytrack.cli.base import table
    from yytrack.model.clip import clip
    from yytrack.reports.terminal import LogTable, log_rows

    options = dict(zip(args[::2], args[1::2]))
    day = {k: dt.date.fromisoformat(options[k]) for k in ("--since", "--until") if k in options}
    rows = log_rows(Tracker(repo).log(options.get("measure"), options.get("--unit"), day.get("--since"),
                                      day.get("--until"), options.get("--plan")))
    if as_json:
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    cells = [[r[k] for k in ("date", "measure", "unit", "action", "progress", "author")] + [clip(r["note"], 30)]
             for r in rows]
    return table(cells, list(LogTable.HEADERS)) + f"\n共 {len(rows)} 条\n"


@pytest.mark.parametrize("args", [[], ["--plan", "demo"], ["--unit", "省民政厅"], ["--since", "2026-02-11"],
                                  ["--until", "2026-02-11"], ["measure", "demo-02"],
                                  ["measure", "demo-03", "--unit", "省卫健委"], ["--since", "2030-01-01"]])
@pytest.mark.parametrize("as_json", [False, True])
def test_log_is_the_plain_rendering_of_the_library_commits(history, args, as_json):
    cli_args = [a for a in args if a != "measure"] + (["--json"] if as_json else [])
    proc = run_cli(history, "log", *cli_args)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == _expected(history, args, as_json)


def test_every_form_of_message_is_in_the_history(history):
    rows = json.loads(run_cli(history, "log", "--json").stdout)
    dates = [r["date"] for r in rows]
    assert "2026年3月1日" in dates and "2026-2-3" in dates          # odd dates are shown as written
    assert {"审核：同意办结", "审核：退回"} <= {r["action"] for r in rows}
    assert any(r["measure"] == "" and r["unit"] == "" for r in rows)  # the unit merge
    assert not any(r["note"].startswith("手工提交") for r in rows)      # no record, no row
    listed = {r["commit"] for r in rows}
    in_git_order = [c for c in git(history, "log", "--format=%H").split() if c in listed]
    assert [r["commit"] for r in rows] != in_git_order                 # the order was put to work
    assert len({(r["date"], r["recorded"]) for r in rows}) < len(rows)  # and ties kept git's order
    table = run_cli(history, "log").stdout
    assert "😀" in table and table.endswith(f"共 {len(rows)} 条\n")


def test_a_table_of_plain_chinese_is_laid_out_without_tabulate(repo):
    """No emoji or control character: the table is laid out by LogTable itself, and still the same."""
    for k, note in enumerate(["一", "说明“引号”……", "很长的说明" * 8, ""]):
        proc = run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--progress",
                       str(k), "--note", note, "--date", f"2026-01-0{k + 1}")
        assert proc.returncode == 0, proc.stderr
    for args in ([], ["measure", "demo-01"], ["--unit", "省卫健委"]):
        proc = run_cli(repo, "log", *[a for a in args if a != "measure"])
        assert proc.stdout == _expected(repo, args, False)
