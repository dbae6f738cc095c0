"""The repository as a tree for an explorer view: component kinds → components → the stacks
that deploy them (and the abstract bases they inherit), stacks → their components, and the
workflows with their steps. Every node carries the place to open. Editor-agnostic: the
language server turns it into JSON (`stack-lsp.explorer`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .components import components_of
from .queries import Place, place_of
from .stacks import ComponentKey, Stacks
from .tree import ZERO_SPAN
from .workflows import Step, read_manifest


@dataclass(slots=True)
class Node:
    label: str
    kind: str
    """"kind", "component", "abstract", "stack", "workflows", "workflow-file", "workflow",
    "step"."""
    place: Place | None = None
    detail: str = ""
    children: list[Node] = field(default_factory=list)


def _component_place(stacks: Stacks, stack_path: str, key: ComponentKey) -> Place:
    """Where the stack file (or the first file it imports) writes the component."""
    for file in stacks.stack_file(stack_path).result.files:
        section = components_of(stacks.ws.document(file).mapping(), key.kind).get(key.name)
        if section is not None:
            return place_of(section)
    return Place(stack_path, ZERO_SPAN)


def build(stacks: Stacks) -> list[Node]:
    """The top-level nodes: one per component kind, then "stacks", then "workflows"."""
    by_key: dict[ComponentKey, dict[str, Place]] = {}
    abstract: dict[ComponentKey, Place] = {}
    bases: dict[ComponentKey, set[str]] = {}
    stack_nodes: dict[str, Node] = {}
    for stack_path in stacks.ws.stack_files():
        stack = stacks.stack_file(stack_path)
        for key in stack.keys():
            outline = stack.outline(key)
            place = _component_place(stacks, stack_path, key)
            if outline.abstract:
                abstract.setdefault(key, place)
                continue
            name = stack.names.get(key)
            if name is None:
                continue
            by_key.setdefault(key, {}).setdefault(name, place)
            bases.setdefault(key, set()).update(outline.bases)
            node = stack_nodes.setdefault(
                name,
                Node(name, "stack", Place(stack_path, ZERO_SPAN), stacks.ws.config.rel(stack_path)),
            )
            node.children.append(Node(key.name, "component", place, key.kind))
    kinds: dict[str, Node] = {}
    for key in sorted(set(by_key) | set(abstract), key=lambda k: (k.kind, k.name)):
        kind_node = kinds.setdefault(key.kind, Node(key.kind, "kind"))
        if key in abstract and key not in by_key:
            kind_node.children.append(Node(key.name, "abstract", abstract[key], "abstract"))
            continue
        deployed = by_key[key]
        first = next(iter(deployed.values()))
        node = Node(key.name, "component", first, f"{len(deployed)} stacks")
        node.children = [Node(s, "stack", p) for s, p in sorted(deployed.items())]
        for base in sorted(bases.get(key, ())):
            base_key = ComponentKey(key.kind, base)
            node.children.append(Node(base, "abstract", abstract.get(base_key), "inherited"))
        kind_node.children.append(node)
    out = [kinds[k] for k in sorted(kinds)]
    stacks_node = Node("stacks", "stacks", detail=f"{len(stack_nodes)}")
    for name in sorted(stack_nodes):
        stack_nodes[name].children.sort(key=lambda n: (n.detail, n.label))
        stacks_node.children.append(stack_nodes[name])
    out.append(stacks_node)
    workflows = _workflows(stacks)
    if workflows.children:
        out.append(workflows)
    return out


def _workflows(stacks: Stacks) -> Node:
    root = Node("workflows", "workflows")
    for path in stacks.ws.workflow_files():
        manifest = read_manifest(stacks.ws.document(path))
        file_node = Node(stacks.ws.config.rel(path), "workflow-file", Place(path, ZERO_SPAN))
        for workflow in manifest.workflows:
            node = Node(workflow.name, "workflow", Place(path, workflow.key_span))
            node.children = [
                Node(step.name, "step", Place(path, step.node.source.span), _step_detail(step))
                for step in workflow.steps
            ]
            file_node.children.append(node)
        root.children.append(file_node)
    return root


def _step_detail(step: Step) -> str:
    return str(step.command_node.data) if step.command_node is not None else step.type


def to_plain(node: Node, location: Callable[[Place], object]) -> dict[str, object]:
    """A node as JSON-ready data; `location` turns a Place into the editor's location."""
    out: dict[str, object] = {"label": node.label, "kind": node.kind}
    if node.detail:
        out["detail"] = node.detail
    if node.place is not None:
        out["location"] = location(node.place)
    if node.children:
        out["children"] = [to_plain(c, location) for c in node.children]
    return out
