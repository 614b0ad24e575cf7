"""The 催办通知 (.docx): one per unit, in the 通知 form, telling the unit how to report without commands."""

from __future__ import annotations

import re

import pytest

from conftest import run_cli
from test_report import AS_OF, MONTH, scenario, scenario_master  # noqa: F401  (fixtures)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def notices(scenario, tmp_path):
    proc = run_cli(scenario, "remind", "--month", MONTH, "--as-of", AS_OF, "--notice", "-o", str(tmp_path / "催办"))
    assert proc.returncode == 0, proc.stderr
    return sorted((tmp_path / "催办").glob("*.docx"))


def test_one_word_notice_per_unit_in_the_notice_form(notices):
    import docx

    assert [p.name for p in notices] == sorted(f"{MONTH}-{u}-催办通知.docx" for u in
                                               ("各市、县（区）人民政府", "省卫健委", "省医保局", "省民政厅", "省财政厅"))
    document = docx.Document(str(next(p for p in notices if "省医保局" in p.name)))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[0] == "关于抓紧报送2026年11月落实进展的通知"
    assert texts[1] == "福建省医疗保障局：", "the 主送 is the unit's full name"
    assert texts[2].startswith("根据《医养结合示例方案》") and "你单位" in texts[2]
    assert texts[-2:] == ["省卫健委老龄处", "2026年11月20日"]
    assert any("报送方式：填写随本通知下发的落实情况报送表" in t and "系统" in t and "联系" in t for t in texts)
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "措施", "本单位职责", "当前状态", "需办事项"]
    assert table.rows[1].cells[1].text == "（二）完善价格政策"
    everything = "\n".join(texts + [c.text for r in table.rows for c in r.cells])
    assert "yytrack" not in everything and not re.search(r"[A-Za-z]", everything), "no command line, no English"
    assert "demo-0" not in everything
    section = document.sections[0]
    assert round(int(section.top_margin) / 36000) == 37 and document.settings.odd_and_even_pages_header_footer
