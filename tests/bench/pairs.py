"""Paired runs and the wheel-installed floor.

A ratio is taken from runs of the two commands alternated A B A B … on the same data, as the median
of the pair-by-pair ratios: on a shared, loaded machine the load changes from minute to minute, and a
ratio of two medians taken minutes apart measures the load as much as the programs.

The interpreter floor (`python -c pass`) and yytrack's `--version`/`--help` are taken from a wheel
installed into a clean virtual environment, as a user gets them: an editable development install
adds a path finder that doubles the start-up.
"""

from __future__ import annotations

import hashlib
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from measure import run_sequence

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent


def paired(a, b, repeat: int, timeout: float) -> Tuple[Optional[float], List[float]]:
    """(median of the pair-by-pair ratios a/b, the ratios); None when a run failed."""
    ratios: List[float] = []
    for _ in range(repeat):
        times = []
        for op in (a, b):
            if op.prepare:
                op.prepare()
            out = op.cwd.parent / f"{op.name}.pair.out"
            sample = run_sequence(op.commands(), op.cwd, op.env, out, timeout)
            if sample.code != 0:
                return None, ratios
            times.append(sample.seconds)
        ratios.append(times[0] / times[1] if times[1] > 0 else float("inf"))
    return (statistics.median(ratios) if ratios else None), ratios


def _source_stamp() -> str:
    digest = hashlib.sha256()
    for path in sorted((PROJECT / "yytrack").rglob("*")) + [PROJECT / "setup.cfg", PROJECT / "pyproject.toml"]:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PROJECT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def wheel_venv(base: Path, log) -> Optional[Path]:
    """A clean virtual environment with yytrack installed from a freshly built wheel; its bin folder.

    Rebuilt when yytrack's sources change. None (and a message) when the wheel cannot be built or
    installed, e.g. without network access to the dependencies."""
    stamp = _source_stamp()
    venv = base / "wheel-venv"
    mark = venv / ".stamp"
    if mark.is_file() and mark.read_text() == stamp:
        return venv / "bin"
    shutil.rmtree(venv, ignore_errors=True)
    wheels = base / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    log("building a wheel and a clean virtual environment for the interpreter floor …")
    steps = [[sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(PROJECT)],
             [sys.executable, "-m", "venv", str(venv)]]
    for argv in steps:
        if subprocess.run(argv, capture_output=True).returncode != 0:
            log(f"  could not run {' '.join(argv[:4])}: falling back to this interpreter")
            return None
    built = sorted(wheels.glob("yytrack-*.whl"))
    proc = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(built[-1])],
                          capture_output=True, text=True)
    if proc.returncode != 0 or not (venv / "bin" / "yytrack").exists():
        log(f"  wheel install failed ({proc.stderr.strip()[-200:]}): falling back to this interpreter")
        return None
    mark.write_text(stamp)
    return venv / "bin"


def wheel_commands(bin_dir: Optional[Path]) -> Dict[str, List[str]]:
    """argv of the floor and of the wheel's yytrack (this interpreter and `python -m yytrack` without a wheel)."""
    if bin_dir is None:
        return {"python": [sys.executable], "yytrack": [sys.executable, "-m", "yytrack"]}
    return {"python": [str(bin_dir / "python")], "yytrack": [str(bin_dir / "yytrack")]}
