"""`describe component` and `describe stacks` output, with Atmos's key names, as data, JSON and
YAML (optionally annotated with the `file:line` each value came from)."""

from __future__ import annotations

import json
import os
import re
from typing import Any

from .components import Component
from .imports import import_name
from .provenance import dotted, walk
from .rendering import workspace_of
from .stacks import Stacks

# Sections of `describe component`; a kind has only those its components merge (no backend
# outside terraform) [internal/exec/stack_processor_merge.go].
MAP_SECTIONS = (
    "vars",
    "settings",
    "env",
    "auth",
    "providers",
    "hooks",
    "metadata",
    "overrides",
    "backend",
    "remote_state_backend",
    "generate",
    "required_providers",
    "source",
    "provision",
    "dependencies",
    "retry",
)
STRING_SECTIONS = ("backend_type", "remote_state_backend_type", "command", "required_version")


def describe_component(stacks: Stacks, component: Component) -> dict[str, Any]:
    config = stacks.ws.config
    stack_name = stacks.stack_name_of(component) or ""
    stack_file = stacks.stack_file(component.stack_file)
    base_dir = config.bases.get(component.kind, config.terraform_base)
    imports = sorted({import_name(f, config.stacks_base) for f in stack_file.result.files[1:]})
    deps = sorted(
        {
            import_name(t.final.file, config.stacks_base)
            for t in walk(component, None)
            if t.final.file.startswith(config.stacks_base)
        }
    )
    workspace = workspace_of(stack_name, component)
    out: dict[str, Any] = {
        "atmos_component": component.name,
        "atmos_stack": stack_name,
        "atmos_stack_file": import_name(component.stack_file, config.stacks_base),
        "atmos_manifest": import_name(component.stack_file, config.stacks_base),
        "component": component.terraform_component,
        "component_info": {
            "component_path": os.path.relpath(
                os.path.join(base_dir, component.terraform_component), config.base_path
            ),
            "component_type": component.kind,
        },
        "stack": stack_name,
        "workspace": workspace,
        "inheritance": list(reversed(component.bases)),
        "imports": imports,
        "deps": deps,
    }
    for key in MAP_SECTIONS:
        if key in component.sections:
            out[key] = _sorted(component.plain(key))
    if component.sections.get("locals") is not None:
        out["locals"] = _sorted(component.plain("locals"))
    for key in STRING_SECTIONS:
        if key in component.sections:
            value = component.sections[key]
            out[key] = value.plain() if value is not None else ""
    return dict(sorted(out.items()))


def _sorted(data: Any) -> Any:
    """Keys in sorted order at every level, as Atmos prints them."""
    if isinstance(data, dict):
        return {k: _sorted(data[k]) for k in sorted(data, key=str)}
    if isinstance(data, list):
        return [_sorted(v) for v in data]
    return data


def provenance_map(stacks: Stacks, component: Component) -> dict[str, Any]:
    config = stacks.ws.config
    out: dict[str, Any] = {}

    def entry(origin: Any) -> dict[str, Any]:
        return {
            "file": config.rel(origin.file),
            "line": origin.line,
            "column": origin.column,
            "layer": origin.layer,
        }

    for trace in walk(component, config.config_file):
        item = entry(trace.final)
        item["shadowed"] = [{**entry(s), "value": s.value.plain()} for s in trace.shadowed]
        out[dotted(trace.path)] = item
    return out


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, default=str)


_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./@-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "~", ""}


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def to_yaml(data: Any, notes: dict[str, str] | None = None) -> str:
    """Block YAML; with `notes`, each line whose dotted path has a note ends in `# note`."""
    lines: list[str] = []

    def note(path: str) -> str:
        return f"  # {notes[path]}" if notes and path in notes else ""

    def emit(value: Any, indent: int, path: str) -> None:
        pad = "  " * indent
        if isinstance(value, dict):
            for key, child in value.items():
                child_path = f"{path}.{key}" if path else str(key)
                if isinstance(child, dict | list) and child:
                    lines.append(f"{pad}{_scalar(key)}:{note(child_path)}")
                    emit(child, indent + 1, child_path)
                else:
                    lines.append(f"{pad}{_scalar(key)}: {_inline(child)}{note(child_path)}")
        elif isinstance(value, list):
            for i, child in enumerate(value):
                child_path = f"{path}[{i}]"
                if isinstance(child, dict) and child:
                    first = True
                    for key, sub in child.items():
                        sub_path = f"{child_path}.{key}"
                        lead = f"{pad}- " if first else f"{pad}  "
                        first = False
                        if isinstance(sub, dict | list) and sub:
                            lines.append(f"{lead}{_scalar(key)}:{note(sub_path)}")
                            emit(sub, indent + 2, sub_path)
                        else:
                            lines.append(f"{lead}{_scalar(key)}: {_inline(sub)}{note(sub_path)}")
                elif isinstance(child, list) and child:
                    lines.append(f"{pad}-{note(child_path)}")
                    emit(child, indent + 1, child_path)
                else:
                    lines.append(f"{pad}- {_inline(child)}{note(child_path)}")

    emit(data, 0, "")
    return "\n".join(lines) + "\n"


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


def provenance_notes(stacks: Stacks, component: Component) -> dict[str, str]:
    config = stacks.ws.config
    return {
        dotted(t.path): f"{config.rel(t.final.file)}:{t.final.line} ({t.final.layer})"
        for t in walk(component, config.config_file)
    }
