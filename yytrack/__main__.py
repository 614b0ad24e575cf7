"""`python -m yytrack` and the `yytrack` console script.

`--version` and the overview (`--help`, or no arguments at all) are answered here, before click and
the commands are imported: for those answers the start-up is the whole cost. Everything else goes to
yytrack.cli.
"""

import os
import sys

# click's rendering of `yytrack --help` on a terminal of 80 columns or more (the same at every such width).
# tests/test_startup.py compares it with click's own output; after changing a command's help, print the new
# text with: python -c "from yytrack.cli import main; main(['--help'])" and paste it here.
OVERVIEW = """\
用法： yytrack [选项] 命令 [参数]...

  yytrack：政策文件落实跟踪——任务台账、进展报送、催办与督导通报。

  数据存放在 git 仓库中：tasks/ 下每条措施一个 YAML 文件，每次报送进展是一次提交。

选项：
  -V, --version  显示版本并退出。
  --repo 路径    跟踪仓库的位置（默认从当前目录向上查找；也可用环境变量 YYTRACK_REPO）。
  -h, --help     显示本帮助并退出。

命令：
  audit    审计历史：按每个提交之前的策略判定谁改了什么（只追加、作者与签名、默认拒绝）。
  check    检查全部任务文件，逐条列出问题（路径:行号: 说明）。
  collect  收取单位发回的报送表（.xlsx，或另存的 .csv）：逐行校验、预览，每条有变化的进展记为一次提交。
  forms    生成各单位的 Excel 报送表：预填该单位本期应报送的措施，发给单位填写后收回（见 collect）。
  gc       维护：写入 git 提交图（加快历史查询）并重建缓存。
  hook     共享仓库的钩子：拒绝不符合审计规则的推送。
  import   从政策文件（.txt、.docx、.pdf 或网页 .html）识别措施、责任单位、时限和指标，生成任务文件并提交。
  init     新建跟踪仓库：带入内置方案、单位名录、模板，并完成首次提交。
  list     列出措施：编号、简称、牵头单位、状态、进度。
  log      历史记录：报送与审核，按进展所指日期最新的在前，同一天按提交时间（读自 git 历史）。
  migrate  把旧格式（第 1 版）的进展记录升级为只追加的第 2 版，一次提交。
  remind   催办：各单位本月未报送的措施，以及截止日期已过或 30 天内到期的事项。
  remote   共享仓库：一步建好各处室共用的远程仓库。
  report   生成督导通报：总体情况、各措施进展、未报送单位、逾期事项、指标、本月变化、报送及时率。
  review   办结审核（销号）：督办处室同意办结或退回。
  show     显示一条措施的全部内容和各单位最新进展。
  signing  提交签名（SSH 密钥）。
  status   总体情况：各状态措施数、已逾期和 30 天内到期的截止日期、各单位任务量。
  sync     与共享仓库同步：获取、整合、推送；被拒绝时自动重试。
  units    单位名录：查看、合并同一单位的不同写法。
  update   报送一条进展：写入进展记录并生成一次 git 提交。
"""


def _columns() -> int:
    """The terminal width the way shutil.get_terminal_size finds it (COLUMNS, the terminal, else 80)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


def _answer(text: str) -> bool:
    """Write a ready answer; False when this console cannot show it (click then re-encodes or re-runs)."""
    try:
        data = text.encode(sys.stdout.encoding or "utf-8")
        out = sys.stdout.buffer  # a stream without bytes underneath (tests, embedding) gets click's answer
    except (UnicodeEncodeError, LookupError, AttributeError):
        return False
    sys.stdout.flush()
    try:
        out.write(data)
        out.flush()
    except BrokenPipeError:
        pass
    return True


def run(argv=None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["--version"], ["-V"]):
        from yytrack import __version__

        sys.stdout.write(f"yytrack {__version__}\n")  # what click's version option prints
        sys.stdout.flush()
        sys.exit(0)
    if args in ([], ["--help"], ["-h"]) and _columns() >= 80 and _answer(OVERVIEW):
        sys.exit(0)
    from yytrack.cli import main

    main(argv)


if __name__ == "__main__":
    run()
