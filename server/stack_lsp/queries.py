"""Questions an editor asks about a position or a file, answered from the engine.

Which stacks reach a file, where a key's final value is written and what it overrode (and, for a
var, the Terraform `variable` block it feeds), where it is overridden elsewhere, what an import
entry resolves to, where a component is defined.
Editor-agnostic: positions are 0-based (line, column) and answers are plain dataclasses; the
language server formats them.
"""

from __future__ import annotations

import os
import posixpath
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from . import locate
from .components import Component, components_of
from .imports import import_name
from .provenance import DEFAULT, INHERITED, OVERRIDE, Origin, Trace, trace, walk
from .stacks import ComponentKey, StackFile, Stacks
from .terraform import Variable, component_contract
from .tree import ZERO_SPAN, Path, Span, Value
from .workspace import ImportLink

Cancelled = Callable[[], bool]


def _never() -> bool:
    return False


@dataclass(frozen=True, slots=True)
class Place:
    """A range in a file (a directory when `span` is None and the path is one)."""

    file: str
    span: Span


def place_of(value: Value) -> Place:
    return Place(value.source.file, value.source.key_span or value.source.span)


# ---- files and stacks ---------------------------------------------------------------------


def stack_files_reaching(stacks: Stacks, path: str) -> list[str]:
    """The stack files whose import closure holds `path` (itself when it is a stack), sorted."""
    ws = stacks.ws
    reaching = ws.dependents(path)
    return [p for p in ws.stack_files() if p in reaching]


def stack_names(stack: StackFile) -> list[str]:
    """The stack names a stack file produces (usually one)."""
    return sorted(set(stack.names.values()))


def stack_label(stacks: Stacks, path: str) -> str:
    names = stack_names(stacks.stack_file(path))
    return names[0] if names else import_name(path, stacks.ws.config.stacks_base)


def layer_kind(stacks: Stacks, path: str) -> str:
    """What kind of layer a manifest is, from where it sits: stack, mixin, catalog, variant,
    defaults, override, globals."""
    ws = stacks.ws
    return "stack" if ws.is_stack_file(path) else manifest_kind(ws.config.rel(path))


def manifest_kind(rel: str) -> str:
    """`layer_kind` of a manifest that is not a stack, from its path relative to the stacks
    base (listing thousands of files must not pay a `relpath` each)."""
    parts = rel.split("/")
    name = stem(parts[-1])
    if name == "_defaults":
        return "defaults"
    if "overrides" in parts[:-1]:
        return "override"
    if "variants" in parts[:-1]:
        return "variant"
    if "mixins" in parts[:-1]:
        return "mixin"
    if "catalogs" in parts[:-1] or "catalog" in parts[:-1]:
        return "catalog"
    if any(p.startswith("_globals") or p == "globals" for p in parts):
        return "globals"
    return "import"


_DEFAULTS_LEVELS = ("globals", "tenant", "account", "region", "environment")


def layer_label(stacks: Stacks, origin: Origin) -> str:
    """A human name for where a value came from, e.g. "catalog: production", "region defaults",
    "environment override", "inherited from vpc/defaults"."""
    config = stacks.ws.config
    if origin.layer == DEFAULT:
        return "atmos.yaml"
    kind = layer_kind(stacks, origin.file)
    rel = config.rel(origin.file)
    parts = rel.split("/")
    name = stem(parts[-1])
    if kind == "defaults":
        if parts[0] == "deployments" and len(parts) - 2 < len(_DEFAULTS_LEVELS):
            label = f"{_DEFAULTS_LEVELS[len(parts) - 2]} defaults"
        else:
            label = f"{parts[-2] if len(parts) > 1 else 'stacks'} defaults"
    elif kind == "override":
        label = "environment override"
    elif kind in ("catalog", "variant", "mixin"):
        label = f"{kind}: {name}"
    elif kind == "stack":
        label = "stack"
    else:
        label = kind
    if origin.layer == INHERITED:
        base = origin.value.source.path[2] if len(origin.value.source.path) > 2 else "?"
        label += f" (inherited from {base})"
    elif origin.layer == OVERRIDE:
        label += " (overrides)"
    return label


def stem(name: str) -> str:
    """A manifest's name or path without its extension."""
    for suffix in (".yaml.tmpl", ".yml.tmpl", ".yaml", ".yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


# ---- a key's provenance in one stack ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyInStack:
    """The final value of a key of one component in one stack, and what it overrode; for a
    var, the `variable` block of the module it feeds."""

    stack: str
    component: Component
    trace: Trace
    declared: Variable | None = None


def declaration(stacks: Stacks, component: Component, path: Path) -> Variable | None:
    """The `variable` block that the var at `path` (`("vars", name, …)`) feeds."""
    if len(path) < 2 or path[0] != "vars" or not isinstance(path[1], str):
        return None
    contract = component_contract(stacks.ws, component)
    return contract.variables.get(path[1]) if contract is not None else None


def declared_at(variable: Variable) -> Place:
    return Place(variable.file, Span(variable.line, 0, variable.line, 0))


def _key_path(path: Path) -> Path:
    """Up to the nearest map key: a list item is shown as its list."""
    while path and isinstance(path[-1], int):
        path = path[:-1]
    return path


def component_for(
    stacks: Stacks, path: str, ref: locate.ComponentRef
) -> tuple[str, Component] | None:
    """The component `ref` of the stack `path` is (or of the only stack reaching it)."""
    files = [path] if stacks.ws.is_stack_file(path) else stack_files_reaching(stacks, path)
    if len(files) != 1:
        return None
    stack = stacks.stack_file(files[0])
    key = ComponentKey(ref.kind, ref.name)
    if key not in stack.keys():
        return None
    return stack.names.get(key) or stack_label(stacks, files[0]), stack.component(key)


def key_in_stack(stacks: Stacks, path: str, file_path: Path) -> KeyInStack | None:
    """For a key written under a component of a stack file (or of a file only one stack
    reaches): its final value in that stack with provenance."""
    found = locate.section_path(_key_path(file_path))
    if found is None:
        return None
    ref, section = found
    if ref is None:
        return None
    located = component_for(stacks, path, ref)
    if located is None:
        return None
    name, component = located
    result = trace(component, section, stacks.ws.config.config_file)
    if result is None:
        return None
    return KeyInStack(name, component, result, declaration(stacks, component, section))


# ---- where the keys of a file end up, across stacks ---------------------------------------


@dataclass(slots=True)
class KeyUsage:
    """What became of one value written in a file, over the stacks that reach the file."""

    reached: set[str] = field(default_factory=set)
    final_in: set[str] = field(default_factory=set)
    overridden_by: dict[Place, set[str]] = field(default_factory=dict)
    winners: dict[Place, Origin] = field(default_factory=dict)

    def overriders(self) -> list[tuple[Origin, int]]:
        """Who overrides this value, most stacks first."""
        ranked = sorted(
            self.overridden_by.items(),
            key=lambda item: (-len(item[1]), item[0].file, item[0].span.start_line),
        )
        return [(self.winners[place], len(names)) for place, names in ranked]


@dataclass(slots=True)
class FileUsage:
    stacks: list[str]
    keys: dict[Path, KeyUsage]


_USAGE: weakref.WeakKeyDictionary[Stacks, dict[str, tuple[int, FileUsage]]] = (
    weakref.WeakKeyDictionary()
)


def file_usage(stacks: Stacks, path: str, cancelled: Cancelled = _never) -> FileUsage:
    """For every value written in `path`: in which stacks it is final and who overrides it.
    One walk over each real (not abstract) component of each stack reaching the file; kept
    until the workspace changes."""
    cache = _USAGE.setdefault(stacks, {})
    generation = stacks.ws.generation
    hit = cache.get(path)
    if hit is not None and hit[0] == generation:
        return hit[1]
    usage, complete = _file_usage(stacks, path, cancelled)
    if complete:
        cache[path] = (generation, usage)
    return usage


def _file_usage(stacks: Stacks, path: str, cancelled: Cancelled) -> tuple[FileUsage, bool]:
    config = stacks.ws.config
    names: list[str] = []
    keys: dict[Path, KeyUsage] = {}
    for stack_path in stack_files_reaching(stacks, path):
        if cancelled():
            return FileUsage(sorted(set(names)), keys), False
        stack = stacks.stack_file(stack_path)
        if path not in stack.result.files:
            continue
        label = stack_label(stacks, stack_path)
        names.append(label)
        for key in stack.keys():
            component = stack.component(key)
            if component.abstract:
                continue
            stack_name = stack.names.get(key, label)
            for item in walk(component, config.config_file):
                final = item.final
                if final.file == path:
                    usage = keys.setdefault(final.value.source.path, KeyUsage())
                    usage.reached.add(stack_name)
                    usage.final_in.add(stack_name)
                for old in item.shadowed:
                    if old.file != path:
                        continue
                    usage = keys.setdefault(old.value.source.path, KeyUsage())
                    usage.reached.add(stack_name)
                    where = place_of(final.value)
                    usage.overridden_by.setdefault(where, set()).add(stack_name)
                    usage.winners.setdefault(where, final)
    return FileUsage(sorted(set(names)), keys), True


# ---- definitions --------------------------------------------------------------------------


def link_at(stacks: Stacks, path: str, file_path: Path) -> ImportLink | None:
    index = locate.import_index(file_path)
    if index is None:
        return None
    for link in stacks.ws.links(path):
        if link.entry.value.source.path == ("import", index):
            return link
    return None


def component_definitions(stacks: Stacks, path: str, kind: str, name: str) -> list[Place]:
    """Where `components.<kind>.<name>` is written, in `path` and in the files merged into the
    stacks that reach it (in merge order, each place once)."""
    ws = stacks.ws
    files: list[str] = [path]
    for stack_path in stack_files_reaching(stacks, path)[:50]:
        files.extend(stacks.stack_file(stack_path).result.files)
    out: list[Place] = []
    seen: set[str] = set()
    for file in files:
        if file in seen:
            continue
        seen.add(file)
        section = components_of(ws.document(file).mapping(), kind).get(name)
        if section is not None:
            out.append(place_of(section))
    return out


def base_layer(stacks: Stacks, path: str, spot: locate.Spot) -> Place | None:
    """For a key under a component of a stack: the base-most layer that wrote it (the value
    every later layer overrides)."""
    found = key_in_stack(stacks, path, spot.path)
    if found is None:
        return None
    return place_of((found.trace.final, *found.trace.shadowed)[-1].value)


@dataclass(frozen=True, slots=True)
class Heir:
    """A component in a `metadata.inherits` relation, at the place that defines it."""

    name: str
    place: Place


def _sections(stacks: Stacks, kind: str) -> Iterator[tuple[str, str, Value]]:
    ws = stacks.ws
    for file in ws.manifest_files():
        for name, section in components_of(ws.document(file).mapping(), kind).items():
            yield file, name, section


def bases_of(stacks: Stacks, kind: str, name: str) -> list[Heir]:
    """The components that the definitions of `name` inherit from, across the tree, each at
    its first definition."""
    wanted: list[str] = []
    defined: dict[str, Place] = {}
    for _, comp, section in _sections(stacks, kind):
        defined.setdefault(comp, place_of(section))
        if comp == name:
            metadata = section.get("metadata")
            inherits = metadata.get("inherits") if metadata is not None else None
            if inherits is not None and inherits.is_list:
                wanted += [i.data for i in inherits.data if isinstance(i.data, str)]
    return [Heir(b, defined[b]) for b in dict.fromkeys(wanted) if b in defined]


def heirs_of(stacks: Stacks, kind: str, name: str) -> list[Heir]:
    """The components whose `metadata.inherits` names `name`, across the tree, each at its
    first definition that does."""
    out: dict[str, Place] = {}
    for _, comp, section in _sections(stacks, kind):
        metadata = section.get("metadata")
        inherits = metadata.get("inherits") if metadata is not None else None
        if inherits is not None and inherits.is_list and any(i.data == name for i in inherits.data):
            out.setdefault(comp, place_of(section))
    return [Heir(n, p) for n, p in out.items()]


def terraform_target(stacks: Stacks, kind: str, directory: str) -> Place | None:
    config = stacks.ws.config
    base = config.bases.get(kind, config.terraform_base)
    folder = os.path.normpath(os.path.join(base, directory))
    for name in ("main.tf", "variables.tf"):
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return Place(candidate, ZERO_SPAN)
    return Place(folder, ZERO_SPAN) if os.path.isdir(folder) else None


def definition(stacks: Stacks, path: str, spot: locate.Spot) -> list[Place]:
    """Where the thing at `spot` is defined (see the module docstring)."""
    link = link_at(stacks, path, spot.path)
    if link is not None:
        return [Place(t, ZERO_SPAN) for t in link.resolution.targets]
    ref = locate.component_ref(spot.path)
    if ref is not None and isinstance(spot.node.data, str):
        if locate.is_inherits_entry(ref) or locate.is_legacy_component(ref):
            return component_definitions(stacks, path, ref.kind, spot.node.data)
        if locate.is_metadata_component(ref):
            target = terraform_target(stacks, ref.kind, spot.node.data)
            return [target] if target is not None else []
    found = key_in_stack(stacks, path, spot.path)
    if found is not None:  # every layer that wrote it, the final one first; its variable block
        layers = (found.trace.final, *found.trace.shadowed)
        declared = [declared_at(found.declared)] if found.declared is not None else []
        return list(dict.fromkeys([*(place_of(o.value) for o in layers), *declared]))
    usage = file_usage(stacks, path).keys.get(_key_path(spot.path))
    if usage is None:
        return []
    own = [place_of(spot.node)] if usage.final_in else []
    return own + list(usage.overridden_by)


# ---- hover answers ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportInfo:
    pattern: str
    targets: tuple[str, ...]
    kinds: tuple[str, ...]
    is_glob: bool


@dataclass(frozen=True, slots=True)
class BaseInfo:
    """An `inherits` target: the base component as merged in a stack reaching the file."""

    stack: str | None
    component: Component | None
    defined_at: tuple[Place, ...]


@dataclass(frozen=True, slots=True)
class Reach:
    path: Path
    usage: KeyUsage
    stacks: int


HoverAnswer = KeyInStack | Reach | ImportInfo | BaseInfo


def hover(
    stacks: Stacks, path: str, spot: locate.Spot, cancelled: Cancelled = _never
) -> HoverAnswer | None:
    link = link_at(stacks, path, spot.path)
    if link is not None:
        targets = link.resolution.targets
        return ImportInfo(
            link.resolution.pattern,
            targets,
            tuple(layer_kind(stacks, t) for t in targets),
            link.resolution.is_glob,
        )
    ref = locate.component_ref(spot.path)
    if (
        ref is not None
        and isinstance(spot.node.data, str)
        and (locate.is_inherits_entry(ref) or locate.is_legacy_component(ref))
    ):
        return base_info(stacks, path, ref.kind, spot.node.data)
    found = key_in_stack(stacks, path, spot.path)
    if found is not None:
        return found
    if locate.section_path(_key_path(spot.path)) is None:
        return None
    usage = file_usage(stacks, path, cancelled)
    key = usage.keys.get(_key_path(spot.path))
    if key is None:
        return None
    return Reach(_key_path(spot.path), key, len(usage.stacks))


def base_info(stacks: Stacks, path: str, kind: str, name: str) -> BaseInfo:
    places = tuple(component_definitions(stacks, path, kind, name))
    for stack_path in stack_files_reaching(stacks, path)[:20]:
        stack = stacks.stack_file(stack_path)
        key = ComponentKey(kind, name)
        if key in stack.keys():
            return BaseInfo(
                stack.names.get(key) or stack_label(stacks, stack_path),
                stack.component(key),
                places,
            )
    return BaseInfo(None, None, places)


# ---- references ---------------------------------------------------------------------------


def importers_of(stacks: Stacks, path: str) -> list[Place]:
    """The import entries that name `path`."""
    ws = stacks.ws
    out: list[Place] = []
    for importer in sorted(ws.importers(path)):
        for link in ws.links(importer):
            if path in link.resolution.targets:
                value = link.entry.path_value
                out.append(Place(importer, value.source.span))
    return out


def component_mentions(stacks: Stacks, kind: str, name: str) -> list[Place]:
    """Every place a component is defined or named: its `components.<kind>.<name>` keys, the
    `inherits` entries and legacy `component:` keys that name it."""
    ws = stacks.ws
    out: list[Place] = []
    for file in ws.manifest_files():
        comps = components_of(ws.document(file).mapping(), kind)
        for comp_name, section in comps.items():
            if comp_name == name:
                out.append(place_of(section))
            for base in _named_bases(section):
                if base.data == name:
                    out.append(Place(file, base.source.span))
    return out


def _named_bases(section: Value) -> Iterator[Value]:
    legacy = section.get("component")
    if legacy is not None and isinstance(legacy.data, str):
        yield legacy
    metadata = section.get("metadata")
    inherits = metadata.get("inherits") if metadata is not None else None
    if inherits is not None and inherits.is_list:
        yield from (item for item in inherits.data if isinstance(item.data, str))


def stack_users(stacks: Stacks, kind: str, name: str) -> list[Place]:
    """In each stack file that has component `name` or a component inheriting from it: the
    component's key when the stack file writes it, else the import entry that brings it in."""
    ws = stacks.ws
    out: list[Place] = []
    for stack_path in ws.stack_files():
        stack = stacks.stack_file(stack_path)
        users = [
            stack.component(key)
            for key in stack.keys()
            if key.kind == kind and (key.name == name or name in stack.component(key).bases)
        ]
        if not users:
            continue
        own = users[0].own.source.file
        if own == stack_path:
            out.append(place_of(users[0].own))
            continue
        reaching = ws.dependents(own)
        entry = next(
            (link for link in ws.links(stack_path) if reaching & set(link.resolution.targets)),
            None,
        )
        span = entry.entry.path_value.source.span if entry is not None else ZERO_SPAN
        out.append(Place(stack_path, span))
    return out


def references(stacks: Stacks, path: str, spot: locate.Spot | None) -> list[Place]:
    """On a component name (its key, an inherits entry, a legacy `component:`): where it is
    defined and named, then the stacks that use it. Elsewhere: the import entries that import
    this file."""
    ref = locate.component_ref(spot.path) if spot is not None else None
    name: str | None = None
    if spot is not None and ref is not None:
        if spot.on_key and not ref.rest:
            name = ref.name
        elif isinstance(spot.node.data, str) and (
            locate.is_inherits_entry(ref) or locate.is_legacy_component(ref)
        ):
            name = spot.node.data
    if ref is None or name is None:
        return importers_of(stacks, path)
    places = component_mentions(stacks, ref.kind, name) + stack_users(stacks, ref.kind, name)
    return list(dict.fromkeys(places))


# ---- symbols ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Symbol:
    name: str
    kind: str  # "section", "component", "key", "import", "stack", "workflow", "step"
    detail: str
    place: Place
    children: tuple[Symbol, ...] = ()


def document_symbols(root: Value | None, max_depth: int = 6) -> list[Symbol]:
    if root is None or not root.is_map:
        return []
    return list(_symbols(root, (), max_depth))


def _symbols(node: Value, path: Path, depth: int) -> Iterator[Symbol]:
    assert isinstance(node.data, dict)
    for key, child in node.data.items():
        child_path = (*path, key)
        kind = "key"
        if len(child_path) == 1:
            kind = "section"
        elif locate.component_ref(child_path) is not None and len(child_path) == 3:
            kind = "component"
        detail = _detail(child)
        children: tuple[Symbol, ...] = ()
        if depth > 1 and child.is_map:
            children = tuple(_symbols(child, child_path, depth - 1))
        elif child.is_list and key == "import" and not path:
            children = tuple(
                Symbol(
                    str(item.plain() if not item.is_map else (item.get("path") or item).plain()),
                    "import",
                    "",
                    Place(item.source.file, item.source.span),
                )
                for item in child.data
            )
        span = child.source.span
        key_span = child.source.key_span or span
        full = Span(key_span.start_line, key_span.start_col, span.end_line, span.end_col)
        yield Symbol(str(key), kind, detail, Place(child.source.file, full), children)


def _detail(value: Value) -> str:
    if value.is_map:
        return f"{len(value.data)} keys"
    if value.is_list:
        return f"{len(value.data)} items"
    text = str(value.plain())
    return text if len(text) <= 40 else text[:39] + "…"


def workspace_symbols(stacks: Stacks, query: str, limit: int = 500) -> list[Symbol]:
    """Stacks and the components in them whose name matches `query` (a subsequence)."""
    out: list[Symbol] = []
    needle = query.lower()
    for stack_name, comps in sorted(stacks.index().items()):
        files = {f.path for fs in comps.values() for f in fs}
        first = sorted(files)[0] if files else None
        if first is not None and _fuzzy(needle, stack_name):
            out.append(
                Symbol(stack_name, "stack", stacks.ws.config.rel(first), Place(first, ZERO_SPAN))
            )
        for key, stack_files in comps.items():
            if _fuzzy(needle, key.name):
                own = stack_files[0].component(key).own
                out.append(Symbol(key.name, "component", stack_name, place_of(own)))
        if len(out) >= limit:
            break
    return out[:limit]


def _fuzzy(needle: str, text: str) -> bool:
    it = iter(text.lower())
    return all(ch in it for ch in needle)


# ---- import completion --------------------------------------------------------------------


def preview(stacks: Stacks, file: str, lines: int = 20) -> str:
    text = stacks.ws.document(file).text
    head = text.split("\n")[:lines]
    more = "\n…" if text.count("\n") >= lines else ""
    return "\n".join(head).rstrip() + more


def visible_components(stacks: Stacks, path: str, kind: str) -> list[tuple[str, bool]]:
    """Component names a file may inherit from: those of the stacks reaching it and its own,
    with whether each is abstract; abstract ones first, then by name."""
    found: dict[str, bool] = {}
    for name, section in components_of(stacks.ws.document(path).mapping(), kind).items():
        found[name] = _is_abstract(section)
    for stack_path in stack_files_reaching(stacks, path)[:20]:
        merged = stacks.stack_file(stack_path).result.merged
        for name, section in components_of(merged, kind).items():
            found[name] = found.get(name, False) or _is_abstract(section)
    return sorted(found.items(), key=lambda item: (not item[1], item[0]))


def _is_abstract(section: Value) -> bool:
    metadata = section.get("metadata")
    kind = metadata.get("type") if metadata is not None else None
    return kind is not None and kind.data == "abstract"


def component_dirs(stacks: Stacks, kind: str) -> list[str]:
    """Terraform (or helmfile) component directories: folders under the base path that hold
    `.tf` (or helmfile) files, relative, `/`-separated."""
    config = stacks.ws.config
    base = config.bases.get(kind, config.terraform_base)
    out: list[str] = []
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if any(f.endswith((".tf", ".tf.json", ".yaml")) for f in files) and root != base:
            out.append(posixpath.normpath(os.path.relpath(root, base).replace(os.sep, "/")))
    return out
