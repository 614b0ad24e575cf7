"""Who may change what: the one policy that `yytrack update`, the pre-receive hook and `yytrack audit` use.

The policy is read from tasks/config.yaml and tasks/units.yaml *as they were before* the change being
judged (the server's accepted tip, or the commit's parent in the audit), never from the change itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Optional, Tuple

from yytrack.errors import PermissionDenied, UsageProblem
from yytrack.model.units import Registry
from yytrack.repo.store import Identity

SOURCES_HINT = "表单文件名、电话、会议或其他说明"


@dataclass(frozen=True)
class Person:
    email: str
    """The person's git email (the key in `people:`)."""
    units: Tuple[str, ...] = ()
    """Units (or unit groups) the person reports for."""
    login: str = ""
    """Their login on the git server, if the server names pushers by login."""
    keys: Tuple[str, ...] = ()
    """SSH public-key lines (`ssh-ed25519 AAAA… comment`) their commits may be signed with."""


@dataclass(frozen=True)
class Policy:
    office: str = "督办处室"
    """The supervising office's name."""
    reviewers: FrozenSet[str] = frozenset()
    """Emails that may review (and, being the supervising office, change tasks/ and templates/)."""
    admins: FrozenSet[str] = frozenset()
    """Further emails of the supervising office."""
    people: Dict[str, Person] = field(default_factory=dict)
    """email → person."""
    groups: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    """unit group → member units."""
    require_signatures: bool = False
    """Every commit must carry a valid SSH signature by a key of its author."""
    protected_branch: str = "main"
    """The branch that only moves forward."""
    tolerance_days: float = 1.0
    """How far an entry's `recorded` time may lie from its commit's author date."""
    allowed_refs: Tuple[str, ...] = ()
    """Other refs (glob patterns such as refs/heads/draft/*) that pushes may update."""

    @property
    def open(self) -> bool:
        """No `people:` are named: anyone may record for any unit (audit catches honest mistakes only)."""
        return not self.people

    def is_office(self, email: str) -> bool:
        """Of the supervising office; with no reviewers or admins named, everyone counts as such."""
        return not (self.reviewers or self.admins) or email in self.reviewers or email in self.admins

    def is_reviewer(self, email: str) -> bool:
        return email in self.reviewers

    def own_units(self, email: str) -> set:
        person = self.people.get(email)
        own = set(person.units) if person else set()
        for group in list(own):
            own.update(self.groups.get(group, ()))
        return own

    def may_report(self, email: str, unit: str) -> bool:
        return self.open or unit in self.own_units(email)

    def email_of_login(self, login: str) -> Optional[str]:
        for person in self.people.values():
            if login and (person.login == login or person.email == login):
                return person.email
        return login if login in self.reviewers or login in self.admins else None

    def keys_of(self, email: str) -> Tuple[str, ...]:
        person = self.people.get(email)
        return person.keys if person else ()


class PolicyUnreadable(Exception):
    """tasks/config.yaml or tasks/units.yaml cannot be read: judge nothing, reject everything."""


def _strings(value, where: str) -> Tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PolicyUnreadable(f"{where} 应为文本列表")
    return tuple(value)


def _person(email: str, value) -> Person:
    if isinstance(value, dict):
        unknown = set(value) - {"units", "login", "keys"}
        if unknown:
            raise PolicyUnreadable(f"people.{email} 含未知的键 {sorted(unknown)[0]}")
        login = value.get("login") or ""
        if not isinstance(login, str):
            raise PolicyUnreadable(f"people.{email}.login 应为文本")
        return Person(email, _strings(value.get("units"), f"people.{email}.units"), login,
                      _strings(value.get("keys"), f"people.{email}.keys"))
    return Person(email, _strings(value, f"people.{email}"))


def _number(value, default: float, where: str) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise PolicyUnreadable(f"{where} 应为不小于 0 的数值")
    return float(value)


def from_data(config, units) -> Policy:  # size: one reader per config key, kept together
    """The policy from parsed config and units data; PolicyUnreadable when they do not have the shape."""
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise PolicyUnreadable("tasks/config.yaml 的顶层应为键值映射")
    supervisor = config.get("supervisor") or {}
    people = config.get("people") or {}
    if not isinstance(supervisor, dict) or not isinstance(people, dict):
        raise PolicyUnreadable("supervisor 与 people 应为键值映射")
    signatures = config.get("require_signatures", False)
    branch = config.get("protected_branch", "main")
    if not isinstance(signatures, bool) or not isinstance(branch, str) or not branch:
        raise PolicyUnreadable("require_signatures 应为 true/false，protected_branch 应为分支名")
    groups: Dict[str, Tuple[str, ...]] = {}
    listed = units.get("units") if isinstance(units, dict) else None
    for u in listed if isinstance(listed, list) else []:
        if isinstance(u, dict) and isinstance(u.get("members"), list):
            groups[str(u.get("name"))] = tuple(str(m) for m in u["members"])
    return Policy(
        office=str(supervisor.get("office") or "督办处室"),
        reviewers=frozenset(_strings(supervisor.get("reviewers"), "supervisor.reviewers")),
        admins=frozenset(_strings(supervisor.get("admins"), "supervisor.admins")),
        people={str(k): _person(str(k), v) for k, v in people.items()},
        groups=groups, require_signatures=signatures, protected_branch=branch,
        tolerance_days=_number(config.get("record_time_tolerance_days"), 1.0, "record_time_tolerance_days"),
        allowed_refs=_strings(config.get("allowed_refs"), "allowed_refs"))


def from_texts(config_text: Optional[str], units_text: Optional[str]) -> Policy:
    """The policy from the raw file texts (None: the file does not exist)."""
    from yytrack.repo.yamlio import parse_fast

    try:
        config = parse_fast(config_text, "tasks/config.yaml") if config_text is not None else {}
        units = parse_fast(units_text, "tasks/units.yaml") if units_text is not None else {}
    except Exception as e:
        raise PolicyUnreadable(f"无法解析（{str(e).splitlines()[0] if str(e) else type(e).__name__}）") from e
    return from_data(config, units)


def _policy(config: dict, registry: Registry) -> Policy:
    from dataclasses import replace

    try:
        policy = from_data(config, None)
    except PolicyUnreadable as e:
        raise UsageProblem(f"tasks/config.yaml 有误：{e}；请改正后运行 yytrack check") from e
    groups = {u.name: tuple(registry.canonical(m) or m for m in u.members)
              for u in registry.units.values() if u.members}
    people = {email: Person(p.email, tuple(registry.canonical(u) or u for u in p.units), p.login, p.keys)
              for email, p in policy.people.items()}
    return replace(policy, groups=groups, people=people)


def may_record(config: dict, registry: Registry, who: Identity, unit: str, source: Optional[str]) -> bool:
    """Whether `who` may record for `unit`; True when it is recorded on the unit's behalf.

    Raises PermissionDenied with a message saying what to add to the config or which option to use."""
    policy = _policy(config, registry)
    if policy.open or unit in policy.own_units(who.email):
        return False
    if policy.is_office(who.email):
        if not (source or "").strip():
            raise UsageProblem(f"{who.email} 属于{policy.office}，代 {unit} 录入时必须用 --source 注明来源"
                               f"（{SOURCES_HINT}）")
        return True
    if who.email not in policy.people:
        raise PermissionDenied(f"{who.email} 未在 tasks/config.yaml 的 people 中登记，不能报送进展；请督办处室在 people 下"
                               f"加入一行“{who.email}: [{unit}]”，或由督办处室用 --source 代为录入")
    names = "、".join(sorted(policy.people[who.email].units)) or "（无）"
    raise PermissionDenied(f"{who} 只能为 {names} 报送，不能代 {unit} 报送；如确属 {unit}，请督办处室在 tasks/config.yaml "
                           f"的 people.{who.email} 中加入 {unit}，或由督办处室用 --source 代为录入")


def check_author_units(config: dict, registry: Registry, who: Identity, unit: str) -> None:
    """Kept for callers of the first policy API: a person records only for their own units."""
    may_record(config, registry, who, unit, source="-")


def reportable_units(config: dict, registry: Registry, email: str) -> list:
    """The units `email` may record for: own units and their groups' members; every unit for the
    supervising office (on behalf) and when nobody is named in the config."""
    policy = _policy(config, registry)
    names = list(registry.units)
    if policy.open or policy.is_office(email):
        return names
    own = policy.own_units(email)
    return [u for u in names if u in own]
