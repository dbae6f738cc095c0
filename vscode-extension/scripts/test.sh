#!/usr/bin/env bash
# `npm test`: installs what is missing (npm deps, Debian chromium + libkrb5-dev, Node 24,
# code-server), builds this platform's .vsix with the server bundled (scripts/build.sh) and runs
# the end-to-end test in code-server, in bundled mode.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash ../scripts/build.sh
bash ../scripts/e2e-vscode-deps.sh >/dev/null
echo "[vscode-extension] setup took $(( $(date +%s) - start ))s"
exec node --test --test-concurrency=1 --test-reporter=spec test/e2e.test.mjs
