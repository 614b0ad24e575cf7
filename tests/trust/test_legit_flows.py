"""What the supervising office and the clerks do every day passes the hook, on the real gitolite server and
on a bare repository with signatures, and three clones syncing at the same time all get everything."""

from __future__ import annotations

import os
import threading


from conftest import git
from trustbed import team  # noqa: F401  (a fixture)


def ok(proc):
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def fill_form(path, measure: str, values: dict) -> None:
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["报送表"]
    headers = {cell.value: cell.column for cell in sheet[4]}
    for row in sheet.iter_rows(min_row=5):
        if row[0].value == measure:
            for header, value in values.items():
                sheet.cell(row[0].row, headers[header], value)
    book.save(path)


def test_daily_work_passes_the_hook(team, tmp_path):
    clerks = {"li": ("demo-01", "省民政厅"), "wang": ("demo-03", "省卫健委"), "chen": ("demo-01", "福州市人民政府")}
    clones = {login: team.clone(login) for login in clerks}
    for login, (measure, unit) in clerks.items():
        status = "已完成" if login == "wang" else "推进中"
        ok(team.cli(clones[login], login, "update", measure, "--unit", unit, "--status", status, "--note", f"{unit}进展"))
        ok(team.cli(clones[login], login, "sync"))
    # the supervising office keys in a phoned-in report and collects a returned form, on the units' behalf
    zhou = team.clone("zhou")
    ok(team.cli(zhou, "zhou", "update", "demo-02", "--unit", "省医保局", "--status", "推进中", "--note", "电话报送",
                "--source", "电话"))
    forms = tmp_path / "forms"
    ok(team.cli(zhou, "zhou", "forms", "--plan", "demo", "--unit", "省卫健委", "-o", str(forms)))
    form = next(forms.iterdir())
    fill_form(form, "demo-02", {"本期状态": "推进中", "本期进度（%）": 40, "本期进展说明": "表单报送"})
    ok(team.cli(zhou, "zhou", "collect", str(form), "--yes"))
    message = git(zhou, "log", "-1", "--format=%an <%ae>|%cn|%B")
    assert message.startswith("周管理 <zhou@example.cn>|周管理|")
    assert "Yytrack-On-Behalf: 省卫健委" in message and f"Yytrack-Source: {form.name}" in message
    record = (zhou / "progress/demo/demo-02/省卫健委.yaml").read_text(encoding="utf-8")
    assert "author: 周管理 <zhou@example.cn>" in record and "on_behalf: true" in record and form.name in record
    ok(team.cli(zhou, "zhou", "sync"))
    # review by the reviewer
    sun = team.clone("sun")
    ok(team.cli(sun, "sun", "review", "demo-03", "--accept", "--note", "同意办结"))
    ok(team.cli(sun, "sun", "sync"))
    # a policy change by the supervising office
    ok(team.cli(zhou, "zhou", "sync"))
    config = zhou / "tasks/config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("people:\n", "people:\n  new@example.cn: [省财政厅]\n"),
                      encoding="utf-8")
    git(zhou, "commit", "-qam", "登记新人员")
    ok(team.cli(zhou, "zhou", "sync"))
    final = team.clone("sun", name="final")
    assert len(git(final, "log", "--format=%H").split()) == 8
    assert "审计通过" in ok(team.cli(final, "sun", "audit")).stdout


def test_three_clones_sync_concurrently(team):
    rounds = 10 if os.environ.get("YYTRACK_STRESS") else 5
    clerks = {"li": "省民政厅", "wang": "省卫健委", "chen": "福州市人民政府"}
    clones = {login: team.clone(login) for login in clerks}
    failures = []

    def work(login: str) -> None:
        for n in range(rounds):
            update = team.cli(clones[login], login, "update", "demo-01", "--unit", clerks[login], "--status", "推进中",
                              "--note", f"{login} 第{n}轮")
            synced = team.cli(clones[login], login, "sync")
            if update.returncode or synced.returncode:
                failures.append((login, n, update.stderr + synced.stderr))

    threads = [threading.Thread(target=work, args=(login,)) for login in clerks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    for login in clerks:
        ok(team.cli(clones[login], login, "sync"))
    for login in clerks:
        notes = {line.split("note: ")[1] for unit in clerks.values()
                 for line in (clones[login] / f"progress/demo/demo-01/{unit}.yaml").read_text(encoding="utf-8").splitlines()
                 if "note: " in line}
        assert notes == {f"{c} 第{n}轮" for c in clerks for n in range(rounds)}
    assert "审计通过" in ok(team.cli(clones["li"], "li", "audit")).stdout
