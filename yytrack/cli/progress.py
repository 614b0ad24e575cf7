"""Reporting progress and reviewing it: update, review, log."""

from __future__ import annotations

from typing import List

import click

from yytrack.cli import prompting
from yytrack.cli.base import PERCENT, cli, day_option, table, tracker_of
from yytrack.errors import UsageProblem


def _menu_units(tracker, measure, author) -> List[str]:
    """The measure's units this person may report for (all of them for the supervising office)."""
    from yytrack.repo.store import identity
    from yytrack.trust.policy import reportable_units

    responsible = tracker.registry.responsible(measure)
    email = identity(tracker.root, author).email
    allowed = reportable_units(tracker.config, tracker.registry, email)
    if not allowed:
        raise UsageProblem(f"{email} 未在 tasks/config.yaml 的 people 中登记，不能报送；"
                           f"请督办处室在 people 下加一行“{email}: [所在单位]”")
    mine = [u for u in responsible if u in allowed]
    if not mine:
        raise UsageProblem(f"你登记的单位（{'、'.join(allowed)}）不是 {measure.id} 的责任单位，"
                           f"责任单位为：{'、'.join(measure.responsible_units)}")
    return mine


def _source_if_on_behalf(tracker, unit, author):
    """At a terminal, the supervising office keying in for another unit is asked where the report came from."""
    from yytrack.repo.store import identity
    from yytrack.trust.policy import may_record

    if not unit or not prompting.at_terminal():
        return None
    name = tracker.registry.canonical(unit) or unit
    try:
        on_behalf = may_record(tracker.config, tracker.registry, identity(tracker.root, author), name, "?")
    except Exception:  # not allowed at all: tracker.update gives the message that says what to do
        return None
    return prompting.ask_text("来源（表单文件名、电话、会议或其他说明）") if on_behalf else None


def _interactive(tracker, measure, given: prompting.Answers, author) -> prompting.Answers:
    """Ask at the terminal for whatever the options left out; show a summary and confirm."""
    from yytrack.model import STATUS_LABELS, status_key

    def unit_named(text):
        return tracker.registry.canonical(text)

    unit = given.unit or prompting.pick("报送单位", _menu_units(tracker, measure, author), unit_named)
    status = given.status or prompting.pick("状态", list(STATUS_LABELS.values()),
                                            lambda t: STATUS_LABELS.get(status_key(t) or "", None))
    key = status_key(status) or status
    name = tracker.registry.canonical(unit) or unit
    mine = tracker.unit_updates(measure).get(name) or []
    last = next((u.progress for u in reversed(mine) if u.progress is not None), None)  # last figure given
    progress = given.progress
    if progress is None and key != "done":
        progress = prompting.ask_progress(last)
    note = given.note if given.note is not None else prompting.ask_note(key)
    shown = "100%（已完成）" if progress is None and key == "done" else "—" if progress is None else f"{progress}%"
    prompting.confirm([f"措施：{measure.id} {measure.number}{measure.title}", f"单位：{name}",
                       f"状态：{STATUS_LABELS.get(key, status)}", f"进度：{shown}", f"说明：{note or '—'}"])
    return prompting.Answers(unit, status, progress, note)


def _fill(tracker, measure, given: prompting.Answers, author) -> prompting.Answers:
    """Missing options: asked for at a terminal, one clear error in a script."""
    from yytrack.model import status_key

    if prompting.at_terminal() and (given.unit is None or given.status is None or (
            given.note is None and status_key(given.status) in prompting.NOTE_REQUIRED)):
        return _interactive(tracker, measure, given, author)
    if given.unit is None:
        raise prompting.need("--unit", "报送单位")
    if given.status is None:
        raise prompting.need("--status", "状态", "，可选：未启动、推进中、已完成、受阻")
    key = status_key(given.status) or ""
    if key in prompting.NOTE_REQUIRED and not (given.note or "").strip():
        label = "已完成" if key == "done" else "受阻"
        required = prompting.NOTE_REQUIRED[key]
        raise UsageProblem(f"缺少{required}说明：状态为{label}时必须用 --note 说明{required}")
    return given


@cli.command()
@click.argument("measure_id", metavar="措施编号")
@click.option("--unit", metavar="单位", help="报送单位（须为该措施的责任单位）。")
@click.option("--status", "status_", metavar="状态", help="未启动/推进中/已完成/受阻（或 not_started/in_progress/done/blocked）。")
@click.option("--progress", type=PERCENT, metavar="0-100", help="完成进度（0 到 100 的整数，可写 60 或 60%）。")
@click.option("--note", metavar="说明", help="进展说明；状态为已完成或受阻时必填。")
@click.option("--date", "date_", metavar="日期", help="进展所指日期（YYYY-MM-DD，默认今天，不能晚于今天）。")
@click.option("--evidence", multiple=True, metavar="文件", help="佐证材料（可多次使用），复制进仓库。")
@click.option("--indicator", multiple=True, metavar="名称=数值", help="指标数值（可多次使用）。")
@click.option("--author", metavar="“姓名 <邮箱>”", help="录入人（默认取 git 配置；只设作者，不改提交者）。")
@click.option("--source", metavar="来源", help="督办处室代单位录入时必填：表单文件名、电话、会议或其他说明。")
@click.pass_context
def update(ctx, measure_id, unit, status_, progress, note, date_, evidence, indicator, author, source) -> None:
    """报送一条进展：写入进展记录并生成一次 git 提交。

    在终端中缺少的项会逐项询问（单位、状态、进度、说明），核对后确认才提交。
    """
    tracker = tracker_of(ctx)
    measure = tracker.get(measure_id)
    answers = _fill(tracker, measure, prompting.Answers(unit, status_, progress, note), author)
    source = source or _source_if_on_behalf(tracker, answers.unit, author)
    result = tracker.update(measure.id, answers.unit, answers.status, answers.note or "", answers.progress,
                            day_option(date_, "--date"), evidence, indicator, author, source)
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
    entries = tracker.log_entries(measure_id, unit, day_option(since, "--since"), day_option(until, "--until"),
                                  plan)
    out = LogJson() if as_json else LogTable(table)
    out.extend(entries)
    for block in out.blocks():
        click.echo(block)


# --- report commands (report, remind) ---
