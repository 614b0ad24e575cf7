"""The prototypes of docs/performance.md, installed into yytrack by monkeypatching (see proto_run.py).

Same command line, same outputs; only how progress and task files are read changes (proto_records,
proto_cache, proto_window, and the reverse scans below). Nothing here is used by yytrack itself.
"""

from __future__ import annotations

import atexit
import pickle
import sys
from functools import cached_property
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import proto_cache  # noqa: E402 - the folder is not a package
import proto_records  # noqa: E402
import proto_window  # noqa: E402

from yytrack import alerts, files, records, report, report_context, tracker  # noqa: E402
from yytrack.model import MeasureState, measure_status  # noqa: E402

_tasks: dict = {}
_tasks_file: list = []


def _tasks_cache(path: Path) -> dict:
    """Parsed tasks/ files by stat key, in .git/yytrack/proto/tasks.pickle, loaded on first use."""
    if not _tasks_file:
        root = next((p for p in path.resolve().parents if (p / ".git").exists()), None)
        folder = proto_cache.cache_folder(root) if root else None
        _tasks_file.append(folder / "tasks.pickle" if folder else None)
        _tasks.update(proto_cache._load(_tasks_file[0], {}) if folder else {})
        atexit.register(_save_tasks)
    return _tasks


def _save_tasks() -> None:
    if _tasks.pop("<dirty>", False) and _tasks_file[0] is not None:
        _tasks_file[0].parent.mkdir(parents=True, exist_ok=True)
        proto_cache._save(_tasks_file[0], _tasks)


_load_fast = files.load_fast


def load_fast(path: Path):
    if files.TASKS not in Path(path).parts:
        return _load_fast(path)
    cache, key = _tasks_cache(Path(path)), proto_cache._key(Path(path))
    hit = cache.get(str(path))
    if hit is not None and hit[0] == key:
        return pickle.loads(hit[1])  # a private copy: callers may change what they get
    data = _load_fast(path)
    cache[str(path)] = (key, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    cache["<dirty>"] = True
    return data


def state(self, measure, as_of=None):
    """Tracker.state with each unit's latest update from the index instead of the whole history."""
    latest_own = proto_cache.latest_by_unit(self, measure, as_of)
    latest = dict(latest_own)
    for unit, update in list(latest.items()):
        for group in self.registry.groups_of(unit):
            if group not in latest or latest[group].recorded < update.recorded:
                latest.setdefault(group, update)
    reviews = self.reviews(measure, as_of)
    review = reviews[-1] if reviews else None
    status = measure_status(measure, latest, review)
    owners = measure.lead_units or measure.responsible_units
    progresses = [latest[u].progress for u in owners if u in latest and latest[u].progress is not None]
    order = {u: i for i, u in enumerate(self.registry.responsible(measure))}
    unit_latest = sorted(latest_own.values(), key=lambda u: order.get(u.unit, 999))
    last = max(unit_latest, key=lambda u: (u.recorded, u.date), default=None)
    return MeasureState(measure, status, min(progresses) if progresses else None, last,
                        tuple(unit_latest), review)


def _dated_in(unit_updates, period, recorded_by=None) -> bool:
    """Proposal 5: an update dated in the period, scanning the (date, recorded)-sorted list from the
    end and stopping at the first one dated before the period, instead of walking the whole history."""
    start, end = period.start, period.end
    for u in reversed(unit_updates):
        if u.date < start:
            return False
        if u.date <= end and (recorded_by is None or (u.recorded or u.date.isoformat())[:10] <= recorded_by):
            return True
    return False


def reported_units(updates, groups_of, period):
    found = set()
    for unit, unit_updates in updates.items():
        if _dated_in(unit_updates, period):
            found.add(unit)
            found.update(groups_of(unit))
    return found


def on_time_units(updates, groups_of, period, due):
    found = set()
    for unit, unit_updates in updates.items():
        if _dated_in(unit_updates, period, due.isoformat()):
            found.add(unit)
            found.update(groups_of(unit))
    return found


def _opened(cache):
    # yytrack's report never saves the record cache (only states() does): save at exit, see the docs.
    atexit.register(cache.save)
    return cache


_unit_updates = tracker.Tracker.unit_updates
_build_context = report_context.build_context


def unit_updates(self, measure, as_of=None):
    since = getattr(self, "window_since", None)
    if since is None or as_of is None or as_of < since:
        return _unit_updates(self, measure, as_of)
    return proto_window.windowed_unit_updates(self, measure, as_of, since)


def build_context(tracker_, plan, month, as_of):
    """Tell the tracker which window the report looks at (proposal 6: an argument in the real change)."""
    period = alerts.Period.parse(month) if isinstance(month, str) else month
    tracker_.window_since = proto_window.since_for(period)
    try:
        return _build_context(tracker_, plan, month, as_of)
    finally:
        tracker_.window_since = None


def install() -> None:
    files.load_fast = load_fast
    records.read_updates = proto_records.read_updates
    cache = cached_property(lambda self: _opened(proto_cache.TwoLevelCache(proto_cache.cache_folder(self.root))))
    cache.__set_name__(tracker.Tracker, "_cache")
    tracker.Tracker._cache = cache
    tracker.Tracker.state = state
    tracker.Tracker.unit_updates = unit_updates
    report_context.build_context = build_context
    report.build_context = build_context
    alerts.reported_units = reported_units  # lists from Tracker.unit_updates are sorted by (date, recorded)
    alerts.on_time_units = on_time_units
