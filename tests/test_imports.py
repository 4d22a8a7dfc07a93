"""The house's structure, read from the modules' imports (ast, nothing run): the preview sits beside the pipeline,
not inside it, and no package of ours has an import cycle (CONTRIBUTING.md, "Module map")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What the preview keeps between its regenerations, and the module that keeps it.
PREVIEW_CACHES = {"generator.preview", "generator.page_cache", "generator.record_cache"}
# The modules that may use them: the preview itself, and the command line and the hook that start it.
PREVIEW_SIDE = PREVIEW_CACHES | {"generator.cli", "generator.__main__", "generator.mkdocs_hook"}


def imports(package: str) -> dict[str, set[str]]:
    """Each module of ``package`` (a folder of ROOT) → the modules of ``package`` it imports, wherever in it."""
    modules = {f"{package}.{path.stem}" for path in (ROOT / package).glob("*.py")}
    graph: dict[str, set[str]] = {}
    for module in sorted(modules):
        tree = ast.parse((ROOT / package / f"{module.rpartition('.')[2]}.py").read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = package if node.level else node.module or ""
                if node.level and node.module:
                    base = f"{package}.{node.module}"
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)  # `from . import render`
        graph[module] = {name for name in found if name in modules and name != module}
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(graph[module])
    return seen


def test_the_stages_do_not_import_the_preview_or_its_caches() -> None:
    graph = imports("generator")
    assert graph.keys() >= PREVIEW_CACHES
    # render, pages, opendata, validate, load, schema … and every module to come: none reaches the preview's state
    leaking = {module: sorted(reachable(graph, module) & PREVIEW_CACHES)
               for module in graph if module not in PREVIEW_SIDE and reachable(graph, module) & PREVIEW_CACHES}
    assert leaking == {}


def test_the_mkdocs_hook_does_not_import_the_build_stage() -> None:
    assert "generator.build" not in reachable(imports("generator"), "generator.mkdocs_hook")


@pytest.mark.parametrize("package", ["generator", "bench"])
def test_no_import_cycle(package: str) -> None:
    graph = imports(package)
    cycles = sorted(module for module in graph if module in reachable(graph, module))
    assert cycles == [], f"modules of {package}/ that import themselves through others: {cycles}"
