"""Start-up cost: `--version` answers before click is imported, and the everyday commands import only
what they use (python -X importtime lists every module a run imported)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
