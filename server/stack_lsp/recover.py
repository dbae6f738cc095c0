"""A half-typed buffer that does not parse, made to parse by blanking the few lines YAML
complains about, so that the rest of the file keeps its imports, components and positions.

The editor feeds the engine the repaired text and shows the syntax errors of the real text next
to the engine's findings. Lines are blanked, never removed: every other position is unchanged.
"""

from __future__ import annotations

from .diagnostics import Diagnostic
from .parsing import parse

MAX_ATTEMPTS = 6


def recover(file: str, text: str) -> tuple[str, list[Diagnostic]]:
    """(text to analyse, syntax findings of the real text). The text is `text` itself when it
    parses or cannot be repaired."""
    doc = parse(file, text)
    syntax = [d for d in doc.diagnostics if d.code == "STK001"]
    if doc.root is not None or not syntax:
        return text, []
    lines = text.split("\n")
    blanked: set[int] = set()
    error_line = syntax[0].span.start_line
    for _ in range(MAX_ATTEMPTS):
        candidates = [n for n in (error_line, error_line - 1) if _blankable(lines, n, blanked)]
        candidates.sort(key=lambda n: _looks_complete(lines[n]))
        for n in candidates:
            trial = _blank(lines, blanked | {n})
            if parse(file, trial).root is not None:
                return trial, syntax
        if not candidates:
            break
        blanked.add(candidates[0])
        result = parse(file, _blank(lines, blanked))
        if result.root is not None:
            return _blank(lines, blanked), syntax
        errors = [d for d in result.diagnostics if d.code == "STK001"]
        if not errors:
            break
        error_line = errors[0].span.start_line
    return text, syntax


def _looks_complete(line: str) -> bool:
    """A `key: value` or `key:` line is more likely right than a bare word being typed."""
    body = line.split("#", 1)[0].rstrip()
    return ": " in body or body.endswith(":")


def _blankable(lines: list[str], n: int, blanked: set[int]) -> bool:
    return 0 <= n < len(lines) and n not in blanked and lines[n].strip() != ""


def _blank(lines: list[str], which: set[int]) -> str:
    return "\n".join("" if i in which else line for i, line in enumerate(lines))
