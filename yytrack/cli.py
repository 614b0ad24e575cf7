"""The command line: parse options, call the library, format the result. The only click module."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from typing import Optional

import click

from . import __version__
from .errors import UsageProblem, YytrackError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


MAY_BE_EMPTY = {"note"}  # an empty --note is a choice (and `done` without one gets its own message)


class StrictOptions:
    """An option given twice (`--note a --note b`, `--accept --reject`) or given an empty value is a usage
    error: click would silently keep the last one, or treat "" like no option at all."""

    def parse_args(self, ctx: click.Context, args):
        _opts, _rest, order = self.make_parser(ctx).parse_args(args=list(args))
        if ctx.resilient_parsing or any(getattr(p, "is_eager", False) for p in order):
            return super().parse_args(ctx, args)  # shell completion, --help and --version go first
        seen = {}
        for param in order:
            if not isinstance(param, click.Option) or param.multiple or param.count:
                continue
            if param.name in seen and (seen[param.name] is not param or not param.is_flag):
                first, again = seen[param.name].opts[0], param.opts[0]
                raise click.UsageError(f"选项 {first} 只能给出一次" if first == again
                                       else f"选项 {first} 与 {again} 只能选一个", ctx=ctx)
            seen[param.name] = param
            value = _opts.get(param.name)
            if (not param.is_flag and isinstance(value, str) and not value.strip()
                    and param.name not in MAY_BE_EMPTY):
                raise click.UsageError(f"选项 {param.opts[0]} 的值不能为空", ctx=ctx)
        return super().parse_args(ctx, args)


class ZhCommand(StrictOptions, click.Command):
    """A command whose usage line reads 用法：yytrack update [选项] 措施编号."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class ZhGroup(StrictOptions, click.Group):
    command_class = ZhCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)


ZhGroup.group_class = ZhGroup


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def table(rows, headers) -> str:
    from tabulate import tabulate

    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)


def day_option(value: Optional[str], what: str) -> Optional[dt.date]:
    from .tracker import parse_day

    return parse_day(value, what) if value is not None else None


def tracker_of(ctx: click.Context):
    from .tracker import Tracker

    return Tracker.discover(override=ctx.obj.get("repo"))


@click.group(cls=ZhGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="yytrack", message="%(prog)s %(version)s",
                      help="显示版本并退出。")
@click.option("--repo", metavar="路径", help="跟踪仓库的位置（默认从当前目录向上查找；也可用环境变量 YYTRACK_REPO）。")
@click.pass_context
def cli(ctx: click.Context, repo: Optional[str]) -> None:
    """yytrack：政策文件落实跟踪——任务台账、进展报送、催办与督导通报。

    数据存放在 git 仓库中：tasks/ 下每条措施一个 YAML 文件，每次报送进展是一次提交。
    """
    ctx.obj = {"repo": repo}


@cli.command()
@click.argument("directory", metavar="目录")
@click.option("--plan", "plans", multiple=True, metavar="方案", help="只带入指定方案（可多次使用）；默认全部内置方案。")
@click.option("--author", metavar="“姓名 <邮箱>”", help="首次提交的署名（默认取 git 配置）。")
def init(directory: str, plans, author: Optional[str]) -> None:
    """新建跟踪仓库：带入内置方案、单位名录、模板，并完成首次提交。"""
    from .setup_repo import init_repo

    try:
        root, chosen = init_repo(directory, plans, author)
    except OSError as e:
        raise YytrackError(f"无法在“{directory}”新建跟踪仓库（{e.strerror}）；请换一个有写权限的目录") from e
    click.echo(f"已新建跟踪仓库 {root}，包含方案：{'、'.join(chosen)}")


@cli.command()
@click.option("--strict", is_flag=True, help="警告也视为失败。")
@click.pass_context
def check(ctx: click.Context, strict: bool) -> None:
    """检查全部任务文件，逐条列出问题（路径:行号: 说明）。"""
    from .errors import CheckFailed

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
    from .model import MEASURE_STATUS_LABELS
    from .present import lead_label, measure_dict

    tracker = tracker_of(ctx)
    states = tracker.states(plan=plan, unit=unit)
    if status:
        wanted = {k for k, v in MEASURE_STATUS_LABELS.items() if status in (k, v)}
        if not wanted:
            raise UsageProblem(f"状态“{status}”无效；可用：{'、'.join(MEASURE_STATUS_LABELS.values())}")
        states = [s for s in states if s.status in wanted]
    if as_json:
        return echo_json([measure_dict(s.measure, s) for s in states])
    rows = [(s.measure.id, s.measure.number, s.measure.title[:24], lead_label(s.measure)[:24],
             MEASURE_STATUS_LABELS[s.status], "" if s.progress is None else f"{s.progress}%") for s in states]
    click.echo(table(rows, ["编号", "序号", "简称", "牵头单位", "状态", "进度"]))
    click.echo(f"共 {len(rows)} 条")


@cli.command()
@click.argument("measure_id", metavar="措施编号")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.pass_context
def show(ctx: click.Context, measure_id: str, as_json: bool) -> None:
    """显示一条措施的全部内容和各单位最新进展。"""
    from .present import measure_dict
    from .showing import render_measure

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
    from .showing import render_status, status_summary

    tracker = tracker_of(ctx)
    summary = status_summary(tracker, plan, day_option(as_of, "--as-of") or dt.date.today())
    if as_json:
        return echo_json(summary)
    click.echo(render_status(summary))


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
    from .model import STATUS_LABELS

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
    from .updating import subject_for

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
@click.option("--unit", metavar="单位", help="只看该单位的报送。")
@click.option("--since", metavar="日期", help="起始日期（YYYY-MM-DD）。")
@click.option("--until", metavar="日期", help="截止日期（YYYY-MM-DD）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.pass_context
def log(ctx, measure_id, unit, since, until, as_json) -> None:
    """历史记录：报送与审核，最新的在前（读自 git 历史）。"""
    from .showing import log_rows

    tracker = tracker_of(ctx)
    commits = tracker.log(measure_id, unit, day_option(since, "--since"), day_option(until, "--until"))
    rows = log_rows(commits)
    if as_json:
        return echo_json(rows)
    headers = {"date": "日期", "measure": "措施", "unit": "单位", "action": "事项", "progress": "进度",
               "author": "报送人", "note": "说明"}
    click.echo(table([[r[k] if k != "note" else r[k][:30] for k in headers] for r in rows], list(headers.values())))
    click.echo(f"共 {len(rows)} 条")


# --- report commands (report, remind) ---


@cli.command()
@click.option("--plan", metavar="方案", help="只生成该方案的通报（默认每个方案各一份）。")
@click.option("--month", metavar="YYYY-MM", help="通报月份（默认本月）。")
@click.option("--as-of", "as_of", metavar="日期", help="统计截至日期（YYYY-MM-DD；默认该月最后一天，本月则为今天）。")
@click.option("--template", metavar="名称或路径", help="模板名称（先找仓库 templates/，再找内置模板）或模板文件路径。")
@click.option("--format", "fmt", metavar="格式", help="md（默认）、html、docx 或 xlsx（任务台账）。")
@click.option("-o", "--output", metavar="路径", help="输出文件或目录（默认仓库的 reports/）。")
@click.option("--commit", is_flag=True, help="生成后提交到 git（每个方案一次提交）。")
@click.option("--author", metavar="“姓名 <邮箱>”", help="提交署名（默认取 git 配置）。")
@click.pass_context
def report(ctx, plan, month, as_of, template, fmt, output, commit, author) -> None:
    """生成督导通报：总体情况、各措施进展、未报送单位、逾期事项、指标、本月变化、报送及时率。"""
    from .report import write_reports

    tracker = tracker_of(ctx)
    paths = write_reports(tracker, plan, month, day_option(as_of, "--as-of"), template, fmt, output, commit, author)
    for path in paths:
        click.echo(str(path))
    if commit:
        click.echo("已提交到 git（内容未变的通报不重复提交）。")


@cli.command()
@click.option("--plan", metavar="方案", help="只看该方案（默认全部方案）。")
@click.option("--month", metavar="YYYY-MM", help="催办月份（默认本月）。")
@click.option("--as-of", "as_of", metavar="日期", help="统计截至日期（YYYY-MM-DD；默认该月最后一天，本月则为今天）。")
@click.option("--unit", metavar="单位", help="只看该单位（含其所属单位组的事项）。")
@click.option("--notice", is_flag=True, help="为每个单位生成一份催办通知（模板 催办通知.md.j2）。")
@click.option("-o", "--output", metavar="目录", help="催办通知的输出目录（默认仓库的 reports/）。")
@click.pass_context
def remind(ctx, plan, month, as_of, unit, notice, output) -> None:
    """催办：各单位本月未报送的措施，以及截止日期已过或 30 天内到期的事项。"""
    from .report import remind_list, resolve_period, write_notices

    tracker = tracker_of(ctx)
    period, day = resolve_period(month, day_option(as_of, "--as-of"))
    rows = remind_list(tracker, plan, period, day, unit)
    if not rows:
        click.echo(f"截至 {day}，没有需要催办的事项。")
        return
    items = [(r["unit"], i["id"], i["role_label"], "；".join(i["reasons"])) for r in rows for i in r["items"]]
    click.echo(table(items, ["单位", "措施", "角色", "事项"]))
    click.echo(f"共 {len(rows)} 个单位、{len(items)} 项")
    if notice:
        for path in write_notices(tracker, rows, period, day, output):
            click.echo(str(path))


# --- forms commands (forms, collect) ---


@cli.command(name="forms")
@click.option("--plan", metavar="方案", help="方案编号（仓库中只有一个方案时可省略）。")
@click.option("--month", metavar="YYYY-MM", help="报送期（默认本月）。")
@click.option("--unit", metavar="单位", help="只生成该单位的报送表。")
@click.option("-o", "--output", required=True, metavar="目录", help="报送表保存到该目录（不存在时新建，同名文件覆盖）。")
@click.pass_context
def forms_(ctx, plan, month, unit, output) -> None:
    """生成各单位的 Excel 报送表：预填该单位本期应报送的措施，发给单位填写后收回（见 collect）。"""
    from .forms import write_forms

    written = write_forms(tracker_of(ctx), output, plan, month, unit)
    for form, path in written:
        click.echo(f"已生成 {path}（{form.unit}，{len(form.rows)} 条措施）")
    if not written:
        click.echo("没有需要报送的措施，未生成报送表。")
    else:
        click.echo(f"共 {len(written)} 份报送表，报送期 {written[0][0].period}。")


def _collect_go_ahead(batch, partial: bool, yes: bool) -> None:
    """Rows with problems block the rest unless --partial or a person at the terminal says so."""
    from .errors import FormRejected

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
    from .collect import prepare, record, render_preview
    from .errors import FormRejected
    from .updating import subject_for

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


@cli.command(name="import")
@click.argument("file", metavar="文件", type=click.Path(dir_okay=True))
@click.option("--plan", required=True, metavar="方案", help="方案标识（小写字母、数字、连字符），如 qiubei。")
@click.option("--title", metavar="标题", help="文件标题（默认从正文识别）。")
@click.option("--doc-number", metavar="文号", help="文号（默认从正文识别），如 丘政办发〔2021〕104号。")
@click.option("--dry-run", is_flag=True, help="只显示识别结果，不写文件。")
@click.option("--force", is_flag=True, help="方案目录已存在时覆盖（会丢失手工修改）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出识别出的措施（与 list --json 同形）。")
@click.option("--author", metavar="“姓名 <邮箱>”", help="提交署名（默认取 git 配置）。")
@click.pass_context
def import_(ctx, file, plan, title, doc_number, dry_run, force, as_json, author) -> None:
    """从政策文件文本（UTF-8 或 GBK）识别措施、责任单位、时限和指标，生成任务文件并提交。"""
    from pathlib import Path

    from .importing import import_file, parse_file

    tracker = tracker_of(ctx)
    if dry_run or as_json:
        result = parse_file(tracker.root, Path(file), plan, title, doc_number)
    else:
        result, commit = import_file(tracker.root, Path(file), plan, title, doc_number, force, author)
    if as_json:
        from .files import measure_from_dict
        from .present import measure_dict

        plan_id = result.plan["id"]
        return echo_json([measure_dict(measure_from_dict(m, plan_id, file)) for m in result.measures])
    rows = [(m["number"], m["title"][:20], "、".join(m["lead_units"])[:20] + ("（推定）" if m["lead_inferred"] else ""),
             "、".join(m["cooperating_units"])[:24], "、".join(d["date"] for d in m["deadlines"]) or "长期",
             len(m["indicators"]) or "") for m in result.measures]
    click.echo(table(rows, ["序号", "简称", "牵头", "配合", "时限", "指标"]))
    for measure_id, message in result.flagged:
        click.echo(f"请核对 {measure_id}：{message}")
    if result.new_units:
        click.echo(f"新单位 {len(result.new_units)} 个（已加入名录，如为已有单位的别称请用 yytrack units merge 合并）："
                   + "、".join(result.new_units))
    if dry_run:
        click.echo(f"共识别 {len(rows)} 条措施（--dry-run，未写入）")
    else:
        click.echo(f"已导入 {len(rows)} 条措施到 tasks/{result.plan['id']}/（提交 {commit[:8]}）")


@cli.group()
def units() -> None:
    """单位名录：查看、合并同一单位的不同写法。"""


@units.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.pass_context
def units_list(ctx, as_json: bool) -> None:
    """列出单位名录：规范名称、全称、层级、别名、成员单位。"""
    tracker = tracker_of(ctx)
    found = list(tracker.registry.units.values())
    if as_json:
        return echo_json([{"name": u.name, "full_name": u.full_name, "level": u.level, "aliases": list(u.aliases),
                           "members": list(u.members)} for u in found])
    rows = [(u.name, u.full_name, u.level, "、".join(u.aliases)[:30], len(u.members) or "") for u in found]
    click.echo(table(rows, ["名称", "全称", "层级", "别名", "成员数"]))
    click.echo(f"共 {len(rows)} 个单位")


@units.command(name="merge")
@click.argument("old", metavar="旧名称")
@click.argument("new", metavar="新名称")
@click.option("--author", metavar="“姓名 <邮箱>”", help="提交署名（默认取 git 配置）。")
@click.pass_context
def units_merge(ctx, old: str, new: str, author) -> None:
    """把旧名称并入已登记的单位：旧名称成为别名，各措施文件中的旧名称改为新名称。"""
    from .unit_edit import merge_units

    tracker = tracker_of(ctx)
    changed = merge_units(tracker.root, old, new, author)
    click.echo(f"已将“{old}”并入“{new}”，修改了 {len(changed)} 个文件并提交")


# --- sync commands (sync, audit, hook, gc) ---


@cli.command()
@click.option("--keep-both", is_flag=True, help="同一单位同一措施在两处都有报送时，两条都保留（本地的追加在后）。")
@click.pass_context
def sync(ctx, keep_both: bool) -> None:
    """与共享仓库同步：获取、整合、推送；被拒绝时自动重试。"""
    from .sync import sync as run_sync

    tracker = tracker_of(ctx)
    result = run_sync(tracker.root, keep_both=keep_both)
    again = f"，重新记录本地报送 {result.reapplied} 条" if result.reapplied else ""
    click.echo(f"已与 {result.remote}/{result.branch} 同步：收到 {result.received} 个提交，"
               f"推送 {result.sent} 个提交{again}（第 {result.attempts} 次尝试成功）")


@cli.command()
@click.option("--since", metavar="版本", help="只检查该版本之后的提交（如 origin/main、提交号）。")
@click.pass_context
def audit(ctx, since) -> None:
    """审计历史：每个报送提交只改了本单位本措施的文件，标记与内容一致，作者属于该单位。"""
    from .audit import audit as run_audit
    from .errors import CheckFailed

    tracker = tracker_of(ctx)
    violations = run_audit(tracker.root, since)
    for v in violations:
        click.echo(str(v))
    if violations:
        raise CheckFailed(f"审计发现 {len(violations)} 个问题")
    click.echo("审计通过：所有报送提交都符合规则。")


@cli.group()
def hook() -> None:
    """共享仓库的钩子：拒绝不符合审计规则的推送。"""


@hook.command(name="install")
@click.argument("bare_repo", metavar="裸仓库")
def hook_install(bare_repo: str) -> None:
    """在共享的裸仓库中安装 pre-receive 钩子。"""
    from pathlib import Path

    from .hook import install

    path = install(Path(bare_repo))
    click.echo(f"已安装钩子 {path}：推送中不符合审计规则的提交将被拒绝")


@hook.command(name="run", hidden=True)
def hook_run() -> None:
    """（由 git 调用）检查推送的提交。"""
    from .hook import run

    sys.exit(run())


@cli.command()
@click.pass_context
def gc(ctx) -> None:
    """维护：写入 git 提交图（加快历史查询）并重建缓存。"""
    from .store import maintain

    tracker = tracker_of(ctx)
    maintain(tracker.root)
    tracker.states()
    click.echo("维护完成：已写入提交图并重建进展缓存。")


def _configure_streams() -> None:
    """Never crash on a console that cannot show a character (GBK on Windows): replace it."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def _one_line(text: str) -> str:
    """An error is one line even when it quotes input with line breaks or control characters in it."""
    return "".join(" " if ch in "\t\r\n\v\f\x85\u2028\u2029" else "" if ch < " " or ch == "\x7f" else ch
                   for ch in text)


def _utf8_mode(argv) -> None:
    """Python in the C locale with PYTHONUTF8=0 reads arguments and file names as ASCII, so every Chinese
    name fails. Run again in UTF-8 mode with the same argument bytes (real command lines only)."""
    import codecs

    if (argv is not None or os.name != "posix" or sys.flags.utf8_mode or not sys.executable
            or codecs.lookup(sys.getfilesystemencoding()).name != "ascii" or os.environ.get("YYTRACK_REEXEC")):
        return
    env = dict(os.environb)
    env[b"YYTRACK_REEXEC"] = b"1"
    args = [os.fsencode(a) for a in sys.argv[1:]]
    try:
        os.execve(sys.executable, [os.fsencode(sys.executable), b"-X", b"utf8", b"-m", b"yytrack", *args], env)
    except OSError:
        pass  # carry on in ASCII: names are replaced, nothing crashes


def main(argv=None) -> None:
    from . import cli_text

    _utf8_mode(argv)
    cli_text.install()
    _configure_streams()
    try:
        code = cli.main(args=argv, prog_name="yytrack", standalone_mode=False)
    except YytrackError as e:
        click.echo(f"错误：{_one_line(e.format_message())}", err=True)
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        sys.exit(130)
    except click.UsageError as e:
        command = e.ctx.command_path if e.ctx else "yytrack"
        click.echo(f"错误：{_one_line(e.format_message())}（用 {command} --help 查看用法）", err=True)
        sys.exit(2)
    except click.ClickException as e:
        click.echo(f"错误：{_one_line(e.format_message())}", err=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo("已中断，未做任何修改。", err=True)
        sys.exit(130)
    except Exception as e:  # the last line of defence: one line, never a traceback
        if os.environ.get("YYTRACK_DEBUG"):
            raise
        click.echo(f"内部错误：{type(e).__name__}: {_one_line(str(e))}（设置 YYTRACK_DEBUG=1 可查看详情）", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
