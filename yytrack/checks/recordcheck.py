"""`check` on progress and review records without re-reading what an earlier check already read.

What `check` finds in a record file on its own (it cannot be read, a conflict marker, a field of the
wrong kind) depends only on the file's bytes, so it is kept in the derived-state cache under the
file's git blob id (repo.cache): a record unchanged since the last check is not parsed again, and a
copy or a clone that carries the cache reuses it. The rules across files (checks.progress) get the
record's head (`measure:`, `unit:`, … with their lines), which is all they read.

A record read for the first time is parsed cheaply when it can be: the machine-written list through
the line reader (repo.recordscan, which reads exactly what the YAML loader would), the head through
the round-trip loader. Only when that finds a problem, or the file is outside the machine-written
layout, is the whole file loaded round-trip, so that every problem names its line.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from yytrack.checks.framework import Doc, Head, Report, _checking_yaml, conflict_marker_line, line_of, load_doc, \
    relative
from yytrack.checks.schema import RECORD_SCHEMA, REVIEW_SCHEMA, Validator
from yytrack.checks.text import check_doc_text
from yytrack.model.text import CONTROL
from yytrack.errors import InvalidTaskFile
from yytrack.repo import files, store, yamlio
from yytrack.repo.cache import BlobIds, read_json, write_json

SCALARS = (str, int, float, bool, type(None))


def _fingerprint() -> str:
    """Cached results are valid only for the schemas they were checked against."""
    text = json.dumps([RECORD_SCHEMA, REVIEW_SCHEMA, 2], sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _valid(hit: Any) -> bool:
    if not isinstance(hit, dict) or not isinstance(hit.get("problems"), list) or not isinstance(hit.get("line"), int):
        return False
    head = hit.get("head")
    return (isinstance(head, dict) and all(isinstance(v, list) and len(v) == 2 and isinstance(v[0], SCALARS)
                                           and isinstance(v[1], int) for v in head.values())
            and all(isinstance(p, list) and len(p) == 3 and isinstance(p[0], int) and isinstance(p[1], str)
                    and p[2] in ("error", "warning") for p in hit["problems"]))


class RecordChecker:
    """Loads record and review files for `check`, from the cache when their blob id is known."""

    def __init__(self, root: Path):
        self.root = root
        git = store.git_dir(root) if (root / ".git").exists() else None
        self.folder = git / "yytrack" if git and git.is_dir() else None
        self.ids = BlobIds(self.folder, root)
        found = read_json(self.folder / "check.json") if self.folder else None
        ok = isinstance(found, dict) and found.get("schema") == _fingerprint() and isinstance(found.get("files"), dict)
        self.known: Dict[str, Any] = found["files"] if ok else {}
        self.used: Dict[str, Any] = {}

    def load(self, path: Path, report: Report) -> Doc:
        rel = relative(self.root, path)
        try:
            blob: Optional[str] = self.ids.of(path)
        except OSError:
            blob = None
        hit = self.known.get(blob) if blob else None
        if not _valid(hit):
            hit = self._check(path, rel)
        if blob:
            self.used[blob] = hit
        for line, message, severity in hit["problems"]:
            (report.warning if severity == "warning" else report.error)(rel, line, message)
        if hit.get("unreadable"):
            return Doc(rel, None)
        head = Head({k: v[0] for k, v in hit["head"].items()}, {k: v[1] for k, v in hit["head"].items()}, hit["line"])
        head.span = tuple(hit.get("span") or ())  # earliest and latest entry date, for checks.values
        return Doc(rel, head)

    def _check(self, path: Path, rel: str) -> dict:
        review = path.name == files.REVIEW_FILE
        schema = REVIEW_SCHEMA if review else RECORD_SCHEMA
        scratch = Report()
        data, entries = (None, None) if review else _quick_head(path, rel, schema)
        if data is None:
            doc = load_doc(self.root, path, scratch)
            data = doc.data
            if data is not None:
                Validator(rel, scratch).check(data, schema, line_of(data), "")
                check_doc_text(doc, scratch)
                entries = data.get("reviews" if review else "updates")
        problems = [[p.line, p.message, p.severity] for p in scratch.problems]
        if data is None:
            return {"problems": problems, "head": {}, "line": 0, "unreadable": True}
        head = {str(k): [v, line_of(data, k) - 1] for k, v in data.items() if isinstance(v, SCALARS)}
        return {"problems": problems, "head": head, "line": line_of(data) - 1, "span": _span(entries)}

    def save(self) -> None:
        self.ids.save()
        if self.folder is not None and self.used != self.known:
            write_json(self.folder / "check.json", {"schema": _fingerprint(), "files": self.used})


def _span(entries: Any) -> list:
    """[earliest, latest] entry date as text, [] when there is none."""
    days = sorted(str(e.get("date")) for e in entries if isinstance(e, dict) and e.get("date") is not None) \
        if isinstance(entries, list) else []
    return [days[0], days[-1]] if days else []


def _quick_head(path: Path, rel: str, schema: dict) -> Tuple[Optional[Any], Optional[list]]:
    """The round-trip head and the entries of a machine-written record with nothing to report, else None."""
    from yytrack.repo.recordscan import LIST_KEY, Unreadable, parse_entries

    try:
        text = yamlio.read_text(path)
        if conflict_marker_line(text) or CONTROL.search(text):
            return None, None
        yamlio.refuse_aliases(path, text)
        entries = parse_entries(text)
        head = _checking_yaml().load(text[:text.find("\n" + LIST_KEY) + 1])
    except (InvalidTaskFile, Unreadable):
        return None, None
    except Exception:  # ruamel raises many types; the full load reports them with their lines
        return None, None
    if not isinstance(head, dict) or LIST_KEY.strip(":\n") in head:
        return None, None
    probe = Report()
    Validator(rel, probe).check({**head, LIST_KEY.strip(":\n"): entries}, schema, 1, "")
    return (head, entries) if not probe.problems else (None, None)
