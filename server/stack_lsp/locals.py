"""File-scoped `locals`, resolved as Atmos resolves them [pkg/locals/resolver.go,
internal/exec/stack_processor_locals.go, website/docs/stacks/locals.mdx].

Locals live in one file: the global `locals:`, the component-type `terraform.locals:` (on top of
the global ones) and a component's own `locals:` (on top of its type's, then its bases'). They may
reference each other in any order (`{{ .locals.x }}`); Atmos resolves them in dependency order
(Kahn's algorithm, names sorted) and stops at a cycle. Templates in locals also see the same
file's `settings`, `vars` and `env`, and fail on a missing key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import templates
from .codes import severity_of
from .diagnostics import Diagnostic
from .tree import Value

LOCALS = "locals"
SCOPES = ("terraform", "helmfile", "packer")
_REF = re.compile(r"\.locals\.([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(slots=True)
class Resolved:
    """Resolved locals of one scope (plain values) and what went wrong resolving them."""

    values: dict[str, Any] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _refs(value: Value) -> set[str]:
    """The locals a value's templates read (`.locals.NAME`)."""
    data = value.data
    if isinstance(data, str):
        return set(_REF.findall(data)) if "{{" in data else set()
    if isinstance(data, dict):
        return {r for v in data.values() for r in _refs(v)}
    if isinstance(data, list):
        return {r for v in data for r in _refs(v)}
    return set()


def _order(own: dict[str, Value]) -> tuple[list[str], list[str]]:
    """Resolution order (Kahn's algorithm over sorted names), and a cycle if one remains."""
    deps = {name: _refs(value) & own.keys() for name, value in own.items()}
    ready = sorted(n for n, d in deps.items() if not d)
    done: list[str] = []
    while ready:
        name = ready.pop(0)
        done.append(name)
        freed = [n for n, d in deps.items() if name in d and n not in done and n not in ready]
        for n in freed:
            deps[n].discard(name)
        ready = sorted(ready + [n for n in freed if not deps[n]])
    if len(done) == len(own):
        return done, []
    return done, _cycle({n: _refs(v) & own.keys() for n, v in own.items()}, set(done))


def _cycle(deps: dict[str, set[str]], resolved: set[str]) -> list[str]:
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        if name in path:
            return [*path[path.index(name) :], name]
        path.append(name)
        for dep in sorted(deps[name] - resolved):
            found = visit(dep)
            if found:
                return found
        path.pop()
        return None

    for name in sorted(set(deps) - resolved):
        found = visit(name)
        if found:
            return found
    return []


def resolve(
    section: Value | None, parent: Mapping[str, Any], context: Mapping[str, Any]
) -> Resolved:
    """The locals of `section` (a `locals:` map) on top of `parent`, with `context` (the file's
    settings, vars, env) visible to their templates."""
    out = Resolved(dict(parent))
    if section is None or not section.is_map or not section.data:
        return out
    own: dict[str, Value] = section.data
    order, cycle = _order(own)
    if cycle:
        where = own[cycle[0]]
        out.diagnostics.append(
            Diagnostic(
                where.source.file,
                where.source.key_span or where.source.span,
                severity_of("STK110"),
                "STK110",
                "locals reference each other in a cycle: "
                + " → ".join(cycle)
                + "; Atmos stops with a circular dependency error",
            )
        )
    for name in order:
        out.values[name] = _value(own[name], name, out, context)
    return out


def _value(value: Value, name: str, out: Resolved, context: Mapping[str, Any]) -> Any:
    data = value.data
    if isinstance(data, dict):
        return {k: _value(v, name, out, context) for k, v in data.items()}
    if isinstance(data, list):
        return [_value(v, name, out, context) for v in data]
    if value.tag is not None or not isinstance(data, str) or "{{" not in data:
        return value.plain()
    try:
        rendered = templates.render(data, {**context, LOCALS: out.values})
    except templates.TemplateSyntaxError as exc:
        out.diagnostics.append(_problem(value, f"local '{name}' is not a valid Go template: {exc}"))
        return data
    why = _why(rendered)
    if why is not None:
        out.diagnostics.append(_problem(value, f"local '{name}' cannot be resolved: {why}"))
        return data
    return rendered.text


def _why(rendered: templates.Rendered) -> str | None:
    if rendered.undefined:
        return f"it reads {rendered.undefined[0][0]}, which is not defined in this file"
    if rendered.failed:
        return rendered.failed[0][0]
    if rendered.errors:
        return rendered.errors[0][0]
    if rendered.bound:
        return rendered.bound
    return None


def _problem(value: Value, message: str) -> Diagnostic:
    return Diagnostic(
        value.source.file, value.source.span, severity_of("STK113"), "STK113", message
    )


def _map(value: Value | None) -> dict[str, Any]:
    return value.plain() if value is not None and value.is_map else {}


def has_locals(root: Value) -> bool:
    """Whether a file declares locals anywhere Atmos looks for file-level ones."""
    if root.get(LOCALS) is not None:
        return True
    return any(
        (scope := root.get(kind)) is not None and scope.get(LOCALS) is not None for kind in SCOPES
    )


@dataclass(slots=True)
class FileLocals:
    """A file's locals: global, per component type, and flattened for its own templates."""

    by_scope: dict[str, dict[str, Any]]
    flat: dict[str, Any]
    context: dict[str, Any]
    diagnostics: list[Diagnostic]


def file_locals(root: Value) -> FileLocals:
    """Resolve a file's global and component-type locals [ProcessStackLocals]; `flat` is what
    its templates see (global, then each type's own, as MergeForTemplateContext)."""
    context = {k: _map(root.get(k)) for k in ("settings", "vars", "env")}
    found = resolve(root.get(LOCALS), {}, context)
    diagnostics = list(found.diagnostics)
    by_scope = {"": found.values}
    flat = dict(found.values)
    for kind in SCOPES:
        scope = root.get(kind)
        section = scope.get(LOCALS) if scope is not None else None
        resolved = resolve(section, found.values, context)
        diagnostics += resolved.diagnostics
        by_scope[kind] = resolved.values
        if section is not None:
            flat.update(resolved.values)
    return FileLocals(by_scope, flat, context, diagnostics)


def component_locals(
    parent: Mapping[str, Any], context: Mapping[str, Any], levels: list[Value | None]
) -> Resolved:
    """A component's locals: `parent` (its file's, for its type), then each base's and its own
    `locals:` in merge order (Global → Section → Base Component → Component)."""
    out = Resolved(dict(parent))
    for level in levels:
        step = resolve(level, out.values, context)
        out.values = step.values
        out.diagnostics += step.diagnostics
    return out
