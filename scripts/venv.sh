# Sourced by the scripts in this folder: make .venv and install into it the exact versions in
# requirements.lock (checked against their hashes), then the project itself without its dependencies,
# again only when the lock or pyproject.toml changed. CASEBOOK_UNLOCKED=1 installs instead the newest
# versions pyproject.toml's ranges allow (the drift workflow, .github/workflows/drift.yml).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
want="$(cat requirements.lock pyproject.toml | sha256sum) ${CASEBOOK_UNLOCKED:+unlocked}"
if [ "$(cat .venv/.installed 2>/dev/null)" != "$want" ]; then
  if [ -n "${CASEBOOK_UNLOCKED:-}" ]; then
    .venv/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e ".[test,bench]"
  else
    .venv/bin/python -m pip install --quiet --require-hashes -r requirements.lock
    # setuptools, the build backend, comes from the lock too: no unpinned build environment
    .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
  fi
  echo "$want" > .venv/.installed
fi
