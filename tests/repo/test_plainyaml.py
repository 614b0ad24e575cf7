"""The hand-written entry text is the round-trip dumper's, byte for byte, or it steps aside."""

from __future__ import annotations

import datetime as dt
import random

from yytrack.model import Update
from yytrack.repo import yamlio
from yytrack.repo.plainyaml import entry_text, plain
from yytrack.repo.records import update_to_dict

# Characters chosen to hit every rule of YAML's plain scalars: indicators, quotes, comment and mapping
# marks, escapes, look-alike numbers and words, wide punctuation, spaces of every kind.
RISKY = list("abcXYZ019 .,;:#-?[]{}!&*|>'\"%@`\\/+=<_~\t\n") + [
    "，", "。", "、", "：", "（", "）", "《", "》", "“", "”", "—", "…", "％", "\u3000", "\u00a0", "é", "😀",
    "\u200b", "\x7f", "\u2028", "中", "医", "养", "床", "位"]
WORDS = ["true", "False", "yes", "No", "on", "OFF", "null", "~", "1.5", "0x1F", "1e3", "+1", ".inf", "2026-01-01",
         "12:30", "- a", "a: b", "a #b", "", " a", "a ", "Infinity", "y", "n"]


def _text(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(WORDS)
    return "".join(rng.choice(RISKY) for _ in range(rng.randint(1, 12)))


def _entry(rng: random.Random) -> dict:
    entry = {"date": rng.choice(["2026-11-29", "2026-1-2", "2026-11-29x"]),
             "recorded": rng.choice(["2026-11-29T20:59:22.905+08:00", "2026-11-29T20:59:22Z", "2026-11-29 20:59"]),
             "author": rng.choice(["省人社厅 陈斌 <u004@bench.example.cn>", _text(rng)]),
             "status": rng.choice(["in_progress", "done", "blocked", "not_started", _text(rng)])}
    if rng.random() < 0.8:
        entry["progress"] = rng.choice([0, 60, 100, 101, -1, True, 7.5])
    entry["note"] = rng.choice(["完成本月社区医养结合服务设施核查，新增护理型床位 36 张。", _text(rng), ""])
    return entry


def test_random_entries_are_the_dumpers_bytes_or_left_to_it():
    rng = random.Random(20261129)
    fast = 0
    for _ in range(3000):
        entry = _entry(rng)
        text = entry_text(entry)
        if text is not None:
            fast += 1
            assert text == yamlio.dump_text([entry]), entry
    assert fast > 50  # the everyday shape does take the short way


def test_plain_words_are_what_the_dumper_leaves_unquoted():
    rng = random.Random(7)
    for _ in range(3000):
        word = _text(rng)
        if plain(word):
            assert yamlio.dump_text({"k": word}) == f"k: {word}\n", word


def test_everyday_update_takes_the_short_way():
    update = Update("fujian-01", "省民政厅", "in_progress", dt.date(2026, 11, 20), 60,
                    "完成本月社区医养结合服务设施核查（第三季度），新增护理型床位 36 张。", "王芳 <wang@mz.fj.gov.cn>",
                    "2026-11-20T10:00:00.000+08:00")
    entry = update_to_dict(update)
    assert entry_text(entry) == yamlio.dump_text([entry])
    unusual = update_to_dict(Update("fujian-01", "省民政厅", "in_progress", dt.date(2026, 11, 20), 60,
                                    "note: 带冒号", "王芳 <wang@mz.fj.gov.cn>", "2026-11-20T10:00:00.000+08:00"))
    assert entry_text(unusual) is None
