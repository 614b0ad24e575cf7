"""Test beds for the trust tests: a team of people with SSH keys, a seed tracking repository, and a shared
remote that is either a plain bare repository (no pusher identity; signatures required) or a real gitolite3
behind OpenSSH on 127.0.0.1 (the pusher is known; signatures optional)."""

from __future__ import annotations

import pytest

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Optional

from conftest import FIXTURES, git, run_cli

# login → (name, email, units, role)
PEOPLE = {
    "sun": ("孙审核", "sun@example.cn", [], "reviewer"),
    "zhou": ("周管理", "zhou@example.cn", [], "admin"),
    "li": ("李明", "li@mz.example.cn", ["省民政厅"], ""),
    "wang": ("王芳", "wang@wj.example.cn", ["省卫健委"], ""),
    "chen": ("陈静", "chen@fz.example.cn", ["福州市人民政府"], ""),
}
GITOLITE = shutil.which("gitolite") or "/usr/share/gitolite3/gitolite"
SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def keypair(folder: Path, login: str) -> str:
    key = folder / login
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", login, "-f", str(key)], check=True)
    return " ".join((folder / f"{login}.pub").read_text().split()[:2])


def config_text(keys: Dict[str, str], require_signatures: bool) -> str:
    lines = ["supervisor:", "  office: 省卫健委老龄处", "  reviewers: [sun@example.cn]", "  admins: [zhou@example.cn]",
             "people:"]
    for login, (_, email, units, _) in PEOPLE.items():
        lines += [f"  {email}:", f"    units: [{', '.join(units)}]", f"    login: {login}",
                  f"    keys: [\"{keys[login]}\"]"]
    lines += [f"require_signatures: {'true' if require_signatures else 'false'}", "protected_branch: main",
              "record_time_tolerance_days: 1", "evidence:", "  max_mb: 1", ""]
    return "\n".join(lines)


class Team:
    """People with keys, clones of the shared repository, and how to reach it."""

    def __init__(self, base: Path, require_signatures: bool):
        self.base = base
        self.keys_dir = base / "keys"
        self.keys_dir.mkdir(parents=True)
        self.keys = {login: keypair(self.keys_dir, login) for login in [*PEOPLE, "admin"]}
        self.require_signatures = require_signatures
        self.url = ""
        self.bare: Optional[Path] = None
        self.ssh_port = 0

    def env(self, login: str) -> dict:
        if not self.ssh_port:
            return {}
        return {"GIT_SSH_COMMAND": f"ssh -i {self.keys_dir / login} -p {self.ssh_port} -o StrictHostKeyChecking=no "
                                   "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes"}

    def seed(self) -> Path:
        """The first commit, by the supervising office: establishes the policy."""
        seed = self.base / "seed"
        shutil.copytree(FIXTURES / "minirepo", seed)
        (seed / "tasks/config.yaml").write_text(config_text(self.keys, self.require_signatures), encoding="utf-8")
        git(seed, "init", "-q", "-b", "main")
        self.configure(seed, "zhou")
        git(seed, "add", "-A")
        git(seed, "commit", "-q", "-m", "初始化")
        return seed

    def configure(self, work: Path, login: str) -> None:
        name, email = PEOPLE[login][:2] if login in PEOPLE else ("管理员", "admin@example.cn")
        for key, value in (("user.name", name), ("user.email", email), ("gpg.format", "ssh"),
                           ("user.signingkey", str(self.keys_dir / f"{login}.pub")), ("commit.gpgsign", "true")):
            git(work, "config", key, value)

    def clone(self, login: str, name: Optional[str] = None) -> Path:
        work = self.base / (name or f"clone-{login}")
        proc = subprocess.run(["git", "clone", "-q", self.url, str(work)], capture_output=True,
                              env={**os.environ, **self.env(login)})
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
        self.configure(work, login)
        return work

    def cli(self, work: Path, login: str, *args: str, env: Optional[dict] = None):
        return run_cli(work, *args, env={**self.env(login), **(env or {})})

    def push(self, work: Path, login: str, *args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run(["git", "push", "origin", *args], cwd=str(work), capture_output=True,
                              env={**os.environ, **self.env(login)})
        return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"),
                                           proc.stderr.decode("utf-8", "replace"))

    def server_log(self, ref: str = "main") -> str:
        assert self.bare is not None
        return git(self.bare, "log", "--format=%H %s", ref)


def bare_team(base: Path) -> Team:
    """A plain bare repository with the hook; no pusher identity, so signatures are required."""
    team = Team(base, require_signatures=True)
    seed = team.seed()
    team.bare = base / "shared.git"
    git(base, "clone", "-q", "--bare", str(seed), str(team.bare))
    proc = run_cli(seed, "hook", "install", str(team.bare))
    assert proc.returncode == 0, proc.stderr
    team.url = str(team.bare)
    return team


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GitoliteServer:
    """gitolite3 in a temporary HOME, served by its own sshd on a free port of 127.0.0.1."""

    def __init__(self, team: Team):
        self.team = team
        self.root = Path(tempfile.mkdtemp(prefix="yyt-gitolite-"))  # short path without spaces
        self.home = self.root / "home"
        self.home.mkdir()
        self.proc: Optional[subprocess.Popen] = None

    def gitolite(self, *args: str) -> None:
        env = {**os.environ, "HOME": str(self.home)}
        env.pop("GIT_CONFIG_GLOBAL", None)
        proc = subprocess.run([GITOLITE, *args], env=env, capture_output=True)
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")

    def setup(self) -> None:
        keys = self.team.keys_dir
        self.gitolite("setup", "-pk", str(keys / "admin.pub"))
        rc = self.home / ".gitolite.rc"
        text = rc.read_text()
        text = text.replace('# LOCAL_CODE                =>  "$ENV{HOME}/local",', 'LOCAL_CODE => "$ENV{HOME}/local",')
        rc.write_text(text.replace("# 'repo-specific-hooks',", "'repo-specific-hooks',"))
        for login in PEOPLE:
            shutil.copy(keys / f"{login}.pub", self.home / ".gitolite/keydir" / f"{login}.pub")
        users = " ".join(PEOPLE)
        (self.home / ".gitolite/conf/gitolite.conf").write_text(
            "repo gitolite-admin\n    RW+ = admin\n"
            f"repo track\n    RW+ = admin {users}\n    RW+ refs/ = admin {users}\n"
            "    option hook.pre-receive = yytrack\n")
        bare = self.home / "repositories/track.git"
        hook = self.home / "local/hooks/repo-specific/yytrack"
        self.gitolite("compile")
        git(bare, "symbolic-ref", "HEAD", "refs/heads/main")
        proc = run_cli(bare, "hook", "install", str(bare), "--hook-path", str(hook))
        assert proc.returncode == 0, proc.stderr
        self.gitolite("setup", "--hooks-only")
        self.gitolite("trigger", "POST_COMPILE")
        self._authorized_keys()
        self.team.bare = bare

    def _authorized_keys(self) -> None:
        """gitolite-shell must find its HOME: the forced command sets it (sshd logs in as root here)."""
        path = self.home / ".ssh/authorized_keys"
        shell = 'command="'
        path.write_text(path.read_text().replace(shell, f'{shell}HOME={self.home} '))

    def start(self) -> None:
        port = _free_port()
        host_key = self.root / "host_key"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key)], check=True)
        config = self.root / "sshd_config"
        config.write_text(f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\nPidFile {self.root}/sshd.pid\n"
                          f"AuthorizedKeysFile {self.home}/.ssh/authorized_keys\nUsePAM no\nStrictModes no\n"
                          "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                          "PermitRootLogin prohibit-password\nMaxStartups 50\nLogLevel ERROR\n")
        Path("/run/sshd").mkdir(exist_ok=True)
        self.proc = subprocess.Popen([SSHD, "-D", "-f", str(config), "-E", str(self.root / "sshd.log")])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        self.team.ssh_port = port
        self.team.url = f"ssh://root@127.0.0.1:{port}/track"

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def gitolite_team(base: Path):
    """Yields a Team whose shared repository is served by gitolite over SSH; the pusher is known."""
    team = Team(base, require_signatures=False)
    server = GitoliteServer(team)
    try:
        server.setup()
        server.start()
        seed = team.seed()
        git(seed, "remote", "add", "origin", team.url)
        proc = subprocess.run(["git", "push", "-q", "origin", "main"], cwd=str(seed), capture_output=True,
                              env={**os.environ, **team.env("zhou")})
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
        yield team
    finally:
        server.stop()


def have_server_tools() -> bool:
    return os.path.exists(GITOLITE) and os.path.exists(SSHD) and os.geteuid() == 0 and sys.platform == "linux"


@pytest.fixture(params=["bare", "gitolite"])
def team(request, tmp_path):
    """Both setups every trust test runs against: a plain bare repository (signatures are the defence) and
    gitolite behind OpenSSH on 127.0.0.1 (the server names the pusher)."""
    if request.param == "bare":
        yield bare_team(tmp_path)
        return
    if not have_server_tools():
        pytest.fail("需要 gitolite3 与 openssh-server（make system-deps），并以 root 运行")
    yield from gitolite_team(tmp_path)
