"""Validation: every finding about a stack tree, for the language server and `--check` alike."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..stacks import Stacks


def check(stacks: Stacks, files: set[str] | None = None) -> list[Diagnostic]:
    """All findings for the tree, or only those placed in `files` (absolute paths)."""
    found = stacks.diagnostics()
    if files is None:
        return found
    return [d for d in found if d.file in files]
