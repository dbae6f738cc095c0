#!/usr/bin/env bash
# Installs stack-lsp into the checkout's virtual environment (.venv) and runs its main job on the
# bundled stacks/ tree: check it, list its stacks.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
pip_install .
stack-lsp --check
stack-lsp list stacks
