"""The walls of the package: imports point down the floors, never in a circle; click stays in cli/,
processes and git stay in repo/, the model does no I/O; modules and functions stay a size to read."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List, Set, Tuple

PACKAGE = Path(__file__).resolve().parents[1] / "yytrack"

# Floors, top down. A module may import its own package and any package on a lower floor.
FLOORS = {
    "__main__": 7,
    "cli": 6,
    "tracker": 5,
    "reports": 4, "forms": 4, "importer": 4, "checks": 4, "ledger": 4,
    "trust": 3,
    "repo": 2,
    "model": 1,
    "errors": 0,
}
PROCESS_CALLS = {("os", "system"), ("os", "execv"), ("os", "execve"), ("os", "execvp"), ("os", "spawnv"),
                 ("os", "popen"), ("os", "fork")}
# cli/__init__.py re-runs the interpreter itself in UTF-8 mode on an ASCII locale (see _utf8_mode);
# it starts no other program, so it is the one process start allowed outside repo/.
ALLOWED_PROCESS = {("cli/__init__.py", "execve")}
IO_NAMES = {"open", "subprocess", "os", "shutil", "pathlib", "tempfile", "io", "socket"}
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 40


def modules() -> Dict[str, Path]:
    """Dotted name (without the yytrack prefix) → file."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def package_of(name: str) -> str:
    return name.split(".")[0] if name else ""


def imports_of(name: str, path: Path) -> List[Tuple[str, int]]:
    """yytrack modules imported anywhere in the file (top level and inside functions), with line numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    known = set(modules())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("yytrack."):
                    found.append((alias.name[len("yytrack."):], node.lineno))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = ".".join(here[:len(here) - node.level + 1] + ([base] if base else []))
            elif base == "yytrack" or base.startswith("yytrack."):
                base = base[len("yytrack."):] if base != "yytrack" else ""
            else:
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}" if base else alias.name
                found.append((sub if sub in known else base, node.lineno))
    return [(m, line) for m, line in found if m and m != name]


def graph() -> Dict[str, Set[str]]:
    return {name: {m for m, _ in imports_of(name, path)} for name, path in modules().items()}


def test_no_import_circles():
    edges = graph()
    state: Dict[str, int] = {}
    circles = []

    def visit(node: str, stack: List[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                circles.append(" → ".join(stack[stack.index(nxt):] + [node, nxt]) if nxt in stack else f"{node} → {nxt}")
            elif nxt not in state:
                visit(nxt, stack + [node])
        state[node] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [])
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_imports_point_down_the_floors():
    upward = []
    for name, path in modules().items():
        if not name:  # yytrack/__init__.py: the front door names Tracker lazily
            continue
        floor = FLOORS[package_of(name)]
        for target, line in imports_of(name, path):
            other = package_of(target)
            if other and other != package_of(name) and FLOORS[other] >= floor:
                upward.append(f"{path.relative_to(PACKAGE)}:{line}: {name} imports {target}")
    assert not upward, "imports from the same or a higher floor:\n" + "\n".join(upward)


def _imported_roots(tree: ast.AST) -> List[Tuple[str, int]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name.split(".")[0], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.append((node.module.split(".")[0], node.lineno))
    return out


def test_click_only_in_cli_and_the_error_root():
    found = []
    for name, path in modules().items():
        if package_of(name) in ("cli", "errors"):
            continue
        found += [f"{path.relative_to(PACKAGE)}:{line}" for root, line in
                  _imported_roots(ast.parse(path.read_text(encoding="utf-8"))) if root == "click"]
    assert not found, "click imported outside cli/: " + ", ".join(found)


def test_processes_and_git_only_in_repo():
    found = []
    for name, path in modules().items():
        if package_of(name) == "repo":
            continue
        rel = str(path.relative_to(PACKAGE))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{rel}:{line} imports {root}" for root, line in _imported_roots(tree)
                  if root in ("subprocess", "git", "multiprocessing", "pty")]
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and (node.value.id, node.attr) in PROCESS_CALLS and (rel, node.attr) not in ALLOWED_PROCESS):
                found.append(f"{rel}:{node.lineno} calls os.{node.attr}")
    assert not found, "processes started outside repo/:\n" + "\n".join(found)


def test_model_does_no_io():
    found = []
    for name, path in modules().items():
        if package_of(name) != "model":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.name}:{line} imports {root}" for root, line in _imported_roots(tree) if root in IO_NAMES]
        found += [f"{path.name}:{node.lineno} calls open()" for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open"]
    assert not found, "I/O in model/:\n" + "\n".join(found)


def _explained(lines: List[str], lineno: int) -> bool:
    """A comment on the def line or just above it that says why the size is needed."""
    near = lines[max(lineno - 3, 0):lineno]
    return any("size:" in line for line in near if "#" in line)


def test_modules_and_functions_are_a_size_to_read():
    too_big = []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        if len(lines) > MAX_MODULE_LINES and not any("# size:" in line for line in lines[:15]):
            too_big.append(f"{path.relative_to(PACKAGE)}: {len(lines)} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES and not _explained(lines, node.lineno):
                    too_big.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.name}() {length} lines")
    assert not too_big, "too large to read (split it, or say why with a '# size:' comment):\n" + "\n".join(too_big)


def test_tests_mirror_the_packages():
    tests = Path(__file__).resolve().parent
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    missing = sorted(p for p in packages - {"model"} if not list((tests / p).glob("test_*.py")))
    assert not missing, f"packages without tests/<package>/: {missing}"
