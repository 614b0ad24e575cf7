"""Expected-result files are YAML; read them with the project's own loader."""

from pathlib import Path


def load(path: Path):
    from yytrack.repo.yamlio import load_fast

    return load_fast(path)
