"""The monthly report and the 催办 list: report, remind."""

from __future__ import annotations

import click

from yytrack.cli.base import cli, day_option, table, tracker_of


@cli.command()
@click.option("--plan", metavar="方案", help="只生成该方案的通报（默认每个方案各一份）。")
@click.option("--month", metavar="YYYY-MM", help="通报月份（默认本月）。")
@click.option("--as-of", "as_of", metavar="日期", help="统计截至日期（YYYY-MM-DD；默认该月最后一天，本月则为今天）。")
@click.option("--template", metavar="名称或路径", help="模板名称（先找仓库 templates/，再找内置模板）或模板文件路径。")
@click.option("--format", "fmt", metavar="格式", help="md（默认）、html、docx（公文格式）或 xlsx（任务台账）。")
@click.option("-o", "--output", metavar="路径", help="输出文件或目录（默认仓库的 reports/）；“-”输出到标准输出。")
@click.option("--force", is_flag=True, help="允许 -o 覆盖仓库中由 git 管理、不在 reports/ 下的文件。")
@click.option("--commit", is_flag=True, help="生成后提交到 git（每次运行至多一次提交，只含内容有变化的通报）。")
@click.option("--author", metavar="“姓名 <邮箱>”", help="提交署名（默认取 git 配置）。")
@click.pass_context
def report(ctx, plan, month, as_of, template, fmt, output, force, commit, author) -> None:
    """生成督导通报：总体情况、各措施进展、未报送单位、逾期事项、指标、本月变化、报送及时率。"""
    from yytrack.reports.writer import run_reports

    tracker = tracker_of(ctx)
    run = run_reports(tracker, plan, month, day_option(as_of, "--as-of"), template, fmt, output, commit, author,
                      force)
    for path in run.paths:
        click.echo(str(path))
    if commit and run.commit:
        click.echo(f"已提交到 git（提交 {run.commit[:8]}）：{'、'.join(run.changed)}")
    elif commit:
        click.echo("通报内容与仓库中的相同，没有新的提交。")


@cli.command()
@click.option("--plan", metavar="方案", help="只看该方案（默认全部方案）。")
@click.option("--month", metavar="YYYY-MM", help="催办月份（默认本月）。")
@click.option("--as-of", "as_of", metavar="日期", help="统计截至日期（YYYY-MM-DD；默认该月最后一天，本月则为今天）。")
@click.option("--unit", metavar="单位", help="只看该单位（含其所属单位组的事项）。")
@click.option("--notice", is_flag=True, help="为每个单位生成催办通知：Word 通知（公文格式）和 Markdown（模板 催办通知.md.j2）。")
@click.option("-o", "--output", metavar="目录", help="催办通知的输出目录（默认仓库的 reports/）；“-”输出到标准输出。")
@click.option("--force", is_flag=True, help="允许 -o 覆盖仓库中由 git 管理、不在 reports/ 下的文件。")
@click.pass_context
def remind(ctx, plan, month, as_of, unit, notice, output, force) -> None:
    """催办：各单位本月未报送的措施，以及截止日期已过或 30 天内到期的事项。"""
    from yytrack.reports.writer import remind_list, resolve_period, write_notices

    tracker = tracker_of(ctx)
    period, day = resolve_period(month, day_option(as_of, "--as-of"))
    rows = remind_list(tracker, plan, period, day, unit)
    if not rows:
        click.echo(f"截至 {day}，没有需要催办的事项。")
        return
    if notice and output == "-":  # the notices alone, for a pipe
        write_notices(tracker, rows, period, day, output)
        return
    items = [(r["unit"], i["id"], i["role_label"], "；".join(i["reasons"])) for r in rows for i in r["items"]]
    click.echo(table(items, ["单位", "措施", "角色", "事项"]))
    click.echo(f"共 {len(rows)} 个单位、{len(items)} 项")
    if notice:
        for path in write_notices(tracker, rows, period, day, output, force=force):
            click.echo(str(path))


# --- forms commands (forms, collect) ---
