"""Who may do what: the one place that decides whether a person may record for a unit."""

from __future__ import annotations

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
