#!/usr/bin/env bash
# Builds what a user installs, into dist/:
#   - the wheel, stack_lsp-VERSION-py3-none-any.whl (pipx install / uv tool install / pip install);
#   - the VS Code extension with the server bundled, stack-lsp-TARGET.vsix (platform-specific:
#     the bundled ruamel.yaml.clib and rpds-py are compiled), fit for the Marketplace and Open VSX.
# Usage: scripts/build.sh [TARGET]   TARGET: linux-x64, linux-arm64, darwin-x64, darwin-arm64,
#        win32-x64 (default: this machine's); scripts/build.sh --wheel for the wheel only.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) host=linux-x64 ;;
  Linux-aarch64) host=linux-arm64 ;;
  Darwin-x86_64) host=darwin-x64 ;;
  Darwin-arm64) host=darwin-arm64 ;;
  *) host=win32-x64 ;;
esac
target="${1:-$host}"
# bundle.sh needs pip itself (a uv-made environment has none).
python -m pip --version >/dev/null 2>&1 || pip_install pip
rm -rf dist/stack_lsp-*.whl
python -m pip wheel --quiet --disable-pip-version-check --no-deps --wheel-dir dist .
wheel="$(ls dist/stack_lsp-*.whl)"
echo "$wheel"
[ "$target" = "--wheel" ] && exit 0
bash vscode-extension/scripts/bundle.sh "$wheel" "$target"
cd vscode-extension
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npx vsce package --no-dependencies --target "$target" --out "../dist/stack-lsp-$target.vsix" >/dev/null
ls -l "../dist/stack-lsp-$target.vsix"
