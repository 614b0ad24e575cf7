"""A record's current state from one pass over its entry heads (yytrack.repo.recordsummary) is exactly
what the whole file gives, or None."""

from __future__ import annotations

import datetime as dt
import random

from yytrack.model import Update
from yytrack.repo import records
from yytrack.repo.cache import summarize
from yytrack.repo.recordsummary import read_summary

NOTES = ["开工。", "含 'quote' 的说明", "多行\n说明", "  前后空格  ", "#号 与: 冒号", "", "yes", "2026-01-01"]


def _history(rng: random.Random, count: int):
    out = []
    for k in range(count):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
        seen = day + dt.timedelta(days=rng.choice([0, 0, 1, 30]))
        recorded = "" if rng.random() < 0.05 else f"{seen.isoformat()}T{rng.randint(8, 18):02d}:00:00.000+08:00"
        out.append(Update("demo-01", "省卫健委", rng.choice(["in_progress", "done", "blocked"]), day,
                          rng.choice([None, k % 101]), rng.choice(NOTES), "李明 <li@example.cn>", recorded,
                          ("progress/demo/demo-01/evidence/a.pdf",) if rng.random() < 0.1 else (),
                          (("覆盖率", float(k)),) if rng.random() < 0.2 else ()))
    return out


def test_same_answer_as_the_whole_file_or_none(tmp_path):
    rng = random.Random(11)
    answered = 0
    for n in range(60):
        path = tmp_path / f"r{n}.yaml"
        previous = None
        for update in _history(rng, rng.randint(1, 40)):
            records.append_update(path, update, previous)
            previous = records.latest([u for u in (previous, update) if u])
        full = summarize(records.read_updates(path, "demo-01", "省卫健委"))
        quick = read_summary(path, "demo-01", "省卫健委")
        if quick is not None:
            answered += 1
            assert (quick[0], quick[1], quick[2]) == (full.latest, full.max_date, full.max_day), path.read_text()
    assert answered >= 40  # most machine-written files are answered from the heads


def test_edited_layouts_fall_back(tmp_path):
    path = tmp_path / "r.yaml"
    previous = None
    for update in _history(random.Random(3), 5):
        records.append_update(path, update, previous)
        previous = records.latest([u for u in (previous, update) if u])
    text = path.read_text(encoding="utf-8")
    for edit in (text.replace("  - date: '", "  - date: \"", 1), text.replace("    recorded:", "    author: x\n    recorded:", 1),
                 text.replace("updates:\n", "updates:\n  - status: done\n", 1), text.replace("updates:\n", "items:\n")):
        path.write_text(edit, encoding="utf-8")
        assert read_summary(path, "demo-01", "省卫健委") is None
