"""Generate a synthetic tracking repository with a long history, through `git fast-import`.

    python tests/bench/make_history.py --updates 100000 --out .bench/repo-100000
    python tests/bench/make_history.py --updates 1000000 --plans 10 --out .bench/repo-1000000

The repository is a real one: tasks/ as `yytrack init` lays it out, one commit per update with the
message and trailers `yytrack update` writes, and every progress file byte for byte what
records.append_update would have produced after that commit. `yytrack status`, `log`, `audit` and
`report` work on it unchanged.

Why fast-import, and why blobs first: each commit's record file is the whole file after the append,
so the raw blob data grows with the square of a file's history (≈4 GB at 10^5 updates over 300
files). All versions of one file are streamed back to back, so fast-import deltas each against the
previous version and the pack stays small; the commits then refer to them by mark, in time order.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import BinaryIO, Dict, List

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402 - the folder is not a package; the line above makes it importable
from recordtext import RecordText  # noqa: E402
from taskfiles import task_files  # noqa: E402

from yytrack.repo import records  # noqa: E402
from yytrack.ledger.updating import message_for  # noqa: E402

OFFICE = ("省卫健委老龄处", "laoling@bench.example.cn")


def layout_for(args: argparse.Namespace) -> synth.Layout:
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    last = dt.date(today.year, today.month, 1) - dt.timedelta(days=1)  # the last complete month
    return synth.Layout(updates=args.updates, plans=args.plans, measures=args.measures, units=args.units,
                        last_month=(last.year, last.month))


def record_rel(update) -> str:
    plan = update.measure.rsplit("-", 1)[0]
    return f"progress/{plan}/{update.measure}/{update.unit}.yaml"


def emit_blobs(out: BinaryIO, layout: synth.Layout, units: List[str]) -> List[int]:
    """Every version of every record file, one file at a time; returns the first mark of each pair."""
    text = RecordText()
    bases, mark = [], 0
    for i in range(layout.pairs):
        bases.append(mark)
        body = bytearray()
        for k in range(layout.count(i)):
            update = synth.update_at(layout, units, i, k)
            body += text.entry(update).encode("utf-8")
            head = records.record_head(update.measure, update.unit).encode("utf-8")
            mark += 1
            out.write(b"blob\nmark :%d\ndata %d\n" % (mark, len(head) + len(body)))
            out.write(head)
            out.write(body)
            out.write(b"\n")
    return bases


def emit_commit(out: BinaryIO, who: str, when: int, message: str, changes: List[bytes]) -> None:
    data = message.encode("utf-8")
    out.write(b"commit refs/heads/main\n")
    for role in (b"author", b"committer"):
        out.write(b"%s %s %d +0800\n" % (role, who.encode("utf-8"), when))
    out.write(b"data %d\n%s\n" % (len(data), data))
    for change in changes:
        out.write(change)
    out.write(b"\n")


def emit_tasks(out: BinaryIO, files: Dict[str, str], when: int) -> None:
    changes = []
    for rel, content in files.items():
        data = content.encode("utf-8")
        changes.append(b"M 100644 inline %s\ndata %d\n%s\n" % (rel.encode("utf-8"), len(data), data))
    emit_commit(out, f"{OFFICE[0]} <{OFFICE[1]}>", when, "初始化跟踪仓库：带入基准测试方案与单位名录\n", changes)


def emit_history(out: BinaryIO, layout: synth.Layout, units: List[str], bases: List[int]) -> None:
    for i, k in synth.commit_order(layout):
        update = synth.update_at(layout, units, i, k)
        change = b"M 100644 :%d %s\n" % (bases[i] + k + 1, record_rel(update).encode("utf-8"))
        emit_commit(out, update.author, synth.epoch(update), message_for(update), [change])


def run(cmd: List[str], cwd: Path) -> None:
    subprocess.run(cmd, cwd=str(cwd), check=True, stdout=subprocess.DEVNULL)


def generate(layout: synth.Layout, out_dir: Path) -> None:
    units = synth.unit_names(layout.units)
    first = synth.update_at(layout, units, layout.pairs - 1, 0)
    start = synth.epoch(first) - 40 * 86400  # the plan arrives a few weeks before the first report
    out_dir.mkdir(parents=True)
    run(["git", "init", "-q", "-b", "main"], out_dir)
    for key, value in (("user.name", OFFICE[0]), ("user.email", OFFICE[1]), ("core.quotepath", "off"),
                       ("gc.auto", "0")):
        run(["git", "config", key, value], out_dir)
    proc = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=str(out_dir),
                            stdin=subprocess.PIPE, bufsize=1 << 20)
    assert proc.stdin is not None
    try:
        bases = emit_blobs(proc.stdin, layout, units)
        emit_tasks(proc.stdin, task_files(layout, units, dt.date.fromtimestamp(start)), start)
        emit_history(proc.stdin, layout, units, bases)
        proc.stdin.write(b"done\n")
    finally:
        proc.stdin.close()
        if proc.wait() != 0:
            raise SystemExit(f"git fast-import failed with exit code {proc.returncode}")
    run(["git", "reset", "-q", "--hard", "main"], out_dir)
    # What `yytrack gc` writes: a commit-graph with changed-path Bloom filters.
    run(["git", "commit-graph", "write", "--reachable", "--changed-paths"], out_dir)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Generate a synthetic yytrack tracking repository.")
    parser.add_argument("--updates", type=int, required=True, help="number of updates (commits), e.g. 100000")
    parser.add_argument("--out", required=True, help="folder to create (must not exist, unless --force)")
    parser.add_argument("--plans", type=int, default=1, help="plans (default 1)")
    parser.add_argument("--measures", type=int, default=30, help="measures per plan (default 30, at most 99)")
    parser.add_argument("--units", type=int, default=10, help="units responsible for every measure (default 10)")
    parser.add_argument("--today", help="pretend today is this day (YYYY-MM-DD); history ends the month before")
    parser.add_argument("--force", action="store_true", help="replace --out if it exists")
    args = parser.parse_args(argv)
    if not 1 <= args.measures <= 99 or args.units < 1 or args.plans < 1 or args.updates < 1:
        parser.error("--measures must be 1–99, --plans, --units and --updates at least 1")
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    out = Path(args.out)
    if out.exists():
        if not args.force:
            raise SystemExit(f"{out} exists; use --force to replace it")
        shutil.rmtree(out)
    layout = layout_for(args)
    began = time.perf_counter()
    generate(layout, out)
    print(f"{out}: {layout.updates} updates, {layout.plans} plan(s) × {layout.measures} measures × "
          f"{layout.units} units = {layout.pairs} record files, {layout.months} months up to "
          f"{layout.last_month[0]}-{layout.last_month[1]:02d}, in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
