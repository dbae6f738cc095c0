#!/usr/bin/env bash
# bundle.sh WHEEL TARGET: installs the server WHEEL and its dependencies into bundled/libs, for the
# VS Code platform TARGET (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64) and every
# CPython from 3.11 to 3.14, so that the extension runs with whichever the user has.
# The pure-Python packages are the same for all four; the compiled ones (ruamel.yaml.clib,
# rpds-py) are one file per version (`_ruamel_yaml.cpython-312-x86_64-linux-gnu.so`), side by side
# in one tree, and Python loads the one of its own version. Needs `python -m pip` (any version).
set -euo pipefail
wheel="$(realpath "$1")"
target="$2"
cd "$(dirname "$0")/.."
case "$target" in
  linux-x64) platforms=(manylinux_2_28_x86_64 manylinux_2_17_x86_64 manylinux2014_x86_64) ;;
  linux-arm64) platforms=(manylinux_2_28_aarch64 manylinux_2_17_aarch64 manylinux2014_aarch64) ;;
  darwin-x64) platforms=(macosx_10_12_x86_64 macosx_10_9_x86_64 macosx_10_9_universal2) ;;
  darwin-arm64) platforms=(macosx_11_0_arm64 macosx_10_9_universal2) ;;
  win32-x64) platforms=(win_amd64) ;;
  *) echo "bundle.sh: unknown target '$target'" >&2; exit 2 ;;
esac
rm -rf bundled/libs
mkdir -p bundled/libs
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for version in 3.11 3.12 3.13 3.14; do
  python -m pip install --quiet --disable-pip-version-check --no-compile \
    --target "$work/$version" --implementation cp --python-version "$version" \
    "${platforms[@]/#/--platform=}" --only-binary=:all: "$wheel"
  cp -a "$work/$version/." bundled/libs/
done
# Console scripts name the build machine's Python; the extension runs `python -m stack_lsp`.
rm -rf bundled/libs/bin
echo "bundled/libs for $target: $(du -sh bundled/libs | cut -f1)," \
  "$(find bundled/libs -name '*.so' -o -name '*.pyd' | wc -l) compiled modules"
