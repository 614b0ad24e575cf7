"""Plans from documents and the unit registry: import, units."""

from __future__ import annotations

import click

from yytrack.cli.base import cli, echo_json, table, tracker_of
from yytrack.model.clip import clip


@cli.command(name="import")
@click.argument("file", metavar="文件", type=click.Path(dir_okay=True))
@click.option("--plan", required=True, metavar="方案", help="方案标识（小写字母、数字、连字符），如 qiubei。")
@click.option("--title", metavar="标题", help="文件标题（默认从正文识别）。")
@click.option("--doc-number", metavar="文号", help="文号（默认从正文识别），如 丘政办发〔2021〕104号。")
@click.option("--dry-run", is_flag=True, help="只显示识别结果，不写文件。")
@click.option("--force", is_flag=True, help="方案目录已存在时覆盖（会丢失手工修改）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出识别结果：措施（与 list --json 同形）、警告、新单位；不写文件。")
@click.option("--author", metavar="“姓名 <邮箱>”", help="提交署名（默认取 git 配置）。")
@click.pass_context
def import_(ctx, file, plan, title, doc_number, dry_run, force, as_json, author) -> None:
    """从政策文件（.txt、.docx、.pdf 或网页 .html）识别措施、责任单位、时限和指标，生成任务文件并提交。"""
    from pathlib import Path

    from yytrack.importer.run import import_file, parse_file

    tracker = tracker_of(ctx)
    if dry_run or as_json:
        result, commit = parse_file(tracker.root, Path(file), plan, title, doc_number), None
    else:
        result, commit = import_file(tracker.root, Path(file), plan, title, doc_number, force, author)
    if as_json:
        return echo_json(_import_json(result, file))
    rows = [(m["number"], clip(m["title"], 20), clip("、".join(m["lead_units"]), 20) + ("（推定）" if m["lead_inferred"] else ""),
             clip("、".join(m["cooperating_units"]), 24), "、".join(d["date"] for d in m["deadlines"]) or "长期",
             len(m["indicators"]) or "", "待核对" if m["id"] in result.review else "") for m in result.measures]
    click.echo(table(rows, ["序号", "简称", "牵头", "配合", "时限", "指标", "核对"]))
    for measure_id, message in result.flagged:
        click.echo(f"请核对 {measure_id}：{message}")
    for message in result.notices:
        click.echo(f"请注意：{message}")
    _echo_summary(result, dry_run, commit)


def _import_json(result, file) -> dict:
    """The measures in the list --json shape (plus leaders, ongoing, review), warnings and new units."""
    from yytrack.repo.files import measure_from_dict
    from yytrack.reports.present import measure_dict

    plan_id = result.plan["id"]
    measures = []
    for m in result.measures:
        shown = measure_dict(measure_from_dict(m, plan_id, file))
        shown.update({"leaders": m.get("leaders", []), "ongoing": bool(m.get("ongoing")),
                      "review": m["id"] in result.review})
        measures.append(shown)
    return {"plan": result.plan, "measures": measures, "warnings": result.warnings, "new_units": result.new_units}


def _echo_summary(result, dry_run: bool, commit) -> None:
    if result.new_units and dry_run:
        click.echo(f"将新增单位 {len(result.new_units)} 个（导入时加入名录）：" + "、".join(result.new_units))
    elif result.new_units:
        click.echo(f"新单位 {len(result.new_units)} 个（已加入名录，如为已有单位的别称请用 yytrack units merge 合并）："
                   + "、".join(result.new_units))
    if result.review:
        mark = "导入时将标记" if dry_run else "已标记"
        click.echo(f"{len(result.review)} 条措施{mark}为待核对（review: true），yytrack check 会一直提示，核对后删除该行")
    if dry_run:
        click.echo(f"共识别 {len(result.measures)} 条措施（--dry-run，未写入）")
    else:
        click.echo(f"已导入 {len(result.measures)} 条措施到 tasks/{result.plan['id']}/（提交 {commit[:8]}）")


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
    from yytrack.model.entities import LEVEL_LABELS

    rows = [(u.name, u.full_name, LEVEL_LABELS.get(u.level, u.level), clip("、".join(u.aliases), 30),
             len(u.members) or "") for u in found]
    click.echo(table(rows, ["名称", "全称", "层级", "别名", "成员数"]))
    click.echo(f"共 {len(rows)} 个单位")


@units.command(name="merge")
@click.argument("old", metavar="旧名称")
@click.argument("new", metavar="新名称")
@click.option("--author", metavar="“姓名 <邮箱>”", help="提交署名（默认取 git 配置）。")
@click.pass_context
def units_merge(ctx, old: str, new: str, author) -> None:
    """把旧名称并入已登记的单位：旧名称成为别名，各措施文件中的旧名称改为新名称。"""
    from yytrack.repo.unit_edit import merge_units

    tracker = tracker_of(ctx)
    changed = merge_units(tracker.root, old, new, author)
    click.echo(f"已将“{old}”并入“{new}”，修改了 {len(changed)} 个文件并提交")


# --- sync commands (sync, audit, hook, gc) ---
