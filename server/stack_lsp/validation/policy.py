"""What the user decided about findings: suppression comments and severity overrides.

Suppression: `# stack-lsp: ignore[STK301]` (or `ignore[STK301,STK403]`) at the end of the line a
finding starts on, or alone on the line above it; `# stack-lsp: ignore-file[STK403]` alone on any
line suppresses the code in the whole file.

Severities: in atmos.yaml, under `settings.stack_lsp.severity`, a code mapped to `error`,
`warning`, `info`, `hint` or `off` (the finding is dropped):

    settings:
      stack_lsp:
        severity:
          STK403: off
          STK402: error

Atmos ignores keys it does not know in `settings`, so the one configuration file serves both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from ..codes import CODES
from ..config import AtmosConfig
from ..diagnostics import Diagnostic, Severity
from ..refactor import Edit
from ..tree import Span

_IGNORE = re.compile(r"#\s*stack-lsp:\s*ignore\[([A-Za-z0-9_,\s]+)\]")
_IGNORE_FILE = re.compile(r"#\s*stack-lsp:\s*ignore-file\[([A-Za-z0-9_,\s]+)\]")
_LEVELS = {s.label: s for s in Severity} | {"information": Severity.INFORMATION}
OFF = "off"


class PolicyError(ValueError):
    """The severity settings cannot be used (unknown code or level)."""


@dataclass(frozen=True, slots=True)
class Policy:
    severity: dict[str, Severity | None] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: AtmosConfig, strict: bool = True) -> Policy:
        """The policy in atmos.yaml; with `strict`, a bad entry raises PolicyError, otherwise it
        is skipped (the language server keeps serving)."""
        settings = config.raw.get("settings")
        own = settings.get("stack_lsp") if isinstance(settings, dict) else None
        table = own.get("severity") if isinstance(own, dict) else None
        if table is None:
            return cls()
        if not isinstance(table, dict):
            if strict:
                raise PolicyError("settings.stack_lsp.severity must be a map of code: level")
            return cls()
        chosen: dict[str, Severity | None] = {}
        for code, level in table.items():
            name = OFF if level is False else str(level).lower()
            if str(code) not in CODES or (name != OFF and name not in _LEVELS):
                if strict:
                    raise PolicyError(
                        f"settings.stack_lsp.severity: '{code}: {level}' — use a known code "
                        f"(STK001…) and one of {', '.join([*_LEVELS, OFF])}"
                    )
                continue
            chosen[str(code)] = None if name == OFF else _LEVELS[name]
        return cls(chosen)

    def apply(self, found: Iterable[Diagnostic], text_of: Callable[[str], str]) -> list[Diagnostic]:
        """Drop suppressed findings and those turned off; re-rate the rest."""
        lines: dict[str, list[str]] = {}
        whole: dict[str, set[str]] = {}
        out = []
        for d in found:
            if d.code in self.severity:
                level = self.severity[d.code]
                if level is None:
                    continue
                d = replace(d, severity=level)
            if d.file not in lines:
                lines[d.file] = text_of(d.file).split("\n")
                whole[d.file] = file_codes(lines[d.file])
            if d.code in whole[d.file] or suppressed(lines[d.file], d.span.start_line, d.code):
                continue
            out.append(d)
        return out


def _codes(line: str, pattern: re.Pattern[str] = _IGNORE) -> set[str]:
    match = pattern.search(line)
    if match is None:
        return set()
    return {c.strip() for c in match.group(1).split(",") if c.strip()}


def file_codes(lines: list[str]) -> set[str]:
    """The codes suppressed in the whole file."""
    out: set[str] = set()
    for line in lines:
        if line.lstrip().startswith("#") and "ignore-file" in line:
            out |= _codes(line, _IGNORE_FILE)
    return out


def suppress_on_line(file: str, lines: list[str], line: int, code: str) -> Edit:
    """The edit that suppresses `code` for findings on `line`: the code added to the comment
    alone on the line above, else that comment inserted with the line's indentation."""
    above = line - 1
    found = _IGNORE.search(lines[above]) if 0 <= above < len(lines) else None
    if found is not None and lines[above].lstrip().startswith("#"):
        codes = ",".join(sorted(_codes(lines[above]) | {code}))
        return Edit(file, Span(above, found.start(1), above, found.end(1)), codes)
    text = lines[line] if 0 <= line < len(lines) else ""
    indent = text[: len(text) - len(text.lstrip())]
    return Edit(file, Span(line, 0, line, 0), f"{indent}# stack-lsp: ignore[{code}]\n")


def suppress_in_file(file: str, lines: list[str], code: str) -> Edit:
    """The edit that suppresses `code` in the whole file: added to its `ignore-file` comment,
    else such a comment inserted as the first line."""
    for number, line in enumerate(lines):
        found = _IGNORE_FILE.search(line)
        if found is not None and line.lstrip().startswith("#"):
            codes = ",".join(sorted(_codes(line, _IGNORE_FILE) | {code}))
            return Edit(file, Span(number, found.start(1), number, found.end(1)), codes)
    return Edit(file, Span(0, 0, 0, 0), f"# stack-lsp: ignore-file[{code}]\n")


def suppressed(lines: list[str], line: int, code: str) -> bool:
    if 0 <= line < len(lines) and code in _codes(lines[line]):
        return True
    above = line - 1
    if not 0 <= above < len(lines) or not lines[above].lstrip().startswith("#"):
        return False
    return code in _codes(lines[above])
