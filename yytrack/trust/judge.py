"""One commit against the policy in force before it: who may change which path, and how.

- progress/<plan>/<measure>/<unit>.yaml: one entry appended (a pure byte-prefix append) by a person of
  that unit, or by the supervising office on the unit's behalf (the entry and trailers say so);
- progress/<plan>/<measure>/evidence/<unit>/…: new files, in the update commit that lists them;
- progress/<plan>/<measure>/_review.yaml: one review appended, by a reviewer;
- tasks/, templates/, reports/, .gitignore: the supervising office;
- anything else, links, submodules, deletions of records and any rewrite: refused (deny by default).
Every message names the file and the rule broken.
"""

from __future__ import annotations

from typing import List, Optional

from yytrack.repo.changes import Change, FileChange, Objects
from yytrack.trust.appends import appended, one_entry, within
from yytrack.trust.entries import check_update
from yytrack.trust.policy import Policy

OFFICE_PREFIXES = ("tasks/", "templates/", "reports/")
OFFICE_FILES = (".gitignore",)
SPECIAL_MODES = ("120000", "160000")


def kind_of(path: str) -> str:
    """record, review, evidence, office or other."""
    parts = path.split("/")
    if parts[0] == "progress" and len(parts) == 4 and parts[3].endswith(".yaml") and not parts[3].startswith("."):
        return "review" if parts[3] == "_review.yaml" else "record"
    if parts[0] == "progress" and len(parts) >= 6 and parts[3] == "evidence":
        return "evidence"
    if path.startswith(OFFICE_PREFIXES) or path in OFFICE_FILES:
        return "office"
    return "other"


def judge(change: Change, policy: Policy, objects: Objects, signer: Optional[str] = None,
          pusher: Optional[str] = None) -> List[str]:
    """Problems of one commit, each one line naming the file and the rule; empty when it may stand."""
    if len(change.parents) > 1:
        return ["合并提交：受保护分支只能线性前进（请用 yytrack sync，它会变基而不合并）"]
    problems = _identity(change, policy, signer, pusher)
    special = [f for f in change.files if f.new_mode in SPECIAL_MODES]
    problems += [f"{f.path}：不允许符号链接或子模块" for f in special]
    kinds = {f.path: kind_of(f.path) for f in change.files}
    problems += [f"{p}：不在允许修改的范围内（只能修改 progress/、tasks/、templates/、reports/，默认拒绝）"
                 for p, k in kinds.items() if k == "other"]
    office = [p for p, k in kinds.items() if k == "office"]
    if office and not policy.is_office(change.email):
        problems.append(f"{office[0]}：只有{policy.office}（supervisor.reviewers 或 admins）可以修改 tasks/、templates/、reports/")
    progress = [f for f in change.files if kinds[f.path] in ("record", "review", "evidence")]
    if not progress:
        return problems
    if change.trailer("Migrate"):
        return problems + _migration(change, policy, objects, progress)
    if change.trailer("Review"):
        return problems + _review(change, policy, objects, progress)
    if change.trailer("Measure") and change.trailer("Unit"):
        return problems + check_update(change, policy, objects, progress)
    return problems + [f"{progress[0].path}：未经 yytrack 修改了进展记录（只能用 yytrack update/review 追加）"]


def _identity(change: Change, policy: Policy, signer: Optional[str], pusher: Optional[str]) -> List[str]:
    signed = signer is not None and signer == change.email
    where = change.files[0].path if change.files else "（无文件）"
    if policy.require_signatures and not signed:
        return [f"{where}：没有作者 {change.email} 的有效签名（配置要求 require_signatures，"
                f"公钥须登记在 people.{change.email}.keys）"]
    if pusher is not None and change.email != pusher and not signed:
        return [f"{where}：作者 {change.author} 不是推送者 {pusher}，且没有作者本人的有效签名"]
    return []


def _review(change: Change, policy: Policy, objects: Objects, progress: List[FileChange]) -> List[str]:
    from yytrack.repo.records import REVIEW_HEADER, REVIEW_LIST_KEY
    from yytrack.repo.yamlio import dump_text

    measure = change.trailer("Measure")
    plan = measure.rsplit("-", 1)[0]
    expected = f"progress/{plan}/{measure}/_review.yaml"
    problems = [f"{f.path}：审核提交只能追加 {expected}" for f in progress if f.path != expected]
    if not policy.is_reviewer(change.email):
        problems.append(f"{expected}：审核人 {change.author} 不在 supervisor.reviewers 中")
    mine = [f for f in progress if f.path == expected]
    if not mine:
        return problems + [f"{expected}：审核提交没有追加审核记录"]
    text = appended(mine[0], objects, lambda: REVIEW_HEADER + dump_text({"measure": measure}) + REVIEW_LIST_KEY)
    entry = one_entry(text)
    if entry is None:
        return problems + [f"{expected}：不是只在末尾追加了一条审核记录（历史记录被改动）"]
    if str(entry.get("author")) != change.author:
        problems.append(f"{expected}：记录的审核人 {entry.get('author')} 与提交作者 {change.author} 不一致")
    if not within(str(entry.get("recorded")), change.authored, policy.tolerance_days):
        problems.append(f"{expected}：记录时间 {entry.get('recorded')} 与提交时间 {change.authored} 相差超过 "
                        f"{policy.tolerance_days:g} 天")
    if str(entry.get("decision")) != change.trailer("Review") or str(entry.get("date")) != change.trailer("Date"):
        problems.append(f"{expected}：审核记录与提交标记（结论/日期）不一致")
    return problems


def _migration(change: Change, policy: Policy, objects: Objects, progress: List[FileChange]) -> List[str]:
    from yytrack.repo.records import migrate_text

    problems = []
    if not policy.is_office(change.email):
        problems.append(f"{progress[0].path}：只有{policy.office}可以升级进展记录格式（yytrack migrate）")
    for f in progress:
        old, new = objects.blob(f.old), objects.blob(f.new)
        try:
            wanted = migrate_text(old.decode("utf-8"), f.path) if old is not None and f.status == "M" else None
        except Exception:
            wanted = None
        if kind_of(f.path) != "record" or wanted is None or new != wanted.encode("utf-8"):
            problems.append(f"{f.path}：格式升级提交只能把旧格式记录原样改写为第 2 版")
    return problems
