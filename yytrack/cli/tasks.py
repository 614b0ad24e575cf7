"""Setting up and reading plans: init, check, list, show, status."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import click

from yytrack.cli.base import cli, day_option, echo_json, table, tracker_of
from yytrack.errors import UsageProblem, YytrackError
from yytrack.model.clip import clip


@cli.command()
@click.argument("directory", metavar="目录")
@click.option("--plan", "plans", multiple=True, metavar="方案", help="只带入指定方案（可多次使用）；默认全部内置方案。")
@click.option("--author", metavar="“姓名 <邮箱>”", help="首次提交的署名（默认取 git 配置）。")
@click.option("--start", metavar="日期", help="开始跟踪的日期（YYYY-MM-DD，默认今天）：报送截止日不晚于这一天的月份不要求报送。")
def init(directory: str, plans, author: Optional[str], start: Optional[str]) -> None:
    """新建跟踪仓库：带入内置方案、单位名录、模板，并完成首次提交。"""
    from yytrack.repo.setup import init_repo

    try:
        root, chosen = init_repo(directory, plans, author, day_option(start, "--start"))
    except OSError as e:
        raise YytrackError(f"无法在“{directory}”新建跟踪仓库（{e.strerror}）；请换一个有写权限的目录") from e
    click.echo(f"已新建跟踪仓库 {root}，包含方案：{'、'.join(chosen)}")


@cli.command()
@click.option("--strict", is_flag=True, help="警告也视为失败。")
@click.pass_context
def check(ctx: click.Context, strict: bool) -> None:
    """检查全部任务文件，逐条列出问题（路径:行号: 说明）。"""
    from yytrack.errors import CheckFailed

    tracker = tracker_of(ctx)
    problems = tracker.check()
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    click.echo(f"检查完毕：错误 {errors} 个，警告 {warnings} 个。")
    if errors or (strict and warnings):
        raise CheckFailed("检查未通过" + ("（--strict 下警告也算失败）" if not errors else ""))


@cli.command(name="list")
@click.option("--plan", metavar="方案", help="只列出该方案的措施。")
@click.option("--unit", metavar="单位", help="只列出该单位负责（牵头、配合或属地落实）的措施。")
@click.option("--status", metavar="状态", help="只列出该状态的措施（如 推进中、in_progress、待审核）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.pass_context
def list_(ctx: click.Context, plan, unit, status, as_json: bool) -> None:
    """列出措施：编号、简称、牵头单位、状态、进度。"""
    from yytrack.model import MEASURE_STATUS_LABELS
    from yytrack.reports.present import lead_label, measure_dict

    tracker = tracker_of(ctx)
    states = tracker.states(plan=plan, unit=unit)
    if status:
        wanted = {k for k, v in MEASURE_STATUS_LABELS.items() if status in (k, v)}
        if not wanted:
            raise UsageProblem(f"状态“{status}”无效；可用：{'、'.join(MEASURE_STATUS_LABELS.values())}")
        states = [s for s in states if s.status in wanted]
    if as_json:
        return echo_json([measure_dict(s.measure, s) for s in states])
    rows = [(s.measure.id, s.measure.number, clip(s.measure.title, 24), clip(lead_label(s.measure), 24),
             MEASURE_STATUS_LABELS[s.status], "" if s.progress is None else f"{s.progress}%") for s in states]
    click.echo(table(rows, ["编号", "序号", "简称", "牵头单位", "状态", "进度"]))
    click.echo(f"共 {len(rows)} 条")


@cli.command()
@click.argument("measure_id", metavar="措施编号")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.pass_context
def show(ctx: click.Context, measure_id: str, as_json: bool) -> None:
    """显示一条措施的全部内容和各单位最新进展。"""
    from yytrack.reports.present import measure_dict
    from yytrack.reports.terminal import render_measure

    tracker = tracker_of(ctx)
    state = tracker.state(tracker.get(measure_id))
    if as_json:
        return echo_json(measure_dict(state.measure, state))
    click.echo(render_measure(tracker, state))


@cli.command()
@click.option("--plan", metavar="方案", help="只统计该方案。")
@click.option("--as-of", "as_of", metavar="日期", help="按该日的情况统计（YYYY-MM-DD，默认今天）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.pass_context
def status(ctx: click.Context, plan, as_of, as_json: bool) -> None:
    """总体情况：各状态措施数、已逾期和 30 天内到期的截止日期、各单位任务量。"""
    from yytrack.reports.terminal import render_status, status_summary

    tracker = tracker_of(ctx)
    summary = status_summary(tracker, plan, day_option(as_of, "--as-of") or dt.date.today())
    if as_json:
        return echo_json(summary)
    click.echo(render_status(summary))
