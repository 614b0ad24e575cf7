"""Report templates: lookup (repository first, then bundled), a sandbox, and a bounded render.

Templates run in Jinja's sandbox with StrictUndefined; a render is bounded in output size and time,
so a broken or hostile template fails with one Chinese line naming the template and line instead of
hanging or filling the disk.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Optional, Tuple

from yytrack.repo.bundled import data_dir
from yytrack.errors import TemplateProblem, UsageProblem, YytrackError

MAX_OUTPUT_CHARS = 50 * 1024 * 1024
MAX_RENDER_SECONDS = 30.0
MAX_REPEAT_ITEMS = 1_000_000
TEXT_FORMATS = ("md", "html")
FORMATS = TEXT_FORMATS + ("docx", "xlsx")


def _autoescape(name: Optional[str]) -> bool:
    return bool(name) and name.lower().endswith((".html", ".htm", ".html.j2", ".htm.j2", ".xml.j2"))


# No tag, entity or autolink can start without & or <; no link or image without [ ]. (A lone > is left
# alone: `>=55%` stays readable in the Markdown source.)
_MARKDOWN_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", "[": "\\[", "]": "\\]"})


def markdown_text(value):
    """What `{{ … }}` writes into a Markdown template: HTML and link syntax in user text shown literally
    (`<script>` → `&lt;script>`, `[x](javascript:…)` → `\\[x\\](javascript:…)`); numbers stay numbers."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return value.translate(_MARKDOWN_SPECIAL)
    return value


def _is_markdown(name: Optional[str]) -> bool:
    return bool(name) and name.lower().endswith((".md.j2", ".md", ".markdown", ".markdown.j2"))


def markdown_cell(value) -> str:
    """Text that stays inside one Markdown table cell."""
    return " ".join(str("" if value is None else value).split()).replace("|", "\\|")


def environment(root: Optional[Path], extra: Optional[Path] = None):
    """Sandboxed Jinja environment: extra folder, then the repo's templates/, then the bundled ones."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedEnvironment(SandboxedEnvironment):
        # `"x" * 10**9` or `9 ** 9 ** 9` would run inside C, out of reach of the time budget.
        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
                raise jinja2.sandbox.SecurityError("乘方的指数过大")
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                        if len(seq) * times > MAX_REPEAT_ITEMS:
                            raise jinja2.sandbox.SecurityError("重复生成的内容过大")
            return super().call_binop(context, operator, left, right)

    folders = [p for p in (extra, root / "templates" if root else None, data_dir("templates")) if p]
    env = BoundedEnvironment(
        loader=_safe_loader(folders, root),
        undefined=jinja2.StrictUndefined, autoescape=_autoescape, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, finalize=jinja2.pass_context(_finalize_impl), bytecode_cache=_compiled(root))
    env.filters["cell"] = markdown_cell
    return env


MAX_TEMPLATE_BYTES = 1024 * 1024


def _safe_loader(folders, root: Optional[Path]):
    """Like Jinja's FileSystemLoader, but every template is read through the safe-path layer: a link, a
    device or a file larger than MAX_TEMPLATE_BYTES in templates/ is refused, never rendered."""
    import jinja2

    from yytrack.repo import safepath

    class SafeLoader(jinja2.BaseLoader):
        def get_source(self, environment, template):
            parts = [p for p in template.replace("\\", "/").split("/") if p not in ("", ".")]
            if ".." in parts:
                raise jinja2.TemplateNotFound(template)
            for folder in folders:
                path = Path(folder, *parts)
                if not os.path.lexists(path):
                    continue
                inside = root is not None and root in Path(os.path.abspath(path)).parents
                # Outside the tracking repository (bundled, or a --template file) only the file itself is judged.
                raw = safepath.read_bytes(path, MAX_TEMPLATE_BYTES, "模板", root=root if inside else Path(folder))
                return raw.decode("utf-8"), str(path), lambda: True
            raise jinja2.TemplateNotFound(template)

    return SafeLoader()


def _finalize_impl(context, value):
    return markdown_text(value) if _is_markdown(getattr(context, "name", None)) else value


def _compiled(root: Optional[Path]):
    """Compiled templates kept in .git/yytrack/templates (reports.compiled), when root is a git clone."""
    from yytrack.reports.compiled import bytecode_cache
    from yytrack.repo.store import git_dir

    if root is None or not (root / ".git").exists():
        return None
    try:
        folder = git_dir(root)
    except OSError:
        return None
    # The compiled code depends on the environment's options as well as on the template's text.
    return bytecode_cache(folder / "yytrack" / "templates" if folder.is_dir() else None,
                          f"sandbox-bounded-1:{MAX_REPEAT_ITEMS}:trim,lstrip,keepnl,strict")


def find_template(root: Optional[Path], template: Optional[str], default: str, fmt: str):
    """A template by file path, by name (督导通报, 督导通报.md.j2) or the default for the format."""
    import jinja2

    candidates = [f"{default}.{fmt}.j2"]
    extra = None
    if template:
        path = Path(template).expanduser()
        if path.is_file() or path.is_symlink():
            extra, candidates = Path(os.path.abspath(path)).parent, [path.name]
        elif any(sep in template for sep in "/\\"):
            raise TemplateProblem(f"找不到模板文件 {template}")
        else:
            candidates = [template, f"{template}.{fmt}.j2", f"{template}.j2"]
    env = environment(root, extra)
    try:
        return env.select_template(candidates)
    except jinja2.TemplatesNotFound as e:
        where = "、".join(str(p) for p in ([root / "templates"] if root else []) + [data_dir("templates")])
        raise TemplateProblem(f"找不到模板“{template or candidates[0]}”（已查找：{where}）") from e
    except jinja2.TemplateSyntaxError as e:
        raise template_problem(e, candidates[0]) from e
    except UnicodeDecodeError as e:
        raise TemplateProblem(f"模板“{template or candidates[0]}”不是 UTF-8 编码的文本，请另存为 UTF-8") from e
    except OSError as e:
        raise TemplateProblem(f"无法读取模板“{template or candidates[0]}”（{e.strerror}）") from e


def format_of(template: Optional[str], fmt: Optional[str]) -> str:
    """--format, else what the template's file name says (.html.j2 → html), else Markdown."""
    if fmt:
        if fmt not in FORMATS:
            raise UsageProblem(f"格式“{fmt}”无效；可用：{'、'.join(FORMATS)}")
        if template and fmt not in TEXT_FORMATS:
            raise UsageProblem("Word 和 Excel 格式不使用模板，--template 只用于 md 和 html")
        return fmt
    name = (template or "").lower()
    return "html" if name.endswith((".html.j2", ".html", ".htm")) else "md"


class _RenderStopped(Exception):
    """Raised inside the template's own frames when the time budget runs out."""


def render(template, context: dict, max_chars: int = MAX_OUTPUT_CHARS,
           max_seconds: float = MAX_RENDER_SECONDS) -> str:
    """Render with bounds on output size and time; every failure is a TemplateProblem."""
    deadline = time.monotonic() + max_seconds
    env = template.environment

    def on_line(frame, event, arg):
        if time.monotonic() > deadline:
            raise _RenderStopped(f"渲染超过 {max_seconds:g} 秒，已中止（模板中可能有死循环）")
        return on_line

    def on_call(frame, event, arg):
        # Only the template's compiled code is traced line by line; library code runs at full speed.
        return on_line if frame.f_globals.get("environment") is env else None

    previous = sys.gettrace()
    parts, size = [], 0
    sys.settrace(on_call)
    try:
        for chunk in template.generate(context):
            size += len(chunk)
            if size > max_chars:
                raise _RenderStopped(f"输出超过 {max_chars // (1024 * 1024)} MB，已中止")
            if time.monotonic() > deadline:
                raise _RenderStopped(f"渲染超过 {max_seconds:g} 秒，已中止（模板中可能有死循环）")
            parts.append(chunk)
    except YytrackError:
        raise
    except Exception as e:
        raise template_problem(e, template.name) from e
    finally:
        sys.settrace(previous)
    return "".join(parts)


def template_problem(error: BaseException, name: str) -> TemplateProblem:
    """One line: 模板 <name> 第 <n> 行：<what>."""
    import jinja2

    line = getattr(error, "lineno", None)
    if isinstance(error, jinja2.TemplateSyntaxError):
        name = error.name or Path(error.filename or name).name
        what = f"语法错误（{_syntax_text(error.message or '')}）"
    else:
        found = _template_frame(error.__traceback__)
        if found:
            name, line = found
        what = _runtime_text(error)
    where = f"第 {line} 行：" if line else ""
    return TemplateProblem(f"模板 {name} {where}{' '.join(what.split())}")


def _template_frame(tb) -> Optional[Tuple[str, int]]:
    """The innermost traceback entry Jinja rewrote to point at a template line."""
    found = None
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (Path(tb.tb_frame.f_code.co_filename).name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _syntax_text(message: str) -> str:
    """Jinja's commonest syntax messages in Chinese; anything else as Jinja says it."""
    if message.lower().startswith("unexpected end of template"):
        tags = re.findall(r"'(\w+)'", message.split("tags:")[-1].split(".")[0]) if "tags:" in message else []
        return "模板提前结束" + (f"，缺少 {' 或 '.join(tags)}" if tags else "")
    unexpected = re.fullmatch(r"unexpected '(.+)'", message)
    if unexpected:
        return f"此处不应出现“{unexpected.group(1)}”"
    unknown = re.match(r"Encountered unknown tag '(.+?)'", message)
    if unknown:
        return f"未知的标签 {unknown.group(1)}"
    return message


def _runtime_text(error: BaseException) -> str:
    import jinja2
    from jinja2.sandbox import SecurityError

    message = str(getattr(error, "message", None) or error)
    if isinstance(error, jinja2.UndefinedError):
        missing = re.fullmatch(r"'(.+)' is undefined", message)
        attribute = re.fullmatch(r"'(.+)' has no attribute '(.+)'", message)
        if missing:
            return f"变量 {missing.group(1)} 未定义（可用变量见 docs/reports.md）"
        if attribute:
            return f"没有属性 {attribute.group(2)}（可用变量见 docs/reports.md）"
        return f"未定义的值（{message}）"
    if isinstance(error, _RenderStopped):
        return message
    if isinstance(error, SecurityError):
        return f"不允许的操作（{message}）"
    if isinstance(error, jinja2.TemplateNotFound):
        return f"找不到被包含的模板 {error.name}"
    if isinstance(error, RecursionError):
        return "宏或包含的模板递归过深，已中止"
    return f"渲染出错（{type(error).__name__}: {message}）"


def render_named(root: Optional[Path], template: Optional[str], default: str, fmt: str, context: dict) -> str:
    return render(find_template(root, template, default, fmt), context)
