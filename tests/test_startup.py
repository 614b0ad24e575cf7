"""Start-up cost: `--version` answers before click is imported, and the everyday commands import only
what they use (python -X importtime lists every module a run imported)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli

HEAVY = ("tabulate", "wcwidth", "filelock", "git", "jinja2", "openpyxl", "docx", "importlib.metadata", "pickle")


def _imported(repo: Path, *args: str) -> set:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "yytrack", *args], cwd=str(repo),
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-500:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def test_version_is_clicks_answer_without_click(tmp_path):
    fast = run_cli(tmp_path, "--version")
    through_click = subprocess.run([sys.executable, "-c", "from yytrack.cli import main; main(['--version'])"],
                                   capture_output=True, text=True)
    assert fast.returncode == 0 and through_click.returncode == 0
    assert fast.stdout == through_click.stdout and fast.stdout.startswith("yytrack ")
    probe = ("import sys\nfrom yytrack.__main__ import run\ntry:\n    run(['--version'])\nexcept SystemExit:\n"
             "    pass\nprint('click' in sys.modules, 'yytrack.cli' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert proc.stdout.splitlines()[-1] == "False False"


def test_status_update_and_log_import_nothing_heavy(repo):
    proc = run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--progress", "10",
                   "--note", "开工。")
    assert proc.returncode == 0, proc.stderr
    for args in (("status",), ("log",), ("update", "demo-01", "--unit", "省卫健委", "--status", "推进中",
                                         "--progress", "20", "--note", "续建。")):
        names = _imported(repo, *args)
        assert "yytrack.tracker" in names  # the probe sees our own modules
        loaded = sorted(n for n in names if n.split(".")[0] in HEAVY or n in HEAVY)
        assert loaded == [], (args, loaded)


def _help_through_click(columns: int) -> str:
    env = {**os.environ, "COLUMNS": str(columns)}
    proc = subprocess.run([sys.executable, "-c", "from yytrack.cli import main; main(['--help'])"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("columns", [80, 100, 200, 60])
def test_overview_is_clicks_own_help_at_every_width(tmp_path, columns):
    env = {"COLUMNS": str(columns)}
    for args in (("--help",), ("-h",), ()):
        fast = run_cli(tmp_path, *args, env=env)
        assert fast.returncode == 0 and fast.stderr == ""
        assert fast.stdout == _help_through_click(columns), (
            "yytrack/__main__.py OVERVIEW is out of date: paste the output of "
            "python -c \"from yytrack.cli import main; main(['--help'])\"")


def test_overview_does_not_import_click():
    probe = ("import sys, io\nfrom yytrack.__main__ import run\ntry:\n    run(['--help'])\nexcept SystemExit:\n"
             "    pass\nprint('click' in sys.modules, 'yytrack.cli' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env={**os.environ,
                                                                                            "COLUMNS": "80"})
    assert proc.stdout.splitlines()[-1] == "False False"
    assert proc.stdout.startswith("用法： yytrack")


def _modules_at_exit(repo: Path, *args: str) -> set:
    """sys.modules when the command ends (importtime does not list modules loaded by import_module)."""
    probe = ("import atexit, sys\natexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sys.modules)))\n"
             f"from yytrack.__main__ import run\nrun({list(args)!r})")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=str(repo), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-500:]
    return set(proc.stderr.rsplit("MODULES ", 1)[1].split())


def test_update_imports_only_its_own_area(repo):
    run_cli(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--progress", "20", "--note", "开工。")
    names = _modules_at_exit(repo, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--progress",
                             "30", "--note", "续建。")
    assert "yytrack.cli.progress" in names
    other_areas = sorted(n for n in names if n in {"yytrack.cli.imports", "yytrack.cli.forms",
                                                    "yytrack.cli.reports", "yytrack.cli.sharing"})
    assert other_areas == []
    assert not any(n.split(".")[0] == "ruamel" for n in names)  # task files come from the cache
