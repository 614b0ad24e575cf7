"""`yytrack import` end to end: a document in, task files and one commit out."""

from __future__ import annotations

import json

from conftest import FIXTURES, git, run_cli, snapshot

SAMPLE = """丘北县示例实施方案
一、主要任务
（一）推进家庭病床试点。到2022年，在1个社区开展家庭病床服务试点。（责任单位：县卫健局、医保局，驻丘保险机构）
（二）加强组织领导。各部门加强协调配合。
"""


def test_dry_run_shows_measures_and_writes_nothing(repo, tmp_path):
    source = tmp_path / "方案.txt"
    source.write_text(SAMPLE, encoding="utf-8")
    before = snapshot(repo)
    proc = run_cli(repo, "import", str(source), "--plan", "sample", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "推进家庭病床试点" in proc.stdout and "2022-12-31" in proc.stdout
    assert "请核对 sample-02" in proc.stdout and "--dry-run，未写入" in proc.stdout
    assert snapshot(repo) == before


def test_import_writes_task_files_registers_units_and_commits_once(repo, tmp_path):
    source = tmp_path / "方案.txt"
    source.write_bytes(SAMPLE.encode("gb18030"))
    head = git(repo, "rev-parse", "HEAD").strip()
    proc = run_cli(repo, "import", str(source), "--plan", "sample")
    assert proc.returncode == 0, proc.stderr
    assert git(repo, "rev-list", "--count", f"{head}..HEAD").strip() == "1"
    changed = set(git(repo, "show", "--name-only", "--format=", "HEAD").split())
    assert changed == {"tasks/sample/plan.yaml", "tasks/sample/sample-01.yaml", "tasks/sample/sample-02.yaml",
                       "tasks/units.yaml"}
    shown = json.loads(run_cli(repo, "show", "sample-01", "--json").stdout)
    assert shown["lead_units"] == ["县卫健局"] and shown["lead_inferred"] is True
    assert shown["cooperating_units"] == ["县医保局", "驻丘保险机构"]
    assert shown["deadlines"][0]["date"] == "2022-12-31"
    units = json.loads(run_cli(repo, "units", "list", "--json").stdout)
    assert {"县卫健局", "县医保局", "驻丘保险机构"} <= {u["name"] for u in units}
    assert "新单位 3 个" in proc.stdout
    again = run_cli(repo, "import", str(source), "--plan", "sample")
    assert again.returncode == 2 and "已存在" in again.stderr


def test_import_json_has_the_list_shape(repo):
    seed = FIXTURES / "seeds" / "004_963249734297a66e.txt"
    proc = run_cli(repo, "import", str(seed), "--plan", "qiubei", "--json")
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)
    measures = shown["measures"]
    assert {"measure": "qiubei-20", "message": "未找到责任单位括注，责任单位为空，请对照原文补充"} in shown["warnings"]
    assert len(measures) == 21 and measures[20]["id"] == "qiubei-21"
    listed_keys = set(json.loads(run_cli(repo, "list", "--json").stdout)[0])
    assert listed_keys <= set(measures[0])


def test_import_of_a_file_that_is_not_text_fails_cleanly(repo, tmp_path):
    source = tmp_path / "binary.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0\x00\x00\xff\xfe" * 50)
    before = snapshot(repo)
    proc = run_cli(repo, "import", str(source), "--plan", "bad")
    assert proc.returncode == 2 and "另存为" in proc.stderr and ".docx" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert snapshot(repo) == before
