"""Word's automatic numbering: the 一、 / （一） / 1. that Word draws but does not store in the text.

Each numbered paragraph names a numbering instance and a level; the numbering part gives each level its
format (decimal, chineseCounting …), its pattern (%1、 / （%1） / %1.) and its start. Counting the
paragraphs in order gives back the labels a reader sees on the page.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CHINESE = ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
            "taiwaneseCounting", "ideographTraditional", "koreanCounting")


def _chinese(value: int) -> str:
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")
    return str(value)


def _formatted(value: int, fmt: str) -> str:
    if fmt in _CHINESE:
        return _chinese(value)
    if fmt.startswith("decimalEnclosedCircle") and 0 < value <= len(_CIRCLED):
        return _CIRCLED[value - 1]
    if fmt == "none":
        return ""
    return str(value)


class Numbering:
    """Labels for numbered paragraphs, counted in document order."""

    def __init__(self, document) -> None:
        self.levels: Dict[str, Dict[int, Tuple[int, str, str]]] = {}  # numId → level → (start, fmt, text)
        self.counters: Dict[str, List[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(W + "abstractNumId"): self._levels(a) for a in root.iter(W + "abstractNum")}
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is not None:
                self.levels[num.get(W + "numId")] = abstract.get(ref.get(W + "val"), {})

    @staticmethod
    def _levels(abstract) -> Dict[int, Tuple[int, str, str]]:
        levels = {}
        for lvl in abstract.iter(W + "lvl"):
            start, fmt, text = lvl.find(W + "start"), lvl.find(W + "numFmt"), lvl.find(W + "lvlText")
            levels[int(lvl.get(W + "ilvl") or 0)] = (
                int(start.get(W + "val")) if start is not None and (start.get(W + "val") or "").isdigit() else 1,
                fmt.get(W + "val") if fmt is not None else "decimal",
                text.get(W + "val") if text is not None else "")
        return levels

    def label(self, paragraph) -> str:
        """The label Word shows before the paragraph ('' when it is not numbered)."""
        found = self._num_pr(paragraph)
        if not found or found[0] not in self.levels or found[1] not in self.levels[found[0]]:
            return ""
        num_id, level = found
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        text = self.levels[num_id][level][2]
        for shown in range(level, -1, -1):
            start, fmt, _ = self.levels[num_id].get(shown, (1, "decimal", ""))
            value = max(counters[shown], 1) + start - 1
            text = text.replace(f"%{shown + 1}", _formatted(value, fmt))
        return text

    @staticmethod
    def _num_pr(paragraph) -> Optional[Tuple[str, int]]:
        for holder in (paragraph._p.pPr, _style_ppr(paragraph)):
            num_pr = holder.find(W + "numPr") if holder is not None else None
            if num_pr is None:
                continue
            num_id, ilvl = num_pr.find(W + "numId"), num_pr.find(W + "ilvl")
            if num_id is not None and num_id.get(W + "val") not in (None, "0"):
                level = ilvl.get(W + "val") if ilvl is not None else "0"
                return num_id.get(W + "val"), int(level) if (level or "").isdigit() and int(level) < 9 else 0
        return None


def _style_ppr(paragraph):
    try:
        style = paragraph.style
    except (KeyError, ValueError, AttributeError):
        return None
    return style.element.pPr if style is not None and style.element is not None else None
