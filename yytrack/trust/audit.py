"""`yytrack audit` and the pre-receive hook: every update commit must be what its trailers say.

Works on git objects only (no working tree), so the same rules run in a clone and in a bare
repository's hook. History is read in one `git log` call and file versions in one `git cat-file
--batch` process, never per-commit object access.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from yytrack.repo import store
from yytrack.repo.history import BlobReader, Commit, LoggedCommit, read_commits

PROGRESS = "progress/"


@dataclass(frozen=True)
class Violation:
    commit: str
    """The offending commit id."""
    subject: str
    """Its subject line."""
    message: str
    """What is wrong, in Chinese."""

    def __str__(self) -> str:
        return f"提交 {self.commit[:10]}（{self.subject}）：{self.message}"


def _load(text: Optional[str]):
    if text is None:
        return None
    from yytrack.repo.yamlio import parse_fast

    try:
        return parse_fast(text, "blob")  # refuses aliases and runaway nesting, as for files on disk
    except Exception:
        return "unreadable"


def _people(reader: BlobReader, rev: str) -> Tuple[Dict[str, List[str]], List[str], Dict[str, List[str]]]:
    """(people map, reviewers, group → members) as configured at rev."""
    from yytrack.repo.files import config_shape

    config = _load(reader.read(rev, "tasks/config.yaml")) or {}
    units = _load(reader.read(rev, "tasks/units.yaml")) or {}
    if isinstance(config, dict):
        config_shape(config, f"{rev}:tasks/config.yaml")
    people = config.get("people") or {} if isinstance(config, dict) else {}
    people = {k: [v] if isinstance(v, str) else list(v or []) for k, v in people.items()}
    supervisor = (config.get("supervisor") or {}) if isinstance(config, dict) else {}
    reviewers = [str(r) for r in supervisor.get("reviewers") or []]
    groups = {}
    listed = units.get("units") if isinstance(units, dict) else None
    for u in listed if isinstance(listed, list) else []:
        if isinstance(u, dict) and isinstance(u.get("members"), list):
            groups[str(u.get("name"))] = [str(m) for m in u["members"]]
    return people, reviewers, groups


def check_update(entry: LoggedCommit, reader: BlobReader, people, groups) -> List[str]:
    c = entry.commit
    measure, unit = c.trailer("Measure"), c.trailer("Unit")
    plan = measure.rsplit("-", 1)[0]
    record = f"{PROGRESS}{plan}/{measure}/{unit}.yaml"
    evidence = f"{PROGRESS}{plan}/{measure}/evidence/{unit}/"
    problems = [f"修改了不属于 {measure} {unit} 的文件 {path}" for path in entry.files
                if path != record and not path.startswith(evidence)]
    if record not in entry.files:
        return problems + [f"提交标记为 {unit} 的报送，却没有追加其进展记录"]
    new = _load(reader.read(c.id, record))
    old = _load(reader.read(entry.parents[0], record)) if entry.parents else None
    if not isinstance(new, dict):
        return problems + [f"进展记录 {record} 缺失或无法解析"]
    new_list = new.get("updates") or []
    old_list = (old.get("updates") or []) if isinstance(old, dict) else []
    if not isinstance(new_list, list) or not isinstance(old_list, list):
        return problems + [f"进展记录 {record} 的 updates 不是列表"]
    if new_list[:len(old_list)] != old_list or len(new_list) != len(old_list) + 1:
        problems.append(f"{record} 不是只追加了一条记录（历史记录被改动）")
    elif not _entry_matches(new_list[-1], c):
        problems.append(f"{record} 新增记录与提交标记（状态/进度/日期）不一致")
    if new.get("unit") != unit or new.get("measure") != measure:
        problems.append(f"{record} 中的单位或措施与提交标记不一致")
    if people:
        own = people.get(c.email, [])
        allowed = set(own) | {g for g, members in groups.items() if set(members) & set(own)}
        if unit not in allowed:
            problems.append(f"作者 {c.author} 不属于 {unit}")
    return problems


def _entry_matches(entry, c: Commit) -> bool:
    if not isinstance(entry, dict):
        return False
    progress = "" if entry.get("progress") is None else str(entry.get("progress"))
    return (str(entry.get("status")) == c.trailer("Status") and progress == c.trailer("Progress")
            and str(entry.get("date")) == c.trailer("Date"))


def check_review(entry: LoggedCommit, reviewers: List[str]) -> List[str]:
    c = entry.commit
    measure = c.trailer("Measure")
    plan = measure.rsplit("-", 1)[0]
    expected = f"{PROGRESS}{plan}/{measure}/_review.yaml"
    problems = [f"审核提交修改了其他文件 {p}" for p in entry.files if p != expected]
    if c.email not in reviewers:
        problems.append(f"审核人 {c.author} 不在 supervisor.reviewers 中")
    return problems


def _shallow(root: Path) -> set:
    """Commits at the edge of a shallow clone: their parents are not here, so they cannot be judged."""
    path = store.run_git(root, "rev-parse", "--git-path", "shallow", check=False).stdout.strip()
    shallow = Path(path) if Path(path).is_absolute() else root / path
    try:
        return set(shallow.read_text(encoding="utf-8").split()) if path else set()
    except OSError:
        return set()


def audit_commits(root: Path, revs: Sequence[str], config_rev: str = "HEAD") -> List[Violation]:
    reader = BlobReader(root)
    try:
        people, reviewers, groups = _people(reader, config_rev)
        violations = []
        edge = _shallow(root)
        for entry in read_commits(root, revs):
            if entry.commit.id in edge:
                continue
            problems = _judge(entry, reader, people, reviewers, groups)
            violations += [Violation(entry.commit.id, entry.commit.subject, p) for p in problems]
        return violations
    finally:
        reader.close()


def _judge(entry: LoggedCommit, reader, people, reviewers, groups) -> List[str]:
    c = entry.commit
    if len(entry.parents) > 1:
        return []  # a merge adds nothing of its own; its parents are audited one by one
    if c.trailer("Review"):
        return check_review(entry, reviewers)
    if c.trailer("Measure") and c.trailer("Unit"):
        return check_update(entry, reader, people, groups)
    touched = [p for p in entry.files if p.startswith(PROGRESS)]
    if touched:
        return [f"未经 yytrack 修改了进展记录 {touched[0]}（应使用 yytrack update）"]
    return []


def audit(root: Path, since: Optional[str] = None) -> List[Violation]:
    if store.head_commit(root) is None:
        return []
    revs = [f"{since}..HEAD"] if since else ["HEAD"]
    if since and store.run_git(root, "rev-parse", "--verify", "-q", since, check=False).returncode != 0:
        from yytrack.errors import UsageProblem

        raise UsageProblem(f"--since 的版本“{since}”不存在")
    return audit_commits(root, revs)
