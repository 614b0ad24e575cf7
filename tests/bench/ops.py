"""The operations of one benchmark size: what is run, what is prepared before each run (untimed)."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

import peers
import synth

from yytrack.repo import records
from yytrack.model import Update
from yytrack.ledger.updating import message_for

UPDATE_NOTE = "完成本月社区医养结合服务设施核查，新增护理型床位 36 张。"


def yytrack_argv() -> List[str]:
    """The installed console script next to this interpreter, as a user runs it; else `python -m`."""
    script = Path(sys.executable).parent / "yytrack"
    return [str(script)] if script.exists() else [sys.executable, "-m", "yytrack"]


@dataclass
class Op:
    name: str
    """Key in the results, e.g. status, report-md, git-commit."""
    title: str
    """What the table shows."""
    commands: Callable[[], List[List[str]]]
    """The command sequence of one timed run (built per run: update notes and paths vary)."""
    cwd: Path
    env: Dict[str, str]
    prepare: Optional[Callable[[], None]] = None
    """Untimed set-up before every run: drop the cache, record an update, write the floor's file."""
    prime: bool = False
    """Run once untimed first, so the timed runs see a warm cache."""
    repeat: Optional[int] = None
    """Override of --repeat (cold runs and slow peers are run fewer times)."""
    check: Optional[Callable[[str], bool]] = None
    """Sanity check of the output of each run."""


@dataclass
class Context:
    size: int
    layout: synth.Layout
    repo: Path
    work: Path
    env: Dict[str, str]
    counter: itertools.count = field(default_factory=lambda: itertools.count())
    wheel: Dict[str, List[str]] = field(default_factory=dict)
    """argv of the floor interpreter and of the wheel-installed yytrack (pairs.wheel_commands)."""

    @property
    def yy(self) -> List[str]:
        """yytrack as a user installs it: the wheel in a clean virtualenv (else this checkout's)."""
        return self.wheel.get("yytrack") or yytrack_argv()

    @property
    def month(self) -> str:
        return f"{self.layout.last_month[0]}-{self.layout.last_month[1]:02d}"

    @property
    def plan(self) -> str:
        return synth.plan_id(0)

    @property
    def old_month(self) -> str:
        """The month three quarters of the way back into the history: a report of the past."""
        year, month = self.layout.last_month
        index = year * 12 + month - 1 - (self.layout.months * 3) // 4
        return f"{index // 12}-{index % 12 + 1:02d}"

    @property
    def cold(self) -> Path:
        return self.work / "cold" / "repo"

    def fresh_clone(self) -> None:
        """A cold start as a user meets it: `git clone --no-local` (no cache, no commit-graph, new inodes)."""
        shutil.rmtree(self.cold.parent, ignore_errors=True)
        self.cold.parent.mkdir(parents=True)
        subprocess.run(["git", "clone", "-q", "--no-local", str(self.repo), str(self.cold)], check=True,
                       env=self.env, stdout=subprocess.DEVNULL)

    def next_pair(self):
        """A different unit × measure pair for each write, as clerks of different offices would."""
        n = next(self.counter)
        m, u = synth.pair_of(self.layout, (n * 37) % self.layout.pairs)
        return synth.measure_id(self.layout, m), synth.unit_names(self.layout.units)[u], u

    def update_argv(self) -> List[str]:
        measure, unit, u = self.next_pair()
        return [*self.yy, "update", measure, "--unit", unit, "--status", "推进中", "--progress", "60",
                "--note", UPDATE_NOTE, "--author", synth.author_of(u)]

    def record_update_untimed(self) -> None:
        subprocess.run(self.update_argv(), cwd=str(self.repo), env=self.env, check=True,
                       stdout=subprocess.DEVNULL)

    def hook_push(self, commits: int) -> List[List[str]]:
        """The pre-receive hook judging a push of the last `commits` commits, as the server runs it: a bare
        copy whose main is moved back (the objects stay, like a push's quarantine), the ref line on stdin."""
        bare = self.work / f"server-{commits}.git"
        line = self.work / f"push-{commits}.txt"
        if not bare.exists():
            subprocess.run(["git", "clone", "-q", "--bare", "--no-local", str(self.repo), str(bare)], check=True,
                           env=self.env, stdout=subprocess.DEVNULL)
            ids = [subprocess.run(["git", "rev-parse", rev], cwd=str(bare), env=self.env, check=True,
                                  capture_output=True, text=True).stdout.strip() for rev in ("HEAD", f"HEAD~{commits}")]
            subprocess.run(["git", "update-ref", "refs/heads/main", ids[1]], cwd=str(bare), env=self.env, check=True)
            line.write_text(f"{ids[1]} {ids[0]} refs/heads/main\n", encoding="ascii")
        hook = " ".join(f"'{part}'" for part in [*self.yy, "hook", "run"])
        return [["sh", "-c", f"GIT_DIR='{bare}' exec {hook} < '{line}'"]]

    def floor_write(self) -> List[List[str]]:
        """Append a real entry to the next pair's file in-process; the timed part is git add + commit."""
        measure, unit, u = self.next_pair()
        plan = measure.rsplit("-", 1)[0]
        path = records.record_path(self.repo, plan, measure, unit)
        previous = records.read_current(path, measure, unit)
        now = dt.datetime.now().astimezone().isoformat(timespec="milliseconds")
        update = Update(measure, unit, "in_progress", dt.date.today(), 60, UPDATE_NOTE,
                                synth.author_of(u), now)
        records.append_update(path, update, previous)
        message = self.work / "floor-message.txt"
        message.write_text(message_for(update), encoding="utf-8")
        rel = path.relative_to(self.repo).as_posix()
        commit = ["git", "commit", "-q", "--author", synth.author_of(u), "-F", str(message), "--", rel]
        return [["git", "add", "--", rel], commit]


def has_report(ctx: Context) -> bool:
    proc = subprocess.run([*yytrack_argv(), "report", "--help"], cwd=str(ctx.repo), env=ctx.env,
                          capture_output=True)
    return proc.returncode == 0 and b"--month" in proc.stdout


def report_argv(ctx: Context, fmt: str, month: Optional[str] = None) -> List[str]:
    return [*ctx.yy, "report", "--plan", ctx.plan, "--month", month or ctx.month, "--format", fmt,
            "-o", str(ctx.work / f"report.{fmt}")]


def yytrack_ops(ctx: Context, cold_repeat: int) -> List[Op]:
    """Read-only operations first, writes after, so every read sees the generated history."""
    yy, repo, env, cold = ctx.yy, ctx.repo, ctx.env, ctx.cold
    counts = lambda text: f"共 {ctx.layout.plans * ctx.layout.measures} 条措施" in text  # noqa: E731
    clean = lambda text: "错误 0 个" in text  # noqa: E731
    py, wheel_yy = ctx.wheel.get("python", [sys.executable]), ctx.wheel.get("yytrack", yy)
    ops = [
        Op("python", "`python -c pass` (floor, clean venv)", lambda: [[*py, "-c", "pass"]], repo, env),
        Op("version", "`yytrack --version` (wheel)", lambda: [[*wheel_yy, "--version"]], repo, env),
        Op("help", "`yytrack --help` (wheel)", lambda: [[*wheel_yy, "--help"]], repo, env),
        Op("git-log", "`git log --format=%B` (floor)", lambda: [["git", "log", "--format=%B"]], repo, env),
        Op("log", "`yytrack log` (full)", lambda: [[*yy, "log"]], repo, env),
        Op("log-json", "`yytrack log --json` (full)", lambda: [[*yy, "log", "--json"]], repo, env),
        Op("status", "`yytrack status` (warm cache)", lambda: [[*yy, "status"]], repo, env, prime=True,
           check=counts),
        Op("status-cold", "`yytrack status` (fresh clone)", lambda: [[*yy, "status"]], cold, env,
           prepare=ctx.fresh_clone, repeat=cold_repeat, check=counts),
        Op("check", "`yytrack check` (warm cache)", lambda: [[*yy, "check"]], repo, env, prime=True, check=clean),
        Op("check-cold", "`yytrack check` (fresh clone)", lambda: [[*yy, "check"]], cold, env,
           prepare=ctx.fresh_clone, repeat=cold_repeat, check=clean),
    ]
    if has_report(ctx):
        for fmt in ("md", "html"):
            ops.append(Op(f"report-{fmt}", f"`yytrack report --month` {fmt} (warm)",
                          lambda fmt=fmt: [report_argv(ctx, fmt)], repo, env, prime=True))
        ops.append(Op("report-old", f"`yytrack report --month {ctx.old_month}` md (an old month, warm)",
                      lambda: [report_argv(ctx, "md", ctx.old_month)], repo, env, prime=True))
        ops.append(Op("report-md-cold", "`yytrack report --month` md (fresh clone)",
                      lambda: [report_argv(ctx, "md")], cold, env, prepare=ctx.fresh_clone, repeat=cold_repeat))
    since = f"{ctx.month}-01"
    ops += [
        Op("log-month", f"`yytrack log --since {since}`", lambda: [[*yy, "log", "--since", since]], repo, env),
        Op("update", "`yytrack update`", lambda: [ctx.update_argv()], repo, env),
        Op("git-commit", "`git add` + `git commit` (floor, one shell)", ctx.floor_write, repo, env),
        Op("status-after-update", "`yytrack status` after one update", lambda: [[*yy, "status"]], repo, env,
           prepare=ctx.record_update_untimed, check=counts),
        Op("audit-100", "`yytrack audit --since HEAD~100`", lambda: [[*yy, "audit", "--since", "HEAD~100"]],
           repo, env, repeat=1),
        Op("audit-full", "`yytrack audit` (whole history)", lambda: [[*yy, "audit"]], repo, env, repeat=1),
        Op("hook-1", "pre-receive hook, a push of 1 commit", lambda: ctx.hook_push(1), repo, env, prime=True),
        Op("hook-100", "pre-receive hook, a push of 100 commits", lambda: ctx.hook_push(100), repo, env,
           prime=True, repeat=3),
    ]
    return ops


def bench_env(home: Path, pycache: Path) -> Dict[str, str]:
    """The caller's environment with a fixed git identity and no system or user git config."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / ".gitconfig"
    config.write_text("[user]\n\tname = 基准测试\n\temail = bench@bench.example.cn\n[core]\n\tquotepath = off\n",
                      encoding="utf-8")
    env = dict(os.environ)
    env.update({"HOME": str(home), "GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1",
                "LANG": env.get("LANG") or "C.UTF-8"})
    env.pop("YYTRACK_REPO", None)
    # Measure what an installed yytrack costs: bytecode cached, as pip leaves it. Some shells set
    # PYTHONDONTWRITEBYTECODE, which recompiles every yytrack module on every run (~50 ms here);
    # the prefix keeps the cached bytecode out of the source tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def peer_ops(ctx: Context, tools: List[str], tj3_max: int, repeat: int) -> List[Op]:
    """Data files for each available peer from the same history, then its operations."""
    folder = ctx.work / "peers"
    folder.mkdir(parents=True, exist_ok=True)
    ops: List[Op] = []
    if "task" in tools:
        tw_env = {**ctx.env, **peers.taskwarrior(ctx.layout, folder)}
        ops.append(Op("tw-annotate", "Taskwarrior `task 1 annotate`",
                      lambda: [["task", "1", "annotate", UPDATE_NOTE]], folder, tw_env))
        ops.append(Op("tw-summary", "Taskwarrior `task summary`", lambda: [["task", "summary"]], folder, tw_env))
    if "hledger" in tools:
        journal = peers.hledger(ctx.layout, folder)
        ops.append(Op("hledger", "hledger `bal -M`", lambda: [["hledger", "-f", str(journal), "bal", "-M"]],
                      folder, ctx.env, repeat=repeat))
        ops.append(Op("hledger-month", f"hledger `bal -M -p {ctx.month}` (the report's month)",
                      lambda: [["hledger", "-f", str(journal), "bal", "-M", "-p", ctx.month]], folder, ctx.env,
                      repeat=repeat))
    if "tj3" in tools and ctx.size <= tj3_max:
        project = peers.taskjuggler(ctx.layout, folder)
        (folder / "tj3-out").mkdir(exist_ok=True)
        ops.append(Op("tj3", "TaskJuggler `tj3` status report",
                      lambda: [["tj3", "--silent", "--no-color", "-o", str(folder / "tj3-out"), str(project)]],
                      folder, ctx.env, repeat=repeat))
    return ops
