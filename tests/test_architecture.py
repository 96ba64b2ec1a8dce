"""The package's shape: no import cycle (function-level imports included), no function over
100 lines, and docs/architecture.md naming every module in an order the imports respect."""

from __future__ import annotations

import ast
import functools
import re
import sys
from pathlib import Path

import probation_audit

from .conftest import ROOT

PACKAGE = ROOT / "probation_audit"
#: Rooms are sized by concept, functions by the eye: no function (or method) over this many
#: lines, its signature and description included.
MAX_FUNCTION_LINES = 100
#: Functions still over the cap, each to be split (the set may only shrink).
OVER_THE_CAP: set[str] = set()


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


@functools.cache
def _parsed(path: Path, text: str) -> ast.Module:
    return ast.parse(text)


def _tree(path: Path) -> ast.Module:
    """A module's syntax tree, parsed once per text (several tests walk every module; a test
    that writes a file of its own gets its own tree)."""
    return _parsed(path, path.read_text(encoding="utf-8"))


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module of the package that ``name`` imports, anywhere in its code."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "probation_audit")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "probation_audit":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                # `from . import statistics` imports a submodule; `from .x import y` imports x.
                found.add(sub if sub in known else target)
    found.discard(name)
    return {m for m in found if m in known}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first repeated at the end), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_sees_function_level_and_relative_imports() -> None:
    graph = import_graph()
    # cli/_report.py imports charts inside a function; cli/__init__ imports its submodules.
    assert "probation_audit.charts" in graph["probation_audit.cli._report"]
    assert "probation_audit.cli._score" in graph["probation_audit.cli"]
    assert "probation_audit.statistics" in graph["probation_audit.cli._score"] or (
        "probation_audit.statistics" in graph["probation_audit.cli._output"]
    )


def test_no_import_cycle() -> None:
    assert find_cycle(import_graph()) is None


def _function_lengths() -> dict[str, int]:
    """Every function and method of the package, ``module:name``, and its length in lines."""
    out: dict[str, int] = {}
    for name, path in _modules().items():
        tree = _tree(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                length = node.end_lineno - node.lineno + 1
                key = f"{name}:{node.name}"
                out[key] = max(out.get(key, 0), length)
    return out


def test_no_function_over_the_cap() -> None:
    over = {k: n for k, n in _function_lengths().items() if n > MAX_FUNCTION_LINES}
    # No new exception; and a function split below the cap leaves the list.
    assert set(over) == OVER_THE_CAP, over


def test_architecture_page_lists_modules_in_dependency_order() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("## Modules", 1)[1].split("\n## ", 1)[0]
    listed = [
        "probation_audit." + m.replace("/", ".").removesuffix(".py").removesuffix(".__init__")
        for m in re.findall(r"^\| `([\w/.]+)` \|", table, flags=re.M)
    ]
    listed = [m.removesuffix(".") for m in listed]
    graph = import_graph()
    modules = set(graph) - {"probation_audit", "probation_audit.__main__"}
    assert set(listed) == modules, (sorted(modules - set(listed)), sorted(set(listed) - modules))
    position = {m: i for i, m in enumerate(listed)}
    for module in listed:
        for dependency in graph[module]:
            if dependency in position:
                assert position[dependency] < position[module], (module, dependency)


#: The engines, which must stay pure: no reader, no writer, no optional library.
ENGINES = (
    "probation_audit._rules",
    "probation_audit.results",
    "probation_audit.rating",
    "probation_audit._bulk",
)
READERS = {
    f"probation_audit.{m}"
    for m in ("reading", "_csvfiles", "_csvcolumns", "excel", "_frames", "_tables", "_columns")
}
WRITERS = {
    f"probation_audit.{m}" for m in ("_outputs", "excel", "reports", "_templates", "charts", "cli")
}
#: Libraries every install has: anything else (openpyxl, matplotlib, pandas, pyarrow, polars,
#: hypothesis, scipy, ...) is optional.
REQUIRED_LIBRARIES = {"attrs", "numpy", "tomli", "probation_audit", "__future__"}
#: The optional imports the engines' modules hold, inside a function and only on call:
#: ``_display.frame`` (a result's conversion to a pandas or polars frame), not part of any rating.
ON_CALL = {("probation_audit._display", "pandas"), ("probation_audit._display", "polars")}


def _reached(roots: tuple[str, ...], graph: dict[str, set[str]]) -> set[str]:
    seen = set(roots)
    todo = list(roots)
    while todo:
        for dependency in graph[todo.pop()]:
            if dependency not in seen:
                seen.add(dependency)
                todo.append(dependency)
    return seen


def _libraries(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports, anywhere in its code (relative imports
    left out)."""
    found: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_engines_import_no_reader_writer_or_optional_library() -> None:
    graph = import_graph()
    modules = _modules()
    reached = _reached(ENGINES, graph)
    assert "probation_audit.rubric" in reached  # the walk follows imports
    assert not reached & READERS, sorted(reached & READERS)
    assert not reached & {w for w in WRITERS for m in reached if m == w or m.startswith(f"{w}.")}
    optional = {
        (module, library)
        for module in reached
        for library in _libraries(modules[module])
        if library not in REQUIRED_LIBRARIES and library not in sys.stdlib_module_names
    }
    assert optional == ON_CALL, sorted(optional)


def test_the_engine_check_sees_a_reader_and_an_optional_library() -> None:
    graph = import_graph()
    assert "probation_audit.reading" in _reached(("probation_audit._groups",), graph)
    assert "openpyxl" in _libraries(_modules()["probation_audit.excel"])


#: The stable tier (docs/architecture.md, "Public and private"): written once, in the package,
#: which makes each reachable as ``pa.<module>``; everything else is underscored.
PUBLIC = set(probation_audit._MODULES)


def test_the_public_tier_is_at_most_sixteen_modules_and_the_rest_is_underscored() -> None:
    import pkgutil

    import probation_audit.cli

    public = {
        m.name for m in pkgutil.iter_modules(probation_audit.__path__) if not m.name.startswith("_")
    }
    assert public == PUBLIC
    for name in PUBLIC:
        assert getattr(probation_audit, name).__name__ == f"probation_audit.{name}"
    commands = {m.name for m in pkgutil.iter_modules(probation_audit.cli.__path__)}
    assert commands and all(name.startswith("_") for name in commands), commands
    assert len(public) + 1 <= 16  # the package itself counts
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    tier = page.split("## Public and private", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"`(\w+)`", tier.split("Everything else", 1)[0])) == PUBLIC
