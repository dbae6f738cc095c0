"""Quick fixes for Terraform contract findings, as text edits (editor-agnostic):

- STK502 (a var the module does not declare): rename the key to a close declared name;
- STK503 (a required variable never set): add the missing variables to the component's
  `vars`, each with a placeholder of its type.

Only keys written under a component (not the stack-wide `vars`, which other components read
too) are renamed, and only block-style YAML is edited.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import locate
from .stacks import Stacks
from .suggest import component_of
from .terraform import Contract, component_contract, placeholder
from .tree import Span, Value


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    code: str
    edits: tuple[tuple[Span, str], ...]


def _contract(stacks: Stacks, path: str, ref: locate.ComponentRef) -> Contract | None:
    component = component_of(stacks, path, ref)
    return component_contract(stacks.ws, component) if component is not None else None


def fixes(stacks: Stacks, path: str, text: str, spot: locate.Spot, codes: set[str]) -> list[Fix]:
    """The fixes for the findings `codes` at `spot` in the file `path` (whose text is `text`)."""
    ref = locate.component_ref(spot.path)
    if ref is None or ref.kind != "terraform" or not spot.on_key:
        return []
    out: list[Fix] = []
    if "STK502" in codes and len(ref.rest) == 2 and ref.rest[0] == "vars":
        contract = _contract(stacks, path, ref)
        key = spot.node.source.key_span
        if contract is not None and key is not None:
            for name in contract.closest(str(ref.rest[1])):
                out.append(Fix(f"Rename to '{name}'", "STK502", ((key, name),)))
    if "STK503" in codes and not ref.rest:
        contract = _contract(stacks, path, ref)
        component = component_of(stacks, path, ref)
        if contract is not None and component is not None:
            section = component.sections.get("vars")
            written = section.data if section is not None and section.is_map else {}
            missing = [v for v in contract.required() if v.name not in written]
            edit = _add_vars(text, spot.node, [(v.name, placeholder(v.type)) for v in missing])
            if missing and edit is not None:
                names = ", ".join(v.name for v in missing)
                out.append(Fix(f"Add the required variables: {names}", "STK503", (edit,)))
    return out


def _add_vars(text: str, section: Value, entries: list[tuple[str, str]]) -> tuple[Span, str] | None:
    """An edit adding `name: value` lines to the component's `vars` (made when missing), after
    the last line of the block; None when the YAML is not block style."""
    lines = text.split("\n")
    key = section.source.key_span
    if key is None or not section.is_map or not section.data:
        return None
    vars_node = section.get("vars")
    target = vars_node if vars_node is not None else section
    if not target.is_map or not target.data or _flow(lines, target):
        return None
    first = next(iter(target.data.values())).source.key_span
    if first is None:
        return None
    indent = " " * first.start_col
    if vars_node is None:
        added = [f"{indent}vars:", *(f"{indent}  {n}: {v}" for n, v in entries)]
    else:
        added = [f"{indent}{n}: {v}" for n, v in entries]
    end = target.source.span
    last = end.end_line if end.end_col > 0 else end.end_line - 1
    while last > first.start_line and not lines[last].strip():
        last -= 1
    at = Span(last, len(lines[last]), last, len(lines[last]))
    return at, "\n" + "\n".join(added)


def _flow(lines: list[str], value: Value) -> bool:
    span = value.source.span
    return lines[span.start_line][span.start_col : span.start_col + 1] in ("{", "[")
