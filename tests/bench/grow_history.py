"""The same synthetic history as make_history.py, grown the way an office's repository grows: one real
`git commit` per update, git's automatic housekeeping at its defaults (gc.auto, no commit-graph written by
hand). Slow (about 10 ms a commit), so meant for 10^3–10^4 updates: `make bench BENCH="--sizes 10000 --grown"`.

The commits carry the same files, messages, authors and dates as the fast-import generator's, so the two
repositories have the same history and different storage.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import synth
from make_history import OFFICE, record_rel, run
from recordtext import RecordText
from taskfiles import task_files

from yytrack.ledger.updating import message_for
from yytrack.repo import records


def _commit(repo: Path, who: str, when: int, message: str, paths) -> None:
    stamp = f"@{when} +0800"
    name, email = who[:-1].split(" <", 1)
    env = {**os.environ, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
           "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "add", "--", *paths], cwd=str(repo), check=True, env=env)
    subprocess.run(["git", "commit", "-q", "--cleanup=verbatim", "-F", "-"], cwd=str(repo), check=True, env=env,
                   input=message.encode("utf-8"), stdout=subprocess.DEVNULL)


def grow(layout: synth.Layout, out_dir: Path) -> None:
    units = synth.unit_names(layout.units)
    first = synth.update_at(layout, units, layout.pairs - 1, 0)
    start = synth.epoch(first) - 40 * 86400
    out_dir.mkdir(parents=True)
    run(["git", "init", "-q", "-b", "main"], out_dir)
    for key, value in (("user.name", OFFICE[0]), ("user.email", OFFICE[1]), ("core.quotepath", "off")):
        run(["git", "config", key, value], out_dir)
    files = task_files(layout, units, dt.date.fromtimestamp(start))
    for rel, content in files.items():
        (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / rel).write_text(content, encoding="utf-8")
    _commit(out_dir, f"{OFFICE[0]} <{OFFICE[1]}>", start, "初始化跟踪仓库：带入基准测试方案与单位名录\n", list(files))
    text, written = RecordText(), set()
    for i, k in synth.commit_order(layout):
        update = synth.update_at(layout, units, i, k)
        rel = record_rel(update)
        path = out_dir / rel
        if rel not in written:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(records.record_head(update.measure, update.unit), encoding="utf-8")
            written.add(rel)
        with open(path, "a", encoding="utf-8") as f:
            f.write(text.entry(update))
        _commit(out_dir, update.author, synth.epoch(update), message_for(update), [rel])
