#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine, then runs lint, types and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
ruff check server
ruff format --check server
mypy
bash scripts/install-editors.sh
python3 -m pytest -q
if [ -f vscode-extension/package.json ]; then
  (cd vscode-extension && npm test)
fi
