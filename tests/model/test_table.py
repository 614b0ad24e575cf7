"""The terminal tables (yytrack.model.table) print exactly what tabulate's "simple" format prints."""

from __future__ import annotations

import random

from tabulate import tabulate

from yytrack.model.table import simple_table

ALPHABET = (list("abcXYZ 0123-_.,:%") + list("省卫健委医养结合（一）、。：“”‘’…—·％１２")
            + ["😀", "é", "\u0301", "\t", "\n", "ｱ", "\u200b", "Ω", "\x1b[1m"])


def _text(rng: random.Random, longest: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))


def test_random_tables_match_tabulate():
    rng = random.Random(17)
    for _ in range(3000):
        columns = rng.randint(1, 5)
        headers = [_text(rng, 6) for _ in range(columns)]
        rows = [[rng.choice([None, 5, 12.5, _text(rng, 12)]) for _ in range(columns)] for _ in range(rng.randint(0, 4))]
        assert simple_table(rows, headers) == tabulate(rows, headers=headers, tablefmt="simple",
                                                       disable_numparse=True), (headers, rows)


def test_chinese_status_table():
    rows = [("未启动", 3), ("推进中", 12), ("已完成（待审核）", None)]
    out = simple_table(rows, ["状态", "措施数"])
    assert out.splitlines()[1] == "----------------  --------"
    assert out == tabulate(rows, headers=["状态", "措施数"], tablefmt="simple", disable_numparse=True)


def test_wide_ranges_agree_with_wcwidth():
    import wcwidth

    from yytrack.model.table import WIDE

    for code in range(0x3000, 0x10000):
        if WIDE.match(chr(code)):
            assert wcwidth.wcwidth(chr(code)) == 2, hex(code)
