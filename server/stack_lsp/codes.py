"""The catalogue of diagnostic codes: one stable code, one default severity, one title each.

Editors and `--check` print the same codes; users suppress and re-rate findings by these names.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Severity


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str


_ALL = [
    Code("STK001", Severity.ERROR, "YAML syntax error"),
    Code("STK002", Severity.ERROR, "duplicate key"),
    Code("STK003", Severity.ERROR, "unknown YAML tag"),
    Code("STK004", Severity.ERROR, "unreadable file (too large, binary or not UTF-8)"),
    Code("STK005", Severity.ERROR, "document too deep or too large after alias expansion"),
    Code("STK101", Severity.ERROR, "import not found"),
    Code("STK102", Severity.ERROR, "import cycle"),
    Code("STK103", Severity.WARNING, "import glob matches nothing"),
    Code("STK104", Severity.ERROR, "invalid import entry"),
    Code("STK105", Severity.ERROR, "import outside the workspace"),
    Code("STK106", Severity.ERROR, "Go template error"),
    Code("STK107", Severity.WARNING, "template refers to an undefined value"),
    Code("STK108", Severity.ERROR, "template calls fail or required"),
    Code("STK109", Severity.WARNING, "template evaluation stopped at a bound"),
    Code("STK110", Severity.ERROR, "locals reference each other in a cycle"),
    Code("STK111", Severity.ERROR, "Go template execution error"),
    Code("STK112", Severity.INFORMATION, "template not evaluated (reaches outside the repo)"),
    Code("STK113", Severity.ERROR, "a local cannot be resolved"),
    Code("STK130", Severity.INFORMATION, "remote import not fetched"),
    Code("STK131", Severity.INFORMATION, "remote !include not fetched"),
    Code("STK132", Severity.ERROR, "!include file not found"),
    Code("STK133", Severity.ERROR, "!include cannot be read"),
    Code("STK134", Severity.INFORMATION, "!include yq expression not evaluated"),
    Code("STK135", Severity.INFORMATION, "stack named after its file: name_pattern vars missing"),
    Code("STK201", Severity.ERROR, "section has the wrong type"),
    Code("STK202", Severity.ERROR, "unknown base component in inherits"),
    Code("STK203", Severity.ERROR, "inheritance cycle"),
    Code("STK204", Severity.HINT, "list replaced by a value that is not a list"),
    Code("STK205", Severity.ERROR, "component defined differently for the same stack"),
    Code("STK206", Severity.ERROR, "stack name cannot be computed"),
    Code("STK207", Severity.ERROR, "invalid list merge strategy"),
]

CODES: dict[str, Code] = {c.code: c for c in _ALL}


def register(code: Code) -> None:
    """Lets later layers (validation) add their codes to the one catalogue."""
    CODES[code.code] = code


def severity_of(code: str) -> Severity:
    return CODES[code].severity
