"""Measuring text for print: balanced title lines, fitted columns, wrapped line counts."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from yytrack.reports.textfit import (chinese_dates, display_width, fit_columns, title_lines, wrapped_lines)

TITLES = ["关于进一步推进医养结合发展的实施方案落实情况督导通报",
          "关于进一步推进医养结合发展的指导意见落实情况督导通报",
          "丘北县深入推进医养结合发展实施方案落实情况督导通报",
          "关于组织开展第二批全国医养结合示范项目创建工作的通知落实情况督导通报",
          "关于抓紧报送2026年11月落实进展的通知",
          "国务院办公厅关于推进养老服务发展的意见落实情况督导通报"]


def width(line: str) -> float:
    return display_width(line) / 2


def test_bundled_titles_break_into_balanced_lines_at_word_boundaries():
    lines = title_lines(TITLES[0], 20)
    assert lines == ["关于进一步推进医养结合发展的", "实施方案落实情况督导通报"]
    assert title_lines(TITLES[2], 20) == ["丘北县深入推进医养结合发展", "实施方案落实情况督导通报"]
    assert title_lines(TITLES[4], 20) == [TITLES[4]], "digits are half a character: it fits one line"
    for title in TITLES:
        lines = title_lines(title, 20)
        assert "".join(lines) == title and all(width(x) <= 20 for x in lines)
        assert all(len(x) >= 2 for x in lines), "never one character alone"


def test_a_break_never_splits_a_date_a_number_or_a_bracketed_name():
    title = "关于《福建省医养结合示范项目创建管理办法》和2026年11月30日前完成事项的通知"
    for per_line in (12, 16, 20, 24):
        lines = title_lines(title, per_line)
        assert "".join(lines) == title
        for a, b in zip(lines, lines[1:]):
            assert not (a[-1].isdigit() and (b[0].isdigit() or b[0] in "年月日")), (a, b)
            assert not (a[-1] in "年月" and b[0].isdigit()), (a, b)
            if per_line >= 20:  # the name (17 characters) fits a line, so it is never broken
                assert a.count("《") == a.count("》"), (a, b)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="关于推进医养结合发展的实施方案落实情况督导通报年月日《》（）0123456789", min_size=1, max_size=70),
       st.integers(min_value=8, max_value=24))
def test_title_lines_keep_every_character_and_stay_within_the_line(text, per_line):
    lines = title_lines(text, per_line)
    assert "".join(lines) == "".join(text.split())
    if len(lines) > 1:
        assert all(len(x) >= 2 for x in lines)


def test_columns_fit_content_and_the_rest_takes_what_is_left():
    texts = [["日期", "2026-11-29"], ["措施", "推进居家社区医养结合设施建设"], ["说明", "很长的说明" * 10]]
    widths = fit_columns(texts, ["fixed", "wrap", "rest"], 60, [4, 12, 10], slack=1)
    assert round(sum(widths), 6) == 60
    assert widths[0] == 11, "a date keeps its ten half-width characters"
    assert 12 <= widths[1] <= 28 and widths[2] >= 10
    roomy = fit_columns(texts, ["fixed", "wrap", "rest"], 200, [4, 12, 10])
    assert roomy[1] == 28 and roomy[2] == 200 - 10 - 28


def test_wrapped_lines_count_cjk_as_two_and_each_line_on_its_own():
    assert wrapped_lines("一二三四五", 10) == 1
    assert wrapped_lines("一二三四五六", 10) == 2
    assert wrapped_lines("ab\n一二三四五六七八九十", 10) == 3
    assert chinese_dates("截止日期 2026-06-30 已逾期") == "截止日期 2026年6月30日 已逾期"
    assert not re.search(r"\d{4}-\d{2}", chinese_dates("2026-11-01 至 2026-11-30"))
