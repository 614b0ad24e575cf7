"""Run every check over a tracking repository and return every problem, like bean-check."""

from __future__ import annotations

from pathlib import Path
from typing import List

from yytrack.checks import progress as checks_progress, review_marks, rules as checks_rules, text as checks_text
from yytrack.checks import values as checks_values
from yytrack.checks.framework import Problem, Report, load_tree
from yytrack.checks.schema import check_schemas
from yytrack.repo import files


def run_checks(root: Path) -> List[Problem]:
    """Check the tracking repository at root; return every problem, sorted by path and line."""
    report = Report()
    if not (Path(root) / files.TASKS).is_dir():
        report.error(files.TASKS, 1, "找不到 tasks 目录，这里不是跟踪仓库")
        return report.problems
    from yytrack.checks.recordcheck import RecordChecker

    records = RecordChecker(Path(root))
    try:
        tree = load_tree(Path(root), report, records.load)
    except OSError as e:  # an unreadable folder: report it rather than lose what was found so far
        report.error(files.TASKS, 1, f"无法读取目录（{e}）")
        return sorted(report.problems, key=lambda p: (p.path, p.line))
    records.save()
    for rule in (check_schemas, *checks_rules.RULES, *checks_progress.RULES, *review_marks.RULES,
                 *checks_values.RULES, *checks_text.RULES):
        try:
            rule(tree, report)
        except Exception as e:  # a bug in one rule must not hide what the others find
            report.error(files.TASKS, 1, f"检查“{rule.__name__}”时出现内部错误（{e!r}），请报告此问题")
    return sorted(report.problems, key=lambda p: (p.path, p.line))
