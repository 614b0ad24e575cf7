"""Faults: random interleavings across clones, fuzzed input, and processes killed mid-write.

Bounded for `make test`; `make stress` (YYTRACK_STRESS=1) runs many more examples and kills.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, git, make_repo, run_cli

STRESS = bool(os.environ.get("YYTRACK_STRESS"))
SEED = int(os.environ.get("YYTRACK_SEED") or 20261120)  # vary it to explore other kill schedules
REVIEWER = "孙晓惠 <sun@example.cn>"
RESPONSIBLE = {  # measure → units that answer for it in the minirepo fixture (lead, cooperating, group member)
    "demo-01": ["省卫健委", "省民政厅", "省财政厅", "福州市人民政府"],
    "demo-02": ["省医保局", "省卫健委"],
    "demo-03": ["省卫健委", "省民政厅", "省医保局"],
}
PAIRS = [(m, u) for m, units in RESPONSIBLE.items() for u in units]


def fsck_ok(repo: Path) -> bool:
    return subprocess.run(["git", "fsck", "--no-progress", "--no-dangling"], cwd=str(repo),
                          capture_output=True).returncode == 0


def all_notes(repo: Path) -> list:
    """Every update and review note in the records on disk (one entry per recorded update)."""
    from yytrack.repo import yamlio

    notes = []
    for path in sorted((repo / "progress").glob("*/*/*.yaml")):
        data = yamlio.load_fast(path) or {}
        notes += [str(e.get("note")) for e in (data.get("updates") or data.get("reviews") or [])]
    return notes


def logged_notes(repo: Path) -> list:
    """The note of every yytrack commit on HEAD (the body between subject and trailers)."""
    from yytrack.repo import history

    return [c.note for c in history.read_log(repo, ["progress"])]


def clone(bare: Path, path: Path) -> Path:
    git(path.parent, "clone", "-q", str(bare), str(path))
    return path


def shared_setup(base: Path, names) -> tuple:
    seed = make_repo(base / "种子")
    bare = base / "共享.git"
    git(base, "clone", "-q", "--bare", str(seed), str(bare))
    return bare, [clone(bare, base / name) for name in names]


# ---------------------------------------------------------------- random interleavings across two clones

CLONES = ("甲处", "乙处")
STEP = st.one_of(
    st.tuples(st.just("update"), st.sampled_from(CLONES), st.sampled_from(PAIRS),
              st.sampled_from(["in_progress", "done", "blocked", "not_started"]), st.integers(0, 100)),
    st.tuples(st.just("review"), st.sampled_from(CLONES), st.sampled_from(sorted(RESPONSIBLE)),
              st.sampled_from(["accept", "reject"])),
    st.tuples(st.just("sync"), st.sampled_from(CLONES)),
    st.tuples(st.just("report"), st.sampled_from(CLONES)),
)
RUNS = {"n": 0}


def sync_until_done(repo: Path) -> None:
    """What an office does: sync; when the same record changed on both sides, keep both."""
    from yytrack.errors import SyncConflict
    from yytrack.repo.sync import sync

    try:
        sync(repo)
    except SyncConflict:
        sync(repo, keep_both=True)


@settings(max_examples=60 if STRESS else 5, deadline=None, derandomize=not STRESS,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(steps=st.lists(STEP, min_size=1, max_size=14 if STRESS else 10))
def test_random_interleavings_keep_every_update_exactly_once(tmp_path, steps):
    from yytrack import Tracker
    from yytrack.errors import UsageProblem

    RUNS["n"] += 1
    base = tmp_path / f"例{RUNS['n']}"
    base.mkdir()
    bare, clones = shared_setup(base, CLONES)
    where = dict(zip(CLONES, clones))
    notes = []
    for n, step in enumerate(steps):
        kind, office = step[0], where[step[1]]
        if kind == "update":
            (measure, unit), status, progress = step[2], step[3], step[4]
            note = f"报送{n}号"
            Tracker(office).update(measure, unit, status, note=note, progress=progress)
            notes.append(note)
        elif kind == "review":
            note = f"审核{n}号"
            try:
                Tracker(office).review(step[2], step[3], note, author=REVIEWER)
            except UsageProblem:
                continue  # not awaiting review, or nothing to reject: refused, nothing written
            notes.append(note)
        elif kind == "sync":
            sync_until_done(office)
        else:
            proc = run_cli(office, "report", "--format", "md", "-o", str(base / f"通报{n}.md"))
            assert proc.returncode == 0, proc.stderr
    for office in (*clones, clones[0]):
        sync_until_done(office)
    heads = {git(c, "rev-parse", "HEAD") for c in clones}
    assert len(heads) == 1
    for office in clones:
        assert git(office, "status", "--porcelain") == ""
        on_disk, in_log = all_notes(office), logged_notes(office)
        for note in notes:
            assert on_disk.count(note) == 1, (note, on_disk)
            assert in_log.count(note) == 1, (note, in_log)
    for args in (["check"], ["audit"]):
        proc = run_cli(clones[0], *args)
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
    statuses = [run_cli(c, "status", "--json").stdout for c in clones]
    assert statuses[0] == statuses[1] and json.loads(statuses[0])
    reports = []
    for office in clones:
        out = base / f"{office.name}-通报.md"
        assert run_cli(office, "report", "--format", "md", "-o", str(out)).returncode == 0
        reports.append(out.read_bytes())
    assert reports[0] == reports[1]


# ---------------------------------------------------------------- fuzzing the importer and the loaders


@contextlib.contextmanager
def time_limit(seconds: int):
    """A hang is a failure too: SIGALRM interrupts the call (tests run in the main thread, also under xdist)."""
    def expired(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
SEED_BYTES = [p.read_bytes() for p in SEEDS]
TASK_SEEDS = [p.read_bytes() for p in sorted((FIXTURES / "minirepo/tasks").rglob("*.yaml"))]
FUZZ = settings(max_examples=300 if STRESS else 30, deadline=None, derandomize=not STRESS,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


@st.composite
def mutated(draw, seeds):
    """A seed with byte-level damage: flips, insertions, deletions, duplicated or truncated chunks."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "duplicate", "truncate", "splice"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from([b"\x00", b"\xff\xfe", b"\t", b"\r", "：".encode(), b"&a ", b"*a",
                                                b"[" * 70, b"- " * 70, b"<<<<<<< HEAD\n", b"\xe4\xb8",
                                                "（一）".encode(), "一、".encode(), b"\n", b": ", b"!!python/none "]))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif kind == "duplicate":
            data[at:at] = data[at:at + draw(st.integers(1, 256))]
        elif kind == "truncate":
            del data[at:]
        elif kind == "splice":
            other = draw(st.sampled_from(seeds))
            start = draw(st.integers(0, max(len(other) - 1, 0)))
            data[at:at] = other[start:start + draw(st.integers(1, 512))]
    return bytes(data)


def assert_imports_or_refuses(text: str) -> None:
    from yytrack.errors import YytrackError
    from yytrack.importer.document import normalize_text, parse_document

    with time_limit(10):
        assert isinstance(normalize_text(text), str)
        try:
            result = parse_document(text, "fuzz")
        except YytrackError:
            return
    for measure in result.measures:
        assert measure["id"].startswith("fuzz-") and isinstance(measure["lead_units"], list)


@FUZZ
@given(text=st.text(max_size=2000))
def test_importer_on_random_text(text):
    assert_imports_or_refuses(text)


@FUZZ
@given(raw=mutated(SEED_BYTES))
def test_importer_on_mutated_documents(raw):
    from yytrack.errors import YytrackError
    from yytrack.importer.document import decode_text

    with time_limit(10):
        try:
            text = decode_text(raw)
        except YytrackError:
            return
    assert_imports_or_refuses(text)


def assert_loads_or_refuses(path: Path, raw: bytes) -> None:
    from yytrack.repo import files, yamlio
    from yytrack.errors import YytrackError

    path.write_bytes(raw)
    with time_limit(10):
        try:
            data = yamlio.load_fast(path)
            if isinstance(data, dict):
                files.measure_from_dict(data, "demo", str(path))
        except YytrackError:
            pass


@FUZZ
@given(raw=mutated(TASK_SEEDS))
def test_task_file_loader_on_mutated_files(tmp_path, raw):
    assert_loads_or_refuses(tmp_path / "demo-01.yaml", raw)


@FUZZ
@given(text=st.text(max_size=500))
def test_task_file_loader_on_random_text(tmp_path, text):
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")
    assert_loads_or_refuses(tmp_path / "demo-01.yaml", raw)


@pytest.fixture(scope="module")
def check_repo(tmp_path_factory):
    from test_hardening import seed_repo

    return seed_repo(tmp_path_factory.mktemp("fuzz-check") / "仓库")


@settings(max_examples=150 if STRESS else 15, deadline=None, derandomize=not STRESS,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(raw=mutated(TASK_SEEDS), target=st.sampled_from(["tasks/demo/demo-01.yaml", "tasks/demo/plan.yaml",
                                                         "tasks/units.yaml", "tasks/config.yaml"]))
def test_checks_on_mutated_files(check_repo, raw, target):
    """check never raises: every broken file becomes a problem with its place."""
    from yytrack.checks.runner import run_checks

    path = check_repo / target
    original = path.read_bytes()
    try:
        path.write_bytes(raw)
        with time_limit(20):
            problems = run_checks(check_repo)
        assert all(p.line >= 1 and p.path for p in problems)
        assert not any("内部错误" in p.message for p in problems), [str(p) for p in problems]
    finally:
        path.write_bytes(original)


# ---------------------------------------------------------------- SIGKILL at random moments

KILLS = 50 if STRESS else 10


def spawn(repo: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "yytrack", *args], cwd=str(repo), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def duration(repo: Path, *args: str) -> float:
    """How long the command takes here, so that kills can be spread over its whole run."""
    started = time.monotonic()
    proc = run_cli(repo, *args)
    assert proc.returncode == 0, proc.stderr
    return time.monotonic() - started


def kill_at_random(proc: subprocess.Popen, rng: random.Random, group: bool, span: list) -> bool:
    """SIGKILL after a random delay within the command's run time; True if the kill landed.
    span[0] adapts: shorter after a kill that came too late, longer after one that landed."""
    time.sleep(rng.uniform(0.25 * span[0], 1.1 * span[0]))  # the first quarter is Python starting up
    landed = proc.poll() is None
    span[0] *= 1.03 if landed else 0.85
    with contextlib.suppress(ProcessLookupError):
        if group:  # the process and its git children at once, like a power cut
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # the process alone; its git child, if any, finishes on its own
            os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return landed


STALE_LOCKS = {"seen": 0}


def then_run(repo: Path, *args: str, shared: Path = None) -> subprocess.CompletedProcess:
    """The next command after a kill. Killing a whole process group can leave git's own lock file behind
    (index.lock, a ref's .lock, here or in the shared repository a local push was writing to); the command must
    then fail in one line naming it, and after the person removes it, as git and the message ask, succeed."""
    proc = run_cli(repo, *args)
    if proc.returncode != 0 and ".lock" in proc.stderr:
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr, proc.stderr
        STALE_LOCKS["seen"] += 1
        for git_dir in (repo / ".git", *([shared] if shared else [])):
            for lock in list(git_dir.glob("*.lock")) + list((git_dir / "refs").rglob("*.lock")):
                if lock.name != "yytrack.lock":
                    lock.unlink()
        proc = run_cli(repo, *args)
    return proc


def consistent(repo: Path) -> None:
    assert fsck_ok(repo)
    assert git(repo, "status", "--porcelain") == "", git(repo, "status", "--porcelain")
    for args in (["check"], ["audit"]):
        proc = run_cli(repo, *args)
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)


def all_or_nothing(repo: Path, note: str) -> None:
    """A killed update is either fully recorded (record entry, commit, evidence) or not at all."""
    on_disk, in_log = all_notes(repo).count(note), logged_notes(repo).count(note)
    assert on_disk == in_log and on_disk in (0, 1), (note, on_disk, in_log)


@pytest.mark.parametrize("group", [False, True], ids=["process", "process-group"])
def test_sigkill_during_update_loses_nothing(repo, tmp_path, group):
    rng = random.Random(SEED + group)
    evidence = tmp_path / "佐证 材料.pdf"
    evidence.write_bytes(b"%PDF" + os.urandom(50_000))
    span = [duration(repo, "update", "demo-03", "--unit", "省卫健委", "--status", "推进中", "--note", "计时",
                     "--evidence", str(evidence))]
    confirmed, killed, landed = ["计时"], [], 0
    for i in range(3 * KILLS):  # until KILLS kills have landed inside a running update
        if landed >= KILLS:
            break
        measure, unit = rng.choice(PAIRS)
        extra = ["--evidence", str(evidence)] if rng.random() < 0.4 else []
        note = f"被中断{i}"
        proc = spawn(repo, "update", measure, "--unit", unit, "--status", "推进中", "--note", note, *extra)
        if kill_at_random(proc, rng, group, span):
            landed += 1
            killed.append(note)
        elif proc.returncode == 0:
            confirmed.append(note)
        else:
            killed.append(note)
        after = then_run(repo, "update", measure, "--unit", unit, "--status", "推进中", "--note", f"之后{i}", *extra)
        assert after.returncode == 0, (i, after.stderr)
        confirmed.append(f"之后{i}")
    consistent(repo)
    on_disk, in_log = all_notes(repo), logged_notes(repo)
    for note in confirmed:
        assert on_disk.count(note) == 1 and in_log.count(note) == 1, note
    for note in killed:
        all_or_nothing(repo, note)
    stored = {p.relative_to(repo).as_posix() for p in (repo / "progress").rglob("*") if p.is_file()}
    tracked = set(git(repo, "ls-files", "progress").splitlines())
    assert stored == tracked  # no stray evidence file or half-written record left behind
    print(f"update kills landed: {landed}/{KILLS}; stale git locks named and removed so far: {STALE_LOCKS['seen']}")
    assert landed >= 1


@pytest.mark.parametrize("group", [False, True], ids=["process", "process-group"])
def test_sigkill_during_sync_loses_nothing(tmp_path, group):
    rng = random.Random(SEED + 2 + group)
    bare, clones = shared_setup(tmp_path, ("甲处", "乙处"))
    assert run_cli(clones[0], "update", "demo-03", "--unit", "省民政厅", "--status", "推进中", "--note", "计时").returncode == 0
    span = [duration(clones[0], "sync", "--keep-both")]
    confirmed, landed = ["计时"], 0
    rounds = KILLS if STRESS else 5  # per variant: 2 × 5 in the normal run
    for i in range(3 * rounds):  # until `rounds` kills have landed inside a running sync
        if landed >= rounds:
            break
        for k, office in enumerate(clones):
            measure, unit = rng.choice(PAIRS)
            if i % 3 == 2:  # now and then the same record on both clones: sync needs --keep-both
                measure, unit = "demo-02", "省医保局"
            note = f"第{i}轮{office.name}"
            proc = run_cli(office, "update", measure, "--unit", unit, "--status", "推进中", "--note", note)
            assert proc.returncode == 0, proc.stderr
            confirmed.append(note)
        victim, other = clones[i % 2], clones[(i + 1) % 2]
        proc = spawn(victim, "sync", "--keep-both")
        landed += kill_at_random(proc, rng, group, span)
        for office in (victim, other):
            after = then_run(office, "sync", "--keep-both", shared=bare)
            assert after.returncode == 0, (i, office.name, after.stderr)
    for office in (*clones, clones[0]):
        assert run_cli(office, "sync", "--keep-both").returncode == 0
    assert git(clones[0], "rev-parse", "HEAD") == git(clones[1], "rev-parse", "HEAD")
    print(f"sync kills landed: {landed}/{rounds}; stale git locks named and removed so far: {STALE_LOCKS['seen']}")
    assert landed >= 1
    for office in clones:
        consistent(office)
        on_disk, in_log = all_notes(office), logged_notes(office)
        for note in confirmed:
            assert on_disk.count(note) == 1, (office.name, note)
            assert in_log.count(note) == 1, (office.name, note)
    assert fsck_ok(bare)
    for office in clones:  # a killed writer's temporary files are swept by the next command
        assert not [p for p in office.rglob(".yytrack-*.tmp") if ".git" not in p.parts], office.name


def test_a_sync_killed_mid_rebase_is_undone_by_the_next_command(tmp_path):
    """Deterministic version of the race above: a rebase left behind by a dead sync is aborted, not blamed."""
    from yytrack.repo import store

    bare, (a, b) = shared_setup(tmp_path, ("甲处", "乙处"))
    assert run_cli(a, "update", "demo-01", "--unit", "省卫健委", "--status", "推进中", "--note", "甲").returncode == 0
    assert run_cli(a, "sync").returncode == 0
    assert run_cli(b, "update", "demo-02", "--unit", "省医保局", "--status", "推进中", "--note", "乙").returncode == 0
    mine = git(b, "rev-parse", "HEAD").strip()
    git(b, "fetch", "-q")
    # What a kill between `git rebase` starting and finishing leaves: the journal and a stopped rebase.
    (b / ".git/yytrack-sync.json").write_text(json.dumps({"head": mine}), encoding="utf-8")
    subprocess.run(["git", "rebase", "--exec", "false", "origin/main"], cwd=str(b), capture_output=True)
    assert (b / ".git/rebase-merge").exists()
    proc = run_cli(b, "update", "demo-03", "--unit", "省卫健委", "--status", "推进中", "--note", "之后")
    assert proc.returncode == 0, proc.stderr
    assert not (b / ".git/rebase-merge").exists() and not (b / ".git/yytrack-sync.json").exists()
    assert run_cli(b, "sync").returncode == 0
    assert set(logged_notes(b)) >= {"甲", "乙", "之后"}
    assert store.head_commit(b) == git(a, "ls-remote", str(bare), "main").split()[0]
