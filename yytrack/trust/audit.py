"""`yytrack audit`: every commit judged by the policy in force at its parent, on any clone.

Works on git objects only (no working tree), so the same rules run in a clone and in a bare
repository's hook. History comes from one `git log --raw` stream, file versions from one
`git cat-file --batch` process, signatures from one `git log` call per policy: the work is
proportional to what the commits change, not to the length of history.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from yytrack.repo import store
from yytrack.repo.changes import Change, Objects, iter_changes
from yytrack.trust.judge import judge
from yytrack.trust.policy import Policy, PolicyUnreadable, from_texts

POLICY_FILES = ("tasks/config.yaml", "tasks/units.yaml")
CHUNK = 64  # commits whose record blobs are read in one round trip (at 10^5 updates a record is 60 KB)
BATCH = 4096  # commits judged together: one signature check per policy per batch


@dataclass(frozen=True)
class Violation:
    commit: str
    """The offending commit id."""
    subject: str
    """Its subject line."""
    message: str
    """What is wrong, in Chinese: the file and the rule."""

    def __str__(self) -> str:
        return f"提交 {self.commit[:10]}（{self.subject}）：{self.message}"


class Policies:
    """The policy at any commit, read once per distinct pair of policy files."""

    def __init__(self, objects: Objects):
        self.objects = objects
        self.by_blobs: Dict[Tuple, Union[Policy, str]] = {}

    def at(self, rev: str) -> Union[Policy, str]:
        """The policy at rev, or a message saying why it cannot be read."""
        found = [self.objects.get(f"{rev}:{path}") for path in POLICY_FILES]
        key = tuple(f[0] if f else None for f in found)
        if key not in self.by_blobs:
            try:
                texts = [f[1].decode("utf-8") if f else None for f in found]
                self.by_blobs[key] = from_texts(*texts)
            except (PolicyUnreadable, UnicodeDecodeError) as e:
                self.by_blobs[key] = f"{rev[:10]} 的 tasks/config.yaml 无法读取（{e}），按拒绝处理"
        return self.by_blobs[key]


def touches_policy(change: Change) -> bool:
    return any(f.path in POLICY_FILES for f in change.files)


def allowed_signers(policy: Policy) -> str:
    """gpg.ssh.allowedSignersFile content: each listed key, valid for its person's email."""
    lines = []
    for person in policy.people.values():
        for key in person.keys:
            if key.strip() and "\n" not in key and '"' not in person.email:
                lines.append(f'{person.email} namespaces="git" {" ".join(key.split())}')
    return "\n".join(lines) + ("\n" if lines else "")


def signers_for(root: Path, judged: List[Tuple[Change, Policy]]) -> Dict[str, str]:
    """Verified signer of each commit, one `git log` per distinct policy."""
    from yytrack.repo.signing import verified_signers

    groups: Dict[str, List[str]] = {}
    for change, policy in judged:
        groups.setdefault(allowed_signers(policy), []).append(change.id)
    found: Dict[str, str] = {}
    for signers, ids in groups.items():
        found.update(verified_signers(root, ids, signers))
    return found


def _shallow(root: Path) -> set:
    """Commits at the edge of a shallow clone: their parents are not here, so they cannot be judged."""
    path = store.run_git(root, "rev-parse", "--git-path", "shallow", check=False).stdout.strip()
    shallow = Path(path) if Path(path).is_absolute() else root / path
    try:
        return set(shallow.read_text(encoding="utf-8").split()) if path else set()
    except OSError:
        return set()


def _policies_by_parent(changes: List[Change], policies: Policies, fixed: Optional[Policy]):
    """(change, policy or unreadable message) pairs; the root commit establishes the policy and is not judged."""
    after: Dict[str, Union[Policy, str]] = {}
    for change in changes:
        if not change.parents:
            after[change.id] = policies.at(change.id)
            continue
        parent = change.parents[0]
        before = fixed or after.get(parent) or policies.at(parent)
        after[change.id] = policies.at(change.id) if touches_policy(change) and not fixed else before
        yield change, before


def audit_changes(root: Path, changes: Iterable[Change], fixed: Optional[Policy] = None,
                  pusher: Optional[str] = None) -> List[Violation]:
    """Judge each commit by the policy before it (or by `fixed`, the server's accepted tip), a batch at a
    time: memory holds one batch of commits and their blobs, whatever the length of history."""
    objects = Objects(root)
    try:
        policies = Policies(objects)
        edge = _shallow(root)
        pairs = (pair for pair in _policies_by_parent(changes, policies, fixed) if pair[0].id not in edge)
        violations: List[Violation] = []
        for batch in _batches(pairs, BATCH):
            violations += _judge_batch(root, batch, policies, objects, pusher)
        return violations
    finally:
        objects.close()


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _judge_batch(root: Path, pairs: list, policies: Policies, objects: Objects,
                 pusher: Optional[str]) -> List[Violation]:
    violations = [Violation(c.id, c.subject, p) for c, p in pairs if isinstance(p, str)]
    judged = [(c, p) for c, p in pairs if isinstance(p, Policy)]
    signers = signers_for(root, judged) if any(p.require_signatures or pusher for _, p in judged) else {}
    for n, (change, policy) in enumerate(judged):
        if n % CHUNK == 0:
            objects.forget()
            objects.prefetch([oid for c, _ in judged[n:n + CHUNK] for f in c.files if f.path.startswith("progress/")
                              and f.path.endswith(".yaml") for oid in (f.old, f.new)])
        problems = judge(change, policy, objects, signers.get(change.id), pusher)
        objects.release([f.old for f in change.files])  # superseded: the next commit reads the new version
        if touches_policy(change) and isinstance(policies.at(change.id), str):
            problems.append("tasks/config.yaml：改动后的策略无法读取（请运行 yytrack check 改正），按拒绝处理")
        violations += [Violation(change.id, change.subject, p) for p in problems]
    return violations


def audit_commits(root: Path, revs: Sequence[str]) -> List[Violation]:
    return audit_changes(root, iter_changes(root, revs))


def audit(root: Path, since: Optional[str] = None) -> List[Violation]:
    if store.head_commit(root) is None:
        return []
    revs = [f"{since}..HEAD"] if since else ["HEAD"]
    if since and store.run_git(root, "rev-parse", "--verify", "-q", since, check=False).returncode != 0:
        from yytrack.errors import UsageProblem

        raise UsageProblem(f"--since 的版本“{since}”不存在")
    _config_shape_at_head(root)
    return audit_commits(root, revs)


def _config_shape_at_head(root: Path) -> None:
    """A config the commands cannot use is one clear line naming it, as for every other command."""
    from yytrack.repo.files import config_shape
    from yytrack.repo.yamlio import parse_fast

    objects = Objects(root)
    try:
        found = objects.get("HEAD:tasks/config.yaml")
    finally:
        objects.close()
    if found is not None:
        where = "HEAD:tasks/config.yaml"
        data = parse_fast(found[1].decode("utf-8", "replace"), where)
        if isinstance(data, dict):
            config_shape(data, where)
