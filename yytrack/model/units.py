"""The unit registry: canonical names, aliases and groups. Pure logic over `Unit` models."""

from __future__ import annotations

import unicodedata
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from yytrack.model import Measure, Unit


def normalize_name(name: str) -> str:
    """Fold width and bracket variants so 各乡〈镇〉人民政府 and 各乡(镇)人民政府 compare equal."""
    text = unicodedata.normalize("NFKC", (name or "").strip())
    for old, new in (("〈", "（"), ("〉", "）"), ("<", "（"), (">", "）"), ("(", "（"), (")", "）"), (" ", "")):
        text = text.replace(old, new)
    return text


class Registry:
    """Look units up by canonical name or alias; answer group membership."""

    def __init__(self, units: Iterable[Unit]):
        self.units: Dict[str, Unit] = {}
        self._lookup: Dict[str, str] = {}
        for unit in units:
            self.units[unit.name] = unit
            for key in (unit.name, unit.full_name, *unit.aliases):
                if key:
                    self._lookup.setdefault(normalize_name(key), unit.name)
        self._groups_of: Dict[str, List[str]] = {}
        for unit in self.units.values():
            for member in unit.members:
                self._groups_of.setdefault(self.canonical(member) or member, []).append(unit.name)

    def canonical(self, name: str) -> Optional[str]:
        return self._lookup.get(normalize_name(name))

    def get(self, name: str) -> Optional[Unit]:
        canonical = self.canonical(name)
        return self.units.get(canonical) if canonical else None

    def groups_of(self, name: str) -> List[str]:
        return self._groups_of.get(name, [])

    def role(self, measure: Measure, unit: str) -> Optional[Tuple[str, str]]:
        """(role, via) of a canonical unit on a measure; via names the group for a member."""
        direct = measure.role_of(unit)
        if direct:
            return direct, unit
        for group in self.groups_of(unit):
            group_role = measure.role_of(group)
            if group_role:
                return "member", group
        return None

    def responsible(self, measure: Measure) -> List[str]:
        """Every unit that may report on the measure: the listed ones, then members of listed groups."""
        out = list(measure.responsible_units)
        for name in measure.responsible_units:
            unit = self.units.get(name)
            for member in unit.members if unit else ():
                canonical = self.canonical(member) or member
                if canonical not in out:
                    out.append(canonical)
        return out

    def suggestions(self, name: str, candidates: Sequence[str], limit: int = 5) -> List[str]:
        """Candidates sharing characters with the name, best first, for "did you mean"."""
        key = normalize_name(name)
        wanted = set(key)
        # A candidate that contains the whole name (民政厅 → 省民政厅) beats one that shares characters.
        scored = sorted(candidates, key=lambda c: (key not in c, -len(wanted & set(c)), len(c)))
        return [c for c in scored[:limit] if key in c or len(wanted & set(c)) * 2 >= len(wanted)]
