"""The generated pages and data files of the fixture records are exactly the committed golden tree (tests/golden)."""

from __future__ import annotations

from pathlib import Path

from tests.golden import committed_tree, generate_tree

REGENERATE = "if the change is meant, run `.venv/bin/python -m tests.golden` and review `git diff tests/golden`"


def test_the_generated_tree_is_the_golden_tree(tmp_path: Path) -> None:
    generated, committed = generate_tree(tmp_path / "project"), committed_tree()
    assert committed, f"no golden tree: {REGENERATE}"
    assert sorted(generated.keys() - committed.keys()) == [], f"files not in the golden tree; {REGENERATE}"
    assert sorted(committed.keys() - generated.keys()) == [], f"files no longer generated; {REGENERATE}"
    changed = [name for name in sorted(generated) if generated[name] != committed[name]]
    assert changed == [], f"generated files differ from the golden tree; {REGENERATE}"
