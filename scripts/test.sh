#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine, into the checkout's virtual
# environment (.venv, see venv.sh), then runs lint, types and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
pip_install -e ".[test]"
ruff check server
ruff format --check server
mypy
bash scripts/install-editors.sh
# The official SARIF 2.1.0 schema, from the npm package that ships it, for the SARIF output test.
SARIF_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/stack-lsp-test/sarif"
if [ ! -f "$SARIF_DIR/package/lib/schemas/sarif-2.1.0-rtm.5.json" ]; then
  mkdir -p "$SARIF_DIR"
  (cd "$SARIF_DIR" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null \
    && tar xzf microsoft-jest-sarif-1.0.0-beta.0.tgz)
fi
export STACK_LSP_SARIF_SCHEMA="$SARIF_DIR/package/lib/schemas/sarif-2.1.0-rtm.5.json"
python -m pytest -q
if [ -f vscode-extension/package.json ]; then
  (cd vscode-extension && npm test)
fi
