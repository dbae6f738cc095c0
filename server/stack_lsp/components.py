"""A component's final configuration in one stack, in Atmos's order
[internal/exec/stack_processor_merge.go]: atmos.yaml env → global section → component-type
section → base components (`metadata.inherits`, left to right, each with its own chain first) →
the component's own section → `overrides`.

Each level is read from the stack's fully merged import tree, so a component var set in an
imported catalog beats a global `vars:` of the importing stack file.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .codes import severity_of
from .diagnostics import Diagnostic
from .merge import MergeConflict, conflicts_of, merge_all
from .tree import Value

# Sections merged through every level, and whether `overrides` and the global level reach them.
MERGED_SECTIONS = ("vars", "settings", "env", "providers", "hooks", "auth", "generate")
OVERRIDABLE = frozenset(
    ["vars", "settings", "env", "providers", "hooks", "command", "auth", "generate"]
)
GLOBAL_SECTIONS = frozenset(["vars", "settings", "env", "hooks", "auth", "generate"])
BACKEND_KEYS = ("backend_type", "remote_state_backend_type")
METADATA_NOT_INHERITED = frozenset(["type", "inherits"])
TERRAFORM_ONLY = frozenset(
    [
        "providers",
        "hooks",
        "backend",
        "backend_type",
        "remote_state_backend",
        "remote_state_backend_type",
        "required_providers",
        "required_version",
        "source",
        "provision",
    ]
)
"""Sections Atmos merges for terraform components only [internal/exec/stack_processor_merge.go]."""
GENERATING = frozenset(["terraform", "kubernetes", "helm"])
"""Kinds whose described component has a `generate` section."""
WHEN_WRITTEN = ("dependencies", "retry")
"""Sections Atmos adds only when some level writes them."""


@dataclass(frozen=True, slots=True)
class Outline:
    """A component's identity in a stack: its bases, whether it is abstract or enabled, and its
    Terraform directory — all that many rules need, at a fraction of a full assembly."""

    bases: tuple[str, ...]
    abstract: bool
    terraform_component: str
    enabled: bool


@dataclass(slots=True)
class _Plan:
    strategy: str
    diagnostics: list[Diagnostic]
    merges: dict[str, Sequence[Value | None]]


MISSING = object()
NEEDS_ASSEMBLY = object()


@dataclass(slots=True)
class Component:
    """The merged component: `sections` maps Atmos section names to merged values."""

    name: str
    kind: str
    stack_file: str
    own: Value
    sections: dict[str, Value | None]
    bases: list[str]
    terraform_component: str
    abstract: bool
    strategy: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    conflicts: list[MergeConflict] = field(default_factory=list)

    def section(self, name: str) -> Value | None:
        return self.sections.get(name)

    def plain(self, name: str) -> object:
        value = self.sections.get(name)
        return value.plain() if value is not None else {}

    @property
    def enabled(self) -> bool:
        metadata = self.sections.get("metadata")
        flag = metadata.get("enabled") if metadata is not None else None
        return not (flag is not None and flag.data is False)


def components_of(stack: Value | None, kind: str) -> dict[str, Value]:
    """The component sections of one type in a merged stack config."""
    if stack is None:
        return {}
    components = stack.get("components")
    section = components.get(kind) if components is not None else None
    if section is None or not section.is_map:
        return {}
    return {name: value for name, value in section.data.items() if value.is_map}


def _get(value: Value | None, *keys: str) -> Value | None:
    for key in keys:
        if value is None:
            return None
        value = value.get(key)
    return value


_NOTHING: dict[str, Value] = {}


def _data(value: Value | None) -> dict[str, Value]:
    """A map's entries; none for anything else."""
    return value.data if value is not None and isinstance(value.data, dict) else _NOTHING


def _str(value: Value | None) -> str | None:
    return value.data if value is not None and isinstance(value.data, str) else None


class Assembler:
    """Builds components of one merged stack config."""

    def __init__(
        self,
        stack: Value | None,
        stack_file: str,
        default_strategy: str,
        atmos: Mapping[str, Value | None],
        kinds: tuple[str, ...],
        commands: Mapping[str, str],
        has_directory: Callable[[str, str], bool] = lambda kind, name: False,
    ) -> None:
        """`atmos`: atmos.yaml's `env` and `auth`; `kinds`: the component kinds to read;
        `commands`: atmos.yaml's `components.<kind>.command`; `has_directory(kind, name)`:
        whether the kind's base path holds that component directory."""
        self.stack = stack
        self.stack_file = stack_file
        self.default_strategy = default_strategy
        self.atmos = atmos
        self.kinds = kinds
        self.commands = commands
        self.has_directory = has_directory
        self._bases_cache: dict[tuple[str, str], tuple[list[str], list[Diagnostic]]] = {}
        self._components: dict[str, dict[str, Value]] = {}
        self._levels: dict[tuple[str, str], dict[str, list[Value]]] = {}
        self._lookups: dict[tuple[str, str, tuple[str, ...]], object] = {}
        self._outlines: dict[tuple[str, str], Outline] = {}
        self._plans: dict[tuple[str, str], _Plan] = {}
        self._shared: dict[str, dict[str, list[Value]]] = {}
        self._inherited: dict[int, tuple[Value, Value]] = {}
        """By id of a base's metadata: (that metadata, kept alive for its id; what it passes on)."""

    def components(self, kind: str) -> dict[str, Value]:
        found = self._components.get(kind)
        if found is None:
            found = self._components[kind] = components_of(self.stack, kind)
        return found

    def bases_of(self, kind: str, name: str, out: list[Diagnostic]) -> list[str]:
        """Base components in merge order (each base's own chain first), cycles cut."""
        comps = self.components(kind)
        order: list[str] = []

        def visit(current: str, path: tuple[str, ...]) -> None:
            section = comps.get(current)
            if section is None:
                return
            for base, where in self._direct_bases(section):
                if base == current:
                    # Atmos skips a base named like the component itself [internal/exec/
                    # stack_processor_utils.go processBaseComponentConfigInternal].
                    continue
                if base in path:
                    cycle = " → ".join([*path[path.index(base) :], current, base])
                    out.append(
                        Diagnostic(
                            where.source.file,
                            where.source.span,
                            severity_of("STK203"),
                            "STK203",
                            f"inheritance cycle: {cycle}; remove one of these inherits",
                        )
                    )
                    continue
                if base not in comps:
                    # A legacy `component:` naming no component of the stack but an existing
                    # component directory only chooses that directory
                    # [internal/exec/stack_processor_utils.go ProcessBaseComponentConfig].
                    legacy = where.source.path[-1:] == ("component",)
                    if not (legacy and self.has_directory(kind, base)):
                        out.append(self._unknown_base(where, base, kind, comps))
                    continue
                visit(base, (*path, current))
                order.append(base)

        visit(name, ())
        return order

    def _direct_bases(self, section: Value) -> list[tuple[str, Value]]:
        found: list[tuple[str, Value]] = []
        legacy = section.get("component")
        if legacy is not None and isinstance(legacy.data, str):
            found.append((legacy.data, legacy))
        inherits = _get(section, "metadata", "inherits")
        if inherits is not None and inherits.is_list:
            found.extend((item.data, item) for item in inherits.data if isinstance(item.data, str))
        return found

    def _unknown_base(
        self, where: Value, base: str, kind: str, comps: dict[str, Value]
    ) -> Diagnostic:
        hints = difflib.get_close_matches(base, list(comps), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(h) for h in hints)}?" if hints else ""
        if where.source.path[-1:] == ("component",):
            return Diagnostic(
                where.source.file,
                where.source.span,
                severity_of("STK202"),
                "STK202",
                f"legacy 'component: {base}' names no {kind} component in this stack{hint}",
                fixes=tuple(hints),
            )
        return Diagnostic(
            where.source.file,
            where.source.span,
            severity_of("STK202"),
            "STK202",
            f"'{base}' in inherits is not a {kind} component of this stack{hint}",
            fixes=tuple(hints),
        )

    def _bases(self, kind: str, name: str) -> tuple[list[str], list[Diagnostic]]:
        found = self._bases_cache.get((kind, name))
        if found is None:
            problems: list[Diagnostic] = []
            found = (self.bases_of(kind, name, problems), problems)
            self._bases_cache[(kind, name)] = found
        return found

    def levels(self, kind: str, name: str, key: str) -> list[Value]:
        """The map values of section `key` that merge into the component, in merge order."""
        return self._levels_of(kind, name)[key]

    def _levels_of(self, kind: str, name: str) -> dict[str, list[Value]]:
        found = self._levels.get((kind, name))
        if found is None:
            found = self._levels[(kind, name)] = self._all_levels(kind, name)
        return found

    def _shared_levels(self, kind: str) -> dict[str, list[Value]]:
        """The levels every component of a type starts from: atmos.yaml env, the stack's global
        sections and its component-type section."""
        found = self._shared.get(kind)
        if found is None:
            stack = _data(self.stack)
            kind_data = _data(stack.get(kind))
            found = self._shared[kind] = {}
            for key in MERGED_SECTIONS:
                # atmos.yaml's env reaches every kind, its auth only terraform components.
                atmos = key == "env" or (key == "auth" and kind == "terraform")
                levels = [self.atmos.get(key)] if atmos else []
                if key in GLOBAL_SECTIONS:
                    levels.append(stack.get(key))
                levels.append(kind_data.get(key))
                found[key] = [v for v in levels if v is not None and isinstance(v.data, dict)]
        return found

    def _all_levels(self, kind: str, name: str) -> dict[str, list[Value]]:
        """`levels` of every merged section at once: one pass over the plain dicts, as naming
        and checking need them for every component of every stack."""
        comps = self.components(kind)
        own = comps[name].data
        chain = [comps[b].data for b in self._bases(kind, name)[0]]
        overrides = _data(own.get("overrides"))
        out: dict[str, list[Value]] = {}
        for key, shared in self._shared_levels(kind).items():
            levels = [section.get(key) for section in chain]
            levels.append(own.get(key))
            if key in OVERRIDABLE:
                levels.append(overrides.get(key))
            out[key] = shared + [v for v in levels if v is not None and isinstance(v.data, dict)]
        return out

    def reads_stack_values(self, kind: str, name: str, paths: tuple[tuple[str, ...], ...]) -> bool:
        """Whether every path resolves to what the stack-wide levels (global and component-type
        sections) say, because neither the component, its bases nor its overrides write it: all
        such components of a stack then share a stack name without rendering it each."""
        shared = self._shared_levels(kind)
        for path in paths:
            if len(path) < 2 or path[0] not in MERGED_SECTIONS:
                return False
            levels = self.levels(kind, name, path[0])
            if any(path[1] in level.data for level in levels[len(shared[path[0]]) :]):
                return False
        return True

    def lookup(self, kind: str, name: str, path: tuple[str, ...]) -> object:
        """The final plain value at `path` (e.g. ("vars", "tenant")) without assembling the
        component: the last level that writes the path wins. Returns MISSING when no level
        writes it, and NEEDS_ASSEMBLY when the answer is a map or list (which merges)."""
        if path[0] not in MERGED_SECTIONS:
            return NEEDS_ASSEMBLY
        key = (kind, name, path)
        if key not in self._lookups:
            self._lookups[key] = self._lookup(kind, name, path)
        return self._lookups[key]

    def _lookup(self, kind: str, name: str, path: tuple[str, ...]) -> object:
        for level in reversed(self.levels(kind, name, path[0])):
            node: Value | None = level
            for depth, key in enumerate(path[1:], start=2):
                node = node.get(key) if node is not None else None
                if node is None:
                    break
                if node.tag == "!unset":
                    return MISSING
                if depth < len(path) and not node.is_map:
                    return MISSING
            if node is None:
                continue
            if node.is_map or node.is_list:
                return NEEDS_ASSEMBLY
            return node.plain()
        return MISSING

    def outline(self, kind: str, name: str) -> Outline:
        """What a component is, without merging its sections."""
        found = self._outlines.get((kind, name))
        if found is not None:
            return found
        comps = self.components(kind)
        own = comps[name]
        bases = self._bases(kind, name)[0]
        levels = [_data(_data(self.stack).get("metadata"))]
        levels += [_data(comps[b].data.get("metadata")) for b in bases]
        levels.append(_data(own.data.get("metadata")))

        def last(key: str) -> Value | None:
            for level in reversed(levels):
                value = level.get(key)
                if value is not None:
                    return None if value.tag == "!unset" else value
            return None

        enabled = last("enabled")
        found = self._outlines[(kind, name)] = Outline(
            tuple(bases),
            _str(_get(own, "metadata", "type")) == "abstract",
            _str(last("component")) or _str(own.get("component")) or name,
            not (enabled is not None and enabled.data is False),
        )
        return found

    def _plan(self, kind: str, name: str) -> _Plan:
        """What `assemble` merges: the list merge strategy, and per section the values that
        merge into it, in merge order."""
        found = self._plans.get((kind, name))
        if found is None:
            found = self._plans[(kind, name)] = self._new_plan(kind, name)
        return found

    def _new_plan(self, kind: str, name: str) -> _Plan:
        comps = self.components(kind)
        own = comps[name].data
        bases, base_problems = self._bases(kind, name)
        plan = _Plan(self.default_strategy, list(base_problems), {})
        stack = _data(self.stack)
        chain = [comps[b].data for b in bases]
        settings_levels = [stack.get("settings"), *self._along(kind, name, "settings")]
        plan.strategy = self._strategy(settings_levels, plan.diagnostics)
        plan.merges.update(self._levels_of(kind, name))
        for key in ("backend", "remote_state_backend"):
            plan.merges[key] = self._along(kind, name, key)
        plan.merges["metadata"] = [
            stack.get("metadata"),
            *[self._inheritable(s.get("metadata")) for s in chain],
            own.get("metadata"),
        ]
        return plan

    def _along(self, kind: str, name: str, key: str) -> list[Value | None]:
        """A component-level key as the component-type section, the bases and the component
        itself write it, in merge order."""
        comps = self.components(kind)
        chain = [comps[b].data for b in self._bases(kind, name)[0]]
        kind_data = _data(_data(self.stack).get(kind))
        return [kind_data.get(key), *[s.get(key) for s in chain], comps[name].data.get(key)]

    def _inheritable(self, metadata: Value | None) -> Value | None:
        """A base's metadata without what is not inherited; made once per base and stack."""
        if metadata is None or not metadata.is_map:
            return None
        found = self._inherited.get(id(metadata))
        if found is None:
            data = {k: v for k, v in metadata.data.items() if k not in METADATA_NOT_INHERITED}
            found = self._inherited[id(metadata)] = (
                metadata,
                Value(data, metadata.source, metadata.tag, metadata.history),
            )
        return found[1]

    def problems(self, kind: str, name: str) -> tuple[list[Diagnostic], list[MergeConflict]]:
        """What assembling the component would report, found without building its sections
        when the list merge strategy allows (checking a tree needs these for every component,
        the merged sections only for a few)."""
        plan = self._plan(kind, name)
        conflicts: list[MergeConflict] = []
        for values in plan.merges.values():
            found = conflicts_of(values, plan.strategy)
            if found is None:
                component = self.assemble(kind, name)
                return component.diagnostics, component.conflicts
            conflicts += found
        return plan.diagnostics, conflicts

    def section(self, kind: str, name: str, key: str) -> Value | None:
        """One merged section of the component (e.g. `vars`) without assembling the rest: the
        Terraform contract checks the vars of every component of every stack."""
        plan = self._plan(kind, name)
        return merge_all(plan.merges[key], plan.strategy, [])

    def assemble(self, kind: str, name: str) -> Component:
        own = self.components(kind)[name]
        overrides = own.get("overrides")
        plan = self._plan(kind, name)
        conflicts: list[MergeConflict] = []
        merged = {
            key: merge_all(values, plan.strategy, conflicts) for key, values in plan.merges.items()
        }
        sections: dict[str, Value | None] = {key: merged[key] for key in MERGED_SECTIONS}
        sections["command"] = _last(
            [*self._along(kind, name, "command"), _get(overrides, "command")]
        ) or self._default_command(kind, own)
        for key in BACKEND_KEYS:
            sections[key] = _last(self._along(kind, name, key))
        sections["remote_state_backend_type"] = (
            sections["remote_state_backend_type"] or sections["backend_type"]
        )
        outline = self.outline(kind, name)
        backend = self._backend(merged["backend"], sections["backend_type"], outline, own)
        sections["backend"] = backend
        chosen = _str(sections["remote_state_backend_type"])
        remote = merged["remote_state_backend"]
        if chosen and backend is not None and chosen == _str(sections["backend_type"]):
            remote_values = [backend, remote.get(chosen) if remote is not None else None]
            sections["remote_state_backend"] = merge_all(
                [v for v in remote_values if v is not None], plan.strategy, conflicts
            )
        else:
            sections["remote_state_backend"] = (
                remote.get(chosen) if remote is not None and chosen else None
            )
        sections["metadata"] = merged["metadata"]
        sections["overrides"] = overrides
        self._extra_sections(kind, name, plan.strategy, conflicts, sections)
        if kind != "terraform":
            for key in TERRAFORM_ONLY:
                sections.pop(key, None)
        if kind not in GENERATING:
            sections.pop("generate", None)
        return Component(
            name,
            kind,
            self.stack_file,
            own,
            sections,
            self._bases(kind, name)[0],
            outline.terraform_component,
            outline.abstract,
            plan.strategy,
            plan.diagnostics,
            conflicts,
        )

    def _backend(
        self, merged: Value | None, backend_type: Value | None, outline: Outline, own: Value
    ) -> Value | None:
        """The backend of the chosen type, with the key Atmos derives from the component
        directory when the manifests leave it out [stack_processor_merge.go
        processTerraformBackend]: s3 `workspace_key_prefix`, gcs `prefix`, azurerm `key`."""
        chosen = _str(backend_type)
        found = merged.get(chosen) if merged is not None and chosen else None
        derived = {"s3": "workspace_key_prefix", "gcs": "prefix", "azurerm": "key"}.get(
            chosen or ""
        )
        if derived is None or backend_type is None or (found is not None and not found.is_map):
            return found
        # azurerm: only the component's own `key` counts; a global one becomes a prefix
        written = _get(own, "backend", "azurerm") if chosen == "azurerm" else found
        current = written.get(derived) if written is not None and written.is_map else None
        if current is not None and current.data not in (None, ""):
            return found
        stem = outline.terraform_component.replace("/", "-")
        value = stem
        if chosen == "azurerm":
            prefix = _get(
                _data(_data(self.stack).get("terraform")).get("backend"), "azurerm", "key"
            )
            value = f"{stem}.terraform.tfstate"
            if prefix is not None and isinstance(prefix.data, str):
                value = f"{prefix.data}/{value}"
        data = dict(found.data) if found is not None else {}
        data[derived] = Value(value, backend_type.source)
        return Value(data, found.source if found is not None else backend_type.source)

    def _extra_sections(
        self,
        kind: str,
        name: str,
        strategy: str,
        conflicts: list[MergeConflict],
        sections: dict[str, Value | None],
    ) -> None:
        """The sections Atmos merges beside vars and settings [stack_processor_merge.go]:
        `required_providers` and `required_version` (type section → bases → component →
        overrides), `source` and `provision` (type section → bases → component),
        `dependencies` (global → type section → bases → component) and `retry` (bases →
        component → overrides), the last two only when written."""
        own = self.components(kind)[name].data
        overrides = _data(own.get("overrides"))
        chain = [self.components(kind)[b].data for b in self._bases(kind, name)[0]]
        maps = {
            "required_providers": [*self._along(kind, name, "required_providers"),
                                   overrides.get("required_providers")],
            "source": self._along(kind, name, "source"),
            "provision": self._along(kind, name, "provision"),
            "dependencies": [_data(self.stack).get("dependencies"),
                             *self._along(kind, name, "dependencies")],
            "retry": [*(c.get("retry") for c in chain), own.get("retry"),
                      overrides.get("retry")],
        }  # fmt: skip
        for key, values in maps.items():
            found = [v for v in values if v is not None and v.is_map]
            merged = merge_all(found, strategy, conflicts)
            if key in WHEN_WRITTEN and (merged is None or not merged.data):
                continue
            sections[key] = merged
        sections["required_version"] = _last(
            [*self._along(kind, name, "required_version"), overrides.get("required_version")]
        )

    def _default_command(self, kind: str, own: Value) -> Value:
        """The command when no manifest names one: atmos.yaml's `components.<kind>.command`
        (terraform, helmfile), else the kind itself."""
        return Value(self.commands.get(kind, kind), own.source)

    def _strategy(self, levels: list[Value | None], out: list[Diagnostic]) -> str:
        chosen: Value | None = None
        for level in levels:
            value = _get(level, "list_merge_strategy")
            if value is not None and value.data is not None:
                chosen = value
        if chosen is None:
            return self.default_strategy
        if chosen.data not in ("replace", "append", "merge"):
            out.append(
                Diagnostic(
                    chosen.source.file,
                    chosen.source.span,
                    severity_of("STK207"),
                    "STK207",
                    f"list_merge_strategy '{chosen.data}' is not one of replace, append, merge",
                )
            )
            return self.default_strategy
        return str(chosen.data)


def _last(values: list[Value | None]) -> Value | None:
    chosen = None
    for value in values:
        if value is not None and value.data is not None and value.data != "":
            chosen = value
    return chosen
