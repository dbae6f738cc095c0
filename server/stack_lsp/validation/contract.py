"""The Terraform contract: each deployed Terraform component's final `vars` against the
`variable` blocks of its module (`terraform.py`).

- STK501: a Terraform file of the module does not parse (the component is then not checked);
- STK502: a var the module does not declare (Terraform warns and ignores it), at the key that
  won the merge, with the closest declared names;
- STK503: a required variable (no `default`) that the final vars never set, on the
  component's key in the stack file (else where the component is defined);
- STK504: a value that does not convert to the declared type, at the value that won, naming
  the layer that wrote it;
- STK505: an object attribute the type does not declare (Terraform drops it);
- STK506: null for a variable with `nullable = false` and no default.

Abstract and disabled components are not checked; a YAML function or a Go template counts as
set and is not judged. Modules without a local directory have no contract. Findings are kept per
stack file while the contracts they were checked against stay the same, and grouped over stacks
like the schema findings.
"""

from __future__ import annotations

from ..codes import severity_of
from ..diagnostics import Diagnostic
from ..provenance import Origin, layer_of
from ..queries import layer_label
from ..stacks import ComponentKey, StackFile, Stacks
from ..terraform import (
    EXTRA_ATTRIBUTE,
    MISSING_ATTRIBUTE,
    Contract,
    Variable,
    conform,
    contract_of,
    evaluated_late,
    plainly_conforms,
    shown,
)
from ..tree import Span, Value
from .component_schemas import Finding

MEMO = "terraform"


def contract_findings(stacks: Stacks, stack: StackFile) -> list[Finding]:
    """The contract findings of a stack file's deployed Terraform components."""
    deployed: list[tuple[ComponentKey, Contract]] = []
    for key in stack.keys():
        if key.kind != "terraform":
            continue
        outline = stack.outline(key)
        if outline.abstract or not outline.enabled:
            continue
        contract = contract_of(stacks.ws, outline.terraform_component)
        if contract is not None:
            deployed.append((key, contract))
    used = tuple(id(c) for _, c in deployed)
    cached = stack.memo.get(MEMO)
    if cached is not None and cached[0] == used:
        found: list[Finding] = cached[1]
        return found
    found = []
    for key, contract in deployed:
        found.extend(_check(stacks, stack, key, contract))
    stack.memo[MEMO] = (used, found)
    return found


def _check(
    stacks: Stacks, stack: StackFile, key: ComponentKey, contract: Contract
) -> list[Finding]:
    """The component's merged vars alone are enough to find nothing (the common case); the
    component is assembled only to say where a problem came from."""
    name = stack.names.get(key, stacks.ws.config.rel(stack.path))
    out: list[Finding] = []

    def add(file: str, span: Span, code: str, message: str) -> None:
        diagnostic = Diagnostic(file, span, severity_of(code), code, message)
        out.append(Finding(diagnostic, key.name, "", name, stack.path))

    def rel(path: str) -> str:
        return shown(stacks.ws, path)

    if contract.broken:
        for broken in contract.broken:
            span = Span(broken.line, broken.col, broken.line, broken.col + 1)
            add(
                broken.file,
                span,
                "STK501",
                f"{rel(broken.file)} does not parse ({broken.message}); the vars of "
                f"components using {rel(contract.directory)} are not checked",
            )
        return out
    section = stack.assembler.section(key.kind, key.name, "vars")
    written: dict[str, Value] = dict(section.data) if section is not None and section.is_map else {}
    for var_name, value in written.items():
        declared = contract.variables.get(var_name)
        if declared is None:
            close = contract.closest(var_name)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            source = value.source
            add(
                source.file,
                source.key_span or source.span,
                "STK502",
                f"variable '{var_name}' is not declared by {rel(contract.directory)}{hint}",
            )
            continue
        for code, (file, span), message in _type_problems(stacks, stack, key, declared, value):
            add(file, span, code, message)
    missing = [v for v in contract.required() if v.name not in written]
    if missing:
        own = stacks.ws.document(stack.path).mapping()
        place = own.find(("components", key.kind, key.name)) if own is not None else None
        place = place or stack.component(key).own
        for variable in missing:
            add(
                place.source.file,
                place.source.key_span or place.source.span,
                "STK503",
                f"required variable '{variable.name}' ({variable.type_text}) of "
                f"{rel(contract.directory)} is not set in vars; declared at "
                f"{rel(variable.file)}:{variable.line + 1}",
            )
    return out


def _place(value: Value, on_key: bool) -> tuple[str, Span]:
    source = value.source
    return source.file, (source.key_span or source.span) if on_key else source.span


def _type_problems(
    stacks: Stacks, stack: StackFile, key: ComponentKey, declared: Variable, value: Value
) -> list[tuple[str, tuple[str, Span], str]]:
    data = value.data
    if data is None and declared.nullable:
        return []
    if data is not None and plainly_conforms(value, declared.type):
        return []
    problems = list(conform(value, declared.type))
    if not problems and value.data is not None:
        return []
    config_file = stacks.ws.config.config_file
    where = f"{shown(stacks.ws, declared.file)}:{declared.line + 1}"
    if value.data is None and not evaluated_late(value):
        if not declared.nullable and declared.required:
            return [
                (
                    "STK506",
                    _place(value, False),
                    f"variable '{declared.name}' is null, but {where} declares it with "
                    "nullable = false and no default",
                )
            ]
        return []
    out: list[tuple[str, tuple[str, Span], str]] = []
    component = stack.component(key)
    for problem in problems:
        dotted = declared.name + "".join(
            f"[{k}]" if isinstance(k, int) else f".{k}" for k in problem.path
        )
        layer = layer_label(
            stacks, Origin(problem.value, layer_of(problem.value, component, config_file))
        )
        if problem.kind == EXTRA_ATTRIBUTE:
            out.append(("STK505", _place(problem.value, True), f"{dotted}: {problem.message}"))
            continue
        out.append(
            (
                "STK504",
                _place(problem.value, problem.kind == MISSING_ATTRIBUTE),
                f"{dotted}: {problem.message}; variable '{declared.name}' is "
                f"{declared.type_text} ({where}); written in {layer}",
            )
        )
    return out
