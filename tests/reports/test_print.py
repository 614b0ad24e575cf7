"""The documents as a reader gets them on paper: the demo's outputs for every bundled plan, converted to
PDF by LibreOffice (docx, xlsx) and Chromium (HTML), then read back with pdfplumber.

Checks: A4 pages; all text inside the 版心 (docx) or the printable area (xlsx, HTML); `— N —` on every
page of the 通报, odd pages right and even pages left; every table row whole on one page, with the
header row repeated above it; no date broken inside itself.

Needs Debian's libreoffice-writer-nogui, libreoffice-calc-nogui, chromium and fonts-noto-cjk (`make
system-deps`). YYTRACK_NO_OFFICE=1 / YYTRACK_NO_BROWSER=1 skip explicitly; otherwise a missing program fails.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from conftest import PROJECT, run_cli

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
TOL = 1.5  # points
PLANS = sorted(p.parent.name for p in (PROJECT / "tasks").glob("*/plan.yaml"))
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
UPDATES = [("fujian-01", "省卫健委", "推进中", "65", "新建社区医养结合服务设施 46 个，正在验收；另有 12 个已完成主体工程，"
            "计划下月组织联合验收并报送验收报告。"),
           ("fujian-09", "省医保局", "受阻", "20", "=长期护理保险试点资金测算未完成，需财政厅支持。"),
           ("qiubei-02", "县民政局", "推进中", "80", "全县 12 家养老机构已签约 10 家。"),
           ("national-01", "国家卫生健康委", "推进中", "30", "+已印发工作方案。"),
           ("fujian-demo-2025-05", "国家卫生健康委", "推进中", "60", "候选名单已在网站公示。")]


def program(name: str, skip_var: str, packages: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get(skip_var) == "1":
        pytest.skip(f"{skip_var}=1: print test skipped on request")
    pytest.fail(f"{name} not found: apt-get install -y {packages} (or set {skip_var}=1 to skip explicitly)")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict:
    """The demo's documents for every bundled plan, and their PDFs: {kind: [(source, pdf)]}."""
    home = tmp_path_factory.mktemp("print-home")
    (home / ".gitconfig").write_text("[user]\n\tname = 测试员\n\temail = tester@example.cn\n", encoding="utf-8")
    env = {"HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}
    root = tmp_path_factory.mktemp("print")
    repo, out = root / "跟踪仓库", root / "out"
    out.mkdir()
    # Tracking began two months ago, so that this month's forms and alerts have something to show.
    start = (dt.date.today().replace(day=1) - dt.timedelta(days=45)).replace(day=1).isoformat()
    assert run_cli(root, "init", str(repo), "--start", start, "--author", "省卫健委老龄处 <laoling@fj.example.cn>",
                   env=env).returncode == 0
    for measure, unit, status, progress, note in UPDATES:
        proc = run_cli(repo, "update", measure, "--unit", unit, "--status", status, "--progress", progress, "--note",
                       note, "--author", "林芳 <linfang@example.cn>", env=env)
        assert proc.returncode == 0, proc.stderr
    made = {"docx": [], "xlsx": [], "html": []}
    for plan in PLANS:
        for fmt, name in (("docx", f"通报-{plan}.docx"), ("xlsx", f"台账-{plan}.xlsx"), ("html", f"网页-{plan}.html")):
            args = ["--template", str(PROJECT / "templates" / "督导通报.html.j2")] if fmt == "html" else ["--format", fmt]
            proc = run_cli(repo, "report", "--plan", plan, *args, "-o", str(out / name), env=env)
            assert proc.returncode == 0, proc.stderr
            made[fmt].append(out / name)
    assert run_cli(repo, "forms", "--plan", "fujian", "--unit", "省卫健委", "-o", str(root / "表"), env=env).returncode == 0
    made["form"] = [shutil.copy(next((root / "表").glob("*.xlsx")), out / "报送表-fujian.xlsx")]
    proc = run_cli(repo, "remind", "--plan", "fujian", "--unit", "省民政厅", "--notice", "-o", str(root / "催办"), env=env)
    assert proc.returncode == 0, proc.stderr
    made["notice"] = [shutil.copy(next((root / "催办").glob("*.docx")), out / "催办-省民政厅.docx")]
    office = [Path(p) for kind in ("docx", "xlsx", "form", "notice") for p in made[kind]]
    soffice = program("soffice", "YYTRACK_NO_OFFICE", "libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk")
    subprocess.run([soffice, f"-env:UserInstallation={(root / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(root / "pdf"), *map(str, office)],
                   capture_output=True, timeout=600, check=False)
    pdfs = {kind: [(Path(p), root / "pdf" / (Path(p).stem + ".pdf")) for p in made[kind]] for kind in made}
    browser = program("chromium", "YYTRACK_NO_BROWSER", "chromium fonts-noto-cjk")
    for page, pdf in pdfs["html"]:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={root / 'chromium'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        page.as_uri()], capture_output=True, timeout=180, check=False)
    for kind, pairs in pdfs.items():
        for source, pdf in pairs:
            assert pdf.is_file(), f"no PDF made from {source.name}"
    return pdfs


# ---------------------------------------------------------------- reading sources and PDFs


def norm(text) -> str:
    """Whitespace-free, and NFKC: Chromium's PDFs name some ideographs by their Kangxi radicals (⼀ for 一)
    and the dash — as ―."""
    text = unicodedata.normalize("NFKC", "" if text is None else str(text)).replace("\u2015", "\u2014")
    return re.sub(r"\s+", "", text)


def docx_rows(path: Path):
    import docx

    return [[c.text for c in row.cells] for table in docx.Document(str(path)).tables for row in table.rows]


def xlsx_rows(path: Path, header_row: int):
    import openpyxl

    sheet = openpyxl.load_workbook(path)[("报送表" if "报送表" in path.name else "任务台账")]
    rows = []
    for row in sheet.iter_rows(min_row=header_row):
        shown = []
        for cell in row:
            value = cell.value
            shown.append(value.strftime("%Y-%m-%d") if isinstance(value, (dt.date, dt.datetime)) else
                         "" if value is None else str(value))
        rows.append(shown)
    return rows, sheet.page_margins


class _Tables(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def html_rows(path: Path):
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.rows


def pdf_pages(pdf: Path):
    """Per page: (width, height, chars, table rows as extracted with their raw text)."""
    import pdfplumber

    pages = []
    with pdfplumber.open(str(pdf)) as doc:
        for page in doc.pages:
            rows = [r for t in page.find_tables() for r in t.extract()]
            chars = [c for c in page.chars if c["text"].strip()]
            pages.append((page.width, page.height, chars, rows))
    return pages


# ---------------------------------------------------------------- checks


def assert_a4(pages, landscape: bool, name: str) -> None:
    size = (A4[1], A4[0]) if landscape else A4
    for number, (width, height, _, _) in enumerate(pages, 1):
        assert abs(width - size[0]) < 2 and abs(height - size[1]) < 2, f"{name} page {number} is not A4"


def assert_inside(pages, box, name: str, skip=lambda c, h: False) -> None:
    left, top, right, bottom = box
    for number, (width, height, chars, _) in enumerate(pages, 1):
        outside = [c["text"] for c in chars if not skip(c, height) and not (
            c["x0"] >= left - TOL and c["x1"] <= width - right + TOL
            and c["top"] >= top - TOL and c["bottom"] <= height - bottom + TOL)]
        assert not outside, f"{name} page {number}: text outside the printable area: {''.join(outside)[:40]}"


def same(source: str, shown: str) -> bool:
    """Equal, allowing a CJK radical (U+2E80–U+2FDF) where Chromium's PDF names the ideograph by it."""
    return len(source) == len(shown) and all(a == b or 0x2E80 <= ord(b) <= 0x2FDF for a, b in zip(source, shown))


def printed_row(source_row, pages):
    """(page number, cells as printed) of the printed row that is this source row, or None."""
    key = [norm(c) for c in source_row]
    for number, (_, _, _, rows) in enumerate(pages, 1):
        for row in rows:
            if len(row) == len(key) and all(same(a, norm(b)) for a, b in zip(key, row)):
                return number, row
    return None


def assert_rows_whole(pages, source_rows, header, name: str) -> None:
    """Every source row is one printed row on one page (not split), with each of its dates on one line;
    with a header given, every page that shows rows of the table shows the header too."""
    pages_of_rows = set()
    for row in source_rows:
        found = printed_row(row, pages)
        assert found, f"{name}: row split or missing on paper: {'|'.join(map(norm, row))[:60]}"
        pages_of_rows.add(found[0])
        for source, shown in zip(row, found[1]):
            for date in DATE.findall(source):
                assert date in unicodedata.normalize("NFKC", shown or ""), f"{name}: date {date} broken: {shown!r}"
    if header:
        for number in pages_of_rows:
            assert printed_row(header, [pages[number - 1]]), f"{name} page {number}: no header row"


def test_the_tongbao_on_paper(outputs):
    for source, pdf in outputs["docx"] + outputs["notice"]:
        pages = pdf_pages(pdf)
        assert_a4(pages, False, pdf.name)
        footer = 262 * MM + TOL
        assert_inside(pages, (28 * MM, 37 * MM, 26 * MM, 35 * MM), pdf.name, skip=lambda c, h: c["top"] > footer)
        for number, (width, height, chars, _) in enumerate(pages, 1):
            below = [c for c in chars if c["top"] > footer]
            assert norm("".join(c["text"] for c in below)) == f"—{number}—", f"{pdf.name} page {number}: page number"
            middle = (below[0]["x0"] + below[-1]["x1"]) / 2
            assert (middle > width / 2) if number % 2 else (middle < width / 2), f"{pdf.name} page {number}: side"
        rows = docx_rows(source)
        body = [r for r in rows if r[0] not in ("序号", "单位", "措施", "日期", "排名", "指标")]
        assert_rows_whole(pages, body, None, pdf.name)
        headers = [r for r in rows if r[0] in ("序号", "单位", "措施", "日期", "排名", "指标")]
        assert all(printed_row(h, pages) for h in headers)
        for number, page in enumerate(pages, 1):
            if page[3]:  # a page that goes on with a table starts with that table's header (it repeats)
                assert any(printed_row(h, [(0, 0, [], page[3][:1])]) for h in headers), \
                    f"{pdf.name} page {number}: a table goes on without its header"


def test_the_ledger_and_the_form_on_paper(outputs):
    for kind, header_row in (("xlsx", 2), ("form", 4)):
        for source, pdf in outputs[kind]:
            pages = pdf_pages(pdf)
            assert_a4(pages, True, pdf.name)
            rows, margins = xlsx_rows(source, header_row)
            box = (margins.left * 72, margins.header * 72, margins.right * 72, margins.footer * 72)
            assert_inside(pages, box, pdf.name)
            header, body = rows[0], [r for r in rows[1:] if any(r)]
            assert_rows_whole(pages, body, header, pdf.name)
            for number, (_, _, _, printed) in enumerate(pages, 1):
                assert printed and printed_row(header, [(0, 0, [], printed[:1])]), \
                    f"{pdf.name} page {number}: the header row does not head the page"
                assert all(len(r) == len(header) for r in printed), f"{pdf.name} page {number}: columns missing"


def test_the_html_report_printed_by_chromium(outputs):
    for source, pdf in outputs["html"]:
        pages = pdf_pages(pdf)
        assert_a4(pages, False, pdf.name)
        assert_inside(pages, (20 * MM, 20 * MM, 18 * MM, 20 * MM), pdf.name)
        rows = html_rows(source)
        heads = [r for r in rows if r and r[0] in ("序号", "单位", "措施", "日期", "排名")]
        body = [r for r in rows if r and r[0] not in ("序号", "单位", "措施", "日期", "排名")]
        assert_rows_whole(pages, body, None, pdf.name)
        assert all(printed_row(h, pages) for h in heads)
        for number, page in enumerate(pages, 1):
            if page[3]:  # a page that goes on with a table starts with that table's header (thead repeats)
                assert any(printed_row(h, [(0, 0, [], page[3][:1])]) for h in heads), \
                    f"{pdf.name} page {number}: a table goes on without its header"
