"""`yytrack report` and `yytrack remind` on a fixed scenario repository, built from the minirepo fixture
through Tracker.update with pinned clocks, so every run renders the same bytes.

Goldens: tests/golden/*.md. Regenerate after an intended change with
    YYTRACK_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_report.py
The browser test needs Debian's chromium and fonts-noto-cjk; YYTRACK_NO_BROWSER=1 skips it explicitly.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from conftest import FIXTURES, HERE, git, run_cli

GOLDEN = HERE / "golden"
AUTHOR = "李明 <li@example.cn>"
REVIEWER = "孙审核 <sun@example.cn>"
MONTH, AS_OF = "2026-11", "2026-11-20"
# (recorded, date, measure, unit, status, progress, note, indicators); "review" rows are decisions.
SCENARIO = [
    ("2026-08-10", "2026-08-10", "demo-01", "省卫健委", "推进中", 20, "完成选址摸底。", ()),
    ("2026-08-12", "2026-08-12", "demo-01", "省民政厅", "推进中", 10, "起草建设指引。", ()),
    ("2026-08-20", "2026-08-20", "demo-02", "省医保局", "推进中", 20, "开展上门服务价格调研。", ()),
    ("2026-08-21", "2026-08-21", "demo-03", "省卫健委", "推进中", 10, "印发年度督查方案。", ()),
    ("2026-09-15", "2026-09-15", "demo-01", "省卫健委", "推进中", 35, "新建设施 5 个。", ()),
    ("2026-09-28", "2026-09-28", "demo-01", "省民政厅", "推进中", 25, "指引征求意见。", ()),
    ("2026-09-16", "2026-09-16", "demo-03", "省卫健委", "推进中", 30, "完成自查。", ()),
    ("2026-10-15", "2026-10-15", "demo-01", "省卫健委", "推进中", 50, "新建设施 12 个。", ("护理型床位占比=50.2",)),
    ("2026-10-20", "2026-10-20", "demo-01", "福州市人民政府", "推进中", None, "鼓楼区 | 台江区已开工\n第二批选址中。", ()),
    ("2026-10-27", "2026-10-24", "demo-01", "省民政厅", "推进中", 40, "指引报审。", ()),
    ("2026-10-22", "2026-10-22", "demo-03", "省卫健委", "推进中", 60, "开展实地督查。", ()),
    ("2026-11-03", "2026-11-03", "demo-02", "省卫健委", "推进中", None, "配合开展调研。", ()),
    ("2026-11-05", "2026-11-05", "demo-03", "省卫健委", "已完成", 100, "督查报告已印发<省财政厅>。", ()),
    ("2026-11-09", "2026-11-09", "demo-03", "review", "reject", None, "缺少整改台账，请补充。", ()),
    ("2026-11-12", "2026-11-12", "demo-03", "省卫健委", "推进中", 80, "补充整改台账。", ()),
    ("2026-11-14", "2026-11-14", "demo-01", "省卫健委", "已完成", 100, "设施建设任务完成。", ("护理型床位占比=56",)),
    ("2026-11-18", "2026-11-18", "demo-01", "厦门市人民政府", "推进中", 70, "思明区设施投用 | 湖里区在建\n下月验收。", ()),
    ("2026-11-21", "2026-11-19", "demo-01", "省民政厅", "推进中", 90, "统计截至日之后才记录。", ()),
]


def pin_clock(env: pytest.MonkeyPatch, when: str) -> None:
    stamp = f"{when}T10:00:00+08:00"
    for var in ("YYTRACK_NOW", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        env.setenv(var, stamp)


def build_scenario(path: Path, env: pytest.MonkeyPatch) -> Path:
    from yytrack import Tracker

    pin_clock(env, "2026-01-15")
    shutil.copytree(FIXTURES / "minirepo", path)
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "初始化")
    tracker = Tracker(path)
    for recorded, on, measure, unit, status, progress, note, values in SCENARIO:
        pin_clock(env, recorded)
        if unit == "review":
            tracker.review(measure, status, note, author=REVIEWER, date=dt.date.fromisoformat(on))
        else:
            tracker.update(measure, unit, status, note, progress, dt.date.fromisoformat(on), (), values, AUTHOR)
    for var in ("YYTRACK_NOW", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        env.delenv(var)
    return path


@pytest.fixture(scope="module")
def scenario_master(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("scenario-home")
    (home / ".gitconfig").write_text("[user]\n\tname = 测试员\n\temail = tester@example.cn\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        for var, value in (("HOME", str(home)), ("GIT_CONFIG_GLOBAL", str(home / ".gitconfig")),
                           ("GIT_CONFIG_NOSYSTEM", "1")):
            env.setenv(var, value)
        return build_scenario(tmp_path_factory.mktemp("scenario") / "跟踪仓库", env)


@pytest.fixture
def scenario(scenario_master, tmp_path) -> Path:
    """A private copy: tests may write reports and commits."""
    return Path(shutil.copytree(scenario_master, tmp_path / "跟踪仓库"))


def context_of(repo: Path, month: str = MONTH, as_of: str = AS_OF) -> dict:
    from yytrack import Tracker
    from yytrack.reports.context import build_context

    return build_context(Tracker(repo), "demo", month, dt.date.fromisoformat(as_of))


def assert_golden(actual: str, name: str) -> None:
    path = GOLDEN / name
    if os.environ.get("YYTRACK_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    expected = path.read_bytes().decode("utf-8") if path.exists() else ""
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            f"golden/{name}", "rendered"))
        pytest.fail(f"rendered report differs from golden/{name} "
                    f"(YYTRACK_UPDATE_GOLDEN=1 regenerates it):\n{diff}", pytrace=False)


# ---------------------------------------------------------------- the monthly report


def test_markdown_report_matches_the_golden_file(scenario):
    proc = run_cli(scenario, "report", "--plan", "demo", "--month", MONTH, "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    written = scenario / "reports" / f"{MONTH}-demo-督导通报.md"
    assert proc.stdout.strip() == str(written)
    assert_golden(written.read_bytes().decode("utf-8"), f"{MONTH}-demo-督导通报.md")


def test_context_summary_missing_changes_and_timeliness(scenario):
    c = context_of(scenario)
    by_status = {s["key"]: s["count"] for s in c["summary"]["by_status"]}
    assert by_status == {"not_started": 0, "in_progress": 3, "blocked": 0, "awaiting_review": 0, "accepted": 0}
    assert [m["alert"] for m in c["measures"]] == ["red", "red", "yellow"]
    # Due pairs: demo-01 4 listed units, demo-02 2, demo-03 3; reported: 省卫健委 ×3, the group via 厦门.
    assert (c["summary"]["reporting"]["due"], c["summary"]["reporting"]["reported"]) == (9, 4)
    owed = {u["unit"]: [m["id"] for m in u["measures"]] for u in c["missing"]}
    assert owed == {"省民政厅": ["demo-01", "demo-03"], "省医保局": ["demo-02", "demo-03"], "省财政厅": ["demo-01"]}
    moves = [(t["id"], t["unit"], t["from_label"], t["to_label"]) for t in c["changes"]["transitions"]]
    assert moves == [("demo-02", "省卫健委", "（首次报送）", "推进中"), ("demo-03", "省卫健委", "推进中", "已完成"),
                     ("demo-03", "省卫健委", "已完成", "推进中"), ("demo-01", "省卫健委", "推进中", "已完成"),
                     ("demo-01", "厦门市人民政府", "（首次报送）", "推进中")]
    assert [(r["id"], r["decision_label"], r["author"]) for r in c["changes"]["reviews"]] == [
        ("demo-03", "退回", "孙审核")]
    assert c["timeliness"]["periods"] == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    ranking = {u["unit"]: (u["on_time"], u["due"]) for u in c["timeliness"]["units"]}
    assert ranking["省卫健委"] == (6, 18) and ranking["省民政厅"] == (1, 12)  # September and October late
    assert c["timeliness"]["units"][0]["unit"] == "省卫健委"
    annex_dates = [u["date"] for a in c["annex"] for u in a["updates"]]
    assert "2026-11-19" not in annex_dates  # recorded after the as-of day


def test_html_escapes_notes_and_is_self_contained(scenario):
    proc = run_cli(scenario, "report", "--plan", "demo", "--month", MONTH, "--as-of", AS_OF, "--format", "html")
    assert proc.returncode == 0, proc.stderr
    html = (scenario / "reports" / f"{MONTH}-demo-督导通报.html").read_text(encoding="utf-8")
    assert "督查报告已印发&lt;省财政厅&gt;" in html and "<省财政厅>" not in html
    assert "<svg" in html and "@page" in html and "FangSong" in html and "Noto Serif CJK SC" in html
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html), "the report must not load anything from outside"
    assert 'style="width: 80%"' in html  # demo-03's progress bar


def test_a_script_in_a_note_shows_as_text(scenario, monkeypatch):
    from yytrack import Tracker
    from yytrack.reports.templates import find_template, render

    pin_clock(monkeypatch, "2026-11-19")
    Tracker(scenario).update("demo-02", "省医保局", "推进中", "<script>alert('x')</script>", None,
                             dt.date(2026, 11, 19), author=AUTHOR)
    html = render(find_template(scenario, None, "督导通报", "html"), context_of(scenario))
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html and "<script>" not in html


def test_commit_option_commits_the_report_once(scenario):
    proc = run_cli(scenario, "report", "--month", MONTH, "--as-of", AS_OF, "--commit")
    assert proc.returncode == 0, proc.stderr
    message = git(scenario, "log", "-1", "--format=%B")
    assert message.startswith(f"通报 {MONTH} demo 督导通报（md）\n")
    assert f"Yytrack-Report: {MONTH}\nYytrack-Plan: demo\nYytrack-Format: md" in message
    assert "已提交到 git（提交 " in proc.stdout and f"reports/{MONTH}-demo-督导通报.md" in proc.stdout
    assert git(scenario, "status", "--porcelain") == ""
    head = git(scenario, "rev-parse", "HEAD")
    again = run_cli(scenario, "report", "--month", MONTH, "--as-of", AS_OF, "--commit")
    assert again.returncode == 0 and git(scenario, "rev-parse", "HEAD") == head  # unchanged: no new commit
    assert "没有新的提交" in again.stdout and "已提交到 git" not in again.stdout


def test_defaults_are_this_month_every_plan_under_reports(repo):
    proc = run_cli(repo, "report")
    assert proc.returncode == 0, proc.stderr
    month = dt.date.today().strftime("%Y-%m")
    expected = repo / "reports" / f"{month}-demo-督导通报.md"
    assert proc.stdout.strip() == str(expected) and expected.is_file()
    assert f"统计截至：{dt.date.today().year}年" in expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (["--month", "2026-13"], "YYYY-MM"),
    (["--month", "2026-11", "--as-of", "2026-10-31"], "早于"),
    (["--format", "pdf"], "格式“pdf”无效"),
    (["--format", "docx", "--template", "督导通报"], "不使用模板"),
    (["--plan", "nosuch"], "没有方案"),
])
def test_bad_options_fail_with_one_chinese_line(repo, args, message):
    proc = run_cli(repo, "report", *args)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr


def test_commands_survive_a_gbk_console(scenario):
    measure = scenario / "tasks" / "demo" / "demo-03.yaml"
    measure.write_text(measure.read_text(encoding="utf-8").replace("完成年度督查", "完成年度督查✅"), encoding="utf-8")
    for args in (["report", "--month", MONTH, "--as-of", AS_OF], ["remind", "--month", MONTH, "--as-of", AS_OF]):
        proc = subprocess.run([sys.executable, "-m", "yytrack", *args], cwd=scenario, capture_output=True,
                              env={**os.environ, "PYTHONIOENCODING": "gbk"})
        assert proc.returncode == 0, proc.stderr.decode("gbk", "replace")
        assert "完成年度督查?".encode("gbk") in proc.stdout or args[0] == "report"


# ---------------------------------------------------------------- remind


def test_remind_lists_units_and_writes_notices(scenario, tmp_path):
    proc = run_cli(scenario, "remind", "--month", MONTH, "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"省医保局\s+demo-02\s+牵头\s+2026年11月未报送进展", proc.stdout)
    assert re.search(r"省卫健委\s+demo-03\s+牵头\s+截止日期 2026-12-15 还有 25 天", proc.stdout)
    assert re.search(r"财政厅\s+demo-01\s+配合\s+2026年11月未报送进展；截止日期 2026-06-30 已逾期 143 天", proc.stdout)
    assert "共 5 个单位、8 项" in proc.stdout  # the group reported through 厦门, but demo-01 is overdue
    notices = run_cli(scenario, "remind", "--month", MONTH, "--as-of", AS_OF, "--unit", "省医保局", "--notice",
                      "-o", str(tmp_path / "催办"))
    assert notices.returncode == 0, notices.stderr
    path = tmp_path / "催办" / f"{MONTH}-省医保局-催办通知.md"
    assert notices.stdout.strip().splitlines()[-2:] == [str(path), str(path.with_suffix(".docx"))]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 催办通知\n\n福建省医疗保障局：") and "（二）完善价格政策（demo-02）" in text
    assert "请于 2026-11-25 前报送2026年11月进展" in text and "省卫健委" not in text.split("|")[0]
    # The unit is told the ways to report; the command line is for technical users, in the Markdown only.
    assert "填写随本通知下发的落实情况报送表" in text and "技术人员也可" in text and "yytrack update" in text


# ---------------------------------------------------------------- templates


def test_repository_templates_override_the_bundled_ones(scenario, tmp_path):
    (scenario / "templates").mkdir()
    (scenario / "templates" / "督导通报.md.j2").write_text("仓库模板：{{ plan.id }} {{ period.key }}\n", encoding="utf-8")
    assert run_cli(scenario, "report", "--month", MONTH).returncode == 0
    assert (scenario / "reports" / f"{MONTH}-demo-督导通报.md").read_text(encoding="utf-8") == "仓库模板：demo 2026-11\n"
    own = tmp_path / "我的.html.j2"
    own.write_text("<p>{{ measures[2].note }}</p>{% include '督导通报.md.j2' %}", encoding="utf-8")
    proc = run_cli(scenario, "report", "--month", MONTH, "--as-of", AS_OF, "--template", str(own), "-o", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / f"{MONTH}-demo-督导通报.html").read_text(encoding="utf-8") == \
        "<p>补充整改台账。</p>仓库模板：demo 2026-11\n"


@pytest.mark.parametrize("source, expected", [
    ("第一行\n{{ nothing_here }}\n", "模板 坏.md.j2 第 2 行：变量 nothing_here 未定义"),
    ("\n\n{{ plan.nothing }}", "模板 坏.md.j2 第 3 行：没有属性 nothing"),
    ("{% for m in measures %}\n{{ m.title }\n", "模板 坏.md.j2 第 2 行：语法错误（此处不应出现“}”）"),
    ("{% for m in measures %}\n{{ m.title }}\n", "模板 坏.md.j2 第 2 行：语法错误（模板提前结束，缺少 endfor 或 else）"),
    ("\n{% include 'nowhere.j2' %}", "模板 坏.md.j2 第 2 行：找不到被包含的模板 nowhere.j2"),
    ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "模板 坏.md.j2 第 1 行：宏或包含的模板递归过深"),
    ("{{ measures.__class__ }}", "模板 坏.md.j2 第 1 行：不允许的操作"),
    ("{{ 'x' * 100000000 }}", "模板 坏.md.j2 第 1 行：不允许的操作"),
])
def test_template_problems_name_the_template_and_line(repo, tmp_path, source, expected):
    bad = tmp_path / "坏.md.j2"
    bad.write_text(source, encoding="utf-8")
    proc = run_cli(repo, "report", "--template", str(bad), "-o", str(tmp_path))
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"错误：{expected}") and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert not list(tmp_path.glob("*督导通报*"))


def test_runaway_templates_are_stopped(repo, tmp_path):
    from yytrack.errors import TemplateProblem
    from yytrack.reports.templates import environment, render

    env = environment(repo)
    spin = env.from_string("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    started = dt.datetime.now()
    with pytest.raises(TemplateProblem, match="渲染超过 1 秒"):
        render(spin, {}, max_seconds=1)
    assert (dt.datetime.now() - started).total_seconds() < 10
    flood = env.from_string("{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxx{% endfor %}{% endfor %}")
    with pytest.raises(TemplateProblem, match="输出超过 1 MB"):
        render(flood, {}, max_chars=1024 * 1024)


# ---------------------------------------------------------------- the browser


def read_png(path: Path):
    """(width, rows of RGB(A) bytes, channels): a small PNG decoder, so the test needs no imaging library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks = 8, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IHDR":
            width, height, _, color, _, _, _ = struct.unpack(">IIBBBBB", data[pos + 8:pos + 21])
        elif kind == b"IDAT":
            chunks.append(data[pos + 8:pos + 8 + length])
        pos += 12 + length
    channels = {2: 3, 6: 4}[color]
    raw, stride = zlib.decompress(b"".join(chunks)), width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        unfilter(kind, line, prev, channels)
        rows.append(bytes(line))
        prev = line
    return width, rows, channels


def unfilter(kind: int, line: bytearray, prev: bytearray, n: int) -> None:
    """Undo one PNG row filter in place (None, Sub, Up, Average, Paeth)."""
    if kind == 2:
        line[:] = bytes((a + b) & 255 for a, b in zip(line, prev))
        return
    for i in range(len(line)):
        a = line[i - n] if i >= n else 0
        if kind == 1:
            line[i] = (line[i] + a) & 255
        elif kind == 3:
            line[i] = (line[i] + ((a + prev[i]) >> 1)) & 255
        elif kind == 4:
            b, c = prev[i], (prev[i - n] if i >= n else 0)
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255


def screenshot(html: Path, png: Path, profile: Path, size: str = "900,1400") -> tuple:
    browser = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(browser).exists():
        if os.environ.get("YYTRACK_NO_BROWSER") == "1":
            pytest.skip("YYTRACK_NO_BROWSER=1: browser test skipped on request")
        pytest.fail("chromium not found: apt-get install -y chromium fonts-noto-cjk "
                    "(or set YYTRACK_NO_BROWSER=1 to skip this test explicitly)")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                    f"--user-data-dir={profile}", f"--window-size={size}", f"--screenshot={png}",
                    html.resolve().as_uri()], capture_output=True, timeout=120, check=False)
    assert png.is_file(), f"chromium wrote no screenshot for {html}"
    width, rows, channels = read_png(png)
    ink = [[sum(row[x * channels:x * channels + 3]) < 384 for x in range(width)] for row in rows]
    return ink, rows, channels


def title_band(ink) -> tuple:
    top = next(y for y, row in enumerate(ink) if any(row))
    return top, next(y for y in range(top, len(ink)) if not any(ink[y]))


def test_html_report_renders_in_chromium_with_cjk_glyphs(scenario, tmp_path):
    assert run_cli(scenario, "report", "--month", MONTH, "--as-of", AS_OF, "--format", "html").returncode == 0
    page = scenario / "reports" / f"{MONTH}-demo-督导通报.html"
    ink, rows, channels = screenshot(page, tmp_path / "report.png", tmp_path / "profile-1")
    inked = sum(map(sum, ink))
    assert inked > 0.02 * len(ink) * len(ink[0]), "the page is (nearly) blank"
    red = sum(1 for row in rows for x in range(0, len(row), channels)
              if row[x] > 170 and row[x + 1] < 80 and row[x + 2] < 70)
    assert red > 50, "the red alert badges were not drawn: the page's CSS did not apply"
    # The same page with the title replaced by code points no font has draws tofu boxes in the same
    # place; real CJK glyphs must differ from them in most of the title's ink.
    html = page.read_text(encoding="utf-8")
    title = re.search(r"<h1>(.*?)</h1>", html).group(1)
    tofu_page = tmp_path / "tofu.html"
    tofu_page.write_text(html.replace(f"<h1>{title}</h1>", "<h1>" + "".join(chr(0xF0000 + i) for i in range(len(title)))
                                      + "</h1>"), encoding="utf-8")
    tofu, _, _ = screenshot(tofu_page, tmp_path / "tofu.png", tmp_path / "profile-2")
    top, bottom = title_band(ink)
    assert bottom - top > 15, "the title is too small or missing"
    band = range(min(top, title_band(tofu)[0]), max(bottom, title_band(tofu)[1]))
    differ = sum(a != b for y in band for a, b in zip(ink[y], tofu[y]))
    union = sum(a or b for y in band for a, b in zip(ink[y], tofu[y]))
    assert differ > 0.3 * union, "the Chinese title is drawn as tofu boxes: no CJK font (install fonts-noto-cjk)"
