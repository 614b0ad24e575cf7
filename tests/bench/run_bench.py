"""`make bench`: yytrack against its floors and its peers on synthetic histories of 10^3–10^5 updates.

    .venv/bin/python tests/bench/run_bench.py                       # 1000,10000,100000 × 5 runs
    .venv/bin/python tests/bench/run_bench.py --sizes 10000,100000 --repeat 7
    .venv/bin/python tests/bench/run_bench.py --million                  # also 10^6 (make bench BENCH=--million)

Every operation runs several times on the same data in one run; the table gives median, min – max,
peak memory and the ratios against the floors (bare interpreter, git) and the peers (Taskwarrior,
hledger, TaskJuggler). Generated repositories are kept under .bench/cache (regenerated when the
generator or yytrack's record format changes); each size works on a fresh copy in .bench/work.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import shutil
import sys
import time
from pathlib import Path
from typing import List

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
sys.path.insert(0, str(HERE))

import machine  # noqa: E402 - the folder is not a package; the line above makes these importable
import make_history  # noqa: E402
import pairs  # noqa: E402
import peers  # noqa: E402
import synth  # noqa: E402
from measure import Result, Sample, run_sequence  # noqa: E402
from ops import Context, Op, bench_env, has_report, peer_ops, yytrack_ops  # noqa: E402
from tables import PAIRS, Paired, results_table, targets_table  # noqa: E402

STAMPED = [HERE / n for n in ("synth.py", "recordtext.py", "taskfiles.py", "make_history.py")]
# grow_history.py is not stamped: it writes the same history (a grown repository is regenerated with the rest).


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def stamp() -> str:
    """The generator's sources and the parts of yytrack that define the bytes it writes; other edits
    to yytrack (it changes daily) keep the cached repositories, which take minutes to regenerate."""
    from yytrack.repo import records, writes, yamlio
    from yytrack.ledger import updating
    from yytrack.model import validate

    digest = hashlib.sha256()
    for path in STAMPED:
        digest.update(path.read_bytes())
    for part in (records.update_to_dict, records.append_update, yamlio.dump_text, yamlio._roundtrip_yaml,
                 updating.message_for, validate.subject_for, writes.trailer_block):
        digest.update(inspect.getsource(part).encode("utf-8"))
    digest.update((records.HEADER + records.LIST_KEY).encode("utf-8"))
    return digest.hexdigest()[:16]


def pristine(layout: synth.Layout, cache: Path, grown: bool = False) -> Path:
    """The generated repository for this layout, made once and reused while the generator is unchanged."""
    name = f"repo-{layout.updates}-{layout.plans}x{layout.measures}x{layout.units}-" \
           f"{layout.last_month[0]}{layout.last_month[1]:02d}{'-grown' if grown else ''}"
    repo, mark = cache / name, cache / f"{name}.stamp"
    if repo.is_dir() and mark.is_file() and mark.read_text() == stamp():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    log(f"generating {layout.updates:,} updates into {repo}{' by real commits' if grown else ''} …")
    began = time.perf_counter()
    if grown:
        import grow_history

        grow_history.grow(layout, repo)
    else:
        make_history.generate(layout, repo)
    log(f"  generated in {time.perf_counter() - began:.1f} s")
    mark.write_text(stamp())
    return repo


def context_for(size: int, args: argparse.Namespace) -> Context:
    # 10^6 updates over 300 files would make each file's history (and the generator's blob stream)
    # ten times longer; a province of that size has more plans, so the layout grows instead.
    plans = args.plans * 10 if size >= 1_000_000 and args.plans == 1 else args.plans
    layout = make_history.layout_for(argparse.Namespace(
        updates=size, plans=plans, measures=args.measures, units=args.units, today=args.today))
    base = Path(args.dir).resolve()
    source = pristine(layout, base / "cache", args.grown)
    work = base / "work" / str(size)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    repo = work / "repo"
    shutil.copytree(source, repo, symlinks=True)
    ctx = Context(size, layout, repo, work, bench_env(work / "home", base / "pycache"))
    ctx.wheel = pairs.wheel_commands(None if args.no_wheel else pairs.wheel_venv(base, log))
    return ctx


def run_op(op: Op, size: int, repeat: int, timeout: float) -> Result:
    result = Result(size, op.name)
    out = op.cwd.parent / f"{op.name}.out" if op.cwd.name == "repo" else op.cwd / f"{op.name}.out"
    if op.prime:
        if op.prepare:
            op.prepare()
        run_sequence(op.commands(), op.cwd, op.env, out, timeout)
    for _ in range(op.repeat or repeat):
        if op.prepare:
            op.prepare()
        sample = run_sequence(op.commands(), op.cwd, op.env, out, timeout)
        text = out.read_text(encoding="utf-8", errors="replace")
        if sample.code == 0 and op.check and not op.check(text):
            sample = Sample(sample.seconds, sample.rss_kb, -1)
        result.samples.append(sample)
        if sample.code != 0:
            last = (text.strip().splitlines() or [""])[-1][:120]
            result.note = f"failed (exit {sample.code}): {last}"
            break
    shown = f"{result.median * 1000:.0f} ms" if result.ok else result.note
    log(f"  {size:>9,} {op.name:<22} {shown}")
    return result


def run_size(size: int, args: argparse.Namespace, tools: List[str], titles: dict, paired: List[Paired]) -> List[Result]:
    ctx = context_for(size, args)
    cold = min(args.repeat, args.cold_repeat)
    ops = yytrack_ops(ctx, cold)
    results = []
    if not has_report(ctx):
        for name in ("report-md", "report-html", "report-md-cold"):
            results.append(Result(size, name, note="n/a: `yytrack report --month` is not available yet"))
    for op in ops:
        titles[op.name] = op.title
        results.append(run_op(op, size, args.repeat, args.timeout))
    if tools:
        log(f"  preparing peers' data for {size:,} updates …")
        peer = peer_ops(ctx, tools, args.tj3_max, min(args.repeat, args.peer_repeat))
        for op in peer:
            titles[op.name] = op.title
            results.append(run_op(op, size, args.repeat, args.timeout))
        ops += peer
    if "tj3" in tools and size > args.tj3_max:
        results.append(Result(size, "tj3", note=f"skipped above --tj3-max {args.tj3_max:,}"))
    by_name = {op.name: op for op in ops}
    for a, b in PAIRS:
        if a in by_name and b in by_name:
            slow = b in ("hledger", "hledger-month") or a.startswith(("log", "check"))
            repeat = min(args.pair_repeat, args.peer_repeat) if slow else args.pair_repeat
            median, ratios = pairs.paired(by_name[a], by_name[b], repeat, args.timeout)
            paired.append(Paired(size, a, b, median, ratios))
            log(f"  {size:>9,} {a} / {b} paired: {'failed' if median is None else f'{median:.2f}×'}")
    return results


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark yytrack against git floors and peer tools.")
    p.add_argument("--sizes", default="1000,10000,100000", help="comma-separated update counts")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per operation (default 5)")
    p.add_argument("--cold-repeat", type=int, default=3, help="timed runs of the cold-cache operations")
    p.add_argument("--peer-repeat", type=int, default=3, help="timed runs of hledger and tj3 (slow)")
    p.add_argument("--plans", type=int, default=1)
    p.add_argument("--measures", type=int, default=30)
    p.add_argument("--units", type=int, default=10)
    p.add_argument("--today", help="pretend today is this day (YYYY-MM-DD); default: today")
    p.add_argument("--no-peers", action="store_true", help="skip Taskwarrior, hledger and TaskJuggler")
    p.add_argument("--no-install", action="store_true", help="do not apt-get missing peers")
    p.add_argument("--tj3-max", type=int, default=10_000, help="largest size TaskJuggler runs at (it is slow)")
    p.add_argument("--million", action="store_true", help="add 10^6 updates (10 plans × 300 files; slow)")
    p.add_argument("--grown", action="store_true",
                   help="repositories grown by one real git commit per update (gc at its defaults, no commit-graph "
                        "written by hand) instead of fast-import; slow, for 10^3–10^4")
    p.add_argument("--pair-repeat", type=int, default=7, help="A B pairs behind each ratio (default 7)")
    p.add_argument("--no-wheel", action="store_true",
                   help="take the interpreter floor from this interpreter instead of a wheel in a clean venv")
    p.add_argument("--timeout", type=float, default=900, help="seconds before one command is killed")
    p.add_argument("--dir", default=str(PROJECT / ".bench"), help="cache and work folder (default .bench)")
    args = p.parse_args(argv)
    args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.million and 1_000_000 not in args.sizes:
        args.sizes.append(1_000_000)
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    tools: List[str] = []
    if not args.no_peers:
        still = peers.missing_tools() if args.no_install else peers.install_missing(log)
        tools = [t for t in peers.PACKAGES if t not in still]
    results, titles, paired = [], {}, []
    for size in args.sizes:
        log(f"size {size:,}:")
        results += run_size(size, args, tools, titles, paired)
    text = "\n\n".join([machine.describe(args), results_table(results, titles, paired),
                         targets_table(results, paired)])
    print(text)
    out = Path(args.dir) / "results"
    out.mkdir(parents=True, exist_ok=True)
    key = time.strftime("%Y%m%d-%H%M%S")
    (out / f"{key}.md").write_text(text + "\n", encoding="utf-8")
    raw = [{"size": r.size, "name": r.name, "note": r.note, "samples": [s.__dict__ for s in r.samples]}
           for r in results] + [p.__dict__ for p in paired]
    (out / f"{key}.json").write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"written {out / key}.md and .json")


if __name__ == "__main__":
    main()
