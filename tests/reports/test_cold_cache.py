"""Every report, `check`, `status` and `log` give the same bytes from a cold cache (a fresh
`git clone --no-local`, and a `cp -a` copy) as from a warm one."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, git, run_cli

AUTHOR = "李明 <li@example.cn>"
REVIEWER = "孙审核 <sun@example.cn>"
# (recorded, date, measure, unit, status, progress, note, indicators); back-dated and old-month entries included
HISTORY = [
    ("2023-06-15", "2023-06-15", "demo-01", "省卫健委", "推进中", 5, "启动摸底。", ("护理型床位占比=20",)),
    ("2023-11-20", "2023-11-02", "demo-02", "省医保局", "推进中", 2, "起草方案。", ()),
    ("2024-02-10", "2024-02-10", "demo-01", "省民政厅", "推进中", 8, "会商。", ()),
    ("2024-02-27", "2024-02-20", "demo-01", "省卫健委", "推进中", 9, "补报二月。", ("护理型床位占比=21.5",)),
    ("2025-03-10", "2025-03-10", "demo-01", "省卫健委", "推进中", 10, "完成选址摸底。", ()),
    ("2025-03-12", "2025-03-01", "demo-02", "省医保局", "推进中", 5, "开展上门服务价格调研。", ()),
    ("2025-11-20", "2025-11-20", "demo-01", "省卫健委", "推进中", 30, "新建设施 5 个。", ("护理型床位占比=40",)),
    ("2026-10-15", "2026-10-15", "demo-01", "省卫健委", "推进中", 50, "新建设施 12 个。", ("护理型床位占比=50.2",)),
    ("2026-10-27", "2026-10-24", "demo-01", "省民政厅", "推进中", 40, "指引报审。", ()),
    ("2026-11-05", "2026-11-05", "demo-03", "省卫健委", "已完成", 100, "督查报告已印发。", ()),
    ("2026-11-09", "2026-11-09", "demo-03", "review", "reject", None, "缺少整改台账，请补充。", ()),
    ("2026-11-12", "2026-11-12", "demo-03", "省卫健委", "推进中", 80, "补充整改台账。", ()),
    ("2026-11-18", "2026-11-02", "demo-01", "省卫健委", "已完成", 100, "设施建设任务完成。", ("护理型床位占比=56",)),
]
# The current month and old ones: inside each record's kept window (2025-03), before it (2024-03, with
# entries carried over from earlier months), and judged on a day before later entries were recorded (2024-02).
MONTHS = (("2026-11", "2026-11-20"), ("2025-03", "2025-03-31"), ("2024-03", "2024-03-31"), ("2024-02", "2024-02-25"))
ISSUED = "issued: '2026-01-10'"  # the fixture plan's; an earlier one lets updates go back to 2022


def _pin(env: pytest.MonkeyPatch, day: str) -> None:
    for var in ("YYTRACK_NOW", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        env.setenv(var, f"{day}T10:00:00+08:00")


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    from yytrack import Tracker

    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text("[user]\n\tname = 测试员\n\temail = tester@example.cn\n", encoding="utf-8")
    path = tmp_path_factory.mktemp("cold") / "跟踪仓库"
    with pytest.MonkeyPatch.context() as env:
        for var, value in (("HOME", str(home)), ("GIT_CONFIG_GLOBAL", str(home / ".gitconfig")),
                           ("GIT_CONFIG_NOSYSTEM", "1")):
            env.setenv(var, value)
        _pin(env, "2023-01-02")
        shutil.copytree(FIXTURES / "minirepo", path)
        plan = path / "tasks" / "demo" / "plan.yaml"
        plan.write_text(plan.read_text(encoding="utf-8").replace(ISSUED, "issued: '2023-01-10'"), encoding="utf-8")
        git(path, "init", "-q", "-b", "main")
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", "初始化")
        tracker = Tracker(path)
        for recorded, on, measure, unit, status, progress, note, values in HISTORY:
            _pin(env, recorded)
            if unit == "review":
                tracker.review(measure, status, note, author=REVIEWER, date=dt.date.fromisoformat(on))
            else:
                tracker.update(measure, unit, status, note, progress, dt.date.fromisoformat(on), (), values, AUTHOR)
    return path


def _commands():
    """Every command compared; OUT stands for the output folder."""
    yield ("check",)
    yield ("status", "--as-of", "2026-11-20")
    yield ("status", "--json", "--as-of", "2025-06-30")
    yield ("show", "demo-01", "--json")
    yield ("log", "--json")
    yield ("log", "--plan", "demo")
    for month, as_of in MONTHS:
        yield ("remind", "--month", month, "--as-of", as_of)
        yield ("remind", "--month", month, "--as-of", as_of, "--notice", "-o", f"OUT/notice-{month}")
        for fmt in ("md", "html", "docx", "xlsx"):
            yield ("report", "--month", month, "--as-of", as_of, "--format", fmt, "-o", f"OUT/{month}.{fmt}")


def _contents(path: Path) -> dict:
    """A file's bytes; for Word and Excel files each part of the package, except the zip's own timestamps and
    docProps/core.xml, where the file records the clock time it was written."""
    if path.suffix not in (".docx", ".xlsx"):
        return {path.name: path.read_bytes()}
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        return {f"{path.name}:{n}": z.read(n) for n in sorted(z.namelist()) if n != "docProps/core.xml"}


def _run_all(repo: Path, out: Path, fresh) -> dict:
    """stdout, exit code and every written file of each command; fresh() gives the repository to use."""
    found = {}
    for args in _commands():
        where = fresh()
        proc = run_cli(where, *(a.replace("OUT", str(out)) for a in args))
        assert proc.returncode == 0, (args, proc.stderr)
        found[args] = (proc.stdout.replace(str(out), "OUT").replace(str(where), "<repo>"), proc.returncode)
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        found[str(path.relative_to(out))] = _contents(path)
    return found


def _clone(source: Path, into: Path) -> Path:
    target = into / f"clone{len(list(into.iterdir()))}"
    subprocess.run(["git", "clone", "-q", "--no-local", str(source), str(target)], check=True)
    return target


def test_every_report_check_status_and_log_are_the_same_cold_and_warm(history, tmp_path):
    warm_repo = Path(shutil.copytree(history, tmp_path / "warm", symlinks=True))
    _run_all(warm_repo, tmp_path / "first", lambda: warm_repo)  # fills the cache
    assert (warm_repo / ".git" / "yytrack" / "summary.json").is_file()
    assert (warm_repo / ".git" / "yytrack" / "check.json").is_file()
    warm = _run_all(warm_repo, tmp_path / "warm-out", lambda: warm_repo)
    clones = tmp_path / "clones"
    clones.mkdir()
    cold = _run_all(history, tmp_path / "cold-out", lambda: _clone(history, clones))  # a fresh clone each time
    assert warm.keys() == cold.keys()
    for key in warm:
        assert warm[key] == cold[key], key
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-a", str(warm_repo), str(copy)], check=True)
    copied = _run_all(copy, tmp_path / "copy-out", lambda: copy)
    assert copied == warm
