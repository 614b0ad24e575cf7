"""Old months and cold starts parse only the entries they need (yytrack.repo.recordindex): every answer is
the one the whole file gives, for machine-written files, hand-edited ones and files outside the layout."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from yytrack.model import Indicator, Update
from yytrack.reports import alerts
from yytrack.repo import records, recordindex
from yytrack.repo.cache import RecordCache, ordered, window_of, window_start

NOTES = ["开工。", "含 'quote' 的说明", "多行\n说明", "  前后空格  ", "#号 与: 冒号", "", "yes", "2026-01-01",
         "- 列表样", "[方括号]", "'"]
MEASURE, UNIT = "demo-01", "省卫健委"


def _history(rng: random.Random, count: int, odd_notes: bool = True):
    out = []
    for k in range(count):
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 2600))
        seen = day + dt.timedelta(days=rng.choice([0, 0, 1, 30, 400]))
        recorded = "" if rng.random() < 0.03 else f"{seen.isoformat()}T{rng.randint(8, 18):02d}:00:00.000+08:00"
        values = [(name, float(rng.randint(0, 99))) for name in ("覆盖率", "床位数") if rng.random() < 0.15]
        update = Update(MEASURE, UNIT, rng.choice(["in_progress", "done", "blocked"]), day,
                        rng.choice([None, k % 101]), rng.choice(NOTES) if odd_notes else f"第 {k} 次。",
                        "李明 <li@example.cn>", recorded,
                        ("progress/demo/demo-01/evidence/a.pdf",) if rng.random() < 0.1 else (), tuple(values))
        if rng.random() < 0.05:
            update = dataclasses.replace(update, on_behalf=True, source="省政府办公厅")
        out.append(update)
    return out


def _write(path, updates) -> None:
    path.write_text(records.record_head(MEASURE, UNIT), encoding="utf-8")  # a file with no entry yet
    for update in updates:
        records.append_update(path, update)


def _cache(tmp_path, folder=True) -> RecordCache:
    return RecordCache(tmp_path / "cache" if folder else None, records.read_updates, tmp_path)


def _days(rng: random.Random):
    for _ in range(8):
        since = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 2700))
        yield since, since + dt.timedelta(days=rng.choice([0, 20, 200]))


def test_index_answers_as_the_whole_file(tmp_path):
    rng = random.Random(5)
    indexed = 0
    for n in range(50):
        path = tmp_path / f"r{n}.yaml"
        _write(path, _history(rng, rng.randint(0, 60), odd_notes=n % 3 == 0))
        full = records.read_updates(path, MEASURE, UNIT)
        indexed += recordindex.read_index(path) is not None
        cut, rows = recordindex.recent_window(_cache(tmp_path, False), path, "blob", MEASURE, UNIT)
        assert (cut, rows) == ((window_start(full), window_of(full, cut)) if full else (dt.date.min, []))
        for since, as_of in _days(rng):
            for names in ((MEASURE, UNIT),):
                got = recordindex.past_window(_cache(tmp_path, False), path, "blob", names, since, as_of)
                assert got == window_of(records.as_of(full, as_of), since)
                known = records.as_of(full, as_of)
                want = ordered(known)[-1] if known else None
                assert recordindex.latest_known(_cache(tmp_path, False), path, "blob", names, as_of) == want
    assert indexed >= 30  # the machine-written layout is answered from the index


def test_window_cut_at_any_day_answers_a_report_like_the_whole_history():
    """The window cut at a report's first day (an old month) against the full list: same latest update,
    reporting, timeliness, indicator and starting-status answers."""
    rng = random.Random(9)
    for _ in range(40):
        updates = _history(rng, rng.randint(1, 80), odd_notes=False)
        for since, as_of in _days(rng):
            period = alerts.Period.containing(as_of - dt.timedelta(days=rng.randint(0, 60)))
            if period.start < since:
                continue
            full = {UNIT: ordered(records.as_of(updates, as_of))}
            win = {UNIT: ordered(records.as_of(window_of(records.as_of(updates, as_of), since), as_of))}
            assert full[UNIT][-1:] == win[UNIT][-1:]
            assert alerts.reported_units(full, lambda u: [], period) == alerts.reported_units(win, lambda u: [], period)
            due = period.due_date(25)
            assert alerts.on_time_units(full, lambda u: [], period, due) == alerts.on_time_units(win, lambda u: [],
                                                                                                 period, due)
            for name in ("覆盖率", "床位数"):
                ind = Indicator(name, 50)
                assert alerts.indicator_state(ind, full, as_of) == alerts.indicator_state(ind, win, as_of)
            start = period.start.isoformat()
            before = [[u for u in x[UNIT] if (u.recorded or u.date.isoformat())[:10] < start] for x in (full, win)]
            assert records.latest(before[0]) == records.latest(before[1])


def _machine_file(tmp_path):
    path = tmp_path / "r.yaml"
    _write(path, _history(random.Random(3), 12, odd_notes=False))
    return path, path.read_text(encoding="utf-8")


def test_layouts_outside_the_writers_fall_back_to_the_whole_file(tmp_path):
    path, text = _machine_file(tmp_path)
    assert recordindex.index_text(text) is not None
    first, author_end = text.index("    note: "), text.index("\n", text.index("    author: "))
    note_end = text.index("\n", first)
    evidence = text[:note_end] + "\n    evidence:\n      - a.pdf" + text[note_end:]
    assert recordindex.index_text(evidence) is not None
    number = text[:note_end] + "\n    indicators:\n      覆盖率: -1.5e+3" + text[note_end:]
    assert recordindex.index_text(number) is not None
    quoted = text[:first] + "    note: '引号里的: 冒号:'\n" + text[text.index("\n", first) + 1:]
    assert recordindex.index_text(quoted) is not None  # the writer quotes such a value: nothing stray
    fake = ("    note: '跨行\n  - date: '2099-01-01'\n    recorded: '2099-01-01T10:00:00.000+08:00'\n"
            "    author: x\n    status: done\n    note: y'\n")
    edits = [
        text[:first] + fake + text[text.index("\n", first) + 1:],  # a quoted value running over lines
        text.replace("    note: ", "    note: \"", 1),
        text.replace("    note: ", "    note: |\n      ", 1),
        text.replace("    status: ", "    note: x\n    status: ", 1),  # keys out of order, twice
        text.replace("  - date: '", "\n  - date: '", 2),  # a blank line
        text.replace("  - date: '", "  # 注释\n  - date: '", 2),
        text.replace("  - date: '20", "  - date: '٢٠", 1),
        text.replace("  - date: '20", "  - date: '00", 1),  # a year the full read refuses
        text.replace("    note: ", "    note: 说明: 冒号 ", 1),  # YAML refuses the whole file
        text[:author_end] + ":" + text[author_end:],  # a value ending in ':'
        text[:note_end] + "\n    evidence:\n      - 佐证: a.pdf" + text[note_end:],  # an item YAML reads as a mapping
        text.replace("  - date: '", "  - date: '2021-02-30'\n  - date: '", 1),
        text[:note_end] + "\n    indicators:\n      覆盖率: 1..2" + text[note_end:],  # not a number to anyone
        text.rstrip("\n"),
        text.replace("updates:\n", "updates: []\n"),
    ]
    for edit in edits:
        assert recordindex.index_text(edit) is None, edit


def test_cache_answers_from_the_whole_file_when_the_index_cannot(tmp_path):
    path, text = _machine_file(tmp_path)
    first = text.index("    note: ")
    odd = text[:first] + "    note: \"双引号\"\n" + text[text.index("\n", first) + 1:]
    path.write_text(odd, encoding="utf-8")
    full = records.read_updates(path, MEASURE, UNIT)
    cache = _cache(tmp_path)
    since, as_of = dt.date(2020, 1, 1), dt.date(2021, 6, 30)
    assert cache.window(path, MEASURE, UNIT, since, as_of) == window_of(records.as_of(full, as_of), since)
    known = records.as_of(full, as_of)
    assert cache.latest_known(path, MEASURE, UNIT, as_of) == (ordered(known)[-1] if known else None)
    assert any(u.note == "双引号" for u in full)


def test_an_old_month_keeps_the_index_and_ignores_a_kept_one_that_does_not_fit(tmp_path):
    from yytrack.repo.cache import blob_id

    path = tmp_path / "r.yaml"
    _write(path, _history(random.Random(21), 50, odd_notes=False))
    full = records.read_updates(path, MEASURE, UNIT)
    blob = blob_id(path.read_bytes())
    kept = tmp_path / "cache" / "index" / f"{blob}.json"
    since, as_of = dt.date(2020, 3, 1), dt.date(2020, 9, 30)
    want = window_of(records.as_of(full, as_of), since)
    assert recordindex.read_index(path) is not None
    assert _cache(tmp_path).window(path, MEASURE, UNIT, since, as_of) == want
    assert kept.is_file()
    good = kept.read_text(encoding="utf-8")
    known = records.as_of(full, as_of)
    for planted in (good, good.replace('"version":5', '"version":4'), "{", '{"version": 5, "data": [[], [], [], []]}',
                    good.replace(",1", ",2", 1), good.replace('"20', '"19', 1), good.replace('",', '",\n', 1)):
        kept.write_text(planted, encoding="utf-8")
        assert _cache(tmp_path).window(path, MEASURE, UNIT, since, as_of) == want, planted
        assert _cache(tmp_path).latest_known(path, MEASURE, UNIT, as_of) == (ordered(known)[-1] if known else None)
