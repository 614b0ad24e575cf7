"""Bad values in files: control characters in any text field, dates out of range, HTML and link syntax
in user text. `check` names each with `path:line`; no command fails with an internal error; terminal,
Markdown, HTML, Word and Excel output never carry a control character raw; Markdown shows user HTML and
links literally."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import git, run_cli

UPDATE = ["update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x"]
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# YAML double-quoted escapes: ESC (terminal), CSI (C1), RLO (bidi override), LRI (isolate), BEL
HOSTILE_TITLES = {
    "escape": ('"清屏\\e[2J\\e]0;标题\\a措施"', "U+001B"),
    "c1": ('"控制\\x9b31m措施"', "U+009B"),
    "bidi_override": ('"付款\\u202e10000\\u202c措施"', "U+202E"),
    "bidi_isolate": ('"隔离\\u2066文字\\u2069措施"', "U+2066"),
}


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"手工修改 {rel}")


def line_of(repo: Path, rel: str, fragment: str) -> int:
    lines = (repo / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if fragment in line)


def no_raw_control(text: str) -> None:
    found = RAW.search(text)
    assert found is None, (repr(found.group()), text[max(found.start() - 40, 0):found.end() + 40])


def document_text(path: Path) -> str:
    """Every XML part of a .docx or .xlsx, decoded, with XML character references resolved."""
    import html

    with zipfile.ZipFile(path) as archive:
        return "".join(html.unescape(archive.read(n).decode("utf-8")) for n in archive.namelist()
                       if n.endswith(".xml"))


@pytest.mark.parametrize("kind", sorted(HOSTILE_TITLES))
def test_control_characters_in_a_title(repo, tmp_path, kind):
    value, code = HOSTILE_TITLES[kind]
    rel = "tasks/demo/demo-01.yaml"
    edit(repo, rel, "title: 推进居家社区医养结合设施建设", f"title: {value}")
    proc = run_cli(repo, "check")
    assert proc.returncode == 1
    assert f"{rel}:{line_of(repo, rel, 'title:')}: 错误：title 含有控制字符 {code}" in proc.stdout, proc.stdout
    for args in (["show", "demo-01"], ["list"], ["status"], ["show", "demo-01", "--json"], ["list", "--json"],
                 ["remind"]):
        proc = run_cli(repo, *args)
        assert proc.returncode == 0, (args, proc.stderr)
        no_raw_control(proc.stdout + proc.stderr)
    assert "\\u" in run_cli(repo, "show", "demo-01").stdout  # shown as its escape, not dropped silently
    assert run_cli(repo, *UPDATE).returncode == 0
    for fmt in ("md", "html", "docx", "xlsx"):
        out = tmp_path / f"通报.{fmt}"
        proc = run_cli(repo, "report", "--format", fmt, "-o", str(out))
        assert proc.returncode == 0, (fmt, proc.stderr)
        no_raw_control(out.read_text(encoding="utf-8") if fmt in ("md", "html") else document_text(out))
    proc = run_cli(repo, "forms", "--plan", "demo", "-o", str(tmp_path / "表"))
    assert proc.returncode == 0, proc.stderr
    for form in (tmp_path / "表").iterdir():
        no_raw_control(document_text(form))


def test_control_characters_in_records_and_units_are_flagged(repo):
    assert run_cli(repo, *UPDATE).returncode == 0
    rel = "progress/demo/demo-01/省民政厅.yaml"
    text = (repo / rel).read_text(encoding="utf-8")
    (repo / rel).write_text(text.replace("note: x", 'note: "x\\e[31m"'), encoding="utf-8")
    edit(repo, "tasks/units.yaml", "name: 省财政厅", 'name: "省财政厅"\n    full_name: "财政\\u202e厅"')
    proc = run_cli(repo, "check")
    assert proc.returncode == 1
    note_line = [i for i, line in enumerate((repo / rel).read_text(encoding="utf-8").splitlines(), 1)
                 if 'note: "x' in line][-1]
    assert f"{rel}:{note_line}: 错误：updates.note 含有控制字符 U+001B" in proc.stdout, proc.stdout
    unit_line = line_of(repo, "tasks/units.yaml", "\\u202e")
    assert f"tasks/units.yaml:{unit_line}: 错误：units.full_name" in proc.stdout
    proc = run_cli(repo, "log")
    no_raw_control(proc.stdout)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_record_with_an_absurd_date_is_named_never_an_internal_error(repo, tmp_path, day):
    assert run_cli(repo, *UPDATE).returncode == 0
    rel = "progress/demo/demo-01/省民政厅.yaml"
    text = (repo / rel).read_text(encoding="utf-8")
    today = re.search(r"date: '?(\d{4}-\d{2}-\d{2})", text.split("updates:")[1]).group(1)
    (repo / rel).write_text(text.replace(f"date: '{today}'", f"date: '{day}'"), encoding="utf-8")
    git(repo, "commit", "-qam", "改坏日期")
    proc = run_cli(repo, "check")
    assert proc.returncode == 1
    lines = [line for line in proc.stdout.splitlines() if line.startswith(f"{rel}:") and day in line]
    assert lines and all(re.match(rf"{re.escape(rel)}:\d+: 错误：", line) for line in lines), proc.stdout
    for args in (["list"], ["show", "demo-01"], ["status"], ["report", "-o", str(tmp_path / "r.md")],
                 ["remind"], ["log"], ["forms", "--plan", "demo", "-o", str(tmp_path / "表")]):
        proc = run_cli(repo, *args)
        assert "内部错误" not in proc.stderr and "Traceback" not in proc.stderr, (args, proc.stderr)
        if proc.returncode != 0:
            assert len(proc.stderr.strip().splitlines()) == 1 and "省民政厅.yaml" in proc.stderr, (args, proc.stderr)


@pytest.mark.parametrize("day, why", [("2020-06-30", "方案印发的前一年"), ("2099-01-01", "之后")])
def test_record_date_outside_the_plan_and_today_is_a_check_error(repo, tmp_path, day, why):
    assert run_cli(repo, *UPDATE).returncode == 0
    rel = "progress/demo/demo-01/省民政厅.yaml"
    text = (repo / rel).read_text(encoding="utf-8")
    head, _, entries = text.partition("updates:")
    entries = re.sub(r"date: '?\d{4}-\d{2}-\d{2}'?", f"date: '{day}'", entries, count=1)
    (repo / rel).write_text(head + "updates:" + entries, encoding="utf-8")
    git(repo, "commit", "-qam", "改日期")
    proc = run_cli(repo, "check")
    assert proc.returncode == 1
    assert f"{rel}:{line_of(repo, rel, f'date: {chr(39)}{day}')}: 错误：日期 {day}" in proc.stdout, proc.stdout
    assert why in proc.stdout
    for args in (["status"], ["report", "-o", str(tmp_path / "r.md")], ["remind"]):
        proc = run_cli(repo, *args)
        assert proc.returncode == 0 and "内部错误" not in proc.stderr, (args, proc.stderr)


def test_update_date_bounds(repo):
    proc = run_cli(repo, *UPDATE, "--date", "2024-12-31")
    assert proc.returncode == 2 and "早于 2025-01-01" in proc.stderr, proc.stderr
    assert run_cli(repo, *UPDATE, "--date", "2025-01-01").returncode == 0


def test_markdown_report_shows_user_html_and_links_literally(repo, tmp_path):
    note = '<script>alert(1)</script> 见[材料](javascript:alert(2)) <img src=x onerror=alert(3)> & ![图](http://x/y.png)'
    assert run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--note", note).returncode == 0
    edit(repo, "tasks/demo/demo-01.yaml", "title: 推进居家社区医养结合设施建设",
         "title: '[点此](javascript:void(0))<b>推进</b>设施建设'")
    out = tmp_path / "通报.md"
    assert run_cli(repo, "report", "-o", str(out)).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text and "<img" not in text and "<b>" not in text
    assert re.search(r"(?<!\\)\]\(", text) is None  # every ] before ( is escaped: no live link or image
    assert "&lt;script>" in text and "\\[材料\\](javascript:alert(2))" in text
    assert "\\[点此\\]" in text
    html = tmp_path / "通报.html"
    assert run_cli(repo, "report", "--format", "html", "-o", str(html)).returncode == 0
    assert "<script>alert" not in html.read_text(encoding="utf-8")


def test_output_to_stdout_matches_the_file(repo, tmp_path):
    assert run_cli(repo, *UPDATE).returncode == 0
    out = tmp_path / "通报.md"
    assert run_cli(repo, "report", "-o", str(out)).returncode == 0
    proc = run_cli(repo, "report", "-o", "-")
    assert proc.returncode == 0 and proc.stdout == out.read_text(encoding="utf-8")
    assert not (repo / "-").exists() and not (repo / "reports").exists()
    proc = run_cli(repo, "remind", "--notice", "-o", "-")
    assert proc.returncode == 0 and "催办通知" in proc.stdout and "单位    措施" not in proc.stdout


def test_output_refuses_tracked_files_outside_reports_unless_forced(repo):
    before = (repo / "tasks" / "config.yaml").read_bytes()
    proc = run_cli(repo, "report", "-o", "tasks/config.yaml")
    assert proc.returncode == 2 and "tasks/config.yaml" in proc.stderr and "--force" in proc.stderr
    assert (repo / "tasks" / "config.yaml").read_bytes() == before
    (repo / "reports").mkdir()
    (repo / "reports" / "旧通报.md").write_text("旧", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "旧通报")
    assert run_cli(repo, "report", "-o", "reports/旧通报.md").returncode == 0  # reports/ is for reports
    assert run_cli(repo, "report", "-o", "tasks/config.yaml", "--force").returncode == 0
    assert (repo / "tasks" / "config.yaml").read_bytes() != before
