"""The 督导通报 (.docx) as a GB/T 9704 official document, read back with python-docx.

What LibreOffice makes of it on paper is checked in test_print.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import git, run_cli
from test_report import AS_OF, MONTH, build_scenario

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MASTHEAD = """
document:
  masthead: 福建省卫生健康委员会
  number: 闽卫老龄督〔{year}〕{month}号
  recipients: 各设区市卫健委，省直有关单位
  signer: 福建省卫生健康委员会老龄健康处
"""


@pytest.fixture(scope="module")
def scenario_docs(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("docx-home")
    (home / ".gitconfig").write_text("[user]\n\tname = 测试员\n\temail = tester@example.cn\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        for var, value in (("HOME", str(home)), ("GIT_CONFIG_GLOBAL", str(home / ".gitconfig")),
                           ("GIT_CONFIG_NOSYSTEM", "1")):
            env.setenv(var, value)
        return build_scenario(tmp_path_factory.mktemp("docx") / "跟踪仓库", env)


def report_docx(repo: Path, out: Path):
    import docx

    proc = run_cli(repo, "report", "--plan", "demo", "--month", MONTH, "--as-of", AS_OF, "--format", "docx",
                   "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return docx.Document(str(out))


@pytest.fixture(scope="module")
def plain(scenario_docs, tmp_path_factory):
    return report_docx(scenario_docs, tmp_path_factory.mktemp("plain") / "通报.docx")


@pytest.fixture(scope="module")
def headed(scenario_docs, tmp_path_factory):
    repo = Path(shutil.copytree(scenario_docs, tmp_path_factory.mktemp("headed") / "跟踪仓库"))
    config = repo / "tasks" / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + MASTHEAD, encoding="utf-8")
    git(repo, "commit", "-qam", "版头")
    return report_docx(repo, repo / "通报.docx")


def fonts_of(paragraph) -> set:
    return {r._element.rPr.rFonts.get(f"{W}eastAsia") for r in paragraph.runs if r.text.strip()}


def test_page_is_a4_with_the_type_area_and_grid(plain):
    section = plain.sections[0]
    mm = lambda length: round(int(length) / 36000, 1)  # noqa: E731  (EMU → mm)
    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert (mm(section.top_margin), mm(section.left_margin)) == (37.0, 28.0)
    assert mm(section.page_width - section.left_margin - section.right_margin) == 156.0
    assert mm(section.page_height - section.top_margin - section.bottom_margin) == 225.0
    grid = section._sectPr.find(f"{W}docGrid")
    assert round(225 / 25.4 * 1440 / int(grid.get(f"{W}linePitch"))) == 22
    normal = plain.styles["Normal"]
    assert normal.font.size.pt == 16 and normal.element.rPr.rFonts.get(f"{W}eastAsia") == "仿宋_GB2312"
    spacing = int(normal.element.rPr.find(f"{W}spacing").get(f"{W}val")) / 20
    assert int(156 / 25.4 * 72 // (16 + spacing)) == 28  # 28 characters of 3号 on a line
    font_table = next(r.target_part for r in plain.part.rels.values() if r.reltype.endswith("/fontTable"))
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in font_table.blob.decode("utf-8")


def test_title_heads_and_signature_in_order(plain):
    texts = [p.text for p in plain.paragraphs]
    title = plain.paragraphs[0]
    assert title.text == "医养结合示例方案落实情况督导通报" and title.alignment == 1
    assert fonts_of(title) == {"方正小标宋简体"} and title.runs[0].font.size.pt == 22
    assert texts[2] == "各有关单位："
    assert texts[3].startswith("根据《医养结合示例方案》") and "2026年11月20日" in texts[3]
    heads = [p for p in plain.paragraphs if re.match(r"^[一二三四五六七]、", p.text)]
    assert [p.text[:2] for p in heads] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert all(fonts_of(p) == {"黑体"} for p in heads)
    level2 = [p for p in plain.paragraphs if re.match(r"^（[一二]）(落实情况一览|预警原因)$", p.text)]
    assert len(level2) == 2 and all(fonts_of(p) == {"楷体_GB2312"} for p in level2)
    level3 = [p for p in plain.paragraphs if re.match(r"^1\. ", p.text)]
    assert level3 and level3[0].runs[0].font.bold and "（红色预警）" in level3[0].text
    note, signer, date = texts.index("附件：1. 本月报送明细"), texts.index("省卫健委老龄处"), texts.index("2026年11月20日")
    label = texts.index("附件1")
    assert note < signer < date < label, "附件说明, 署名, 成文日期, then the 附件"
    assert plain.paragraphs[label].paragraph_format.page_break_before and fonts_of(plain.paragraphs[label]) == {"黑体"}
    assert plain.paragraphs[date].paragraph_format.right_indent.pt == 64  # 右空四字
    # The 署名 is centred above the date: 省卫健委老龄处 and 2026年11月20日 are both 7 characters wide.
    assert plain.paragraphs[signer].paragraph_format.right_indent.pt == 64


def test_masthead_number_and_red_line_come_first(headed):
    texts = [p.text for p in headed.paragraphs]
    assert texts[0] == "福建省卫生健康委员会"
    assert headed.paragraphs[0].runs[0].font.color.rgb == (0xFF, 0x00, 0x00)
    number = texts.index("闽卫老龄督〔2026〕11号")
    line = next(i for i, p in enumerate(headed.paragraphs) if p._p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None)
    title = texts.index("医养结合示例方案落实情况督导通报")
    assert number < line < title < texts.index("各设区市卫健委，省直有关单位：")
    signer = headed.paragraphs[texts.index("福建省卫生健康委员会老龄健康处")]
    assert signer.paragraph_format.right_indent.pt == 32, "a 署名 longer than the date moves right, 右空二字"


def test_page_numbers_odd_right_even_left(plain):
    assert plain.settings.odd_and_even_pages_header_footer
    section = plain.sections[0]
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):
        p = footer.paragraphs[0]
        assert p.alignment == align
        xml = p._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert {r.font.size.pt for r in p.runs} == {14} and fonts_of(p) == {"宋体"}


def test_tables_fit_the_type_area_repeat_headers_and_never_split_rows(plain):
    for table in plain.tables:
        widths = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
        assert sum(widths) <= 156 / 25.4 * 1440 + 1, "a table wider than the 版心"
        rows = table.rows
        assert rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
        assert all(r._tr.trPr.find(f"{W}cantSplit") is not None for r in rows)
        dates = [i for i, c in enumerate(rows[0].cells) if c.text in ("日期", "最近报送", "截止日期")]
        for i in dates:
            # 10 half-width digits of 五号 and the cell margins: a date never breaks.
            assert widths[i] >= 10 * 10.5 / 2 * 20 + 2 * 57, f"date column {rows[0].cells[i].text} too narrow"
    measures = plain.tables[0]
    assert [c.text for c in measures.rows[0].cells] == ["序号", "措施", "牵头单位", "状态", "进度", "最新进展", "最近报送", "预警"]
    widths = [int(c.get(f"{W}w")) for c in measures._tbl.tblGrid.findall(f"{W}gridCol")]
    assert abs(sum(widths) - 156 / 25.4 * 1440) < 20, "the note column takes what is left of the 版心"
    assert widths[5] >= 5 * 10.5 * 20, "the note column keeps at least five characters"


def test_alert_cells_show_colour_and_word(plain):
    measures = plain.tables[0]
    for row in measures.rows[1:]:
        cell = row.cells[-1]
        fill = cell._tc.find(f"{W}tcPr/{W}shd")
        if cell.text in ("红", "黄", "绿"):
            assert fill is not None and fill.get(f"{W}fill") in ("F4B6B0", "FBE5A0", "C8E6C9")
        else:
            assert cell.text == "—" and fill is None


def test_no_english_no_slugs_and_no_empty_sections(plain):
    body = "\n".join(p.text for p in plain.paragraphs)
    cells = "\n".join(c.text for t in plain.tables for r in t.rows for c in r.cells)
    for text in (body, cells):
        assert not re.search(r"[A-Za-z]", text), re.findall(r".{0,10}[A-Za-z]+.{0,10}", text)[:3]
    assert "demo-0" not in body + cells
    heads = [i for i, p in enumerate(plain.paragraphs) if re.match(r"^[一二三四五六七]、", p.text)]
    for here, there in zip(heads, heads[1:] + [len(plain.paragraphs)]):
        between = [p.text for p in plain.paragraphs[here + 1:there] if p.text.strip()]
        section_tables = plain.paragraphs[here]._p.getnext() is not None
        assert between or section_tables, f"{plain.paragraphs[here].text} says nothing"


def test_empty_section_says_so_in_one_line(scenario_docs, tmp_path):
    import docx

    repo = Path(shutil.copytree(scenario_docs, tmp_path / "跟踪仓库"))
    proc = run_cli(repo, "report", "--plan", "demo", "--month", "2026-07", "--as-of", "2026-07-31", "--format",
                   "docx", "-o", str(tmp_path / "七月.docx"))
    assert proc.returncode == 0, proc.stderr
    texts = [p.text for p in docx.Document(str(tmp_path / "七月.docx")).paragraphs]
    assert "本月没有状态变化。" in texts and "本月没有报送记录。" in texts
