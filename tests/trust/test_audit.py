"""The audit and the pre-receive hook judge each commit by the policy before it."""

from __future__ import annotations

from conftest import git, make_repo, run_cli


def forge_commit(repo, note: str) -> None:
    """A hand-made commit that claims to be 省卫健委's update but edits 省民政厅's record."""
    assert run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "真实记录").returncode == 0
    record = repo / "progress/demo/demo-01/省民政厅.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("真实记录", note), encoding="utf-8")
    git(repo, "commit", "-qam", "进展 demo-01 省卫健委：推进中\n\nYytrack-Measure: demo-01\nYytrack-Unit: 省卫健委\n"
        "Yytrack-Status: in_progress\nYytrack-Date: 2026-11-01")


def test_audit_passes_on_honest_history(repo):
    assert run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x").returncode == 0
    proc = run_cli(repo, "audit")
    assert proc.returncode == 0 and "审计通过" in proc.stdout


def test_audit_rejects_a_commit_that_edits_another_units_record(repo):
    forge_commit(repo, "篡改记录")
    proc = run_cli(repo, "audit")
    assert proc.returncode == 1
    assert "progress/demo/demo-01/省民政厅.yaml：不属于本次报送（demo-01 省卫健委）的文件" in proc.stdout
    assert "progress/demo/demo-01/省卫健委.yaml：提交标记为 省卫健委 的报送，却没有追加其进展记录" in proc.stdout


def test_audit_rejects_an_untagged_edit_of_a_record(repo):
    assert run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x").returncode == 0
    record = repo / "progress/demo/demo-01/省民政厅.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("note: x", "note: 改过"), encoding="utf-8")
    git(repo, "commit", "-qam", "手工修改")
    proc = run_cli(repo, "audit")
    assert proc.returncode == 1 and "未经 yytrack 修改了进展记录" in proc.stdout


def test_audit_checks_author_against_people_mapping(repo):
    config = repo / "tasks/config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "people:\n  other@example.cn: [省民政厅]\n", encoding="utf-8")
    git(repo, "commit", "-qam", "登记人员", "--author", "孙审核 <sun@example.cn>")
    git(repo, "config", "user.email", "other@example.cn")
    assert run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x").returncode == 0
    proc = run_cli(repo, "audit")
    assert proc.returncode == 0, proc.stdout
    git(repo, "config", "user.email", "tester@example.cn")
    git(repo, "commit", "--amend", "-q", "--no-edit", "--reset-author")
    proc = run_cli(repo, "audit")
    assert proc.returncode == 1
    assert "记录的报送人 测试员 <other@example.cn> 与提交作者 测试员 <tester@example.cn> 不一致" in proc.stdout
    assert "作者 测试员 <tester@example.cn> 不属于 省民政厅" in proc.stdout


def test_audit_judges_a_commit_by_the_policy_before_it(repo):
    config = repo / "tasks/config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("- sun@example.cn", "- sun@example.cn\n    - tester@example.cn"),
                      encoding="utf-8")
    git(repo, "commit", "-qam", "自己加为审核人")
    proc = run_cli(repo, "audit")
    assert proc.returncode == 1
    assert "tasks/config.yaml：只有省卫健委老龄处（supervisor.reviewers 或 admins）可以修改" in proc.stdout
    git(repo, "commit", "-q", "--amend", "--no-edit", "--author", "孙审核 <sun@example.cn>")
    assert run_cli(repo, "audit").returncode == 0


def test_audit_refuses_paths_outside_the_policy_and_links(repo):
    (repo / "run.sh").write_text("echo hi\n", encoding="utf-8")
    (repo / "tasks/link.yaml").symlink_to("/etc/passwd")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "其他文件", "--author", "孙审核 <sun@example.cn>")
    proc = run_cli(repo, "audit")
    assert proc.returncode == 1
    assert "run.sh：不在允许修改的范围内" in proc.stdout and "tasks/link.yaml：不允许符号链接或子模块" in proc.stdout


def test_hook_install_makes_git_refuse_rewrites_and_explains_a_lost_interpreter(tmp_path):
    import subprocess

    seed = make_repo(tmp_path / "seed")
    bare = tmp_path / "shared.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(bare))
    proc = run_cli(seed, "hook", "install", str(bare))
    assert proc.returncode == 0 and "receive.denyNonFastForwards" in proc.stdout
    assert git(bare, "config", "receive.denyNonFastForwards").strip() == "true"
    assert git(bare, "config", "receive.denyDeletes").strip() == "true"
    script = (bare / "hooks/pre-receive").read_text(encoding="utf-8")
    lost = tmp_path / "lost-hook"
    import sys

    script = "".join(line for line in script.splitlines(True) if not line.startswith('exec "'))  # no yytrack on PATH
    lost.write_text(script.replace(sys.executable, str(tmp_path / "gone/bin/python")), encoding="utf-8")
    ran = subprocess.run(["sh", str(lost)], input=b"", capture_output=True, env={"PATH": "/usr/bin:/bin"})
    assert ran.returncode == 1 and "重新运行 yytrack hook install" in ran.stderr.decode("utf-8")


def test_pre_receive_hook_refuses_forged_push(tmp_path):
    seed = make_repo(tmp_path / "seed")
    bare = tmp_path / "shared.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(bare))
    proc = run_cli(seed, "hook", "install", str(bare))
    assert proc.returncode == 0, proc.stderr
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(bare), str(work))
    assert run_cli(work, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "正常").returncode == 0
    ok = run_cli(work, "sync")
    assert ok.returncode == 0, ok.stderr
    forge_commit(work, "篡改")
    pushed = run_cli(work, "sync")
    assert pushed.returncode == 1
    rejected = subprocess_push(work)
    assert "yytrack 拒绝推送" in rejected and "省民政厅.yaml" in rejected
    assert "篡改" not in git(bare, "log", "-p", "main")


def subprocess_push(work) -> str:
    import subprocess

    proc = subprocess.run(["git", "push", "origin", "HEAD:main"], cwd=str(work), capture_output=True)
    assert proc.returncode != 0
    return proc.stderr.decode("utf-8", "replace")
