"""Semantic rules the stack engine does not report itself (its own findings — imports, cycles,
inherits, naming, collisions, tags, templates — come from `Stacks.diagnostics()`)."""

from __future__ import annotations

import os

from ..codes import severity_of
from ..diagnostics import Diagnostic
from ..provenance import trace
from ..stacks import StackFile, Stacks
from ..tree import Span, Value


def _key_span(value: Value) -> Span:
    return value.source.key_span or value.source.span


def abstract_deployed(stacks: Stacks, stack: StackFile) -> list[Diagnostic]:
    """STK401: a stack file configures an abstract component that nothing in the stack inherits:
    its configuration is never deployed."""
    own = stacks.ws.document(stack.path).mapping()
    if own is None:
        return []
    outlines = {key: stack.outline(key) for key in stack.keys()}
    inherited = {(key.kind, base) for key, o in outlines.items() for base in o.bases}
    out = []
    for key, outline in outlines.items():
        written = own.find(("components", key.kind, key.name))
        if not outline.abstract or written is None or (key.kind, key.name) in inherited:
            continue
        section = stack.assembler.components(key.kind)[key.name]
        marker = section.find(("metadata", "type"))
        origin = ""
        if marker is not None:
            line = marker.source.span.start_line + 1
            origin = f" ({stacks.ws.config.rel(marker.source.file)}:{line})"
        name = stack.names.get(key, stacks.ws.config.rel(stack.path))
        out.append(
            Diagnostic(
                stack.path,
                _key_span(written),
                severity_of("STK401"),
                "STK401",
                f"component '{key.name}' is abstract{origin} and nothing in stack '{name}' "
                "inherits it, so this configuration is never deployed; set metadata.type: real "
                "here or add a component that inherits it",
            )
        )
    return out


def missing_directories(stacks: Stacks, stack: StackFile) -> list[Diagnostic]:
    """STK402: the Terraform/Helmfile directory of a deployable component does not exist (only
    checked when the components base path itself exists)."""
    config = stacks.ws.config
    bases = {kind: config.bases[kind] for kind in ("terraform", "helmfile")}
    out = []
    for key in stack.keys():
        base = bases.get(key.kind)
        if base is None or not stacks.ws.is_dir(base):
            continue
        outline = stack.outline(key)
        if outline.abstract or not outline.enabled:
            continue
        directory = os.path.join(base, outline.terraform_component)
        if stacks.ws.is_dir(directory):
            continue
        comp = stack.component(key)
        chosen = trace(comp, ("metadata", "component"), config.config_file)
        span = chosen.final.value.source.span if chosen is not None else _key_span(comp.own)
        file = chosen.final.file if chosen is not None else comp.own.source.file
        shown = os.path.relpath(directory, config.base_path)
        out.append(
            Diagnostic(
                file,
                span,
                severity_of("STK402"),
                "STK402",
                f"{key.kind} component '{key.name}' points at {shown}, which does not exist; "
                "create the directory or set metadata.component to an existing one",
            )
        )
    return out


def unused_files(stacks: Stacks, reached: set[str]) -> list[Diagnostic]:
    """STK403: a manifest that is not a stack and that no stack imports, directly or not
    (`reached`: every file in the import closure of a stack)."""
    rel = stacks.ws.config.rel
    out = []
    for path in stacks.ws.manifest_files():
        if path in reached:
            continue
        first = stacks.ws.document(path).text.split("\n", 1)[0]
        out.append(
            Diagnostic(
                path,
                Span(0, 0, 0, len(first)),
                severity_of("STK403"),
                "STK403",
                f"{rel(path)} is not a stack and no stack imports it; import it from a stack or "
                "delete it",
            )
        )
    return out


def top_level_findings(stacks: Stacks, reached: set[str]) -> list[Diagnostic]:
    """What merging finds in the manifests no stack reaches (syntax, imports, templates,
    sections): `atmos validate stacks` processes every YAML file under the stacks base that no
    other file imports as a top-level file, stack or not, `.tmpl` files aside
    [internal/exec/validate_stacks.go ValidateStacks]. Naming is not asked of them."""
    unreached = [
        path
        for path in stacks.ws.manifest_files()
        if path not in reached and not path.endswith(".tmpl")
    ]
    imported = {
        target
        for path in unreached
        for link in stacks.ws.links(path)
        for target in link.resolution.targets
    }
    out: list[Diagnostic] = []
    for path in unreached:
        if path not in imported:
            out += stacks.builder.stack(path).diagnostics
    return out
