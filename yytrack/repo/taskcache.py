"""Parsed task files (plans, measures, the unit registry, config) kept by git blob id, as data only.

Every command reads tasks/; parsing a few dozen YAML files costs more than the rest of `status`. The
safe loader's result for a file depends only on its bytes, so it is kept in .git/yytrack/tasks.json
under the file's blob id (repo.cache.BlobIds), encoded as JSON with dates tagged. Only plain data is
kept (mappings with text keys, lists, text, numbers, true/false, null, dates); a file whose data holds
anything else is simply parsed every time. A file that does not parse is never cached: its error is
raised again, as before.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from yytrack.repo import records, store, yamlio
from yytrack.repo.cache import BlobIds, RecordCache, read_json, write_json


class Uncacheable(Exception):
    pass


def encode(value: Any) -> Any:
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return value
    if kind is dt.date:
        return ["D", value.isoformat()]
    if kind is list:
        return ["L", [encode(v) for v in value]]
    if kind is dict and all(type(k) is str for k in value):
        return {k: encode(v) for k, v in value.items()}
    raise Uncacheable(kind.__name__)


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        if len(value) == 2 and value[0] == "D" and isinstance(value[1], str):
            return dt.date.fromisoformat(value[1])
        if len(value) == 2 and value[0] == "L" and isinstance(value[1], list):
            return [decode(v) for v in value[1]]
        raise ValueError("untagged list")
    if type(value) in (str, int, float, bool) or value is None:
        return value
    raise ValueError(type(value).__name__)


class TaskData:
    """`load(path)`: what yamlio.load_fast returns, from the cache when the file's blob id is known."""

    def __init__(self, folder: Optional[Path], ids: BlobIds):
        self.folder, self.ids = folder, ids
        found = read_json(folder / "tasks.json") if folder else None
        self.known: Dict[str, Any] = found if isinstance(found, dict) else {}
        self.fresh: Dict[str, Any] = {}

    def load(self, path: Path) -> Any:
        try:
            blob = self.ids.of(path)
        except OSError:
            return yamlio.load_fast(path)  # not a plain file: the loader says why
        if blob in self.known:
            try:
                return decode(self.known[blob])
            except (ValueError, RecursionError):
                del self.known[blob]
        data = yamlio.load_fast(path)
        try:
            self.fresh[blob] = encode(data)
        except (Uncacheable, RecursionError):
            pass
        return data

    def save(self) -> None:
        self.ids.save()
        if self.folder is None or not self.fresh:
            return
        live = {h[3] for h in self.ids.stats.values() if isinstance(h, list) and len(h) == 4}
        merged = {k: v for k, v in self.known.items() if k in live}
        merged.update(self.fresh)
        write_json(self.folder / "tasks.json", merged)
        self.known, self.fresh = merged, {}


def open_caches(root: Path) -> Tuple[RecordCache, TaskData]:
    """The record cache and the task-file cache of a repository, sharing one path → blob id map."""
    git = store.git_dir(root) if (root / ".git").exists() else None
    folder = git / "yytrack" if git else None
    ids = BlobIds(folder, root)
    return RecordCache(folder, records.read_updates, root, ids), TaskData(folder, ids)
