"""The 任务台账 (.xlsx): rows, print setup, row heights, and text that never turns into a formula."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import run_cli
from test_report import AS_OF, AUTHOR, MONTH, build_scenario, pin_clock

# What a spreadsheet would run if it took these for formulas (CSV/DDE injection), one per start.
HOSTILE = ["=HYPERLINK(\"http://127.0.0.1/\",\"点此\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)",
           "\t=1+1", "\r=1+1"]


@pytest.fixture(scope="module")
def ledger_repo(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("ledger-home")
    (home / ".gitconfig").write_text("[user]\n\tname = 测试员\n\temail = tester@example.cn\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        for var, value in (("HOME", str(home)), ("GIT_CONFIG_GLOBAL", str(home / ".gitconfig")),
                           ("GIT_CONFIG_NOSYSTEM", "1")):
            env.setenv(var, value)
        return build_scenario(tmp_path_factory.mktemp("ledger") / "跟踪仓库", env)


def ledger(repo: Path, out: Path, as_of: str = AS_OF):
    import openpyxl

    proc = run_cli(repo, "report", "--plan", "demo", "--month", MONTH, "--as-of", as_of, "--format", "xlsx",
                   "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return openpyxl.load_workbook(out).active


def test_one_row_per_measure_and_unit_under_a_title_with_the_plan_name(ledger_repo, tmp_path):
    sheet = ledger(ledger_repo, tmp_path / "台账.xlsx")
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "《医养结合示例方案》任务台账（2026年11月，截至2026年11月20日）"
    assert "A1:K1" in {str(r) for r in sheet.merged_cells.ranges}
    assert rows[1] == ("序号", "措施", "责任单位", "角色", "措施状态", "本单位状态", "本单位进度（%）", "最近报送日期",
                       "最新说明", "预警", "预警原因")
    assert len(rows) == 2 + 4 + 2 + 3
    assert not any("demo" in str(v) for row in rows for v in row if v is not None), "the plan's slug shows"
    group = next(r for r in rows if r[2] == "各市、县（区）人民政府")
    assert (group[3], group[5], group[6], group[7].date()) == ("属地落实", "推进中", 70, dt.date(2026, 11, 18))
    assert next(r for r in rows if r[2] == "省财政厅")[5] == "未报送"


def test_prints_a4_landscape_one_page_wide_with_the_header_repeated(ledger_repo, tmp_path):
    sheet = ledger(ledger_repo, tmp_path / "台账.xlsx")
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows.replace("$", "") == "2:2"
    assert sheet.freeze_panes == "C3" and sheet.auto_filter.ref == f"A2:K{sheet.max_row}"


def test_row_heights_fit_the_wrapped_text(ledger_repo, tmp_path):
    from yytrack.reports.textfit import display_width

    sheet = ledger(ledger_repo, tmp_path / "台账.xlsx")
    widths = {cell.column_letter: sheet.column_dimensions[cell.column_letter].width for cell in sheet[2]}
    for row in sheet.iter_rows(min_row=3):
        needed = 1
        for cell in row:
            if cell.alignment.wrap_text and cell.value:
                per_line = widths[cell.column_letter] - 1.5
                needed = max(needed, sum(-(-display_width(line) // per_line) or 1
                                         for line in str(cell.value).split("\n")))
        height = sheet.row_dimensions[row[0].row].height
        assert height >= needed * 14, f"row {row[0].row} needs {needed} lines, has {height} pt"
    # The two-line note of 厦门 (a group member reporting for the group) wraps: its row is taller than one line.
    tall = next(r for r in sheet.iter_rows(min_row=3) if r[2].value == "各市、县（区）人民政府")
    assert sheet.row_dimensions[tall[0].row].height >= 2 * 14


def test_alert_cells_have_the_colour_and_the_word(ledger_repo, tmp_path):
    sheet = ledger(ledger_repo, tmp_path / "台账.xlsx")
    fills = {"红": "F4B6B0", "黄": "FBE5A0", "绿": "C8E6C9"}
    seen = set()
    for row in sheet.iter_rows(min_row=3):
        alert = row[9]
        if alert.value in fills:
            assert alert.fill.fgColor.rgb.endswith(fills[alert.value])
            seen.add(alert.value)
    assert seen


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_that_looks_like_a_formula_stays_text(ledger_repo, tmp_path, monkeypatch, text):
    from yytrack import Tracker

    repo = Path(shutil.copytree(ledger_repo, tmp_path / "跟踪仓库"))
    pin_clock(monkeypatch, "2026-11-19")
    Tracker(repo).update("demo-02", "省医保局", "推进中", text, None, dt.date(2026, 11, 19), author=AUTHOR)
    sheet = ledger(repo, tmp_path / "台账.xlsx")
    notes = [row[8] for row in sheet.iter_rows(min_row=3) if row[2].value == "省医保局" and row[8].value]
    stored = text.strip() if text[0] in "\t\r" else text
    assert notes and all(cell.data_type == "s" for cell in notes)
    assert any(cell.value.strip() == stored.strip() for cell in notes)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
