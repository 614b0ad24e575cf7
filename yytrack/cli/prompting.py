"""Asking a person at the terminal for what an update needs: unit, status, progress, note, then a summary
to confirm. In a script (stdin not a terminal) nothing is asked: a missing option is one clear error."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import List, Optional, Sequence

import click

from yytrack.errors import UsageProblem

NOTE_REQUIRED = {"done": "完成情况", "blocked": "受阻原因"}


@dataclass
class Answers:
    unit: Optional[str]
    status: Optional[str]
    progress: Optional[int]
    note: Optional[str]


def at_terminal() -> bool:
    return sys.stdin.isatty()


def need(option: str, label: str, hint: str = "") -> UsageProblem:
    return UsageProblem(f"缺少{label}（{option}{hint}）；非交互模式下请用选项给出")


def pick(label: str, choices: Sequence[str], resolve=None) -> str:
    """A numbered menu; the answer is a number or a name (resolve maps a typed name to a choice)."""
    for i, choice in enumerate(choices, 1):
        click.echo(f"  {i}. {choice}", err=True)
    while True:
        answer = click.prompt(f"请选择{label}（序号或名称）", err=True, show_default=False).strip()
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        found = resolve(answer) if resolve else (answer if answer in choices else None)
        if found in choices:
            return found
        click.echo(f"“{answer}”不在上面的列表中，请输入 1 到 {len(choices)} 的序号或列出的名称。", err=True)


def parse_percent(text: str) -> Optional[int]:
    """60, 60% or 60％ → 60; anything else None."""
    value = text.strip().rstrip("%％").strip()
    return int(value) if value.isdigit() else None


def ask_progress(last: Optional[int]) -> Optional[int]:
    keep = f"，回车保留上次的 {last}%" if last is not None else "，回车不填"
    while True:
        answer = click.prompt(f"请输入进度（0—100{keep}）", default="", err=True, show_default=False).strip()
        if not answer:
            return last
        value = parse_percent(answer)
        if value is not None and 0 <= value <= 100:
            return value
        click.echo(f"“{answer}”不是 0 到 100 之间的整数，请重新输入（如 60 或 60%）。", err=True)


def ask_note(status: str) -> str:
    required = NOTE_REQUIRED.get(status)
    while True:
        label = f"请输入{required}说明（必填）" if required else "请输入进展说明（回车不填）"
        answer = click.prompt(label, default="", err=True, show_default=False).strip()
        if answer or not required:
            return answer
        click.echo(f"状态为“{'已完成' if status == 'done' else '受阻'}”时必须说明{required}。", err=True)


def confirm(lines: List[str]) -> None:
    click.echo("即将记录：", err=True)
    for line in lines:
        click.echo(f"  {line}", err=True)
    if not click.confirm("确认提交？", default=True, err=True):
        click.echo("已取消，未记录任何进展。", err=True)
        sys.exit(1)


def ask_text(label: str) -> str:
    """A line of text that may not be empty."""
    while True:
        answer = click.prompt(label, default="", err=True, show_default=False).strip()
        if answer:
            return answer
        click.echo("不能为空，请重新输入。", err=True)
