"""Each attack of an adversarial clerk, against a real gitolite3 server over SSH (the pusher is known) and a
plain bare repository with require_signatures (signatures are the defense): the hook refuses it with one
Chinese line naming the commit, the file and the rule, and `yytrack audit` flags it on a clone that got it
another way."""

from __future__ import annotations

import os
import subprocess

from conftest import git
from trustbed import team  # noqa: F401  (a fixture)

LI_RECORD = "progress/demo/demo-01/省民政厅.yaml"
WANG_RECORD = "progress/demo/demo-01/省卫健委.yaml"


def ok(proc):
    assert proc.returncode == 0, proc.stderr
    return proc


def assert_refused(team, work, login, *push_args, fragments=()) -> str:
    """The push is refused by the yytrack hook; the server's branch did not move."""
    before = team.server_log()
    proc = team.push(work, login, *push_args)
    assert proc.returncode != 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "yytrack 拒绝推送" in line]
    assert lines, proc.stderr
    text = "\n".join(lines)
    for fragment in fragments:
        assert fragment in text, text
    assert team.server_log() == before
    return text


def assert_audit_flags(team, attacker, *fragments, ref="main") -> str:
    """A clone that received the attacker's history directly (not through the server) fails the audit."""
    other = team.clone("sun", name=f"auditor-{len(os.listdir(team.base))}")
    git(other, "fetch", "-q", str(attacker), f"{ref}:refs/heads/incoming")
    git(other, "reset", "-q", "--hard", "incoming")
    proc = team.cli(other, "sun", "audit")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    for fragment in fragments:
        assert fragment in proc.stdout, proc.stdout
    return proc.stdout


def recorded(team, login, measure, unit, note, status="推进中"):
    work = team.base / f"clone-{login}"
    work = work if work.exists() else team.clone(login)
    ok(team.cli(work, login, "update", measure, "--unit", unit, "--status", status, "--note", note))
    ok(team.cli(work, login, "sync"))
    return work


def test_update_under_another_persons_name(team):
    li = team.clone("li")
    ok(team.cli(li, "li", "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--note", "冒名报送",
                "--author", "王芳 <wang@wj.example.cn>"))
    commit = git(li, "rev-parse", "HEAD")[:10]
    text = assert_refused(team, li, "li", "HEAD:main", fragments=(commit, WANG_RECORD, "wang@wj.example.cn"))
    assert "签名" in text or "不是推送者" in text
    if team.require_signatures:
        assert_audit_flags(team, li, commit, "没有作者 wang@wj.example.cn 的有效签名")


def test_plain_commit_on_another_units_record(team):
    recorded(team, "wang", "demo-01", "省卫健委", "卫健委的真实进展")
    li = team.clone("li")
    record = li / WANG_RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("卫健委的真实进展", "改成别的"), encoding="utf-8")
    git(li, "commit", "-qam", "顺手改一下", "--author", "王芳 <wang@wj.example.cn>")
    assert_refused(team, li, "li", "HEAD:main", fragments=(WANG_RECORD, "未经 yytrack 修改了进展记录"))
    assert_audit_flags(team, li, WANG_RECORD, "未经 yytrack 修改了进展记录")


def test_review_under_a_reviewers_name(team):
    recorded(team, "wang", "demo-03", "省卫健委", "已完成年度督查", status="已完成")
    li = team.clone("li")
    ok(team.cli(li, "li", "review", "demo-03", "--accept", "--note", "同意", "--author", "孙审核 <sun@example.cn>"))
    text = assert_refused(team, li, "li", "HEAD:main", fragments=("progress/demo/demo-03/_review.yaml", "sun@example.cn"))
    assert "签名" in text or "不是推送者" in text
    if team.require_signatures:
        assert_audit_flags(team, li, "progress/demo/demo-03/_review.yaml", "没有作者 sun@example.cn 的有效签名")


def test_merge_that_rewrites_a_record(team):
    li = recorded(team, "li", "demo-01", "省民政厅", "原始记录")
    git(li, "checkout", "-q", "-b", "side")
    record = li / LI_RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("原始记录", "改写记录"), encoding="utf-8")
    git(li, "commit", "-qam", "改写")
    git(li, "checkout", "-q", "main")
    ok(team.cli(li, "li", "update", "demo-03", "--unit", "省民政厅", "--status", "推进中", "--note", "正常"))
    git(li, "merge", "-q", "--no-ff", "side", "-m", "合并")
    assert_refused(team, li, "li", "HEAD:main", fragments=("合并提交", "受保护分支只能线性前进"))
    assert_audit_flags(team, li, "合并提交", LI_RECORD)


def test_force_push_rewrite_and_branch_deletion(team):
    li = recorded(team, "li", "demo-01", "省民政厅", "原始记录")
    git(li, "reset", "-q", "--hard", "HEAD~1")
    ok(team.cli(li, "li", "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "重写的历史"))
    assert_refused(team, li, "li", "-f", "HEAD:main", fragments=("refs/heads/main", "不允许非快进推送"))
    assert_refused(team, li, "li", ":main", fragments=("不允许删除受保护分支",))
    # filter-branch on a record: the rewritten commit loses its author's signature
    git(li, "reset", "-q", "--hard", "origin/main")
    env = {**os.environ, "FILTER_BRANCH_SQUELCH_WARNING": "1"}
    subprocess.run(["git", "filter-branch", "-f", "--tree-filter", f"sed -i s/原始记录/篡改记录/ '{LI_RECORD}'",
                    "HEAD~1..HEAD"], cwd=str(li), env=env, check=True, capture_output=True)
    assert_refused(team, li, "li", "-f", "HEAD:main", fragments=("不允许非快进推送",))
    if team.require_signatures:
        assert_audit_flags(team, li, LI_RECORD, "没有作者 li@mz.example.cn 的有效签名")


def test_self_promotion_used_in_the_same_push(team):
    li = team.clone("li")
    measure = li / "tasks/demo/demo-02.yaml"
    measure.write_text(measure.read_text(encoding="utf-8").replace("lead_units:\n", "lead_units:\n  - 省民政厅\n", 1),
                       encoding="utf-8")
    config = li / "tasks/config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("reviewers: [sun@example.cn]",
                                                                "reviewers: [sun@example.cn, li@mz.example.cn]"),
                      encoding="utf-8")
    git(li, "commit", "-qam", "调整牵头单位")
    ok(team.cli(li, "li", "update", "demo-02", "--unit", "省民政厅", "--status", "已完成", "--note", "完成"))
    assert_refused(team, li, "li", "HEAD:main", fragments=("tasks/", "只有省卫健委老龄处"))
    assert_audit_flags(team, li, "tasks/", "只有省卫健委老龄处")


def test_two_step_push_through_another_branch(team):
    li = team.clone("li")
    record = li / "progress/demo/demo-01/福州市人民政府.yaml"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("measure: demo-01\nunit: 福州市人民政府\nupdates: []\n", encoding="utf-8")
    git(li, "add", "-A")
    git(li, "commit", "-qm", "先推到别的分支")
    assert_refused(team, li, "li", "HEAD:refs/heads/draft", fragments=("refs/heads/draft", "只允许推送到受保护分支 main"))
    assert "draft" not in git(team.bare, "branch", "--list")
    assert_refused(team, li, "li", "HEAD:main", fragments=("福州市人民政府.yaml",))


def test_entry_that_names_a_reviewer_or_backdates_itself(team):
    li = team.clone("li")
    ok(team.cli(li, "li", "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "倒填",
                env={"YYTRACK_NOW": "2026-01-05T09:00:00+08:00"}))
    assert_refused(team, li, "li", "HEAD:main", fragments=(LI_RECORD, "记录时间 2026-01-05T09:00:00.000+08:00"))
    assert_audit_flags(team, li, LI_RECORD, "相差超过 1 天")
    git(li, "reset", "-q", "--hard", "origin/main")
    ok(team.cli(li, "li", "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "本人"))
    record = li / LI_RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("author: 李明 <li@mz.example.cn>",
                                                                "author: 孙审核 <sun@example.cn>"), encoding="utf-8")
    git(li, "commit", "-q", "--amend", "-a", "--no-edit")
    assert_refused(team, li, "li", "HEAD:main", fragments=(LI_RECORD, "记录的报送人 孙审核 <sun@example.cn> 与提交作者"))
    assert_audit_flags(team, li, "记录的报送人 孙审核 <sun@example.cn>")


def test_unreadable_policy_fails_closed(team):
    zhou = team.clone("zhou")
    (zhou / "tasks/config.yaml").write_text("supervisor: [unclosed\n", encoding="utf-8")
    git(zhou, "commit", "-qam", "改坏配置")
    assert_refused(team, zhou, "zhou", "HEAD:main", fragments=("tasks/config.yaml", "策略无法读取"))
    # Broken on the server by other means (not through a push): every push is refused, none judged open.
    git(team.bare, "fetch", "-q", str(zhou), "+main:main")
    li = team.clone("li")
    git(li, "reset", "-q", "--hard", "HEAD~1")
    ok(team.cli(li, "li", "update", "demo-01", "--unit", "省民政厅", "--status", "推进中", "--note", "正常"))
    git(li, "rebase", "-q", "origin/main")
    assert_refused(team, li, "li", "HEAD:main", fragments=("策略无法读取",))
