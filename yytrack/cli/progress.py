"""Reporting progress and reviewing it: update, review, log."""

from __future__ import annotations

import sys

import click

from yytrack.cli.base import cli, day_option, echo_json, table, tracker_of
from yytrack.errors import UsageProblem


def ask(label: str, choices=None):
    """Ask for a missing value when a person is at the terminal; otherwise fail clearly."""
    if not sys.stdin.isatty():
        raise UsageProblem(f"缺少{label}（非交互模式下请用选项给出）")
    if choices:
        for i, choice in enumerate(choices, 1):
            click.echo(f"  {i}. {choice}", err=True)
        picked = click.prompt(f"请选择{label}（序号）", type=click.IntRange(1, len(choices)), err=True)
        return choices[picked - 1]
    return click.prompt(f"请输入{label}", err=True)


@cli.command()
@click.argument("measure_id", metavar="措施编号")
@click.option("--unit", metavar="单位", help="报送单位（须为该措施的责任单位）。")
@click.option("--status", "status_", metavar="状态", help="未启动/推进中/已完成/受阻（或 not_started/in_progress/done/blocked）。")
@click.option("--progress", type=int, metavar="0-100", help="完成进度（百分比整数）。")
@click.option("--note", metavar="说明", help="进展说明；状态为已完成时必填。")
@click.option("--date", "date_", metavar="日期", help="进展所指日期（YYYY-MM-DD，默认今天，不能晚于今天）。")
@click.option("--evidence", multiple=True, metavar="文件", help="佐证材料（可多次使用），复制进仓库。")
@click.option("--indicator", multiple=True, metavar="名称=数值", help="指标数值（可多次使用）。")
@click.option("--author", metavar="“姓名 <邮箱>”", help="报送人（默认取 git 配置）。")
@click.pass_context
def update(ctx, measure_id, unit, status_, progress, note, date_, evidence, indicator, author) -> None:
    """报送一条进展：写入进展记录并生成一次 git 提交。"""
    from yytrack.model import STATUS_LABELS

    tracker = tracker_of(ctx)
    measure = tracker.get(measure_id)
    if not unit:
        unit = ask("报送单位", tracker.registry.responsible(measure))
    if not status_:
        status_ = ask("状态", list(STATUS_LABELS.values()))
    if note is None and (status_ in ("done", "已完成")):
        note = ask("完成情况说明")
    result = tracker.update(measure.id, unit, status_, note or "", progress, day_option(date_, "--date"),
                            evidence, indicator, author)
    from yytrack.model.validate import subject_for

    click.echo(f"已记录：{subject_for(result.update)}（提交 {result.commit[:8]}）")


@cli.command()
@click.argument("measure_id", metavar="措施编号")
@click.option("--accept", "decision", flag_value="accept", help="同意办结（销号）。")
@click.option("--reject", "decision", flag_value="reject", help="退回，措施回到推进中。")
@click.option("--note", required=True, metavar="意见", help="审核意见；退回时写明理由。")
@click.option("--author", metavar="“姓名 <邮箱>”", help="审核人（默认取 git 配置）。")
@click.pass_context
def review(ctx, measure_id, decision, note, author) -> None:
    """办结审核（销号）：督办处室同意办结或退回。"""
    if not decision:
        raise UsageProblem("请用 --accept（同意办结）或 --reject（退回）给出审核结论")
    tracker = tracker_of(ctx)
    result = tracker.review(measure_id, decision, note, author)
    verdict = "同意办结" if decision == "accept" else "退回"
    click.echo(f"已记录审核：{result.update.measure} {verdict}（提交 {result.commit[:8]}）")


@cli.command()
@click.argument("measure_id", required=False, metavar="[措施编号]")
@click.option("--plan", metavar="方案", help="只看该方案的措施。")
@click.option("--unit", metavar="单位", help="只看该单位的报送。")
@click.option("--since", metavar="日期", help="起始日期（YYYY-MM-DD）。")
@click.option("--until", metavar="日期", help="截止日期（YYYY-MM-DD）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.pass_context
def log(ctx, measure_id, plan, unit, since, until, as_json) -> None:
    """历史记录：报送与审核，按进展所指日期最新的在前，同一天按提交时间（读自 git 历史）。"""
    from yytrack.reports.terminal import LogJson, LogTable

    tracker = tracker_of(ctx)
    commits = tracker.iter_log(measure_id, unit, day_option(since, "--since"), day_option(until, "--until"), plan)
    out = LogJson() if as_json else LogTable(table)
    for commit in commits:
        out.add(commit)
    for block in out.blocks():
        click.echo(block)


# --- report commands (report, remind) ---
