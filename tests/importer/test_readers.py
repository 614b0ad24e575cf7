"""The formats offices receive: .docx with a real Word table, a PDF made from it by LibreOffice, a page
saved from a government site, text copied from a PDF, and the inputs that must be refused cleanly."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path


from conftest import FIXTURES, assert_clean_failure, run_cli, snapshot

IMPORT = FIXTURES / "import"
ROWS = [["1", "提升政务服务", "推行高频事项“一件事一次办”。", "市政务服务局", "市公安局、市人社局", "2024年6月底"],
        ["2", "", "推进电子证照共享应用。", "市大数据局", "各县（市、区）人民政府〈含高新区管委会，下同〉", "2024年底前"],
        ["3", "降低要素成本", "落实工业用地弹性出让政策，2024年底前出台实施细则。", "市自然资源局", "市工信局等有关部门和单位",
         "2024年9月底"],
        ["4", "降低要素成本", "推进水电气报装“零上门”。", "市住建局", "国网某某供电公司", "长期坚持"]]


def build_docx(path: Path) -> Path:
    """A 任务分工方案 as offices write it: a paragraph stating the lead rule, then a bordered Word table
    whose 重点任务 column is merged down over the rows it covers."""
    import docx

    document = docx.Document()
    document.add_paragraph("某某市2024年优化营商环境重点任务分工方案")
    document.add_paragraph("为推动各项任务落地见效，制定本方案。表中列第一位者为牵头单位，下同。")
    table = document.add_table(rows=len(ROWS) + 1, cols=6)
    table.style = "Table Grid"
    for i, header in enumerate(["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"]):
        table.rows[0].cells[i].text = header
    for r, row in enumerate(ROWS, 1):
        for c, value in enumerate(row):
            if value:
                table.rows[r].cells[c].text = value
    table.cell(1, 1).merge(table.cell(2, 1))
    table.cell(3, 1).merge(table.cell(4, 1)).text = "降低要素成本"
    document.add_paragraph("某某市人民政府办公室")
    document.save(str(path))
    return path


def measures_of(repo: Path, source: Path) -> dict:
    proc = run_cli(repo, "import", str(source), "--plan", "table", "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def assert_table_plan(shown: dict) -> None:
    measures = shown["measures"]
    assert [m["title"] for m in measures] == ["推行高频事项“一件事一次办”", "推进电子证照共享应用",
                                            "落实工业用地弹性出让政策，2024年底前出台实施细则",
                                            "推进水电气报装“零上门”"]
    assert [m["section"] for m in measures] == ["一、提升政务服务"] * 2 + ["二、降低要素成本"] * 2
    assert [m["lead_units"] for m in measures] == [["市政务服务局"], ["市大数据局"], ["市自然资源局"], ["市住建局"]]
    assert [m["cooperating_units"] for m in measures] == [["市公安局", "市人社局"], ["各县（市、区）人民政府"],
                                                        ["市工信局"], ["国网某某供电公司"]]
    assert [[d["date"] for d in m["deadlines"]] for m in measures] == [["2024-06-30"], ["2024-12-31"],
                                                                     ["2024-09-30"], []]
    assert measures[3]["ongoing"] is True and not any(m["lead_inferred"] for m in measures)
    assert not [u for u in shown["new_units"] if "下同" in u or "等" in u or "有关" in u]


def test_docx_table_rows_become_measures_with_merged_cells(repo, tmp_path):
    assert_table_plan(measures_of(repo, build_docx(tmp_path / "分工方案.docx")))


def test_docx_is_told_by_its_content_not_its_name(repo, tmp_path):
    disguised = build_docx(tmp_path / "分工方案.docx").rename(tmp_path / "分工方案.txt")
    assert_table_plan(measures_of(repo, disguised))


def test_pdf_made_by_libreoffice_reads_text_and_table(repo, tmp_path):
    source = build_docx(tmp_path / "分工方案.docx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is a system dependency (make system-deps)"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    assert_table_plan(measures_of(repo, tmp_path / "分工方案.pdf"))


def test_committed_pdf_fixture_reads_the_same(repo):
    assert_table_plan(measures_of(repo, IMPORT / "table_plan.pdf"))


PAGE = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某市人民政府门户网站</title><script>var x = "（市财政局牵头）";</script><style>p{}</style></head>
<body><div class="nav">首页 &gt; 政务公开 &gt; 政策文件</div>
<div class="article"><h1>某某市2024年稳外贸稳外资工作方案</h1>
<p>为贯彻落实省委、省政府决策部署，制定本方案。</p>
<p>一、稳定外贸基本盘</p>
<p>（一）支持企业开拓市场。组织企业参加境外展会，2024年6月底前组织不少于20场。</p><p>（市商务局牵头，市财政局、市贸促会配合）</p>
<p>（二）加大出口信用保险支持。扩大短期险覆盖面。<br>（中国出口信用保险公司某某分公司、市商务局按职责分工负责）</p>
<p>二、重点任务分工</p>
<table border="1"><tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>
<tr><td>1</td><td>推进跨境电商综试区建设。</td><td rowspan="2">市商务局</td><td>市海关</td><td>2024年第三季度</td></tr>
<tr><td>2</td><td>培育外贸新业态。</td><td>市发改委、市税务局</td><td>2024年12月31日</td></tr>
</table></div><div class="footer">主办：某某市人民政府办公室</div></body></html>"""


def test_page_saved_from_a_government_site(repo, tmp_path):
    source = tmp_path / "网页.html"
    source.write_bytes(PAGE.encode("gb18030"))
    shown = measures_of(repo, source)
    measures = shown["measures"]
    assert [m["title"] for m in measures] == ["支持企业开拓市场", "加大出口信用保险支持", "推进跨境电商综试区建设",
                                            "培育外贸新业态"]
    assert [m["lead_units"] for m in measures] == [["市商务局"], ["中国出口信用保险公司某某分公司"], ["市商务局"],
                                                 ["市商务局"]]
    assert measures[3]["cooperating_units"] == ["市发改委", "市税务局"]
    assert [[d["date"] for d in m["deadlines"]] for m in measures] == [["2024-06-30"], [], ["2024-09-30"],
                                                                     ["2024-12-31"]]
    assert "var x" not in json.dumps(shown, ensure_ascii=False)


def test_text_copied_from_a_pdf(repo):
    shown = measures_of(repo, Path(__file__).parent / "eval" / "holdout" / "g_pdf_copy.txt")
    measures = shown["measures"]
    assert len(measures) == 5 and measures[1]["cooperating_units"] == ["省人力资源社会保障厅", "省财政厅", "省教育厅"]
    assert measures[3]["leaders"] == ["张某"] and "张某" not in shown["new_units"]
    assert measures[4]["review"] is True
    assert {"measure": "table-05", "message": "未找到责任单位括注，责任单位为空，请对照原文补充"} in shown["warnings"]


# ---------------------------------------------------------------- refused cleanly


def assert_refused(repo: Path, source: Path, *fragments: str) -> None:
    before = snapshot(repo)
    proc = run_cli(repo, "import", str(source), "--plan", "bad")
    assert_clean_failure(proc, 2, *fragments)
    assert snapshot(repo) == before


def test_old_word_and_wps_files_say_how_to_save_as_docx(repo, tmp_path):
    for name in ("旧文件.doc", "方案.wps", "无扩展名"):
        source = tmp_path / name
        source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
        assert_refused(repo, source, "另存为", ".docx")


def test_scanned_pdf_without_text_layer(repo, tmp_path):
    source = tmp_path / "扫描件.pdf"
    source.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
                       b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
                       b"trailer<</Root 1 0 R>>\n%%EOF\n")
    assert_refused(repo, source, "没有文字层")


def test_damaged_pdf_and_docx(repo, tmp_path):
    pdf = tmp_path / "坏.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    assert_refused(repo, pdf, "PDF")
    docx_file = tmp_path / "坏.docx"
    with zipfile.ZipFile(docx_file, "w") as z:
        z.writestr("word/document.xml", "<not-xml")
    assert_refused(repo, docx_file, "Word")


def test_zip_bomb_is_refused_before_unpacking(repo, tmp_path):
    source = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(source, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(210):
                member.write(chunk)
    assert_refused(repo, source, "解压后过大")


def test_links_special_files_and_oversized_files_are_refused(repo, tmp_path):
    target = tmp_path / "真.txt"
    target.write_text("（一）措施。（县卫健局负责）\n", encoding="utf-8")
    link = tmp_path / "链接.txt"
    link.symlink_to(target)
    assert_refused(repo, link, "符号链接")
    assert_refused(repo, Path("/dev/null"), "不是普通文件")
    big = tmp_path / "大.txt"
    with open(big, "wb") as handle:
        handle.truncate(31 * 1024 * 1024)
    assert_refused(repo, big, "超过导入上限")


def numbered_docx(path: Path) -> Path:
    """Headings numbered by Word itself (一、 / （一） / 1.), so the numbers are not in the paragraph text."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for ilvl, (fmt, text) in enumerate([("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            lvl.append(element)
        abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)
    document.add_paragraph("某某市工作方案")
    for text, level in [("主要任务", 0), ("加强甲工作", 1), ("做好子项。（市发改委牵头，市财政局配合）", 2),
                        ("做好另一子项。（市商务局负责）", 2), ("加强乙工作。（市教育局负责）", 1)]:
        paragraph = document.add_paragraph(text)
        num_pr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", str(level)), ("w:numId", "90")):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            num_pr.append(element)
        paragraph._p.get_or_add_pPr().append(num_pr)
    document.save(str(path))
    return path


def test_word_automatic_numbering_is_restored(repo, tmp_path):
    measures = measures_of(repo, numbered_docx(tmp_path / "自动编号.docx"))["measures"]
    assert [(m["number"], m["title"], m["section"], m["lead_units"]) for m in measures] == [
        ("1.", "做好子项", "（一）加强甲工作", ["市发改委"]), ("2.", "做好另一子项", "（一）加强甲工作", ["市商务局"]),
        ("（二）", "加强乙工作", "一、主要任务", ["市教育局"])]
