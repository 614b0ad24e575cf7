"""The `yytrack` command: every area of commands registered on one group, and the error boundary."""

from __future__ import annotations

import os
import sys

import click

from yytrack.cli.base import cli
from yytrack.errors import YytrackError

# click 8.2+ raises this for a group called without a command; older versions print the help themselves.
NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


def _configure_streams() -> None:
    """Never crash on a console that cannot show a character (GBK on Windows): replace it."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def _escape_output() -> None:
    """Text from files (titles, notes, names) never reaches the terminal raw: every control character the
    command prints (escape sequences, bidi overrides) is shown as its escape instead."""
    from yytrack.model.text import escape_controls

    original = click.echo
    if getattr(original, "escapes_controls", False):
        return

    def echo(message=None, file=None, nl=True, err=False, color=None):
        if isinstance(message, str):
            message = escape_controls(message)
        return original(message, file=file, nl=nl, err=err, color=color)

    echo.escapes_controls = True
    click.echo = echo


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


def _quiet_pipe() -> None:
    """The reader of our output went away: end quietly with success, and keep Python from complaining
    about the unflushed rest when it shuts down."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(0)


def _usage_error(e: click.UsageError) -> None:
    """A group given no command shows its help; any other usage error is one Chinese line, exit 2."""
    from yytrack.cli import text as cli_text

    if isinstance(e, NO_ARGS_IS_HELP) and e.ctx is not None:
        click.echo(e.ctx.get_help())
        sys.exit(0)
    command = e.ctx.command_path if e.ctx else "yytrack"
    click.echo(f"错误：{_one_line(cli_text.usage_message(e))}（用 {command} --help 查看用法）", err=True)
    sys.exit(2)


def _finish(code) -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_pipe()
    sys.exit(code if isinstance(code, int) else 0)


def main(argv=None) -> None:
    from yytrack.cli import text as cli_text

    _utf8_mode(argv)
    cli_text.install()
    _configure_streams()
    _escape_output()
    try:
        code = cli.main(args=argv, prog_name="yytrack", standalone_mode=False)
    except YytrackError as e:
        click.echo(f"错误：{_one_line(e.format_message())}", err=True)
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        sys.exit(130)
    except click.UsageError as e:
        _usage_error(e)
    except click.ClickException as e:
        click.echo(f"错误：{_one_line(e.format_message())}", err=True)
        sys.exit(e.exit_code)
    except BrokenPipeError:
        _quiet_pipe()  # `yytrack log | head -1`: the reader has all it wants
    except SystemExit:
        # click turns a broken pipe into exit 1 after wrapping the streams: that is no failure either.
        if type(sys.stdout).__name__ == "_PacifyFlushWrapper":
            _quiet_pipe()
        raise
    except KeyboardInterrupt:
        click.echo("已中断，未做任何修改。", err=True)
        sys.exit(130)
    except Exception as e:  # the last line of defence: one line, never a traceback
        if os.environ.get("YYTRACK_DEBUG"):
            raise
        click.echo(f"内部错误：{type(e).__name__}: {_one_line(str(e))}（设置 YYTRACK_DEBUG=1 可查看详情）", err=True)
        sys.exit(1)
    _finish(code)
