"""Where stack-lsp keeps what it computed between runs (the `--check` results, the import
cache of `diff` and the editor's impact): one directory outside the tree, one format number."""

from __future__ import annotations

import os
from pathlib import Path

FORMAT = 1


def cache_dir() -> Path:
    """`$STACK_LSP_CACHE_DIR`, else `$XDG_CACHE_HOME/stack-lsp`, else `~/.cache/stack-lsp`."""
    explicit = os.environ.get("STACK_LSP_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "stack-lsp"
