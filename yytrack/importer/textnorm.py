"""Policy text in: decode the bytes, then undo what PDF extraction did to the text.

PDF-extracted Chinese documents arrive with half-width punctuation (`.` for 。, `,` for ，), full-width digits,
spaces between characters, page numbers on their own lines and a line break wherever the printed line ended.
`normalize_text` turns such text into one paragraph per line with the punctuation a person would have typed.
"""

from __future__ import annotations

import re
from typing import List

from yytrack.errors import UsageProblem

# A paragraph that starts with one of these is a heading: 一、 / （一） / (1) / 1. / 1、 / 第一章
HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|[（(]\d{1,2}[）)]|\d{1,2}[.、．](?!\d)"
    r"|第[一二三四五六七八九十百]+[章节条部分])"
)
# Lines like 牵头单位：区发改局 or 完成时限：2023年底前 stand on their own, as headings do.
LABEL_START = re.compile(
    r"^(?:主要|具体|其他)?(?:牵头|主责|主办|责任|配合|协办|协作|参与|参加|协同|承办|落实|实施)(?:责任)?(?:单位|部门)[：:]"
    r"|^(?:部门|责任|任务)分工[：:]|^(?:分管|责任|牵头|联系|包保|挂钩)(?:负责)?(?:省|市|县|区|州)?(?:领导|负责人)[：:]"
    r"|^(?:完成时限|完成时间|时间节点|时限要求|完成期限)[：:]")
_SHORT_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,8}[：:]")
CJK = r"\u3400-\u9fff\uf900-\ufaff"
# Chinese punctuation and full-width brackets count as Chinese context too.
CJK_PUNCT = "，。、；：？！“”‘’（）《》〔〕【】「」『』〈〉—…·％"
_CJK_CHAR = re.compile(f"[{CJK}{re.escape(CJK_PUNCT)}]")
_SENTENCE_END = re.compile(r"[。！？；：!?;:][”’」』）)〕\]]*$")
# A responsibility clause closes its paragraph even without a full stop: （…按职责分工落实）
_CLAUSE_END = re.compile(r"(?:落实|负责|配合|牵头)[）)〕\]]$|[。；！？][（(〔][^（）()〔〕。]{1,150}[）)〕]$")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-－—–]\s*)?\d{1,3}(?:\s*[-－—–])?\s*$|^\s*第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?\s*$")
# Lines that are never part of a sentence: a date, a document number, a bracketed remark like （此件主动公开）
_LINE_OF_ITS_OWN = re.compile(r"^(?:\d{4}年\d{1,2}月\d{1,2}日|\S{1,12}〔\d{4}〕\d+号|[（(][^，。；：,.;:]{1,20}[）)])$")
_TITLE_END = re.compile(r"(?:通知|方案|意见|办法|规划|措施|计划|要点|细则|规定|决定)$")
_BRACKET_PAIRS = {"（": "）", "(": ")", "《": "》", "“": "”", "〔": "〕", "[": "]", "【": "】"}
_FULLWIDTH_KEEP = set("，。：；？！（）［］｛｝")  # these are Chinese punctuation, not wide ASCII


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK); line ends become \\n."""
    from yytrack.repo.yamlio import decode_human_text

    try:
        text = decode_human_text(raw)
    except UnicodeDecodeError as e:
        raise UsageProblem("输入文件不是 UTF-8 或 GBK 编码的文本，请先另存为 UTF-8") from e
    if "\x00" in text:  # a PDF or Word file decodes as GB18030 too; NUL bytes give it away
        raise UsageProblem("输入文件不是 UTF-8 或 GBK 编码的文本（像是二进制文件），请先提取为纯文本")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalize_text(text: str) -> str:
    """One paragraph per line, page numbers dropped, Chinese punctuation, half-width digits and latin."""
    lines: List[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _to_halfwidth(line)
        if not line.strip() or _PAGE_NUMBER.match(line):
            continue
        # spaces again after the punctuation pass: "服务. (" has ASCII on both sides until it becomes "服务。（"
        lines.append(_remove_stray_spaces(fix_punctuation(_remove_stray_spaces(line.strip()))))
    return "\n".join(_join_broken_lines(lines)) + "\n"


def _to_halfwidth(line: str) -> str:
    """Full-width digits, latin letters, ％ ＋ ． become ASCII; the ideographic space becomes a space."""
    out = []
    for ch in line:
        code = ord(ch)
        if ch == "\u3000":
            out.append(" ")
        elif ch in "\ufe52\u2024":  # ﹒ and ․: the small full stops some editors put after item numbers
            out.append(".")
        elif ch in "\ufeff\u200b\u200c\u200d":  # BOM and zero-width spaces from web pages
            continue
        elif 0xFF01 <= code <= 0xFF5E and ch not in _FULLWIDTH_KEEP:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def _remove_stray_spaces(line: str) -> str:
    """A space survives only between two ASCII characters (Word Excel); PDF spacing between CJK goes."""

    def keep_or_drop(match: re.Match) -> str:
        before = line[match.start() - 1] if match.start() else ""
        after = line[match.end()] if match.end() < len(line) else ""
        return " " if before.isascii() and after.isascii() and before and after else ""

    return re.sub(r"[ \t\u00a0\u3000]+", keep_or_drop, line)


def _is_chinese(ch: str) -> bool:
    return bool(ch) and bool(_CJK_CHAR.match(ch))


def fix_punctuation(line: str) -> str:
    """Half-width punctuation next to Chinese becomes full-width; decimals (77.72) and URLs stay."""
    line = line.replace("«", "《").replace("»", "》")
    line = re.sub(r"[〈<]([乡镇区市县街道、]{1,8})[〉>]", r"（\1）", line)  # 各乡〈镇〉 → 各乡（镇）
    line = re.sub(r"[\[［【〔]\s*((?:19|20)\d\d)\s*[\]］】〕]", r"〔\1〕", line)
    line = re.sub(r"[(（]((?:19|20)\d\d)[)）](?=\d+号)", r"〔\1〕", line)
    simple = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
    chars, openers = list(line), []  # positions of the "(" not yet closed
    for i, ch in enumerate(line):
        before = chars[i - 1] if i else ""  # already converted: "）," sees the full-width bracket
        after = line[i + 1] if i + 1 < len(line) else ""
        if ch == "(":
            openers.append(i)
            if _is_chinese(before) or _is_chinese(after) or _inside(line, i):
                chars[i] = "（"
        elif ch == ")":
            opener = openers.pop() if openers else None
            if (opener is not None and chars[opener] == "（") or _is_chinese(before) or _is_chinese(after):
                chars[i] = "）"
                if opener is not None:
                    chars[opener] = "（"  # (DIP)、 at a line start: the pair goes full-width together
        elif ch in simple and (_is_chinese(before) or _is_chinese(after)):
            chars[i] = simple[ch]
        elif ch == "." and _is_full_stop(before, after):
            chars[i] = "。"
    return "".join(chars)


def _inside(line: str, i: int) -> str:
    """A Chinese character inside the brackets opening at i (附件 2、3), or ''."""
    close = line.find(")", i)
    found = _CJK_CHAR.search(line, i + 1, close if close > 0 else len(line))
    return found.group(0) if found else ""


def _is_full_stop(before: str, after: str) -> bool:
    """`.` after Chinese (or a closing mark or %) and not before a digit or letter: the end of a sentence."""
    if after and after.isascii() and after.isalnum():
        return False
    return _is_chinese(before) or (bool(before) and before in ")%\"'")


def _join_broken_lines(lines: List[str]) -> List[str]:
    """Glue a line to the previous one unless a sentence ended there, or either side is a heading or title."""
    width = _printed_line_width(lines)
    paragraphs: List[str] = []
    for line in lines:
        if paragraphs and _continues(paragraphs[-1], line, width):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return paragraphs


def _printed_line_width(lines: List[str]) -> int:
    """The length of a full printed line: most lines of a PDF page are full, so take the upper quartile."""
    lengths = sorted(len(line) for line in lines) or [0]
    return lengths[(len(lengths) * 3) // 4]


def _continues(paragraph: str, line: str, width: int) -> bool:
    if HEADING_START.match(line) or LABEL_START.match(line) or _LINE_OF_ITS_OWN.match(line):
        return False
    if _SHORT_LABEL.match(line) and (_SHORT_LABEL.match(paragraph) or LABEL_START.match(paragraph)):
        return False  # 责任领导：李某 / 督导组：市政府督查室 — one label per line
    if _SENTENCE_END.search(paragraph) or _CLAUSE_END.search(paragraph):
        return False
    return not is_standalone(paragraph, width)


def is_standalone(paragraph: str, width: int = 10**6) -> bool:
    """A line that stands alone: a section heading, or a short title, date or signature.

    Short means clearly shorter than a full printed line, so a broken line that happens to carry no
    punctuation still joins the next one; brackets must be balanced (a title broken inside 《》 continues).
    """
    if len(paragraph) > 50 or re.search(r"[，。；：！？,;:!?]", paragraph):
        return False
    if not all(paragraph.count(o) == paragraph.count(c) for o, c in _BRACKET_PAIRS.items()):
        return False
    if re.match(r"[一二三四五六七八九十百]+、", paragraph) or _LINE_OF_ITS_OWN.match(paragraph):
        return True
    return bool(_TITLE_END.search(paragraph)) or len(paragraph) < 0.85 * width
