"""The tools a user would pick instead, fed the same synthetic history as the tracking repository.

One tracked item per unit × measure pair and one progress record per update, in each tool's own terms:
- Taskwarrior: a task per pair, an annotation per update (`task import`, then `task N annotate`);
- hledger: a transaction per update, an account per pair (`hledger bal -M`);
- TaskJuggler: a task per pair, a journal entry per update, a monthly status report (`tj3`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List

import synth

from yytrack.model import STATUS_LABELS

PACKAGES = {"task": "taskwarrior", "hledger": "hledger", "tj3": "tj3"}


TIME = "/usr/bin/time"  # GNU time (Debian package `time`): per-command peak memory, see measure.py


def missing_tools() -> List[str]:
    return [tool for tool in PACKAGES if shutil.which(tool) is None]


def _missing_packages() -> List[str]:
    packages = [PACKAGES[t] for t in missing_tools()]
    return packages + (["time"] if not os.path.exists(TIME) else [])


def install_missing(log) -> List[str]:
    """apt-get the Debian packages of missing tools (as root); returns the tools still missing."""
    packages = _missing_packages()
    if not packages:
        return []
    if shutil.which("apt-get") is None or not _is_root():
        log(f"missing packages ({', '.join(packages)}) and apt-get unavailable or not root: "
            "missing peers are n/a, peak memory includes the harness's own")
        return missing_tools()
    log(f"installing {' '.join(packages)} with apt-get …")
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], env=env, check=False, stdout=subprocess.DEVNULL)
    return missing_tools()


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def label(update) -> str:
    return f"{STATUS_LABELS[update.status]} {update.progress}%"


def _pairs(layout: synth.Layout):
    """(pair, [updates oldest first]) one pair at a time, so memory stays at one pair's history."""
    units = synth.unit_names(layout.units)
    for i in range(layout.pairs):
        yield i, [synth.update_at(layout, units, i, k) for k in range(layout.count(i))]


# ---------------------------------------------------------------- Taskwarrior


def taskwarrior(layout: synth.Layout, folder: Path) -> Dict[str, str]:
    """A taskrc with data.location in folder, filled through `task import`; returns the environment."""
    data = folder / "task-data"
    data.mkdir(parents=True)
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nhooks=off\n", encoding="utf-8")
    tasks = []
    for i, updates in _pairs(layout):
        first = updates[0]
        tasks.append({
            "uuid": f"00000000-0000-4000-8000-{i:012d}", "status": "pending", "project": first.measure.rsplit("-", 1)[0],
            "description": f"{first.measure} {first.unit}", "entry": _tw_time(first),
            "annotations": [{"entry": _tw_time(u), "description": f"{u.date} {label(u)}：{u.note}"} for u in updates]})
    source = folder / "import.json"
    source.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    env = {"TASKRC": str(rc)}
    subprocess.run(["task", "import", str(source)], env=_with(env), check=True, stdout=subprocess.DEVNULL)
    source.unlink()
    return env


def _tw_time(update) -> str:
    moment = dt.datetime.fromisoformat(update.recorded).astimezone(dt.timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _with(extra: Dict[str, str]) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


# ---------------------------------------------------------------- hledger


def hledger(layout: synth.Layout, folder: Path) -> Path:
    """A journal with one transaction per update, in recording order."""
    units = synth.unit_names(layout.units)
    path = folder / "progress.journal"
    with path.open("w", encoding="utf-8") as out:
        for i, k in synth.commit_order(layout):
            u = synth.update_at(layout, units, i, k)
            plan = u.measure.rsplit("-", 1)[0]
            out.write(f"{u.date} {u.unit} | {u.measure} {label(u)}\n    ; {u.note}\n"
                      f"    进展:{plan}:{u.measure}:{u.unit}    1 件\n    报送:{u.unit}\n\n")
    return path


# ---------------------------------------------------------------- TaskJuggler


def taskjuggler(layout: synth.Layout, folder: Path) -> Path:
    """A project with a task per pair, a journal entry per update, and a status report of the last month."""
    units = synth.unit_names(layout.units)
    first = dt.date(*synth.month_of(layout, layout.pairs - 1, 0), 1)
    year, month = layout.last_month
    last = dt.date(year, month, 1)
    after = dt.date(year + (month + 1) // 13, (month % 12) + 1, 1)
    path = folder / "progress.tjp"
    with path.open("w", encoding="utf-8") as out:
        out.write(f'project bench "医养结合落实跟踪" {first - dt.timedelta(days=31)} - {after + dt.timedelta(days=62)} {{\n'
                  f"  now {after}\n}}\n\n")
        for u, name in enumerate(units):
            out.write(f'resource r{u:03d} "{synth.author_of(u).split(" <")[0]}（{name}）"\n')
        current = None
        for i, updates in _pairs(layout):
            m, unit = synth.pair_of(layout, i)
            if m != current:
                out.write("}\n" if current is not None else "")
                out.write(f'task m{m:03d} "{updates[0].measure}" {{\n')
                current = m
            out.write(f'  task u{unit:03d} "{units[unit]}" {{\n    start {first}\n    end {after}\n')
            for up in updates:
                out.write(f'    journalentry {up.date} "{label(up)}" {{\n      author r{unit:03d}\n'
                          f'      summary "{up.note.replace(chr(34), chr(39))}"\n    }}\n')
            out.write("  }\n")
        out.write("}\n\n")
        out.write(f'taskreport status "status" {{\n  formats html\n  columns name, complete, journal\n'
                  f"  journalmode journal\n  period {last} - {after}\n}}\n")
    return path
