"""What the numbers were measured on: CPU, memory, interpreter, git and the peers' versions."""

from __future__ import annotations

import os
import platform
import subprocess
import sys


def _first(path: str, key: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def _version(argv) -> str:
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    lines = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    return lines[0].strip() if lines else "?"


def _loadavg() -> str:
    try:
        with open("/proc/loadavg", encoding="utf-8") as handle:
            return " ".join(handle.read().split()[:3]) + " (1, 5, 15 min; other jobs on the machine skew timings)"
    except OSError:
        return "?"


def describe(args) -> str:
    from yytrack import __version__

    memory = _first("/proc/meminfo", "MemTotal")
    rows = [
        ("CPU", f"{_first('/proc/cpuinfo', 'model name')}, nproc {os.cpu_count()}"),
        ("memory", memory),
        ("system", f"{platform.system()} {platform.release()}"),
        ("Python", sys.version.split()[0]),
        ("git", _version(["git", "--version"])),
        ("yytrack", __version__),
        ("load average at the end", _loadavg()),
        ("Taskwarrior", _version(["task", "--version"])),
        ("hledger", _version(["hledger", "--version"])),
        ("TaskJuggler", _version(["tj3", "--version"])),
        ("layout", f"{args.plans} plan × {args.measures} measures × {args.units} units = "
                   f"{args.plans * args.measures * args.units} record files; one update per file per month"),
        ("history", "grown by one real `git commit` per update, git's housekeeping at its defaults" if args.grown
         else "written by `git fast-import`, packed, with a commit-graph (as `yytrack gc` leaves it)"),
        ("runs", f"{args.repeat} timed runs per operation ({args.cold_repeat} cold, {args.peer_repeat} for "
                 "hledger/tj3), warm operations primed once"),
    ]
    return "\n".join(["| machine | |", "| --- | --- |"] + [f"| {k} | {v} |" for k, v in rows])
