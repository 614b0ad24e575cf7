"""Forms out and returns in: forms, collect."""

from __future__ import annotations

import sys

import click

from yytrack.cli.base import cli, tracker_of


@cli.command(name="forms")
@click.option("--plan", metavar="方案", help="方案编号（仓库中只有一个方案时可省略）。")
@click.option("--month", metavar="YYYY-MM", help="报送期（默认本月）。")
@click.option("--unit", metavar="单位", help="只生成该单位的报送表。")
@click.option("-o", "--output", metavar="目录",
              help="报送表保存到该目录（默认跟踪仓库的 reports/<报送期>-报送表/；不存在时新建，同名文件覆盖）。")
@click.option("--new-key", is_flag=True, help="换用新的报送表密钥（旧密钥仍可收取此前下发的报送表），见 docs/forms.md。")
@click.pass_context
def forms_(ctx, plan, month, unit, output, new_key) -> None:
    """生成各单位的 Excel 报送表：预填该单位本期应报送的措施，发给单位填写后收回（见 collect）。"""
    from yytrack.forms.build import nothing_owed, write_forms

    tracker = tracker_of(ctx)
    written = write_forms(tracker, output, plan, month, unit, new_key)
    for form, path in written:
        click.echo(f"已生成 {path}（{form.unit}，{len(form.rows)} 条措施）")
    if not written:
        click.echo(nothing_owed(tracker, plan, month))
    else:
        click.echo(f"共 {len(written)} 份报送表，报送期 {written[0][0].period}。")


def _collect_go_ahead(batch, partial: bool, yes: bool) -> None:
    """Rows with problems block the rest unless --partial or a person at the terminal says so."""
    from yytrack.errors import FormRejected

    count = len(batch.to_record)
    if batch.problems and not partial:
        if yes or not sys.stdin.isatty():
            raise FormRejected(f"报送表有 {len(batch.problems)} 处问题，未记录任何进展；"
                               "请改正后重新收取，或加 --partial 只记录无误的行")
        if not click.confirm(f"有 {len(batch.problems)} 处问题的行不会记录，是否记录其余 {count} 条？", err=True):
            raise FormRejected("已取消，未记录任何进展")
    elif sys.stdin.isatty() and not yes and not click.confirm(f"记录以上 {count} 条进展？", default=True, err=True):
        raise FormRejected("已取消，未记录任何进展")


@cli.command(name="collect")
@click.argument("paths", nargs=-1, required=True, metavar="报送表文件...")
@click.option("--plan", metavar="方案", help="只收该方案的报送表（不符的整表拒收）；CSV 无方案信息时以此为准。")
@click.option("--month", metavar="YYYY-MM", help="只收该报送期的报送表（不符的整表拒收）。")
@click.option("--author", metavar="“姓名 <邮箱>”", help="单位名录未登记 contact 时的报送人（默认取 git 配置）。")
@click.option("--dry-run", is_flag=True, help="只校验并预览，不记录。")
@click.option("--partial", is_flag=True, help="有问题的行不记录，其余照常记录。")
@click.option("--yes", is_flag=True, help="不询问，直接记录（有问题的行仍需 --partial）。")
@click.pass_context
def collect_(ctx, paths, plan, month, author, dry_run, partial, yes) -> None:
    """收取单位发回的报送表（.xlsx，或另存的 .csv）：逐行校验、预览，每条有变化的进展记为一次提交。"""
    from yytrack.forms.collect import prepare, record, render_preview
    from yytrack.errors import FormRejected
    from yytrack.model.validate import subject_for

    tracker = tracker_of(ctx)
    batch = prepare(tracker, paths, plan, month, author)
    click.echo(render_preview(batch))
    for problem in batch.problems:
        click.echo(str(problem), err=True)
    if dry_run:
        if batch.problems and not partial:
            raise FormRejected(f"报送表有 {len(batch.problems)} 处问题（试运行，未记录）")
        return click.echo("试运行，未记录。")
    if not batch.to_record:
        if batch.problems and not partial:
            raise FormRejected(f"报送表有 {len(batch.problems)} 处问题，未记录任何进展")
        return click.echo("没有需要记录的新进展。")
    _collect_go_ahead(batch, partial, yes)
    for result in record(tracker, batch):
        click.echo(f"已记录：{subject_for(result.update)}（提交 {result.commit[:8]}）")


# --- import commands (import, units) ---
