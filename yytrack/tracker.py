"""The library entry point: `Tracker(root)` reads plans and progress, records updates and reviews."""

from __future__ import annotations

import datetime as dt
import os
from functools import cached_property, partialmethod
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Sequence

from yytrack.repo import files, records, store, history, logscan, writes
from yytrack.errors import NotResponsible, UnknownMeasure, UnknownUnit, UsageProblem
from yytrack.model import Measure, MeasureState, Plan, Review, Update, measure_status
from yytrack.model.validate import measure_key
from yytrack.repo.cache import ordered
from yytrack.model.units import Registry

if TYPE_CHECKING:
    from yytrack.ledger.updating import UpdateResult

class Tracker:
    """A tracking repository: plans under tasks/, records under progress/, history in git."""

    def __init__(self, root: os.PathLike | str):
        self.root = Path(root).resolve()
        self._one_plans: Dict[str, Plan] = {}
        self._one_measures: Dict[str, Measure] = {}
        if not (self.root / files.TASKS).is_dir():
            raise store.NotATrackingRepo(f"{self.root} 不是跟踪仓库（缺少 tasks/ 目录）")
        writes.sweep_leftovers(self.root)

    @classmethod
    def discover(cls, start: Optional[os.PathLike] = None, override: Optional[str] = None) -> "Tracker":
        """--repo / YYTRACK_REPO first, else walk up from start (default: the current folder)."""
        chosen = override or os.environ.get("YYTRACK_REPO")
        if chosen:
            path = Path(chosen).expanduser()
            if not (path / files.TASKS).is_dir():
                raise store.NotATrackingRepo(f"{path} 不是跟踪仓库（缺少 tasks/ 目录）")
            return cls(path)
        return cls(store.find_root(Path(start or os.getcwd())))

    @cached_property
    def _plans(self) -> Dict[str, Plan]:
        return self._saved({p.name: files.read_plan(p, self._caches[1].load) for p in files.plan_dirs(self.root)})

    @cached_property
    def _measures(self) -> Dict[str, Measure]:
        out: Dict[str, Measure] = {}
        for plan_dir in files.plan_dirs(self.root):
            for measure in files.read_measures(plan_dir, plan_dir.name, self._caches[1].load):
                out[measure.id] = measure
        self._caches[1].save()
        return dict(sorted(out.items(), key=lambda kv: (kv[1].plan, kv[1].seq)))

    @cached_property
    def registry(self) -> Registry:
        return self._saved(Registry(files.read_units(self.root, self._caches[1].load)))

    @cached_property
    def config(self) -> dict:
        return self._saved(files.read_config(self.root, self._caches[1].load))

    def _saved(self, value):
        """value, once the task files just parsed are in the cache (later commands do not parse them again)."""
        self._caches[1].save()
        return value

    def plans(self) -> List[Plan]:
        return list(self._plans.values())

    def plan(self, plan_id: str) -> Plan:
        key = (plan_id or "").strip().lower()
        one = files.plan_folder(self.root, key) if "_plans" not in self.__dict__ else None
        if one is not None:  # one plan asked for: read its plan.yaml alone
            if key not in self._one_plans:
                self._one_plans[key] = self._saved(files.read_plan(one, self._caches[1].load))
            return self._one_plans[key]
        if key not in self._plans:
            raise UnknownMeasure(f"没有方案“{plan_id}”；现有方案：{'、'.join(self._plans) or '（无）'}")
        return self._plans[key]

    def measures(self, plan: Optional[str] = None, unit: Optional[str] = None) -> List[Measure]:
        if plan:
            plan_id = self.plan(plan).id
            chosen = [m for m in self._measures_of(plan) if m.plan == plan_id]
        else:
            chosen = list(self._measures.values())
        if unit:
            name = self.unit_name(unit)
            chosen = [m for m in chosen if self.registry.role(m, name)]
        return chosen

    def _measures_of(self, plan: str) -> List[Measure]:
        """One plan's measures, without parsing the other plans when they have not been read yet."""
        key = (plan or "").strip().lower()
        folder = files.plan_folder(self.root, key) if "_measures" not in self.__dict__ else None
        if folder is None:
            return list(self._measures.values())
        found = {m.id: m for m in files.read_measures(folder, folder.name, self._caches[1].load)}
        self._caches[1].save()
        return sorted(found.values(), key=lambda m: (m.plan, m.seq))

    def get(self, measure_id: str) -> Measure:
        """Resolve fujian-03, FUJIAN-3, fujian（三） or fujian(三)."""
        raw = (measure_id or "").strip()
        key = measure_key(raw)
        direct = self._read_one(key)
        if direct is not None:
            return direct
        if key in self._measures:
            return self._measures[key]
        close = [m for m in self._measures if m.startswith(key.split("-")[0])][:5]
        hint = f"；相近的有：{'、'.join(close)}" if close else "；用 yytrack list 查看全部措施"
        raise UnknownMeasure(f"没有措施“{raw}”{hint}")

    def _read_one(self, key: str) -> Optional[Measure]:
        """One measure straight from tasks/<plan>/<id>.yaml: `update` need not parse every plan."""
        if "_measures" in self.__dict__ or "/" in key or "\\" in key or ".." in key:
            return None
        plan = key.rsplit("-", 1)[0]
        path = self.root / files.TASKS / plan / f"{key}.yaml"
        try:
            if not path.is_file() or not (path.parent / files.PLAN_FILE).is_file():
                return None
        except (OSError, ValueError):  # a name too long for the file system, or with a NUL in it
            return None
        if key not in self._one_measures:
            data = self._saved(self._caches[1].load(path))
            self._one_measures[key] = files.measure_from_dict(files._mapping(data, str(path)), plan, str(path))
        measure = self._one_measures[key]
        return measure if measure.id == key else None

    def unit_name(self, name: str) -> str:
        canonical = self.registry.canonical(name or "")
        if canonical is None:
            near = self.registry.suggestions(name or "", list(self.registry.units))
            hint = f"；是否是：{'、'.join(near)}" if near else ""
            raise UnknownUnit(f"单位名录中没有“{name}”{hint}")
        return canonical

    @cached_property
    def _caches(self):
        from yytrack.repo.taskcache import open_caches

        return open_caches(self.root)  # (progress records, task files)

    def _record_files(self, measure: Measure) -> List[Path]:
        folder = self.root / files.PROGRESS / measure.plan / measure.id
        return [folder / name for name in files.record_names(folder)]

    def unit_updates(self, measure: Measure, as_of: Optional[dt.date] = None,
                     since: Optional[dt.date] = None) -> Dict[str, List[Update]]:
        """Every unit's updates on the measure, oldest first, as known on as_of. `since` promises that the
        caller asks only about days from it on (a monthly report): each file's window answers it."""
        out: Dict[str, List[Update]] = {}
        windowed = since is not None and as_of is not None and as_of >= since
        for path in self._record_files(measure):
            if windowed:
                found = self._caches[0].window(path, measure.id, path.stem, since, as_of)
            else:
                found = self._caches[0].updates(path, measure.id, path.stem)
            updates = records.as_of(found, as_of)
            if updates:
                out[path.stem] = ordered(updates)
        return out

    def latest_updates(self, measure: Measure, as_of: Optional[dt.date] = None) -> Dict[str, Update]:
        """Each unit's latest update known on as_of; from the cache's summary when nothing is newer."""
        limit = (as_of + dt.timedelta(days=1)).isoformat() if as_of else ""
        out: Dict[str, Update] = {}
        folder = os.path.join(self.root, files.PROGRESS, measure.plan, measure.id)  # text: cheaper than Path
        for name in files.record_names(folder):
            path, unit = os.path.join(folder, name), name[:-5]
            summary = self._caches[0].summary(path, measure.id, unit)
            if summary is None:
                continue
            if as_of is None or (summary.max_date <= as_of and summary.max_day < limit):
                out[unit] = summary.latest
                continue
            known = self._caches[0].latest_known(Path(path), measure.id, unit, as_of)
            if known is not None:
                out[unit] = known
        return out

    def reviews(self, measure: Measure, as_of: Optional[dt.date] = None) -> List[Review]:
        path = records.review_path(self.root, measure.plan, measure.id)
        found = records.read_reviews(path, measure.id)
        if as_of is not None:
            limit = (as_of + dt.timedelta(days=1)).isoformat()
            found = [r for r in found if r.date <= as_of and r.recorded[:10] < limit]
        return found

    def state(self, measure: Measure, as_of: Optional[dt.date] = None) -> MeasureState:
        return self._state_of(measure, self.latest_updates(measure, as_of), as_of)

    def state_from(self, measure: Measure, updates: Dict[str, List[Update]], as_of: dt.date) -> MeasureState:
        """The state on as_of from lists a caller already holds (sorted, as from unit_updates)."""
        own = {}
        for unit, ups in updates.items():
            known = records.as_of(ups, as_of)
            if known:
                own[unit] = known[-1]
        return self._state_of(measure, own, as_of)

    def _state_of(self, measure: Measure, own: Dict[str, Update], as_of: Optional[dt.date]) -> MeasureState:
        latest = dict(own)
        # A member's report stands for its group (各设区市 reporting for 各市、县（区）人民政府).
        for unit, update in own.items():
            for group in self.registry.groups_of(unit):
                if group not in own and (group not in latest or latest[group].recorded < update.recorded):
                    latest[group] = update
        reviews = self.reviews(measure, as_of)
        review = reviews[-1] if reviews else None
        status = measure_status(measure, latest, review)
        owners = measure.lead_units or measure.responsible_units
        progresses = [latest[u].progress for u in owners if u in latest and latest[u].progress is not None]
        order = {u: i for i, u in enumerate(self.registry.responsible(measure))}
        unit_latest = sorted(own.values(), key=lambda u: order.get(u.unit, 999))
        last = max(unit_latest, key=lambda u: (u.recorded, u.date), default=None)
        return MeasureState(measure, status, min(progresses) if progresses else None, last,
                            tuple(unit_latest), review)

    def states(self, plan: Optional[str] = None, as_of: Optional[dt.date] = None,
               unit: Optional[str] = None) -> List[MeasureState]:
        result = [self.state(m, as_of) for m in self.measures(plan, unit)]
        self._caches[0].save()
        return result

    def report_states(self, plan: str, as_of: dt.date, since: dt.date) -> list:
        """(state, unit_updates) per measure of the plan on as_of, both from the records' windows from since on."""
        pairs = [(m, self.unit_updates(m, as_of, since=since)) for m in self.measures(plan)]
        self._caches[0].save()
        return [(self.state_from(m, ups, as_of), ups) for m, ups in pairs]

    def update(self, measure_id: str, unit: str, status: str, note: str = "", progress: Optional[int] = None,
               date: Optional[dt.date] = None, evidence: Sequence[str] = (),
               indicators: Sequence[str] = (), author: Optional[str] = None,
               source: Optional[str] = None) -> UpdateResult:
        """Record one update as one commit. See `yytrack.updating` for the rules."""
        from yytrack.ledger.updating import record_update

        measure = self.get(measure_id)
        unit_name = self.responsible_or_raise(measure, unit)
        return record_update(self._ledger(), measure, unit_name, status, note, progress, date, evidence,
                             indicators, author, source)

    def review(self, measure_id: str, decision: str, note: str, author: Optional[str] = None,
               date: Optional[dt.date] = None) -> UpdateResult:
        from yytrack.ledger.updating import record_review

        measure = self.get(measure_id)
        return record_review(self._ledger(), measure, self.state(measure), decision, note, author, date)

    def migrate(self, author: Optional[str] = None):
        """Rewrite format-1 records as format 2 in one commit: (commit or None, files rewritten)."""
        from yytrack.ledger.migrate import migrate

        return migrate(self._ledger(), author)

    def _ledger(self):
        from yytrack.ledger.updating import Context

        return Context(self.root, self.config, self.registry, self.plan)

    def _log_of(self, read, unit_of, measure_id=None, unit=None, since=None, until=None, plan=None):
        plan_id = self.plan(plan).id if plan else None
        path = f"{files.PROGRESS}/{plan_id}" if plan_id else files.PROGRESS
        if measure_id:
            measure = self.get(measure_id)
            if plan_id and measure.plan != plan_id:
                raise UsageProblem(f"措施 {measure.id} 属于方案 {measure.plan}，不属于 --plan 给出的 {plan_id}")
            path = f"{files.PROGRESS}/{measure.plan}/{measure.id}"
        unit_name = self.unit_name(unit) if unit else None  # every argument is checked before git runs
        items = read(self.root, path, since and since.isoformat(), until and f"{until.isoformat()} 23:59:59")
        return items if unit_name is None else (i for i in items if unit_of(i) == unit_name)

    log_entries = partialmethod(_log_of, logscan.scan_log, lambda e: e[6])  # iter_log's arguments; Entry rows

    def log(self, measure_id: Optional[str] = None, unit: Optional[str] = None, since: Optional[dt.date] = None,
            until: Optional[dt.date] = None, plan: Optional[str] = None) -> List[history.Commit]:
        """Updates and reviews, newest first by the day they refer to, then by commit time."""
        return sorted(self.iter_log(measure_id, unit, since, until, plan), key=history.log_key, reverse=True)

    def iter_log(self, measure_id: Optional[str] = None, unit: Optional[str] = None, since: Optional[dt.date] = None,
                 until: Optional[dt.date] = None, plan: Optional[str] = None) -> Iterator[history.Commit]:
        """The same commits as `log`, in git's order (newest commit first), one at a time from one `git log`."""
        return self._log_of(history.record_log, lambda c: c.trailer("Unit"), measure_id, unit, since, until, plan)

    def check(self):
        from yytrack.checks.runner import run_checks

        return run_checks(self.root)

    def responsible_or_raise(self, measure: Measure, unit: str) -> str:
        name = self.unit_name(unit)
        if self.registry.role(measure, name) is None:
            who = "、".join(measure.responsible_units) or "（该措施未列责任单位）"
            raise NotResponsible(f"{name} 不是 {measure.id} 的责任单位；责任单位为：{who}")
        return name
