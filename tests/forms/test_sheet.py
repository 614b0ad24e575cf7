"""The visible 报送表: rows tall enough for their wrapped text, one page wide in A4 landscape, and task
text that never becomes a formula."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import git, make_repo, run_cli
from test_forms import form_path

HOSTILE_TITLES = ["=HYPERLINK(\"http://127.0.0.1/\",\"点此\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)"]


def open_form(repo: Path, out: Path, unit: str = "省卫健委"):
    import openpyxl

    proc = run_cli(repo, "forms", "--plan", "demo", "--unit", unit, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    path = next(out.glob(f"*-{unit}-报送表.xlsx"))
    return openpyxl.load_workbook(path)["报送表"]


def lines_needed(text, width: float) -> int:
    from yytrack.reports.textfit import display_width

    per_line = width - 1.5
    return sum(max(1, -(-display_width(line) // per_line)) for line in str(text).split("\n"))


@pytest.fixture
def frepo(tmp_path) -> Path:
    return make_repo(tmp_path / "表单 仓库", "forms_repo")


def test_rows_are_tall_enough_for_every_wrapped_line(frepo, tmp_path):
    sheet = open_form(frepo, tmp_path / "下发")
    widths = {c.column_letter: sheet.column_dimensions[c.column_letter].width for c in sheet[4]}
    data = list(sheet.iter_rows(min_row=5))
    assert data
    for row in [sheet[4], *data]:
        needed = max(lines_needed(c.value, widths[c.column_letter]) for c in row if c.value is not None)
        height = sheet.row_dimensions[row[0].row].height
        assert height and height >= needed * 14, f"row {row[0].row}: {needed} lines in {height} pt"
        assert all(c.alignment.wrap_text for c in row)
    # The indicator blanks (名称=) take a line each, and leave room to write.
    first = data[0]
    assert sheet.row_dimensions[first[0].row].height >= 2 * 14


def test_number_column_holds_the_longest_number_on_one_line(frepo, tmp_path):
    from yytrack.forms.layout import COLUMNS
    from yytrack.reports.textfit import display_width

    width = dict((h, w) for h, w, _ in COLUMNS)["序号"]
    assert width - 1.5 >= display_width("（十一）"), "（十一） would wrap"


def test_prints_one_page_wide_a4_landscape_with_headings_repeated(frepo, tmp_path):
    sheet = open_form(frepo, tmp_path / "下发")
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0 and sheet.print_title_rows.replace("$", "") == "1:4"
    assert sheet["A1"].value == "《医养结合示例方案》落实情况报送表"


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_task_text_that_looks_like_a_formula_stays_text(frepo, tmp_path, title):
    task = frepo / "tasks" / "demo" / "demo-02.yaml"
    text = task.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title:"))
    task.write_text(text.replace(old, "title: '" + title.replace("'", "''") + "'"), encoding="utf-8")
    git(frepo, "commit", "-qam", "标题")
    sheet = open_form(frepo, tmp_path / "下发")
    cell = next(row[2] for row in sheet.iter_rows(min_row=5) if row[0].value == "demo-02")
    assert cell.value == title and cell.data_type == "s"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert form_path(tmp_path / "下发", "省卫健委").parent.is_dir()
