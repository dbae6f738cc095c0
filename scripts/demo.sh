#!/usr/bin/env bash
# Installs stack-lsp and runs its main job on the bundled stacks/ tree: check it, list its stacks.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check .
stack-lsp --check
stack-lsp list stacks
