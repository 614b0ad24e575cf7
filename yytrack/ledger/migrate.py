"""`yytrack migrate`: rewrite format-1 record files as format 2, in one commit by the supervising office."""

from __future__ import annotations

from typing import List, Optional, Tuple

from yytrack.errors import PermissionDenied
from yytrack.ledger.updating import Context
from yytrack.repo import files, records, store, writes, yamlio
from yytrack.trust.policy import from_data

MESSAGE = "进展记录升级为第 2 版格式（只追加）\n\nYytrack-Migrate: 2\n"


def pending(ctx: Context) -> List[Tuple[str, str]]:
    """(repository path, new text) of every record file still in format 1."""
    out = []
    base = ctx.root / files.PROGRESS
    for path in sorted(base.glob("*/*/*.yaml")) if base.is_dir() else []:
        if path.name == files.REVIEW_FILE or path.is_symlink() or not path.is_file():
            continue
        rel = path.relative_to(ctx.root).as_posix()
        new = records.migrate_text(yamlio.read_text(path), rel)
        if new is not None:
            out.append((rel, new))
    return out


def migrate(ctx: Context, author: Optional[str]) -> Tuple[Optional[str], int]:
    """(commit id or None when nothing was old, number of files rewritten)."""
    who = store.identity(ctx.root, author)
    policy = from_data(ctx.config, None)
    if not policy.is_office(who.email):
        raise PermissionDenied(f"只有{policy.office}（supervisor.reviewers 或 admins）可以升级进展记录格式；"
                               f"{who.email} 不在其中")
    with writes.locked(ctx.root):
        todo = pending(ctx)
        if not todo:
            return None, 0

        def write():
            for rel, text in todo:
                yamlio.write_atomic(ctx.root / rel, text)

        commit = writes.commit_paths(ctx.root, [rel for rel, _ in todo], MESSAGE, who, write)
    return commit, len(todo)
