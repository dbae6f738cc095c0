"""Component and compliance schemas: each `settings.validation.<name>` entry with
`schema_type: jsonschema` checked against the component's final configuration in a stack, the
dict `describe component` shows (vars, settings, env, metadata, backend …).

`schema_path` is absolute, or relative to `schemas.jsonschema.base_path` (then to `base_path`).
A finding lands on the value (or key) in the file that set it, found through provenance; the
same finding in many stacks is reported once (`group`), naming the count and the first stacks.
Entries named after a compliance framework (by entry name or schema file stem) report STK302,
the rest STK301. Abstract components are not checked (Atmos never deploys them); OPA entries
are not evaluated.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from ..codes import severity_of
from ..components import Component
from ..config import AtmosConfig
from ..diagnostics import Diagnostic, Related
from ..globs import inside
from ..parsing import DEFAULT_MAX_BYTES
from ..provenance import DESCRIBED_SECTIONS, trace
from ..tree import Path, Span, Value
from .explain import Problem, explain
from .manifest import late

COMPLIANCE = ("soc2", "pci-dss", "hipaa", "iso27001")
SHOWN_STACKS = 3
MAX_RELATED = 50
SCALAR_SECTIONS = ("backend_type", "remote_state_backend_type", "command")


def _norm(name: str) -> str:
    return name.lower().replace("_", "-")


@dataclass(frozen=True, slots=True)
class Entry:
    """One `settings.validation` entry of a component."""

    name: str
    schema_type: str
    schema_path: str
    resolved: str
    disabled: bool
    value: Value

    @property
    def stem(self) -> str:
        base = os.path.basename(self.schema_path)
        for suffix in (".json", ".schema"):
            base = base.removesuffix(suffix)
        return base

    @property
    def compliance(self) -> bool:
        return _norm(self.name) in COMPLIANCE or _norm(self.stem) in COMPLIANCE

    def matches(self, wanted: str) -> bool:
        return _norm(wanted) in (_norm(self.name), _norm(self.stem))


def resolve_schema(config: AtmosConfig, schema_path: str) -> str:
    if os.path.isabs(schema_path):
        return schema_path
    bases = [b for b in (config.jsonschema_base, config.base_path) if b]
    for base in bases:
        candidate = os.path.normpath(os.path.join(base, schema_path))
        if os.path.isfile(candidate):
            return candidate
    return os.path.normpath(os.path.join(bases[0], schema_path))


def entries(component: Component, config: AtmosConfig) -> list[Entry]:
    settings = component.sections.get("settings")
    section = settings.get("validation") if settings is not None else None
    if section is None or not section.is_map:
        return []
    out = []
    for name, entry in section.data.items():
        if not entry.is_map:
            continue
        kind, path = entry.get("schema_type"), entry.get("schema_path")
        disabled = entry.get("disabled")
        if path is None or not isinstance(path.data, str) or late(path):
            continue
        out.append(
            Entry(
                name,
                str(kind.data) if kind is not None else "",
                path.data,
                resolve_schema(config, path.data),
                disabled is not None and disabled.data is True,
                entry,
            )
        )
    return out


def _refuse(uri: str) -> Resource[Any]:
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]


# A `$ref` to anything the schema file does not hold is unresolvable (STK303): jsonschema
# would otherwise fetch it with urlopen — an https:// URL, or a file:// one outside the tree.
_NO_RETRIEVAL: Registry[Any] = Registry(retrieve=_refuse)  # type: ignore[call-arg]


class Schemas:
    """Compiled validators by schema file, reloaded when the file changes."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[object, Draft202012Validator | str]] = {}

    def get(self, path: str) -> Draft202012Validator | str:
        """The validator, or why the file cannot be used."""
        try:
            st = os.stat(path)
            key: object = (st.st_mtime_ns, st.st_size)
        except OSError:
            return "not found"
        cached = self._cache.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        self._cache[path] = (key, self._load(path))
        return self._cache[path][1]

    @staticmethod
    def _load(path: str) -> Draft202012Validator | str:
        if not os.path.isfile(path):  # a FIFO or /dev/zero would block or never end
            return "is not a regular file"
        try:
            with open(path, "rb") as handle:
                raw = handle.read(DEFAULT_MAX_BYTES + 1)
            if len(raw) > DEFAULT_MAX_BYTES:
                return f"is over the {DEFAULT_MAX_BYTES:,}-byte limit"
            schema = json.loads(raw.decode("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            return f"cannot be read: {exc}"
        if not isinstance(schema, dict | bool):
            return "is not a JSON Schema (the top level must be an object)"
        # No meta-schema check here (it cost more than validating the whole tree); a broken
        # keyword surfaces when the schema is evaluated, as STK303.
        return Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER, registry=_NO_RETRIEVAL
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding in one stack, before the same finding in other stacks joins it; `schema` is
    empty for findings that come from no schema (the Terraform contract)."""

    diagnostic: Diagnostic
    component: str
    schema: str
    stack: str
    stack_file: str


def instance(component: Component, stack_name: str) -> dict[str, Any]:
    """The component's final configuration as `describe component` shows it."""
    data: dict[str, Any] = {}
    for key in DESCRIBED_SECTIONS:
        value = component.sections.get(key)
        data[key] = value.plain() if value is not None else "" if key in SCALAR_SECTIONS else {}
    data.update(
        component=component.terraform_component,
        atmos_component=component.name,
        atmos_stack=stack_name,
    )
    return data


def _landing(component: Component, problem: Problem, config_file: str | None) -> Value | None:
    """The value that set what the problem is about (None: evaluated late, not judged)."""
    path: Path = problem.path
    while path:
        found = trace(component, path, config_file)
        if found is not None:
            value = found.final.value
            if problem.kind == "value" and path == problem.path and late(value):
                return None
            return value
        path = path[:-1]
    return component.own


def check_component(
    component: Component,
    stack_name: str,
    config: AtmosConfig,
    schemas: Schemas,
    only: list[Entry] | None = None,
) -> tuple[list[Finding], list[Diagnostic]]:
    """Findings per stack, and problems with the schemas themselves (STK303)."""
    found: list[Finding] = []
    broken: list[Diagnostic] = []
    chosen = entries(component, config) if only is None else only
    data: dict[str, Any] | None = None
    for entry in chosen:
        if entry.disabled or entry.schema_type != "jsonschema":
            continue
        where = entry.value.get("schema_path") or entry.value
        if not inside(entry.resolved, os.path.realpath(config.base_path)):
            broken.append(
                Diagnostic(
                    where.source.file,
                    where.source.span,
                    severity_of("STK105"),
                    "STK105",
                    f"schema '{entry.schema_path}' of validation '{entry.name}' resolves outside "
                    "the workspace; it is not read",
                )
            )
            continue
        validator = schemas.get(entry.resolved)
        if isinstance(validator, str):
            shown = os.path.relpath(entry.resolved, config.base_path)
            message = (
                f"schema '{entry.schema_path}' of validation '{entry.name}' {validator} "
                f"(looked up as {shown})"
            )
            broken.append(
                Diagnostic(
                    where.source.file, where.source.span, severity_of("STK303"), "STK303", message
                )
            )
            continue
        data = instance(component, stack_name) if data is None else data
        code = "STK302" if entry.compliance else "STK301"
        try:
            errors = list(validator.iter_errors(data))
        except Exception as exc:  # an unresolvable $ref and the like: the schema's fault
            broken.append(
                Diagnostic(
                    where.source.file,
                    where.source.span,
                    severity_of("STK303"),
                    "STK303",
                    f"schema '{entry.schema_path}' cannot be evaluated: {exc}",
                )
            )
            continue
        for error in errors:
            for problem in explain(error):
                value = _landing(component, problem, config.config_file)
                if value is None:
                    continue
                source = value.source
                span = source.span if problem.kind == "value" else (source.key_span or source.span)
                diagnostic = Diagnostic(source.file, span, severity_of(code), code, problem.message)
                found.append(
                    Finding(
                        diagnostic, component.name, entry.name, stack_name, component.stack_file
                    )
                )
    return found, broken


def group(findings: list[Finding]) -> list[Diagnostic]:
    """One diagnostic per (place, message, component, schema), naming the stacks it breaks."""
    stacks: dict[tuple[Diagnostic, str, str], dict[str, str]] = {}
    for f in findings:
        stacks.setdefault((f.diagnostic, f.component, f.schema), {})[f.stack] = f.stack_file
    out = []
    for (d, component, schema), where in stacks.items():
        names = sorted(where)
        if len(names) == 1:
            scope = f"stack {names[0]}"
        else:
            more = ", …" if len(names) > SHOWN_STACKS else ""
            scope = f"{len(names)} stacks: {', '.join(names[:SHOWN_STACKS])}{more}"
        about = f"component {component}, schema {schema}" if schema else f"component {component}"
        message = f"{d.message} ({about}, {scope})"
        related = tuple(
            Related(where[n], Span(0, 0, 0, 0), f"breaks stack {n}") for n in names[:MAX_RELATED]
        )
        out.append(Diagnostic(d.file, d.span, d.severity, d.code, message, related))
    return out
