"""Where each value of a merged component came from, and what it shadowed.

Hover, go-to-definition of a value, `describe --provenance` and diagnostics placement all read
this one module. The layer is derived from where the value was written: its file and its key path
in that file, relative to the component being described.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .closure import COMPONENT_TYPES
from .components import Component
from .tree import Path, PathKey, Value

IMPORT, INLINE, INHERITED, OVERRIDE, DEFAULT = (
    "import",
    "inline",
    "inherited",
    "override",
    "default",
)

DESCRIBED_SECTIONS = (
    "vars",
    "settings",
    "env",
    "providers",
    "hooks",
    "metadata",
    "backend",
    "backend_type",
    "remote_state_backend",
    "remote_state_backend_type",
    "overrides",
    "command",
    "auth",
    "generate",
    "required_providers",
    "required_version",
    "source",
    "provision",
    "dependencies",
    "retry",
)


def layer_of(value: Value, component: Component, config_file: str | None) -> str:
    source = value.source
    if config_file is not None and source.file == config_file:
        return DEFAULT
    path = source.path
    if path[:1] == ("overrides",) or (
        path[:1] and path[0] in COMPONENT_TYPES and path[1:2] == ("overrides",)
    ):
        return OVERRIDE
    if len(path) > 2 and path[0] == "components" and path[1] == component.kind:
        if len(path) > 3 and path[3] == "overrides":
            return OVERRIDE
        if path[2] != component.name:
            return INHERITED
    return INLINE if source.file == component.stack_file else IMPORT


def line_of(value: Value) -> int:
    """1-based line of the value (of its key when the value spans several lines)."""
    source = value.source
    return (source.key_span or source.span).start_line + 1


@dataclass(frozen=True, slots=True)
class Origin:
    """One value at a path: where it was written and its layer."""

    value: Value
    layer: str

    @property
    def file(self) -> str:
        return self.value.source.file

    @property
    def line(self) -> int:
        return line_of(self.value)

    @property
    def column(self) -> int:
        source = self.value.source
        return (source.key_span or source.span).start_col + 1


@dataclass(frozen=True, slots=True)
class Trace:
    """The final value at a path, and the values it overrode, newest first."""

    path: Path
    final: Origin
    shadowed: tuple[Origin, ...]


def dotted(path: Path) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def _origin(value: Value, component: Component, config_file: str | None) -> Origin:
    return Origin(value, layer_of(value, component, config_file))


def trace(component: Component, path: Path, config_file: str | None) -> Trace | None:
    """The provenance of the value at `path` (e.g. ("vars", "cidr_block"))."""
    if not path or not isinstance(path[0], str):
        return None
    section = component.sections.get(path[0])
    if section is None:
        return None
    parent: Value | None = None
    node: Value | None = section
    for key in path[1:]:
        if node is None:
            return None
        parent = node
        node = _child(node, key)
    if node is None:
        return None
    shadowed = parent.shadowed(path[-1]) if parent is not None and isinstance(path[-1], str) else ()
    return Trace(
        path,
        _origin(node, component, config_file),
        tuple(_origin(v, component, config_file) for v in shadowed),
    )


def leaves(component: Component, path: Path, config_file: str | None) -> Iterator[Trace]:
    """Every scalar under the map or list at `path` with its provenance, depth first: where each
    part of a merged value was written, when several layers contributed to it."""
    if not path or not isinstance(path[0], str):
        return
    parent: Value | None = None
    node = component.sections.get(path[0])
    for key in path[1:]:
        if node is None:
            return
        parent, node = node, _child(node, key)
    if node is None:
        return
    for found in _walk(node, path, parent, component, config_file):
        if not isinstance(found.final.value.data, dict | list):
            yield found


def _child(node: Value, key: PathKey) -> Value | None:
    if isinstance(key, int):
        return node.data[key] if isinstance(node.data, list) and 0 <= key < len(node.data) else None
    return node.get(key)


def walk(component: Component, config_file: str | None) -> Iterator[Trace]:
    """Every path of the described sections with its provenance, depth first."""
    for name in DESCRIBED_SECTIONS:
        section = component.sections.get(name)
        if section is None:
            continue
        yield from _walk(section, (name,), None, component, config_file)


def _walk(
    node: Value, path: Path, parent: Value | None, component: Component, config_file: str | None
) -> Iterator[Trace]:
    shadowed = parent.shadowed(path[-1]) if parent is not None and isinstance(path[-1], str) else ()
    yield Trace(
        path,
        _origin(node, component, config_file),
        tuple(_origin(v, component, config_file) for v in shadowed),
    )
    if isinstance(node.data, dict):
        for key, child in node.data.items():
            yield from _walk(child, (*path, key), node, component, config_file)
    elif isinstance(node.data, list):
        for i, child in enumerate(node.data):
            yield from _walk(child, (*path, i), node, component, config_file)
