"""`!include` and `!include.raw` values, checked without reading them.

Atmos reads the named file when it loads the manifest: a local path relative to the manifest's
directory, then to the Atmos base path, or a remote source (`https://…`, `git::…`, `s3::…`).
stack-lsp never reads or fetches either — the value is kept as written — but a local path that
leads out of the workspace (`../../../etc/passwd`, a symlink pointing out) is reported (STK105),
since Atmos would read a file the repository does not hold.
"""

from __future__ import annotations

import os
import shlex

from .codes import severity_of
from .diagnostics import Diagnostic
from .parsing import Document
from .tree import Value
from .workspace import Workspace

INCLUDE_TAGS = frozenset(["!include", "!include.raw"])


def include_path(argument: str) -> str | None:
    """The file part of an `!include` argument (`path [yq-expression]`), or None when it is
    empty or remote."""
    try:
        words = shlex.split(argument)
    except ValueError:
        words = argument.split()
    if not words:
        return None
    path = words[0]
    if "://" in path or "::" in path:
        return None
    return path


def _leaves_workspace(ws: Workspace, manifest: str, path: str) -> bool:
    """Whether the file Atmos would try for `path` is outside the workspace: the first
    candidate that is outside or exists decides (existence is only asked inside)."""
    if os.path.isabs(path):
        candidates = [path]
    else:
        candidates = [
            os.path.join(os.path.dirname(manifest), path),
            os.path.join(ws.config.base_path, path),
        ]
    for candidate in candidates:
        full = os.path.normpath(candidate)
        if not ws.in_workspace(full):
            return True
        if os.path.isfile(full):
            return False
    return False


def outside_includes(ws: Workspace, doc: Document) -> list[Diagnostic]:
    """A finding on each `!include` of `doc` whose local file is outside the workspace."""
    out: list[Diagnostic] = []
    todo: list[Value] = [doc.root] if doc.root is not None else []
    while todo:
        value = todo.pop()
        if isinstance(value.data, dict):
            todo.extend(value.data.values())
        elif isinstance(value.data, list):
            todo.extend(value.data)
        elif value.tag in INCLUDE_TAGS and isinstance(value.data, str):
            path = include_path(value.data)
            if path is not None and _leaves_workspace(ws, doc.file, path):
                out.append(
                    Diagnostic(
                        doc.file,
                        value.source.span,
                        severity_of("STK105"),
                        "STK105",
                        f"{value.tag} '{path}' resolves outside the workspace; it is not read",
                    )
                )
    out.sort(key=lambda d: (d.span.start_line, d.span.start_col))
    return out
