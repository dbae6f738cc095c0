# Sourced by demo.sh and test.sh: puts a virtual environment of the checkout (.venv) first on PATH,
# creating it when missing, so nothing is installed into the system's Python (PEP 668 refuses
# that on Debian, Ubuntu and Homebrew). An already active virtual environment is used as it is.
# Picks the first Python >= 3.11 among $STACK_LSP_PYTHON, python3, python3.13, python3.12, python3.11.
# With uv on PATH, uv makes the environment and installs into it (faster); else venv and pip.

_stack_lsp_python() {
  local candidate
  for candidate in ${STACK_LSP_PYTHON:-} python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "stack-lsp needs Python 3.11 or newer; none was found (set STACK_LSP_PYTHON)." >&2
  return 1
}

# pip_install ARGS...: install into the active environment with uv when present, else pip.
pip_install() {
  if [ -n "${_STACK_LSP_UV:-}" ]; then
    uv pip install --quiet --python "$VIRTUAL_ENV/bin/python" "$@"
  else
    python -m pip install --quiet --disable-pip-version-check "$@"
  fi
}

if [ -z "${VIRTUAL_ENV:-}" ]; then
  _venv="$(pwd)/.venv"
  if [ ! -x "$_venv/bin/python" ]; then
    _python="$(_stack_lsp_python)"
    if command -v uv >/dev/null 2>&1; then
      uv venv --quiet --python "$_python" "$_venv"
    elif ! "$_python" -m venv "$_venv" 2>/dev/null; then
      rm -rf "$_venv"
      echo "Could not create a virtual environment with $_python -m venv." >&2
      echo "On Debian/Ubuntu install the venv module first: sudo apt-get install python3-venv" >&2
      return 1 2>/dev/null || exit 1
    fi
  fi
  export VIRTUAL_ENV="$_venv"
  export PATH="$_venv/bin:$PATH"
  unset PYTHONHOME
fi
if command -v uv >/dev/null 2>&1 && [ ! -x "$VIRTUAL_ENV/bin/pip" ]; then
  _STACK_LSP_UV=1
fi
