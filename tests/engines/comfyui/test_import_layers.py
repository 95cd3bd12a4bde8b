"""The ComfyUI package depends one way: no module imports (even for type checking) one that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

import anime_studio

PACKAGE = "anime_studio.engines.comfyui"
ROOT = Path(anime_studio.__file__).parent.parent


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """Every package module ``path`` imports, at top level, in functions or under ``TYPE_CHECKING``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name in known}


def _graph() -> dict[str, set[str]]:
    files = {_module_of(p): p for p in (ROOT / PACKAGE.replace(".", "/")).rglob("*.py")}
    known = set(files)
    return {module: _imports(path, known) - {module} for module, path in files.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        stack.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)) is not None:
            return found
    return None


def test_the_cycle_finder_sees_a_type_checking_circle() -> None:
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circle_in_the_comfyui_package() -> None:
    graph = _graph()
    assert f"{PACKAGE}.client" in graph and f"{PACKAGE}.waiting" in graph[f"{PACKAGE}.client"]
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])
