"""Findings as text for people and machines: `text` (`path:line:col: severity CODE message`, as
compilers print), `json`, `sarif` (2.1.0, for GitHub code scanning) and `github` (workflow
annotations). Paths are relative to the current directory; lines and columns are 1-based."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..codes import CODES
from ..diagnostics import Diagnostic, Severity
from ..tree import Span

FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}
_GITHUB_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "notice",
    Severity.HINT: "notice",
}


@dataclass(frozen=True, slots=True)
class Summary:
    files: int
    stacks: int
    seconds: float


def shown_path(file: str, cwd: str) -> str:
    try:
        return os.path.relpath(file, cwd).replace(os.sep, "/")
    except ValueError:
        return file


def counts(found: Sequence[Diagnostic]) -> Counter[Severity]:
    return Counter(d.severity for d in found)


def summary_line(found: Sequence[Diagnostic], summary: Summary) -> str:
    tally = counts(found)
    parts = [f"{tally[s]} {s.label}{'' if tally[s] == 1 else 's'}" for s in Severity if tally[s]]
    head = ", ".join(parts) if parts else "no problems"
    return (
        f"{head} in {summary.files} files ({summary.stacks} stacks) "
        f"checked in {summary.seconds:.2f}s"
    )


def text(found: Sequence[Diagnostic], cwd: str) -> str:
    return "".join(
        f"{shown_path(d.file, cwd)}:{d.span.start_line + 1}:{d.span.start_col + 1}: "
        f"{d.severity.label} {d.code} {d.message}\n"
        for d in found
    )


def _range(span: Span) -> dict[str, Any]:
    return {
        "start": {"line": span.start_line + 1, "column": span.start_col + 1},
        "end": {"line": span.end_line + 1, "column": span.end_col + 1},
    }


def to_json(found: Sequence[Diagnostic], cwd: str, summary: Summary) -> str:
    tally = counts(found)
    data = {
        "version": 1,
        "diagnostics": [
            {
                "file": shown_path(d.file, cwd),
                "range": _range(d.span),
                "severity": d.severity.label,
                "code": d.code,
                "message": d.message,
                "related": [
                    {"file": shown_path(r.file, cwd), "range": _range(r.span), "message": r.message}
                    for r in d.related
                ],
            }
            for d in found
        ],
        "summary": {
            **{s.label: tally[s] for s in Severity},
            "files": summary.files,
            "stacks": summary.stacks,
            "seconds": round(summary.seconds, 3),
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.start_line + 1,
        "startColumn": span.start_col + 1,
        "endLine": span.end_line + 1,
        "endColumn": span.end_col + 1,
    }


def _location(file: str, span: Span, cwd: str, message: str | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": shown_path(file, cwd), "uriBaseId": "%SRCROOT%"},
            "region": _region(span),
        }
    }
    if message is not None:
        location["message"] = {"text": message}
    return location


def to_sarif(found: Sequence[Diagnostic], cwd: str) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run; every catalogue code is a rule."""
    ids = sorted(CODES)
    rules = [
        {
            "id": code,
            "name": "".join(
                w.capitalize() for w in CODES[code].title.replace(":", " ").split() if w.isalnum()
            ),
            "shortDescription": {"text": CODES[code].title},
            "defaultConfiguration": {"level": _SARIF_LEVEL[CODES[code].severity]},
        }
        for code in ids
    ]
    results = []
    for d in found:
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _SARIF_LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [_location(d.file, d.span, cwd)],
        }
        if d.code in CODES:
            result["ruleIndex"] = ids.index(d.code)
        if d.related:
            result["relatedLocations"] = [
                {"id": i, **_location(r.file, r.span, cwd, r.message)}
                for i, r in enumerate(d.related)
            ]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "stack-lsp",
                        "version": __version__,
                        "informationUri": "https://atmos.tools",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": _dir_uri(cwd)}},
                "results": results,
            }
        ],
    }


def _dir_uri(path: str) -> str:
    uri = "file://" + os.path.abspath(path).replace(os.sep, "/")
    return uri if uri.endswith("/") else uri + "/"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(found: Sequence[Diagnostic], cwd: str) -> str:
    out = []
    for d in found:
        s = d.span
        props = (
            f"file={_escape_property(shown_path(d.file, cwd))},line={s.start_line + 1},"
            f"col={s.start_col + 1},endLine={s.end_line + 1},endColumn={s.end_col + 1},"
            f"title={_escape_property(d.code)}"
        )
        out.append(f"::{_GITHUB_LEVEL[d.severity]} {props}::{_escape_data(d.message)}\n")
    return "".join(out)


def render(fmt: str, found: Sequence[Diagnostic], cwd: str, summary: Summary) -> str:
    """The whole output of `--check` in one format (the text summary line included)."""
    if fmt == "json":
        return to_json(found, cwd, summary)
    if fmt == "sarif":
        return json.dumps(to_sarif(found, cwd), indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return to_github(found, cwd)
    return text(found, cwd) + summary_line(found, summary) + "\n"
