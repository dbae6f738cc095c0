#!/usr/bin/env bash
# `npm test`: installs what is missing (npm deps, Debian chromium + libkrb5-dev, Node 24,
# code-server), builds the .vsix and runs the end-to-end test in code-server.
# The caller has installed the Python package (`pip install -e <repo>[test]`).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent package >/dev/null
ls -l stack-lsp.vsix
bash ../scripts/e2e-vscode-deps.sh >/dev/null
echo "[vscode-extension] setup took $(( $(date +%s) - start ))s"
exec node --test --test-concurrency=1 --test-reporter=spec test/e2e.test.mjs
