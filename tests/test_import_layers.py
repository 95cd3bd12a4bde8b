"""Modules depend one way: no import cycle may pass through the job layer or the process runtime."""

from __future__ import annotations

import ast
from pathlib import Path

import anime_studio

PACKAGE = Path(anime_studio.__file__).parent
# Cycles through these modules are refused; widen the tuple as other circles are untangled.
LAYERED = ("anime_studio.jobs", "anime_studio.runtime")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Every ``anime_studio`` import of every module, including lazy and ``TYPE_CHECKING`` ones.

    Those count because a cycle hidden in a function body or behind ``TYPE_CHECKING`` still ties the
    modules together: neither can be understood, tested or changed without the other.
    """
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}

    def owner(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{alias.name}" for alias in node.names]
            for target in targets:
                module = owner(target) if target.startswith("anime_studio") else None
                if module is not None and module != name:
                    graph[name].add(module)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph[succ]))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_cycle_finder_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_graph_covers_lazy_and_type_checking_imports() -> None:
    graph = _import_graph()
    assert "anime_studio.jobs.context" in graph["anime_studio.jobs.executor"]
    assert "anime_studio.jobs.worker" in graph["anime_studio.runtime"]


def test_no_import_cycle_through_jobs_or_runtime() -> None:
    offending = [c for c in _cycles(_import_graph()) if any(m.startswith(LAYERED) for m in c)]
    assert offending == []
