"""Where the bundled plans and templates live: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent.parent  # the yytrack package


def data_dir(name: str) -> Path:
    """`tasks` or `templates`: the wheel's copy (yytrack/_tasks) or the checkout's top-level folder."""
    installed = HERE / f"_{name}"
    if installed.is_dir():
        return installed
    return HERE.parent / name
