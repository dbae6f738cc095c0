"""Stacks: which file produces which stack names, and the components each stack holds.

Name precedence as Atmos [pkg/config/utils.go]: the manifest's `name`, then
`stacks.name_template` rendered over each component's final section, then `stacks.name_pattern`
(only `{namespace}`, `{tenant}`, `{environment}`, `{stage}`), then the file's path relative to the
stacks base without extension. Merging and assembly are lazy and cached per workspace generation.
"""

from __future__ import annotations

import difflib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from . import rendering, templates
from .closure import ClosureBuilder, FileResult, atmos_section, forget
from .codes import severity_of
from .components import (
    MERGED_SECTIONS,
    MISSING,
    NEEDS_ASSEMBLY,
    Assembler,
    Component,
    Outline,
    components_of,
)
from .diagnostics import Diagnostic, Related
from .imports import import_name
from .merge import MergeConflict
from .tree import ZERO_SPAN, Value
from .workspace import Workspace

PATTERN_TOKENS = ("namespace", "tenant", "environment", "stage")
RELEASE_BATCH = 50


@dataclass(frozen=True, slots=True)
class ComponentKey:
    kind: str
    name: str


@dataclass(slots=True)
class StackFile:
    """One stack file: its merged import tree and, lazily, its components and their names."""

    path: str
    result: FileResult
    assembler: Assembler
    _components: dict[ComponentKey, Component] = field(default_factory=dict)
    _keys: list[ComponentKey] | None = None
    names: dict[ComponentKey, str] = field(default_factory=dict)
    name_problems: list[Diagnostic] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict)
    """What later layers derive from this stack file (e.g. its validation findings); dropped
    with the stack file when a file of its closure changes."""
    render: rendering.Renderer | None = None
    """Renders Go templates in assembled components (set once the stack is named)."""
    _rendered: dict[ComponentKey, Component] = field(default_factory=dict)

    def keys(self) -> list[ComponentKey]:
        if self._keys is None:
            merged = self.result.merged
            self._keys = [
                ComponentKey(kind, name)
                for kind in self.assembler.kinds
                for name in components_of(merged, kind)
            ]
        return self._keys

    def outline(self, key: ComponentKey) -> Outline:
        return self.assembler.outline(key.kind, key.name)

    def problems(self, key: ComponentKey) -> tuple[list[Diagnostic], list[MergeConflict]]:
        """What assembling the component reports, without assembling it unless it already is."""
        found = self._components.get(key)
        if self.render is not None:
            found = self.component(key)
        if found is not None:
            return found.diagnostics, found.conflicts
        return self.assembler.problems(key.kind, key.name)

    def component(self, key: ComponentKey) -> Component:
        found = self._components.get(key)
        if found is None:
            found = self.assembler.assemble(key.kind, key.name)
            self._components[key] = found
        if self.render is None or key not in self.names:
            return found
        done = self._rendered.get(key)
        if done is None:
            done = self._rendered[key] = self.render(found, self.names.get(key, ""), self.assembler)
        return done


class Definition(NamedTuple):
    """A stack file defines this component for this stack name (what collisions compare). A
    tuple: `--check` workers send a hundred thousand of these to the parent."""

    stack: str
    kind: str
    component: str
    path: str


class LazySection(Mapping[str, Any]):
    """A component section as template data, read value by value through `Assembler.lookup`:
    naming thousands of stacks must not assemble every component in full."""

    def __init__(self, stack: StackFile, key: ComponentKey, path: tuple[str, ...]) -> None:
        self.stack = stack
        self.key = key
        self.path = path

    def __getitem__(self, name: str) -> Any:
        path = (*self.path, name)
        value = self.stack.assembler.lookup(self.key.kind, self.key.name, path)
        if value is MISSING:
            raise KeyError(name)
        if value is not NEEDS_ASSEMBLY:
            return value
        node = self._assembled(path)
        if node is None:
            raise KeyError(name)
        return LazySection(self.stack, self.key, path) if node.is_map else node.plain()

    def _assembled(self, path: tuple[str, ...]) -> Value | None:
        section = self.stack.component(self.key).sections.get(path[0])
        return section.find(path[1:]) if section is not None else None

    def __iter__(self) -> Iterator[str]:
        node = self._assembled(self.path)
        return iter(node.data if node is not None and node.is_map else {})

    def __len__(self) -> int:
        return sum(1 for _ in self)


class NamingData(Mapping[str, Any]):
    """What `name_template` sees for one component: its sections, `component` and
    `atmos_component`, computed only as far as the template reads them."""

    KEYS = ("vars", "settings", "env", "providers", "metadata", "overrides", "component",
            "atmos_component")  # fmt: skip

    def __init__(self, stack: StackFile, key: ComponentKey) -> None:
        self.stack = stack
        self.key = key

    def __getitem__(self, name: str) -> Any:
        if name == "atmos_component":
            return self.key.name
        if name == "component":
            return self.stack.component(self.key).terraform_component
        if name in MERGED_SECTIONS:
            return LazySection(self.stack, self.key, (name,))
        if name in self.KEYS:
            return self.stack.component(self.key).plain(name)
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.KEYS)

    def __len__(self) -> int:
        return len(self.KEYS)


def is_explicit_path(argument: str) -> bool:
    """A component argument that names a directory [pkg/component/path.go]: `.`, `./…`,
    `../…` or absolute; `vpc/security-group` stays a component name."""
    return argument == "." or argument.startswith(("./", "../")) or os.path.isabs(argument)


def _aliases(section: Value) -> set[str]:
    """The directories a component section names by `component` or `metadata.component`."""
    found = {section.data.get("component"), _metadata_component(section)}
    return {v.data for v in found if v is not None and isinstance(v.data, str)}


def _metadata_component(section: Value) -> Value | None:
    metadata = section.get("metadata")
    return metadata.get("component") if metadata is not None and metadata.is_map else None


class UnknownStack(LookupError):
    def __init__(self, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.suggestions = suggestions


class Stacks:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.builder = ClosureBuilder(ws)
        self._generation = -1
        self._files: dict[str, StackFile] = {}
        self._by_name: dict[str, dict[ComponentKey, list[StackFile]]] | None = None
        self.documents_memo: dict[str, tuple[object, Any]] = {}
        """Per manifest: (the Document it was derived from, what a later layer derived)."""

    def _fresh(self) -> None:
        """Forget the stack files whose import closure read a file changed since last time (all
        of them when files were created or deleted: a glob or a probe may now resolve anew)."""
        if self._generation == self.ws.generation:
            return
        changed = self.ws.changed_since(self._generation)
        discarded = self.builder.discarded
        if forget(self._files, changed, lambda stack: stack.result.files, discarded) or (
            changed is None  # even with no stack merged yet, the index may now differ
        ):
            self._by_name = None
        self.builder.sync()
        self._generation = self.ws.generation

    def release(self, deadline: float) -> bool:
        """Free what edits made stale, until `deadline` (a `time.perf_counter()` value);
        whether some is left. An edit to a file every stack imports makes every merge stale:
        freeing them all at once took 0.7 s on 10,000 stacks, which the edit's first
        diagnostics must not wait for, so the language server frees them in its background
        jobs."""
        discarded = self.builder.discarded
        while discarded and time.perf_counter() < deadline:
            del discarded[-RELEASE_BATCH:]
        return bool(discarded)

    def stack_file(self, path: str) -> StackFile:
        self._fresh()
        found = self._files.get(path)
        if found is None:
            result = self.builder.stack(path)
            config = self.ws.config
            assembler = Assembler(
                result.merged,
                path,
                config.list_merge_strategy,
                {"env": atmos_section(self.ws, "env"), "auth": atmos_section(self.ws, "auth")},
                config.kinds,
                config.commands,
                lambda kind, name: self.ws.is_dir(os.path.join(config.bases[kind], name)),
            )
            found = StackFile(path, result, assembler)
            self._name_components(found)
            found.render = rendering.renderer(
                self.ws.config,
                result.files,
                lambda f: self.ws.document(f).text,
                lambda f: self.ws.document(f).mapping(),
            )
            self._files[path] = found
        return found

    # ---- naming ------------------------------------------------------------------------

    def _name_components(self, stack: StackFile) -> None:
        config = self.ws.config
        own = self.ws.document(stack.path).mapping()
        manifest_name = rendering.manifest_name(own) if own is not None else None
        fields = templates.fields_read(config.name_template) if config.name_template else None
        shared: dict[str, str] = {}
        """Per component type, the name of components that take every field from the stack."""
        # Real components first: a stack that cannot be named is reported once, for one of
        # the components it deploys.
        for key in sorted(stack.keys(), key=lambda k: stack.outline(k).abstract):
            if (
                manifest_name is not None
                and isinstance(manifest_name.data, str)
                and manifest_name.data
            ):
                stack.names[key] = manifest_name.data
            elif config.name_template:
                common = fields is not None and stack.assembler.reads_stack_values(
                    key.kind, key.name, fields
                )
                name = shared.get(key.kind) if common else None
                if name is None:
                    name = self._from_template(stack, key, config.name_template)
                if name is not None:
                    stack.names[key] = name
                    if common:
                        shared[key.kind] = name
            elif config.name_pattern:
                stack.names[key] = self._from_pattern(stack, key, config.name_pattern)
            else:
                stack.names[key] = import_name(stack.path, config.stacks_base)

    def _from_template(self, stack: StackFile, key: ComponentKey, template: str) -> str | None:
        if stack.name_problems:
            return None  # one finding per stack, not one per component
        try:
            rendered = templates.render(template, NamingData(stack, key))
        except templates.TemplateSyntaxError as exc:
            self._name_problem(stack, f"stacks.name_template is not a valid Go template: {exc}")
            return None
        why = naming_failure(rendered)
        if why is not None:
            self._name_problem(
                stack,
                f"stack name for component '{key.name}' cannot be computed: name_template {why}",
            )
            return None
        return rendered.text

    def _from_pattern(self, stack: StackFile, key: ComponentKey, pattern: str) -> str:
        """The pattern's vars joined; when one is not a non-empty string, the file's path, as
        `describe stacks` falls back [internal/exec/describe_stacks_component_processor.go
        resolveStackName; pkg/config/utils.go GetContextFromVars, GetContextPrefix]."""
        variables = LazySection(stack, key, ("vars",))
        parts: list[str] = []
        for token in pattern.split("-"):
            name = token.strip("{}")
            if token.startswith("{") and name in PATTERN_TOKENS:
                value = variables.get(name)
                if not isinstance(value, str) or not value:
                    file_name = import_name(stack.path, self.ws.config.stacks_base)
                    self._name_problem(
                        stack,
                        f"name_pattern needs var '{name}', which component '{key.name}' does not "
                        f"have: Atmos names its stack after the file, '{file_name}'",
                        "STK135",
                    )
                    return file_name
                parts.append(value)
        return "-".join(parts)

    def _name_problem(self, stack: StackFile, message: str, code: str = "STK206") -> None:
        """One naming finding per file and code, on the file's first line."""
        if any(p.code == code for p in stack.name_problems):
            return
        root = self.ws.document(stack.path).root
        span = root.source.span if root is not None else None
        stack.name_problems.append(
            Diagnostic(stack.path, span or ZERO_SPAN, severity_of(code), code, message)
        )

    # ---- the index ---------------------------------------------------------------------

    def all_files(self) -> list[StackFile]:
        return [self.stack_file(p) for p in self.ws.stack_files()]

    def index(self) -> dict[str, dict[ComponentKey, list[StackFile]]]:
        """stack name → component → the stack files that define it there."""
        self._fresh()
        if self._by_name is None:
            by_name: dict[str, dict[ComponentKey, list[StackFile]]] = {}
            for stack in self.all_files():
                for key, name in stack.names.items():
                    by_name.setdefault(name, {}).setdefault(key, []).append(stack)
            self._by_name = by_name
        return self._by_name

    def names(self) -> list[str]:
        return sorted(self.index())

    def find(self, stack_name: str, component: str) -> Component:
        index = self.index()
        if stack_name not in index:
            hints = difflib.get_close_matches(stack_name, list(index), n=5, cutoff=0.4)
            raise UnknownStack(f"stack '{stack_name}' not found", hints)
        if is_explicit_path(component):
            return self._find_by_path(stack_name, component)
        for key, files in index[stack_name].items():
            if key.name == component:
                return files[0].component(key)
        names = sorted({k.name for k in index[stack_name]})
        hints = difflib.get_close_matches(component, names, n=5, cutoff=0.4)
        raise UnknownStack(f"component '{component}' not found in stack '{stack_name}'", hints)

    def _find_by_path(self, stack_name: str, path: str) -> Component:
        """The component a directory names [pkg/component/resolver.go]: the one of that name
        in the stack, else the only one whose `component` or `metadata.component` is it."""
        found = self.ws.config.component_at(os.path.abspath(path))
        if found is None:
            raise UnknownStack(f"'{path}' is not inside a components base path", [])
        kind, name = found
        candidates = self.index()[stack_name]
        for key, files in candidates.items():
            if key == ComponentKey(kind, name):
                return files[0].component(key)
        matches = [
            (key, files)
            for key, files in candidates.items()
            if key.kind == kind and name in _aliases(files[0].assembler.components(kind)[key.name])
        ]
        if len(matches) == 1:
            key, files = matches[0]
            return files[0].component(key)
        if matches:
            names = ", ".join(sorted(k.name for k, _ in matches))
            raise UnknownStack(
                f"'{path}' resolves to '{name}', which several components of stack "
                f"'{stack_name}' use: {names}; name one of them",
                sorted(k.name for k, _ in matches),
            )
        raise UnknownStack(f"component '{name}' ({path}) not found in stack '{stack_name}'", [])

    def components_in(self, stack_name: str) -> list[Component]:
        index = self.index()
        if stack_name not in index:
            hints = difflib.get_close_matches(stack_name, list(index), n=5, cutoff=0.4)
            raise UnknownStack(f"stack '{stack_name}' not found", hints)
        out = [files[0].component(key) for key, files in index[stack_name].items()]
        return sorted(out, key=lambda c: (c.kind, c.name))

    def stack_name_of(self, component: Component) -> str | None:
        stack = self.stack_file(component.stack_file)
        return stack.names.get(ComponentKey(component.kind, component.name))

    def iter_components(self) -> Iterator[tuple[str, Component]]:
        for name, comps in sorted(self.index().items()):
            for key, files in comps.items():
                yield name, files[0].component(key)

    # ---- findings ----------------------------------------------------------------------

    def diagnostics(self) -> list[Diagnostic]:
        """Everything the engine finds in the whole tree, each once."""
        found = dict.fromkeys(self.document_findings(self.ws.manifest_files()))
        definitions: list[Definition] = []
        for stack in self.all_files():
            found.update(dict.fromkeys(self.stack_findings(stack)))
            definitions += self.definitions(stack)
        found.update(dict.fromkeys(self.collisions(definitions)))
        return list(found)

    def document_findings(self, paths: list[str]) -> list[Diagnostic]:
        """What parsing found in these files."""
        return [d for path in paths for d in self.ws.document(path).diagnostics]

    def stack_findings(self, stack: StackFile) -> list[Diagnostic]:
        """What merging one stack file found: imports, templates, naming, inheritance, merge
        conflicts)."""
        cached = stack.memo.get("engine")
        if cached is not None:
            found: list[Diagnostic] = cached
            return found
        rel = self.ws.config.rel
        found = [*stack.result.diagnostics, *stack.name_problems]
        found += [_conflict(c.earlier, c.later, rel) for c in stack.result.conflicts]
        for key in stack.keys():
            diagnostics, conflicts = stack.problems(key)
            found += diagnostics
            found += [_conflict(c.earlier, c.later, rel) for c in conflicts]
        stack.memo["engine"] = found
        return found

    def definitions(self, stack: StackFile) -> list[Definition]:
        return [
            Definition(name, key.kind, key.name, stack.path) for key, name in stack.names.items()
        ]

    def collisions(self, definitions: list[Definition]) -> list[Diagnostic]:
        """STK205 for components that several files define differently for one stack name.
        Only the files that share a stack name and a component are compared, so this can run
        on definitions gathered by other processes."""
        groups: dict[tuple[str, str, str], list[str]] = {}
        for d in definitions:
            groups.setdefault((d.stack, d.kind, d.component), []).append(d.path)
        out = []
        rel = self.ws.config.rel
        for (name, kind, component), paths in sorted(groups.items()):
            if len(paths) < 2:
                continue
            key = ComponentKey(kind, component)
            first = self.stack_file(paths[0]).component(key)
            for path in paths[1:]:
                comp = self.stack_file(path).component(key)
                if _fingerprint(comp) == _fingerprint(first):
                    continue
                where = comp.own
                out.append(
                    Diagnostic(
                        where.source.file,
                        where.source.key_span or where.source.span,
                        severity_of("STK205"),
                        "STK205",
                        f"component '{component}' in stack '{name}' is defined differently in "
                        f"{rel(first.stack_file)} and {rel(path)}; give the files "
                        "different stack names or make the definitions agree",
                        (
                            Related(
                                first.own.source.file,
                                first.own.source.key_span or first.own.source.span,
                                "the other definition",
                            ),
                        ),
                    )
                )
        return out


def naming_failure(rendered: templates.Rendered) -> str | None:
    """Why a rendered name cannot be used (Atmos renders names with missingkey=error), or None."""
    if rendered.failed:
        return f"fails: {rendered.failed[0][0]}"
    if rendered.undefined:
        missing = ", ".join(sorted({n for n, _ in rendered.undefined}))
        return (
            f"uses {missing}, which this stack does not define; set it in the stack's vars or "
            "in an import"
        )
    if rendered.unsupported or rendered.errors:
        return (rendered.unsupported or rendered.errors)[0][0]
    if rendered.bound:
        return rendered.bound
    return None


def _fingerprint(component: Component) -> object:
    return repr({k: (v.plain() if v is not None else None) for k, v in component.sections.items()})


def _conflict(earlier: Value, later: Value, rel: Callable[[str], str]) -> Diagnostic:
    where = f"{rel(earlier.source.file)}:{earlier.source.span.start_line + 1}"
    return Diagnostic(
        later.source.file,
        later.source.span,
        severity_of("STK204"),
        "STK204",
        f"this value replaces the list at {where} but is not a list; Atmos takes it as written "
        "(the later value wins)",
    )
