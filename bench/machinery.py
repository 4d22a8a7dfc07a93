"""Lines of performance machinery at a commit: the modules and definitions whose only purpose is speed or memory.

    python -m bench.machinery COMMIT        # e.g. HEAD, or the commit before a round of performance work

Whole modules count every line; a named definition counts its lines (with its decorators) as Python's ast gives
them. The list names what the casebook has had; a name a commit lacks counts nothing.
"""

from __future__ import annotations

import ast
import subprocess
import sys

SPEC: dict[str, list[str] | None] = {  # path → None (the whole file) or names ("Class.method": a method)
    "generator/parallel.py": None,
    "generator/load_parallel.py": None,
    "generator/record_cache.py": None,
    "generator/freshness.py": None,
    "generator/page_cache.py": None,
    "generator/html_body.py": None,
    "generator/mkdocs_hook.py": ["_bodies", "on_page_markdown", "on_page_content", "on_env"],
    "generator/generate.py": ["_render_and_write"],
    "generator/build.py": ["_run_mkdocs", "generate_apart", "_generate_in_child", "_generated"],
    "generator/render.py": ["Strings", "ui_strings", "_strings", "fresh_environment", "render_page", "PageCache"],
    "generator/validate.py": ["_MAY_HOLD_UNPUBLISHABLE"],
    "generator/cli.py": ["main"],  # the process's collector policy (with its docstring)
    "generator/search.py": ["index_preview", "_preview"],
    "generator/preview.py": ["Preview", "_PREVIEWS", "regenerate", "index_served", "_indexing", "_indexing_lock"],
}

def show(commit: str, path: str) -> str | None:
    r = subprocess.run(["git", "show", f"{commit}:{path}"], capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else None

def spans(tree: ast.Module) -> dict[str, int]:
    out = {}
    for node in tree.body:
        names = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [node.name]
            if isinstance(node, ast.ClassDef):
                for sub in node.body:
                    if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        out[f"{node.name}.{sub.name}"] = sub.end_lineno - sub.lineno + 1
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
        start = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
        for n in names:
            out[n] = node.end_lineno - start + 1
    return out

def main(commit: str) -> int:
    total = 0
    for path, names in SPEC.items():
        text = show(commit, path)
        if text is None:
            continue
        if names is None:
            lines = len(text.splitlines())
            total += lines
            print(f"{path}: {lines}")
            continue
        found = spans(ast.parse(text))
        for name in names:
            if name in found:
                total += found[name]
                print(f"{path}: {name}: {found[name]}")
    print(f"total: {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "HEAD"))
