"""Measures an import marked `review: true`: reported until a person has checked them and removed the mark."""

from __future__ import annotations

from yytrack.checks.framework import Report, Tree, line_of


def check_review_marks(tree: Tree, report: Report) -> None:
    """A warning for each measure whose file still carries review: true."""
    for _plan, doc in tree.measures:
        data = doc.data
        if not hasattr(data, "get") or data.get("review") is not True:
            continue
        measure = data.get("id") if isinstance(data.get("id"), str) else doc.path
        report.warning(doc.path, line_of(data, "review"),
                       f"措施 {measure} 导入时未能确认责任单位或条款（review: true）：请对照原文核对，"
                       "确认无误后删除 review 这一行")


RULES = (check_review_marks,)
