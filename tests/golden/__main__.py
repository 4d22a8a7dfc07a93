"""`python -m tests.golden`: regenerate tests/golden/tree/ from the fixture records (see tests/golden/__init__.py)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from tests.golden import TREE, generate_tree


def main() -> int:
    with tempfile.TemporaryDirectory() as workdir:
        files = generate_tree(Path(workdir) / "project")
    shutil.rmtree(TREE, ignore_errors=True)
    for name, data in files.items():
        path = TREE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(files)} files to {TREE.relative_to(Path.cwd()) if TREE.is_relative_to(Path.cwd()) else TREE}; "
          "review them with `git diff --stat tests/golden`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
