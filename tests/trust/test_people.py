"""People and roles: who may record for which unit, on-behalf entries, the format-2 record, migration, signing."""

from __future__ import annotations

from conftest import assert_clean_failure, git, run_cli, snapshot

PEOPLE = """people:
  li@example.cn: [省民政厅]
  wang@example.cn:
    units: [各市、县（区）人民政府]
    login: wang
"""


def with_people(repo):
    config = repo / "tasks/config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("    - sun@example.cn\n",
                                                                "    - sun@example.cn\n  admins: [zhou@example.cn]\n")
                      + PEOPLE, encoding="utf-8")
    git(repo, "commit", "-qam", "登记人员", "--author", "孙审核 <sun@example.cn>")
    return repo


def test_a_person_not_listed_is_told_what_to_add(repo):
    with_people(repo)
    before = snapshot(repo)
    proc = run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x")
    line = assert_clean_failure(proc, 1)
    assert "tester@example.cn 未在 tasks/config.yaml 的 people 中登记" in line
    assert "加入一行“tester@example.cn: [省民政厅]”" in line and "--source" in line
    proc = run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--note", "x",
                   "--author", "李 <li@example.cn>")
    line = assert_clean_failure(proc, 1)
    assert "只能为 省民政厅 报送，不能代 省卫健委 报送" in line and "people.li@example.cn" in line
    assert snapshot(repo) == before


def test_group_membership_and_reportable_units(repo):
    from yytrack import Tracker
    from yytrack.trust.policy import reportable_units

    with_people(repo)
    proc = run_cli(repo, "update", "demo-01", "--unit", "福州市人民政府", "--status", "推进中", "--note", "x",
                   "--author", "王 <wang@example.cn>")
    assert proc.returncode == 0, proc.stderr
    tracker = Tracker(repo)
    assert reportable_units(tracker.config, tracker.registry, "wang@example.cn") == ["各市、县（区）人民政府", "福州市人民政府",
                                                                                       "厦门市人民政府"]
    assert reportable_units(tracker.config, tracker.registry, "li@example.cn") == ["省民政厅"]
    assert len(reportable_units(tracker.config, tracker.registry, "zhou@example.cn")) == len(tracker.registry.units)
    assert reportable_units(tracker.config, tracker.registry, "nobody@example.cn") == []


def test_the_supervising_office_records_on_behalf_with_a_source(repo):
    with_people(repo)
    office = ("--author", "周 <zhou@example.cn>")
    proc = run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--note", "电话", *office)
    assert_clean_failure(proc, 2, "属于省卫健委老龄处", "--source")
    proc = run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--note", "电话报送",
                   "--source", "电话", *office)
    assert proc.returncode == 0, proc.stderr
    message = git(repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%B")
    assert message.startswith("周 <zhou@example.cn>|测试员 <tester@example.cn>|")  # --author never sets the committer
    assert "Yytrack-On-Behalf: 省卫健委\nYytrack-Source: 电话" in message
    text = (repo / "progress/demo/demo-01/省卫健委.yaml").read_text(encoding="utf-8")
    assert "    author: 周 <zhou@example.cn>\n" in text and "    on_behalf: true\n    source: 电话\n" in text
    shown = run_cli(repo, "show", "demo-01", "--json")
    assert shown.returncode == 0 and "电话报送" in shown.stdout
    assert run_cli(repo, "audit").returncode == 0


def test_record_file_is_format_2_and_every_change_is_a_byte_prefix_append(repo):
    for note in ("第一条", "第二条"):
        before = (repo / "progress/demo/demo-01/省民政厅.yaml").read_bytes() if note == "第二条" else b""
        proc = run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", note)
        assert proc.returncode == 0, proc.stderr
    after = (repo / "progress/demo/demo-01/省民政厅.yaml").read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    text = after.decode("utf-8")
    assert text.splitlines()[1:4] == ["format: 2", "measure: demo-01", "unit: 省民政厅"] and "current:" not in text


V1 = """# 进展记录：由 yytrack update 追加，请勿手工修改（修改会被 yytrack audit 查出）
measure: demo-01
unit: 省民政厅
current:
  status: in_progress
  progress: 30
  date: '2026-01-05'
  note: 起草方案
updates:
  - date: '2026-01-05'
    recorded: '2026-01-05T10:00:00+08:00'
    author: 测试员 <tester@example.cn>
    status: in_progress
    progress: 30
    note: 起草方案
"""


def test_version_1_files_are_flagged_and_migrated_in_one_office_commit(repo):
    record = repo / "progress/demo/demo-01/省民政厅.yaml"
    record.parent.mkdir(parents=True)
    record.write_text(V1, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "旧仓库", "--author", "孙审核 <sun@example.cn>")
    old = git(repo, "rev-parse", "HEAD").strip()
    checked = run_cli(repo, "check")
    assert checked.returncode == 1 and "旧格式（第 1 版" in checked.stdout and "yytrack migrate" in checked.stdout
    proc = run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "x")
    assert_clean_failure(proc, 1, "旧格式", "yytrack migrate")
    denied = run_cli(repo, "migrate")
    assert_clean_failure(denied, 1, "只有省卫健委老龄处", "tester@example.cn")
    proc = run_cli(repo, "migrate", "--author", "孙审核 <sun@example.cn>")
    assert proc.returncode == 0 and "已升级 1 个进展记录文件" in proc.stdout, proc.stderr
    text = record.read_text(encoding="utf-8")
    assert "current:" not in text and text.endswith(V1[V1.index("updates:\n"):])
    assert "Yytrack-Migrate: 2" in git(repo, "log", "-1", "--format=%B")
    assert run_cli(repo, "check").returncode == 0
    assert "无需升级" in run_cli(repo, "migrate", "--author", "孙审核 <sun@example.cn>").stdout
    assert run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "y").returncode == 0
    assert run_cli(repo, "audit", "--since", old).returncode == 0


def test_signing_setup_in_one_step_and_audit_verifies_signatures(repo):
    proc = run_cli(repo, "signing", "setup")
    assert proc.returncode == 0, proc.stderr
    line = next(word for word in proc.stdout.splitlines() if "ssh-ed25519 " in word)
    key = line[line.index("ssh-ed25519 "):].rstrip('"]')
    assert git(repo, "config", "gpg.format").strip() == "ssh" and git(repo, "config", "commit.gpgsign").strip() == "true"
    config = repo / "tasks/config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "require_signatures: true\npeople:\n  tester@example.cn:\n"
                      f"    units: [省民政厅]\n    keys: [\"{key}\"]\n", encoding="utf-8")
    git(repo, "commit", "-qam", "要求签名", "--author", "孙审核 <sun@example.cn>")
    assert run_cli(repo, "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "签名的").returncode == 0
    assert "gpgsig -----BEGIN SSH SIGNATURE-----" in git(repo, "cat-file", "commit", "HEAD")
    assert run_cli(repo, "audit", "--since", "HEAD~1").returncode == 0
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "--amend", "--no-edit")
    proc = run_cli(repo, "audit", "--since", "HEAD~1")
    assert proc.returncode == 1 and "没有作者 tester@example.cn 的有效签名" in proc.stdout
