"""Findings in vendor manifests (STK640-STK642): `vendor.yaml` and `component.yaml` against
stack-lsp's schemas of what Atmos reads (`schemas/vendor.schema.json`,
`schemas/component-vendor.schema.json`), and a component vendored twice in one manifest
(internal/exec/vendor_utils.go refuses duplicate component names). Nothing is fetched."""

from __future__ import annotations

from functools import cache

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from ..codes import severity_of
from ..diagnostics import Diagnostic
from ..vendoring import component_manifests, read_sources, vendor_files
from ..workspace import Workspace
from .atmos_config import read_document
from .manifest import packaged_schema, schema_findings, validator_for

CODE_OF = {"value": "STK640", "unknown": "STK641", "missing": "STK640"}


@cache
def _validator(name: str) -> Draft202012Validator:
    return validator_for(packaged_schema(name))


def check_vendoring(ws: Workspace) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for path in vendor_files(ws.config):
        doc = read_document(ws, path)
        out += doc.diagnostics
        out += schema_findings(doc, _validator("vendor.schema.json"), CODE_OF, list_allowed=False)
        seen: dict[str, int] = {}
        for source in read_sources(doc):
            if not source.component:
                continue
            first = seen.setdefault(source.component, source.node.source.span.start_line + 1)
            if first != source.node.source.span.start_line + 1:
                named = source.node.get("component") or source.node
                message = (
                    f"component '{source.component}' is already vendored at line {first}; "
                    "Atmos refuses duplicate components"
                )
                out.append(
                    Diagnostic(path, named.source.span, severity_of("STK642"), "STK642", message)
                )
    for path in component_manifests(ws.config):
        doc = read_document(ws, path)
        out += doc.diagnostics
        validator = _validator("component-vendor.schema.json")
        out += schema_findings(doc, validator, CODE_OF, list_allowed=False)
    return out
