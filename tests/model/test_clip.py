"""Shortened cell text ends with … and never cuts a bracket pair open."""

from __future__ import annotations

import pytest

from yytrack.model.clip import clip

OPENERS, CLOSERS = "（(〔【《“[〈", "）)〕】》”]〉"


def balanced(text: str) -> bool:
    stack = []
    for ch in text:
        if ch in OPENERS:
            stack.append(OPENERS.index(ch))
        elif ch in CLOSERS:
            if not stack or stack.pop() != CLOSERS.index(ch):
                return False
    return not stack


NOTE = "全省所有县（市、区）至少建成一个医养结合机构（闽卫督函〔2024〕137号）"


@pytest.mark.parametrize("limit", range(2, len(NOTE) + 2))
def test_every_cut_is_marked_and_keeps_brackets_whole(limit):
    short = clip(NOTE, limit)
    assert len(short) <= limit
    assert balanced(short), short
    if len(NOTE) > limit:
        assert short.endswith("…") or short.endswith("…）")
    else:
        assert short == NOTE


@pytest.mark.parametrize("text, limit, expected", [
    ("加强行业监管和督促考核（闽卫督函〔2024〕137号）", 18, "加强行业监管和督促考核…"),
    ("完成“双随机、一公开”抽查 120 家", 8, "完成…"),
    ("短文本", 10, "短文本"),
    ("多  个\n空白", 10, "多 个 空白"),
    ("（全部在括号里很长的说明）", 6, "（全部在…）"),
    ("《条例》（2024年修订）第三条", 9, "《条例》…"),
])
def test_examples(text, limit, expected):
    assert clip(text, limit) == expected
