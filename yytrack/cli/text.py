"""Chinese for click's own words (usage lines, option errors), part of the click layer.

Click marks its messages with gettext but ships no Chinese catalogue, so the click modules' `_`
is pointed at this table; anything missing falls back to click's English.
"""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

ZH = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "{name}:": "{name}：",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用“{command} {option}”查看帮助。",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不需要值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "integer": "整数",
    "float": "数字",
    "Aborted!": "已取消。",
    "Error: invalid input": "错误：输入无效",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是以下之一：{choices}。",
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不经询问直接确认。",
    "required": "必填",
    "deprecated": "已弃用",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可用：{states}。",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "Value must be an iterable.": "值必须是一组值。",
    "Press any key to continue...": "按任意键继续……",
    "Repeat for confirmation": "再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "unknown error": "未知错误",
}
ZH_PLURAL = {
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "是否是 {possibility}？",
    "(Possible options: {possibilities})": "（可能的选项：{possibilities}）",
    "{name!r} is not one of {choices}.": "{name!r} 不是以下之一：{choices}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是以下之一：{choices}。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "(Did you mean one of: {possibilities}?)": "（是否是以下之一：{possibilities}？）",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，但只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，但给了 {len} 个。",
    "{len_type} values are required, but {len_value} was given.": "需要 {len_type} 个值，但给了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "需要 {len_type} 个值，但给了 {len_value} 个。",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合以下任一格式：{formats}。",
}
# The names click puts into its messages and default metavars ("不是有效的整数").
TYPE_NAMES = {"IntParamType": "整数", "IntRange": "整数", "FloatParamType": "数字", "FloatRange": "数字",
              "BoolParamType": "是/否", "StringParamType": "文本", "UnprocessedParamType": "文本",
              "DateTime": "日期时间", "UUIDParameterType": "UUID", "File": "文件"}


def _gettext(message: str) -> str:
    return ZH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return ZH_PLURAL.get(chosen, ZH.get(chosen, chosen))


def usage_message(error: click.UsageError) -> str:
    """A usage error in Chinese: a missing option names the option and what it takes."""
    param = getattr(error, "param", None)
    if isinstance(error, click.MissingParameter) and param is not None and not error.message:
        metavar = param.metavar or ""
        if isinstance(param, click.Option):
            return f"缺少选项 {param.opts[0]}" + (f"（{metavar}）" if metavar else "")
        return f"缺少参数 {metavar or param.name}"
    return error.format_message().replace("。 ", "。").replace("' / '", "'、'")


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: a wide (Chinese) character is two, a combining mark none.

    unicodedata is already loaded by Python itself, so `--help` pays nothing for it (wcwidth costs
    about 25 ms to import)."""
    from unicodedata import combining, east_asian_width

    plain = click.utils.strip_ansi(text) if hasattr(click.utils, "strip_ansi") else text
    return sum(0 if combining(ch) else 2 if east_asian_width(ch) in "WF" else 1 for ch in plain)


def _write_heading(self, heading: str) -> None:
    """选项： with a Chinese colon, as every other heading."""
    self.write(f"{'':>{self.current_indent}}{heading}：\n")


def install() -> None:
    # Help tables align by display width, so Chinese option descriptions line up.
    click.formatting.term_len = display_width
    click.formatting.HelpFormatter.write_heading = _write_heading
    for class_name, label in TYPE_NAMES.items():
        kind = getattr(click.types, class_name, None)
        if kind is not None:
            kind.name = label
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
                   click.termui, click.types):
        if hasattr(module, "_"):
            module._ = _gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext
