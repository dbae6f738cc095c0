"""What the user decided about findings: suppression comments and severity overrides.

Suppression: `# stack-lsp: ignore[STK301]` (or `ignore[STK301,STK403]`) at the end of the line a
finding starts on, or alone on the line above it.

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

_IGNORE = re.compile(r"#\s*stack-lsp:\s*ignore\[([A-Za-z0-9_,\s]+)\]")
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
        out = []
        for d in found:
            if d.code in self.severity:
                level = self.severity[d.code]
                if level is None:
                    continue
                d = replace(d, severity=level)
            if d.file not in lines:
                lines[d.file] = text_of(d.file).split("\n")
            if suppressed(lines[d.file], d.span.start_line, d.code):
                continue
            out.append(d)
        return out


def _codes(line: str) -> set[str]:
    match = _IGNORE.search(line)
    if match is None:
        return set()
    return {c.strip() for c in match.group(1).split(",") if c.strip()}


def suppressed(lines: list[str], line: int, code: str) -> bool:
    if 0 <= line < len(lines) and code in _codes(lines[line]):
        return True
    above = line - 1
    if not 0 <= above < len(lines) or not lines[above].lstrip().startswith("#"):
        return False
    return code in _codes(lines[above])
