"""Findings produced by the core, placed on a file and a range.

Every layer (parse, imports, merge, stacks, validation) reports through this one type so that the
language server and `--check` show the same codes and messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from .tree import Span


class Severity(IntEnum):
    """Ordered like LSP's DiagnosticSeverity so adapters can map it one to one."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        return {1: "error", 2: "warning", 3: "info", 4: "hint"}[int(self)]


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a finding (the stacks it breaks, the other side of a cycle)."""

    file: str
    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    file: str
    span: Span
    severity: Severity
    code: str
    message: str
    related: tuple[Related, ...] = field(default=())
    fixes: tuple[str, ...] = field(default=())
    """Texts that could replace the one at `span` to resolve the finding (the closest existing
    names), offered as quick fixes."""
