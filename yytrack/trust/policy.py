"""Who may do what: the one place that decides whether a person may record for a unit."""

from __future__ import annotations

from typing import Optional, Tuple

from yytrack.errors import PermissionDenied
from yytrack.model.units import Registry
from yytrack.repo.store import Identity


def check_author_units(config: dict, registry: Registry, who: Identity, unit: str) -> None:
    """Where the config maps people to units, a person reports only for their own units."""
    people = config.get("people") or {}
    if not people:
        return
    mine = people.get(who.email)
    if mine is None:
        raise PermissionDenied(f"{who.email} 未在 tasks/config.yaml 的 people 中登记，不能报送进展")
    own = {registry.canonical(u) or u for u in ([mine] if isinstance(mine, str) else mine)}
    if unit not in own and not own.intersection(registry.groups_of(unit)):
        raise PermissionDenied(f"{who} 只能为 {'、'.join(sorted(own))} 报送，不能代 {unit} 报送")


def reportable_units(config: dict, registry: Registry, email: str) -> Optional[Tuple[str, ...]]:
    """The units a person may record for: those mapped to them in `people`; None (any unit) when the
    config maps nobody, or the person is one of the supervisor's reviewers or admins."""
    people = config.get("people") or {}
    supervisor = config.get("supervisor") or {}
    office = {str(e) for key in ("reviewers", "admins") for e in (supervisor.get(key) or [])}
    if not people or email in office:
        return None
    mine = people.get(email)
    if mine is None:
        return ()
    names = [mine] if isinstance(mine, str) else list(mine)
    return tuple(dict.fromkeys(registry.canonical(str(u)) or str(u) for u in names))
