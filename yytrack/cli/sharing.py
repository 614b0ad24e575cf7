"""Working with a shared remote: sync, audit, hook, gc."""

from __future__ import annotations

import sys

import click

from yytrack.cli.base import cli, tracker_of


@cli.command()
@click.option("--keep-both", is_flag=True, help="同一单位同一措施在两处都有报送时，两条都保留（本地的追加在后）。")
@click.pass_context
def sync(ctx, keep_both: bool) -> None:
    """与共享仓库同步：获取、整合、推送；被拒绝时自动重试。"""
    from yytrack.repo.sync import sync as run_sync

    tracker = tracker_of(ctx)
    result = run_sync(tracker.root, keep_both=keep_both)
    again = f"，重新记录本地报送 {result.reapplied} 条" if result.reapplied else ""
    click.echo(f"已与 {result.remote}/{result.branch} 同步：收到 {result.received} 个提交，"
               f"推送 {result.sent} 个提交{again}（第 {result.attempts} 次尝试成功）")


@cli.command()
@click.option("--since", metavar="版本", help="只检查该版本之后的提交（如 origin/main、提交号）。")
@click.pass_context
def audit(ctx, since) -> None:
    """审计历史：按每个提交之前的策略判定谁改了什么（只追加、作者与签名、默认拒绝）。"""
    from yytrack.trust.audit import audit as run_audit
    from yytrack.errors import CheckFailed

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
@click.option("--hook-path", metavar="文件", help="钩子写到这里（如 gitolite 的仓库专用钩子目录），默认为 裸仓库/hooks/pre-receive。")
def hook_install(bare_repo: str, hook_path) -> None:
    """在共享的裸仓库中安装 pre-receive 钩子，并禁止非快进推送与删除分支。"""
    from pathlib import Path

    from yytrack.trust.hook import install

    path = install(Path(bare_repo), Path(hook_path).expanduser().resolve() if hook_path else None)
    click.echo(f"已安装钩子 {path}：推送中不符合策略的提交将被拒绝；"
               "已设置 receive.denyNonFastForwards 与 receive.denyDeletes")


@cli.group()
def remote() -> None:
    """共享仓库：一步建好各处室共用的远程仓库。"""


@remote.command(name="init")
@click.argument("path", metavar="路径")
@click.option("--clone-url", metavar="地址", help="各处室克隆时用的地址（如 用户@服务器:/srv/共享.git；默认即路径）。")
@click.pass_context
def remote_init(ctx, path: str, clone_url) -> None:
    """新建共享的裸仓库：主分支 main，推送本仓库，安装审计钩子，并给出各处室的克隆命令。"""
    from pathlib import Path

    from yytrack.repo.remote import create_shared
    from yytrack.trust.hook import install

    tracker = tracker_of(ctx)
    shared = create_shared(tracker.root, Path(path))
    click.echo(f"已新建共享仓库 {shared.path}（主分支 {shared.branch}），已推送本仓库；"
               f"本仓库的 {shared.remote} 指向它，之后用 yytrack sync 同步")
    hook_path = install(shared.path)
    click.echo(f"已安装钩子 {hook_path}：推送中不符合审计规则的提交将被拒绝")
    click.echo(f"钩子用 {sys.executable} 运行 yytrack：在原位置重建虚拟环境并重新安装 yytrack 后仍然有效；"
               f"换了位置请重新运行 yytrack hook install {shared.path}")
    click.echo("各处室各自取得一份跟踪仓库（目录名可自定）：")
    click.echo(f"  git clone {clone_url or shared.path} 跟踪仓库")
    click.echo("克隆后在其中设置本人的姓名和邮箱（git config user.name / user.email），即可报送和同步。")


@hook.command(name="run", hidden=True)
def hook_run() -> None:
    """（由 git 调用）检查推送的提交。"""
    from yytrack.trust.hook import run

    sys.exit(run())


@cli.command()
@click.pass_context
def gc(ctx) -> None:
    """维护：写入 git 提交图（加快历史查询）并重建缓存。"""
    from yytrack.repo.store import maintain

    tracker = tracker_of(ctx)
    maintain(tracker.root)
    tracker.states()
    click.echo("维护完成：已写入提交图并重建进展缓存。")


@cli.command()
@click.option("--author", metavar="“姓名 <邮箱>”", help="升级提交的作者（须属督办处室，默认取 git 配置）。")
@click.pass_context
def migrate(ctx, author) -> None:
    """把旧格式（第 1 版）的进展记录升级为只追加的第 2 版，一次提交。"""
    commit, count = tracker_of(ctx).migrate(author)
    if commit is None:
        click.echo("所有进展记录已是第 2 版格式，无需升级。")
    else:
        click.echo(f"已升级 {count} 个进展记录文件为第 2 版格式（提交 {commit[:8]}）；请运行 yytrack sync 推送")


@cli.group()
def signing() -> None:
    """提交签名（SSH 密钥）。"""


@signing.command(name="setup")
@click.option("--key", metavar="私钥文件", help="使用这把 SSH 私钥（默认 ~/.ssh/id_ed25519，不存在则新建）。")
@click.pass_context
def signing_setup(ctx, key) -> None:
    """一步设置本仓库的提交签名，并打印要交给督办处室登记的公钥。"""
    from pathlib import Path

    from yytrack.repo.signing import setup_signing
    from yytrack.repo.store import identity

    tracker = tracker_of(ctx)
    who = identity(tracker.root, None)
    path, line = setup_signing(tracker.root, Path(key) if key else None, who.email)
    click.echo(f"已设置：本仓库的提交将用 {path} 签名（gpg.format=ssh，commit.gpgsign=true）。")
    click.echo("请把下面一行交给督办处室，登记到 tasks/config.yaml 的 people 中：")
    click.echo(f"  {who.email}:\n    keys: [\"{line}\"]")
