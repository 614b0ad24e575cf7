"""Report forms out and returns in, on real files and real repositories: forms → clerk fills → collect."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import git, make_repo, run_cli, snapshot

TODAY = dt.date.today()
THIS_MONTH = TODAY.strftime("%Y-%m")
LAST_MONTH_END = TODAY.replace(day=1) - dt.timedelta(days=1)
LAST_MONTH = LAST_MONTH_END.strftime("%Y-%m")
NEXT_MONTH = (TODAY.replace(day=28) + dt.timedelta(days=5)).strftime("%Y-%m")

# Plan demo: demo-01 (leads 省卫健委、省民政厅; 省财政厅; group 各市、县（区）人民政府 with members 福州、厦门),
# demo-02 (lead 省医保局; 省卫健委), demo-03 (lead 省卫健委; 省民政厅、省医保局), demo-04 (省民政厅, starts 2099).
# Plan extra: extra-01 (省民政厅). Contacts: 省民政厅 李明 <li@example.cn>, 厦门市人民政府 陈静.


@pytest.fixture
def frepo(tmp_path) -> Path:
    return make_repo(tmp_path / "表单 仓库", "forms_repo")


@pytest.fixture
def out(tmp_path) -> Path:
    return tmp_path / "报送表 下发"


def make_forms(repo: Path, out: Path, *args: str) -> None:
    proc = run_cli(repo, "forms", "--plan", "demo", "-o", str(out), *args)
    assert proc.returncode == 0, proc.stderr


def form_path(out: Path, unit: str, period: str = THIS_MONTH) -> Path:
    return out / f"{period}-{unit}-报送表.xlsx"


def fill(path: Path, values: dict, ids: dict | None = None) -> Path:
    """Type into the form as a clerk would: {measure id: {column header: value}}; ids renames id cells."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["报送表"]
    headers = {cell.value: cell.column for cell in sheet[4]}
    for row in sheet.iter_rows(min_row=5):
        measure = row[0].value
        for header, value in values.get(measure, {}).items():
            sheet.cell(row[0].row, headers[header], value)
        if ids and measure in ids:
            sheet.cell(row[0].row, 1, ids[measure])
    book.save(path)
    return path


def commits(repo: Path, since: str) -> list:
    """(author, message) of the commits after `since`, oldest first."""
    out = git(repo, "log", "--reverse", "--format=%an <%ae>%x1f%B%x1e", f"{since}..HEAD")
    return [tuple(chunk.strip().split("\x1f")) for chunk in out.split("\x1e") if chunk.strip()]


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


# ---------------------------------------------------------------- forms out


def test_forms_one_file_per_unit_with_what_it_owes(frepo, out):
    proc = run_cli(frepo, "forms", "--plan", "demo", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out.iterdir())
    units = ["厦门市人民政府", "省医保局", "省卫健委", "省民政厅", "省财政厅", "福州市人民政府"]
    assert names == sorted(f"{THIS_MONTH}-{u}-报送表.xlsx" for u in units)  # no form for the group itself
    assert f"共 6 份报送表，报送期 {THIS_MONTH}" in proc.stdout
    import openpyxl

    sheet = openpyxl.load_workbook(form_path(out, "省民政厅"))["报送表"]
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True)]
    assert [(r[0], r[1], r[3]) for r in rows] == [("demo-01", "（一）", "牵头"), ("demo-03", "（三）", "配合")]
    assert sheet["A1"].value == "《医养结合示例方案》落实情况报送表"
    facts = [c.value for c in sheet[2] if c.value]
    assert facts[:4] == ["方案：《医养结合示例方案》", "报送单位：省民政厅", f"报送期：{THIS_MONTH}", f"截止日期：{THIS_MONTH}-25"]
    assert rows[0][13] == "护理型床位占比="  # indicator names pre-written, the clerk types the number
    member = openpyxl.load_workbook(form_path(out, "福州市人民政府"))["报送表"]
    assert member["D5"].value == "成员单位"


def test_form_sheet_is_protected_validated_and_print_ready(frepo, out):
    make_forms(frepo, out)
    import openpyxl

    book = openpyxl.load_workbook(form_path(out, "省民政厅"))
    sheet = book["报送表"]
    assert book.sheetnames == ["报送表", "_yytrack"]
    assert book["_yytrack"].sheet_state == "veryHidden"
    assert book.security.lockStructure
    assert sheet.protection.sheet
    assert sheet["A5"].protection.locked and sheet["F5"].protection.locked
    assert not any(sheet.cell(5, col).protection.locked for col in range(10, 15))
    rules = {dv.type: dv for dv in sheet.data_validations.dataValidation}
    assert rules["list"].formula1 == '"未启动,推进中,已完成,受阻"'
    assert (rules["whole"].formula1, rules["whole"].formula2) == ("0", "100")
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$4"
    meta = {k: v for k, v in book["_yytrack"].iter_rows(values_only=True)}
    assert (meta["plan"], meta["unit"], meta["period"]) == ("demo", "省民政厅", THIS_MONTH)
    assert meta["revision"] == head(frepo) and meta["measures"] == "demo-01,demo-03"
    assert len(meta["mac"]) == 64 and meta["form_version"] == "2"


def test_forms_prefill_last_report_and_skip_finished_and_unstarted(frepo, out):
    assert run_cli(frepo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--progress", "40",
                   "--note", "完成摸底").returncode == 0
    assert run_cli(frepo, "update", "demo-02", "--unit", "省医保局", "--status", "已完成",
                   "--note", "价格政策已出台").returncode == 0  # its only lead: the measure awaits review
    make_forms(frepo, out)
    import openpyxl

    rows = list(openpyxl.load_workbook(form_path(out, "省民政厅"))["报送表"].iter_rows(min_row=5, values_only=True))
    assert rows[0][5:8] == ("推进中", 40, f"（{TODAY.isoformat()}）完成摸底")
    assert "demo-04" not in [r[0] for r in rows]  # starts in 2099
    insurer = list(openpyxl.load_workbook(form_path(out, "省医保局"))["报送表"].iter_rows(min_row=5, values_only=True))
    assert [r[0] for r in insurer] == ["demo-03"]  # demo-02 awaits review


def test_forms_usage_errors(frepo, out):
    proc = run_cli(frepo, "forms", "-o", str(out))
    assert proc.returncode == 2 and "请用 --plan 指定：demo、extra" in proc.stderr
    proc = run_cli(frepo, "forms", "--plan", "demo", "--month", "2026-13", "-o", str(out))
    assert proc.returncode == 2 and "应为 YYYY-MM" in proc.stderr
    proc = run_cli(frepo, "forms", "--plan", "demo", "--unit", "省财政厅", "-o", str(out))
    assert proc.returncode == 0 and [p.name for p in out.iterdir()] == [f"{THIS_MONTH}-省财政厅-报送表.xlsx"]


# ---------------------------------------------------------------- the round trip


def test_round_trip_records_attributed_commits_and_is_idempotent(frepo, out):
    make_forms(frepo, out)
    fill(form_path(out, "省民政厅"), {
        "demo-01": {"本期状态": "推进中", "本期进度（%）": 60, "本期进展说明": "已完成全省护理型床位摸底。\n下一步：建设。",
                    "指标数值": "护理型床位占比=52.5"},
        "demo-03": {"本期状态": "已完成", "本期进展说明": "已完成年度督查。"}})
    fill(form_path(out, "福州市人民政府"), {"demo-01": {"本期状态": "受阻", "本期进度（%）": 10, "本期进展说明": "用地未落实"}})
    fill(form_path(out, "省卫健委"), {"demo-02": {"本期状态": "推进中", "本期进度（%）": 30}})
    before = head(frepo)
    files = [str(form_path(out, u)) for u in ("省民政厅", "省卫健委", "省财政厅")]
    proc = run_cli(frepo, "collect", *files)
    assert proc.returncode == 0, proc.stderr
    assert "将记录 3 条；未变化 0 条，未填写 3 行，有问题 0 处。" in proc.stdout
    assert proc.stdout.count("已记录：") == 3
    city = run_cli(frepo, "collect", str(form_path(out, "福州市人民政府")), "--author", "王芳 <wang@fz.example.cn>")
    assert city.returncode == 0, city.stderr
    made = commits(frepo, before)
    assert [a for a, _ in made] == ["测试员 <tester@example.cn>", "测试员 <tester@example.cn>",
                                   "测试员 <tester@example.cn>", "王芳 <wang@fz.example.cn>"]  # git identity, --author
    first = made[0][1]
    for trailer in ("Yytrack-Measure: demo-01", "Yytrack-Unit: 省民政厅", "Yytrack-Status: in_progress",
                    "Yytrack-Progress: 60", f"Yytrack-Date: {TODAY.isoformat()}",
                    "Yytrack-Indicator: 护理型床位占比=52.5"):
        assert trailer in first
    assert "已完成全省护理型床位摸底。\n下一步：建设。" in first
    assert "Yytrack-Status: done" in made[1][1] and "Yytrack-Progress: 100" in made[1][1]
    assert "Yytrack-Unit: 省卫健委" in made[2][1] and "Yytrack-Progress: 30" in made[2][1]
    assert "Yytrack-Unit: 福州市人民政府" in made[3][1] and "Yytrack-Status: blocked" in made[3][1]
    assert git(frepo, "status", "--porcelain") == ""
    files.append(str(form_path(out, "福州市人民政府")))

    after = head(frepo)
    again = run_cli(frepo, "collect", *files)
    assert again.returncode == 0, again.stderr
    assert "将记录 0 条；未变化 4 条" in again.stdout and "没有需要记录的新进展。" in again.stdout
    assert head(frepo) == after


def test_next_months_form_prefills_what_was_collected(frepo, out):
    make_forms(frepo, out)
    fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中", "本期进度（%）": 60, "本期进展说明": "摸底"}})
    assert run_cli(frepo, "collect", str(form_path(out, "省民政厅"))).returncode == 0
    make_forms(frepo, out / "again")
    import openpyxl

    sheet = openpyxl.load_workbook(form_path(out / "again", "省民政厅"))["报送表"]
    assert (sheet["F5"].value, sheet["G5"].value) == ("推进中", 60)


def test_past_period_is_dated_its_last_day(frepo, out):
    make_forms(frepo, out, "--month", LAST_MONTH)
    fill(form_path(out, "省民政厅", LAST_MONTH), {"demo-01": {"本期状态": "推进中", "本期进度（%）": 20}})
    before = head(frepo)
    proc = run_cli(frepo, "collect", str(form_path(out, "省民政厅", LAST_MONTH)), "--month", LAST_MONTH)
    assert proc.returncode == 0, proc.stderr
    assert f"Yytrack-Date: {LAST_MONTH_END.isoformat()}" in commits(frepo, before)[0][1]


def test_evidence_next_to_the_form_is_attached(frepo, out):
    make_forms(frepo, out)
    (out / "摸底表.pdf").write_bytes(b"%PDF-1.4 demo")
    fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中", "本期进展说明": "见附件", "佐证材料文件名": "摸底表.pdf"}})
    before = head(frepo)
    assert run_cli(frepo, "collect", str(form_path(out, "省民政厅"))).returncode == 0
    evidence = f"progress/demo/demo-01/evidence/省民政厅/{TODAY.isoformat()}-摸底表.pdf"
    assert f"Yytrack-Evidence: {evidence}" in commits(frepo, before)[0][1]
    assert (frepo / evidence).read_bytes() == b"%PDF-1.4 demo"


def test_dry_run_records_nothing(frepo, out):
    make_forms(frepo, out)
    fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中"}})
    before = snapshot(frepo)
    proc = run_cli(frepo, "collect", str(form_path(out, "省民政厅")), "--dry-run")
    assert proc.returncode == 0 and "将记录 1 条" in proc.stdout and "试运行，未记录。" in proc.stdout
    assert snapshot(frepo) == before


# ---------------------------------------------------------------- rejected rows


def assert_collect_rejected(repo: Path, path: Path, *args: str) -> subprocess.CompletedProcess:
    before = snapshot(repo)
    proc = run_cli(repo, "collect", str(path), *args)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "未记录任何进展" in proc.stderr
    assert snapshot(repo) == before
    return proc


@pytest.mark.parametrize("values, ids, reason", [
    ({"demo-03": {"本期状态": "推进中"}}, {"demo-03": "demo-02"}, "省民政厅 不是 demo-02 的责任单位"),
    ({"demo-03": {"本期状态": "完成了"}}, None, "状态“完成了”无效"),
    ({"demo-03": {"本期状态": "推进中", "本期进度（%）": 150}}, None, "进度 150 超出范围"),
    ({"demo-03": {"本期状态": "推进中", "本期进度（%）": "六十"}}, None, "进度“六十”不是整数"),
    ({"demo-03": {"本期状态": "已完成"}}, None, "状态为已完成时须在“本期进展说明”中写明完成情况"),
    ({"demo-03": {"本期进展说明": "忘了选状态"}}, None, "已填写本期内容但未选择本期状态"),
    ({"demo-03": {"本期状态": "推进中", "佐证材料文件名": "没有这个.pdf"}}, None, "找不到佐证材料“没有这个.pdf”"),
    ({"demo-01": {"本期状态": "推进中", "指标数值": "床位数=5"}}, None, "demo-01 没有指标“床位数”"),
])
def test_bad_row_blocks_the_form_unless_partial(frepo, out, values, ids, reason):
    make_forms(frepo, out)
    bad_row = 5 if "demo-01" in values else 6
    good = {"demo-01": {"本期状态": "推进中", "本期进度（%）": 50}} if bad_row == 6 else {"demo-03": {"本期状态": "推进中"}}
    path = fill(form_path(out, "省民政厅"), {**good, **values}, ids)
    proc = assert_collect_rejected(frepo, path)
    assert f"{path}（工作表“报送表”）第{bad_row}行：" in proc.stderr and reason in proc.stderr
    before = head(frepo)
    partial = run_cli(frepo, "collect", str(path), "--partial")
    assert partial.returncode == 0, partial.stderr
    made = commits(frepo, before)
    assert len(made) == 1 and f"Yytrack-Measure: {'demo-03' if bad_row == 5 else 'demo-01'}" in made[0][1]


def test_yes_does_not_skip_problem_rows(frepo, out):
    make_forms(frepo, out)
    path = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中"}, "demo-03": {"本期状态": "坏"}})
    assert_collect_rejected(frepo, path, "--yes")


def test_other_period_or_plan_is_rejected(frepo, out):
    make_forms(frepo, out, "--month", LAST_MONTH)
    path = fill(form_path(out, "省民政厅", LAST_MONTH), {"demo-01": {"本期状态": "推进中"}})
    proc = assert_collect_rejected(frepo, path, "--month", THIS_MONTH)
    assert f"这是 {LAST_MONTH} 的报送表，与 --month {THIS_MONTH} 不符" in proc.stderr
    proc = assert_collect_rejected(frepo, path, "--plan", "extra")
    assert "这是方案“demo”的报送表，与 --plan extra 不符" in proc.stderr


def test_future_period_is_rejected(frepo, out):
    make_forms(frepo, out, "--month", NEXT_MONTH)
    path = fill(form_path(out, "省民政厅", NEXT_MONTH), {"demo-01": {"本期状态": "推进中"}})
    proc = assert_collect_rejected(frepo, path)
    assert f"报送期 {NEXT_MONTH} 尚未开始，不能收取" in proc.stderr


def test_conflicting_rows_for_one_measure_are_rejected(frepo, out):
    make_forms(frepo, out)
    one = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中", "本期进度（%）": 10}})
    other = out / "副本.xlsx"
    other.write_bytes(one.read_bytes())
    fill(other, {"demo-01": {"本期进度（%）": 20}})
    proc = assert_collect_rejected(frepo, one, str(other))
    assert "是同一单位同一措施，但内容不同" in proc.stderr
    same = out / "同样的副本.xlsx"
    same.write_bytes(one.read_bytes())
    before = head(frepo)
    assert run_cli(frepo, "collect", str(one), str(same)).returncode == 0
    assert len(commits(frepo, before)) == 1  # the same report twice in one run is recorded once


# ---------------------------------------------------------------- refused files


def refused(repo: Path, path: Path) -> str:
    before = snapshot(repo)
    proc = run_cli(repo, "collect", str(path), "--partial")
    assert proc.returncode == 1 and proc.stdout == "" and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert snapshot(repo) == before
    return proc.stderr


def test_hidden_sheet_removed_is_refused(frepo, out):
    import openpyxl

    make_forms(frepo, out)
    path = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中"}})
    book = openpyxl.load_workbook(path)
    del book["_yytrack"]
    book.save(path)
    assert "缺少隐藏核对页（_yytrack）" in refused(frepo, path)


@pytest.mark.parametrize("key, value", [("unit", "省卫健委"), ("period", "2020-01"), ("measures", "demo-01,demo-02"),
                                        ("plan", "extra"), ("mac", "0" * 64)])
def test_hidden_sheet_altered_is_refused(frepo, out, key, value):
    import openpyxl

    make_forms(frepo, out)
    path = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中"}})
    book = openpyxl.load_workbook(path)
    for row in book["_yytrack"].iter_rows():
        if row[0].value == key:
            row[1].value = value
    book.save(path)
    assert "隐藏核对页被改动（密钥校验不符）" in refused(frepo, path)


def test_corrupt_or_foreign_files_are_refused(frepo, out):
    out.mkdir()
    broken = out / "坏文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert "无法作为 Excel 报送表（.xlsx）打开" in refused(frepo, broken)
    import openpyxl

    plain = out / "别的表.xlsx"
    openpyxl.Workbook().save(plain)
    assert "缺少隐藏核对页" in refused(frepo, plain)
    proc = run_cli(frepo, "collect", str(out / "不存在.xlsx"))
    assert proc.returncode == 1 and "找不到报送表文件" in proc.stderr


# ---------------------------------------------------------------- CSV returns


def save_as_csv(xlsx: Path, csv_path: Path, encoding: str, keep_facts: bool = True) -> Path:
    """What Excel's “另存为 CSV” does: the visible sheet's cell values, comma separated, CRLF."""
    import openpyxl

    sheet = openpyxl.load_workbook(xlsx, data_only=True)["报送表"]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if number == 2 and not keep_facts:
            row = [None] * len(row)
        writer.writerow(["" if v is None else v for v in row])
    csv_path.write_bytes(buffer.getvalue().encode(encoding))
    return csv_path


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_csv_round_trip(frepo, out, encoding):
    make_forms(frepo, out)
    xlsx = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中", "本期进度（%）": 45,
                                                         "本期进展说明": "已摸底，床位缺口约1200张。\n下月开工。"}})
    path = save_as_csv(xlsx, out / f"{THIS_MONTH}-省民政厅-报送表.csv", encoding)
    if encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    before = head(frepo)
    proc = run_cli(frepo, "collect", str(path))
    assert proc.returncode == 0, proc.stderr
    (author, message), = commits(frepo, before)
    assert author == "测试员 <tester@example.cn>"
    assert "Yytrack-Progress: 45" in message and "已摸底，床位缺口约1200张。\n下月开工。" in message
    assert run_cli(frepo, "collect", str(xlsx)).stdout.count("未变化，跳过") == 1  # same report either way


def test_csv_without_header_facts_uses_file_name_and_plan_option(frepo, out):
    make_forms(frepo, out)
    xlsx = fill(form_path(out, "福州市人民政府"), {"demo-01": {"本期状态": "推进中", "本期进度（%）": 5}})
    path = save_as_csv(xlsx, out / f"{THIS_MONTH}-福州市人民政府-报送表.csv", "gbk", keep_facts=False)
    proc = run_cli(frepo, "collect", str(path))
    assert proc.returncode == 1 and "请用 --plan 指定" in proc.stderr  # two plans, nothing says which
    before = head(frepo)
    proc = run_cli(frepo, "collect", str(path), "--plan", "demo")
    assert proc.returncode == 0, proc.stderr
    assert "Yytrack-Unit: 福州市人民政府" in commits(frepo, before)[0][1]


def test_csv_row_problem_names_the_row(frepo, out):
    make_forms(frepo, out)
    xlsx = fill(form_path(out, "省民政厅"), {"demo-03": {"本期状态": "推进中", "本期进度（%）": 150}})
    path = save_as_csv(xlsx, out / "回执.csv", "gbk")
    proc = assert_collect_rejected(frepo, path)
    assert f"{path} 第6行：进度 150 超出范围" in proc.stderr


# ---------------------------------------------------------------- library and terminal


def test_prepare_reports_without_writing(frepo, out):
    from yytrack import Tracker
    from yytrack.forms.collect import prepare

    make_forms(frepo, out)
    path = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "in_progress", "本期进度（%）": "70%"},
                                             "demo-03": {"本期状态": "受阻", "本期进度（%）": 101}})
    batch = prepare(Tracker(frepo), [str(path)])
    planned = [(p.measure, p.status, p.progress, p.changed) for p in batch.planned]
    assert planned == [("demo-01", "in_progress", 70, True)]
    assert [str(p) for p in batch.problems] == [f"{path}（工作表“报送表”）第6行：进度 101 超出范围，应为 0 到 100 之间的整数"]
    assert git(frepo, "status", "--porcelain") == ""


def run_in_terminal(repo: Path, answer: str, *args: str) -> tuple:
    """Run the CLI with a terminal as stdin (so it asks) and type the answer."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "yytrack", *args], cwd=str(repo), stdin=follower,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(follower)
    os.write(leader, answer.encode("utf-8"))
    stdout, stderr = proc.communicate(timeout=60)
    os.close(leader)
    return proc.returncode, stdout.decode("utf-8"), stderr.decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_terminal_confirms_partial_recording(frepo, out):
    make_forms(frepo, out)
    path = fill(form_path(out, "省民政厅"), {"demo-01": {"本期状态": "推进中"}, "demo-03": {"本期状态": "坏"}})
    before = head(frepo)
    code, _, stderr = run_in_terminal(frepo, "n\n", "collect", str(path))
    assert code == 1 and "是否记录其余 1 条" in stderr and head(frepo) == before
    code, stdout, stderr = run_in_terminal(frepo, "y\n", "collect", str(path))
    assert code == 0, stderr
    assert len(commits(frepo, before)) == 1 and "已记录：进展 demo-01 省民政厅" in stdout
