"""No import cycles: module A importing B that imports A hides an order dependency that breaks
the day someone moves an import to the top of a file.

Read from the source (ast), not by importing: the graph of every ``import`` of an idmf module.
At module level there must be no cycle at all. Counting the imports inside functions (made
there for start-up time), the cycles listed in KNOWN remain to be broken (issue 29); a new one
fails, and one that is broken must leave the list.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

KNOWN = [
    # answer types: the table names each type's parse/facts/text/sample functions, which consult the table
    {"idmf.answer_text", "idmf.facts", "idmf.question_types", "idmf.questionnaire.answers", "idmf.samples"},
    # the app and the assessment screen reach each other (the screen asks the app to hold keys)
    {"idmf.wizard.app", "idmf.wizard.screens", "idmf.wizard.screens.assessment"},
    # the entry point answers --version itself and hands the rest to the CLI, which shows the same text
    {"idmf.cli", "idmf.console"},
]


def _name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in (SRC / "idmf").rglob("*.py")}


def _targets(module: str, node: ast.Import | ast.ImportFrom, package: bool) -> set[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = module.split(".") if package else module.split(".")[:-1]
        if node.level:
            base = base[:len(base) - (node.level - 1)]
        else:
            base = []
        prefix = ".".join(base + ([node.module] if node.module else []))
        names = [f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in MODULES else prefix for alias in node.names]
    found = set()
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name.startswith("idmf") and name != module:
            found.add(name)
    return found


def _graph(module_level_only: bool) -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if module_level_only:
            nodes = []
            for node in tree.body:
                if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                    continue  # for the type checker only; never run
                if isinstance(node, (ast.Import, ast.ImportFrom, ast.If, ast.Try)):
                    nodes += [n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
        else:
            nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
        graph[module] = {t for n in nodes for t in _targets(module, n, path.name == "__init__.py")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.add(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_at_module_level():
    assert _cycles(_graph(module_level_only=True)) == []


def test_no_new_import_cycle_through_imports_inside_functions():
    cycles = _cycles(_graph(module_level_only=False))
    new = [sorted(c) for c in cycles if c not in KNOWN]
    assert not new, f"a new import cycle: {new}"
    gone = [sorted(c) for c in KNOWN if c not in cycles]
    assert not gone, f"broken at last: take {gone} out of KNOWN"


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
