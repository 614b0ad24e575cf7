"""Shared pieces of the click layer: strict option parsing, Chinese usage lines, the root group."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from typing import Optional

import click

from yytrack import __version__

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

# Which module of yytrack.cli defines each top-level command (a test holds this table to the modules).
AREAS = {"init": "tasks", "check": "tasks", "list": "tasks", "show": "tasks", "status": "tasks",
         "update": "progress", "review": "progress", "log": "progress", "report": "reports", "remind": "reports",
         "forms": "forms", "collect": "forms", "import": "imports", "units": "imports", "sync": "sharing",
         "audit": "sharing", "hook": "sharing", "remote": "sharing", "gc": "sharing", "migrate": "sharing",
         "signing": "sharing"}


class LazyRoot(ZhGroup):
    """The root group. An area's module is imported when one of its commands runs: `update` does not pay
    for the importer, the forms or the reports (start-up is most of an everyday command's cost)."""

    def list_commands(self, ctx):
        return sorted(set(AREAS) | set(self.commands))

    def get_command(self, ctx, name):
        if name not in self.commands and name in AREAS:
            importlib.import_module(f"yytrack.cli.{AREAS[name]}")
        elif name not in self.commands:
            self.load_all()  # a mistyped command: click suggests the nearest of all of them
        return self.commands.get(name)

    def load_all(self) -> dict:
        """Every command, each area imported (for walking the whole tree)."""
        for module in sorted(set(AREAS.values())):
            importlib.import_module(f"yytrack.cli.{module}")
        return self.commands


class Percent(click.ParamType):
    """A progress figure: 60, 60% or 60％ (forms accept all three). The range is checked on recording."""

    name = "进度"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip().rstrip("%％").strip()
        if text.lstrip("-").isdigit():
            return int(text)
        self.fail(f"进度“{value}”应为 0 到 100 之间的整数，如 60 或 60%", param, ctx)


PERCENT = Percent()


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def table(rows, headers) -> str:
    from yytrack.model.table import simple_table

    return simple_table(rows, headers)


def day_option(value: Optional[str], what: str) -> Optional[dt.date]:
    from yytrack.model.validate import parse_day

    return parse_day(value, what, bounded=what != "--date") if value is not None else None


def tracker_of(ctx: click.Context):
    from yytrack.tracker import Tracker

    return Tracker.discover(override=ctx.obj.get("repo"))


@click.group(cls=LazyRoot, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="yytrack", message="%(prog)s %(version)s",
                      help="显示版本并退出。")
@click.option("--repo", metavar="路径", help="跟踪仓库的位置（默认从当前目录向上查找；也可用环境变量 YYTRACK_REPO）。")
@click.pass_context
def cli(ctx: click.Context, repo: Optional[str]) -> None:
    """yytrack：政策文件落实跟踪——任务台账、进展报送、催办与督导通报。

    数据存放在 git 仓库中：tasks/ 下每条措施一个 YAML 文件，每次报送进展是一次提交。
    """
    ctx.obj = {"repo": repo}
