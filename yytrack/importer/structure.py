"""Which numbered paragraphs are measures, which are section headings, and what belongs to each.

Headings nest: 一、 > （一） > 1. > （1） > ①. The measure is the level that carries the responsibility
clauses, decided per branch: where （一） is a heading and the 1. items under it carry the clauses, the
1. items are the measures; sub-items without a clause of their own stay in their measure's text; a
clause standing alone after sub-items （1）–（4） belongs to the item above them. A branch with no
clause at all falls back to the document's usual measure level (（一） when it has such items, else 1.).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Optional, Set, Union

from yytrack.importer import clauses

SECTION = re.compile(r"^([一二三四五六七八九十百]+)、")
PAREN_ITEM = re.compile(r"^[（(]([一二三四五六七八九十百]+)[）)]")
ARABIC_ITEM = re.compile(r"^(\d{1,2})[.、．](?!\d)")
PAREN_ARABIC = re.compile(r"^[（(](\d{1,2})[）)]")
CIRCLED = re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")
CHAPTER = re.compile(r"^第[一二三四五六七八九十百]+(?:部分|章|篇)")
LEVELS = ((CHAPTER, 0), (SECTION, 1), (PAREN_ITEM, 2), (ARABIC_ITEM, 3), (PAREN_ARABIC, 4), (CIRCLED, 5))
# A label line of the clause kind that no reader knows (督导组：…): kept with the clause, read as not understood.
OTHER_LABEL = re.compile(r"^[\u4e00-\u9fff]{1,6}(?:组|单位|部门|领导|责任人|机构)[：:]")
TIMING_LABEL = re.compile(r"^(?:完成时限|完成时间|时间节点|时限要求|完成期限|进度安排)[：:]")
END_OF_BODY = re.compile(r"^[-*•]?(?:抄送|抄报|附件|主题词|联系人)|印发$|^\d{4}年\d{1,2}月\d{1,2}日$")


def level_of(paragraph: str) -> int:
    """The heading level of a paragraph (0 for 第一部分 … 5 for ①), or -1 when it is no heading."""
    return next((level for pattern, level in LEVELS if pattern.match(paragraph)), -1)


def has_clause(paragraph: str) -> bool:
    return bool(clauses.CLAUSE_LABEL.match(paragraph)) or clauses.split_clause(paragraph)[1] is not None \
        or inner_clause(paragraph) is not None


def inner_clause(paragraph: str) -> Optional[str]:
    """A clause in brackets that ends a sentence inside the paragraph: …工作。（省财政厅牵头）下一句…"""
    for match in re.finditer(r"[（(〔]([^（）()〔〕]{2,200})[）)〕](?=[。；]?.)", paragraph):
        if clauses.looks_like_clause(match.group(1)) and re.search(r"[\u4e00-\u9fff]{2,}(?:厅|局|委|办|府|会|部)",
                                                                   match.group(1)):
            return match.group(1)
    return None


@dataclass
class Node:
    index: int
    level: int
    own: bool = False  # a clause among its own paragraphs (not its children's)
    tail: bool = False  # that clause stands alone on a line after the text: （责任单位：…）
    children: List["Node"] = field(default_factory=list)

    def anywhere(self) -> bool:
        return self.own or any(child.anywhere() for child in self.children)


def tree(paragraphs: List[str]) -> List[Node]:
    """Top-level heading nodes, each with its children and whether its own paragraphs carry a clause."""
    roots: List[Node] = []
    stack: List[Node] = []
    for i, p in enumerate(paragraphs):
        level = level_of(p)
        if level < 0:
            if stack and has_clause(p) and not END_OF_BODY.search(p):
                stack[-1].own = True
                stack[-1].tail = not clauses.split_clause(p)[0].strip() or bool(clauses.CLAUSE_LABEL.match(p))
            continue
        node = Node(i, level, own=has_clause(p))
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    _lift_shared_clauses(roots)
    return roots


def _lift_shared_clauses(nodes: List[Node]) -> None:
    """Sub-items （1）–（4） with one clause after the last: the clause is the parent's."""
    for node in nodes:
        _lift_shared_clauses(node.children)
        kids = node.children
        if node.level >= 2 and not node.own and (len(kids) >= 2 or kids[-1:] and kids[-1].tail) and kids[-1].own \
                and not kids[-1].children \
                and not any(k.anywhere() for k in kids[:-1]):
            kids[-1].own, node.own = False, True


def default_level(paragraphs: List[str]) -> int:
    """Measures are numbered （一） when the document has such items under its sections, else 1."""
    first_section = next((i for i, p in enumerate(paragraphs) if SECTION.match(p)), 0)
    return 2 if any(PAREN_ITEM.match(p) for p in paragraphs[first_section:]) else 3


def decide(nodes: List[Node], default: int, measures: Set[int], sections: Set[int]) -> None:
    """Mark each node a measure or a section, branch by branch."""
    branch_has = any(n.anywhere() for n in nodes)
    for node in nodes:
        if node.own and node.level >= 1:
            measures.add(node.index)
            decide([c for c in node.children if c.anywhere()], default, measures, sections)
        elif node.anywhere():
            sections.add(node.index)
            decide(node.children, default, measures, sections)
        elif (branch_has and node.level >= 2) or node.level == default:
            measures.add(node.index)
        elif node.level < default:
            sections.add(node.index)
            decide(node.children, default, measures, sections)


@dataclass
class Draft:
    """A measure while its paragraphs are being collected."""

    section: str
    level: int
    paragraphs: List[str] = field(default_factory=list)
    clause_lines: List[str] = field(default_factory=list)  # 牵头单位：… / 责任单位：… on lines of their own
    timing_lines: List[str] = field(default_factory=list)  # 完成时限：…
    closed: bool = False  # the clause has been read; only sub-items may still join


def collect(paragraphs: List[str]) -> List[Union[Draft, str]]:
    """Measures (as drafts) and the loose paragraphs between them, in document order."""
    measures: Set[int] = set()
    sections: Set[int] = set()
    decide(tree(paragraphs), default_level(paragraphs), measures, sections)
    items: List[Union[Draft, str]] = []
    headings: List[tuple] = []  # (level, heading) of the sections above the current place
    current = None
    for i, p in enumerate(paragraphs):
        level = level_of(p)
        if i in sections:
            headings = [h for h in headings if h[0] < level] + [(level, p.split("。")[0])]
            current = None
        elif i in measures:
            section = next((h for lv, h in reversed(headings) if lv < level), "")
            current = Draft(section, level, [p], closed=has_clause(p))
            items.append(current)
        elif current and (clauses.CLAUSE_LABEL.match(p) or OTHER_LABEL.match(p)):
            current.clause_lines.append(p)
        elif current and TIMING_LABEL.match(p):
            current.timing_lines.append(p)
        elif current and _belongs(current, p, level):
            current.paragraphs.append(p)
            current.closed = current.closed or has_clause(p)
        else:
            current = None
            items.append(p)
    return items


def _belongs(current: Draft, paragraph: str, level: int) -> bool:
    """Open measures take what follows; a closed one only its own sub-items (deeper headings)."""
    if _ends_body(paragraph):
        return False
    return not current.closed or (level > current.level and not has_clause(paragraph))


def _ends_body(paragraph: str) -> bool:
    """Body paragraphs are sentences; a short line without punctuation is a signature or a new title."""
    bare = len(paragraph) <= 30 and not re.search(r"[，。；：！？]", paragraph) and level_of(paragraph) < 0 \
        and not has_clause(paragraph)
    return bare or bool(END_OF_BODY.search(paragraph))
