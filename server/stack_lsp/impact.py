"""The impact of a change: every final value that differs between two merged trees, per stack
and component, with the file:line that wrote it on each side.

Only stack files whose import closure reads a changed file are merged (on both sides): a
changed manifest reaches the stack files that import it, directly or not (import entries are
cached by content digest, so a warm run parses only the changed files); a file whose imports
are Go templates may import anything and is treated as reading every change; a changed
component directory reaches the stack files whose closure names it; a changed atmos.yaml
reaches every stack. Components are matched by stack name, type and name; a stack file whose
single stack name changed is a rename.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import cache_dir, templates
from .components import Component
from .imports import read_entries
from .provenance import DESCRIBED_SECTIONS, line_of
from .sides import Side
from .stacks import Stacks
from .tree import Value
from .workspace import Workspace

ADDED, REMOVED, CHANGED, RENAMED = "added", "removed", "changed", "renamed"
ABSENT: Any = None
"""What `Change.old` / `Change.new` hold when the value does not exist on that side (see
`Change.kind`)."""

# Atmos's affected reasons, in the order it checks the sections
# [internal/exec/describe_affected_components.go].
FIRST_REASONS = ("metadata", "component", "vars", "env", "settings")


@dataclass(frozen=True, slots=True)
class Change:
    path: str
    kind: str
    old: Any
    new: Any
    old_at: str | None
    new_at: str | None


@dataclass(slots=True)
class ComponentImpact:
    stack: str
    component: str
    kind: str
    status: str
    component_path: str
    stack_file: str
    changes: list[Change] = field(default_factory=list)
    folder_files: list[str] = field(default_factory=list)
    vars: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)

    def reasons(self) -> list[str]:
        """Why Atmos would call it affected, in Atmos's order."""
        sections = {c.path.split(".", 1)[0].split("[", 1)[0] for c in self.changes}
        if self.folder_files:
            sections.add("component")
        ordered = [s for s in FIRST_REASONS if s in sections]
        ordered += sorted(sections - set(FIRST_REASONS))
        return [s if s == "component" else f"stack.{s}" for s in ordered]


@dataclass(slots=True)
class StackImpact:
    name: str
    status: str
    old_name: str | None
    components: list[ComponentImpact]


@dataclass(slots=True)
class Report:
    base: Side
    head: Side
    stacks: list[StackImpact]
    changed_files: list[str]
    stack_files_merged: int

    @property
    def empty(self) -> bool:
        return not self.stacks

    def counts(self) -> dict[str, int]:
        comps = [c for s in self.stacks for c in s.components]
        return {
            "stacks": len(self.stacks),
            "stacks_added": sum(s.status == ADDED for s in self.stacks),
            "stacks_removed": sum(s.status == REMOVED for s in self.stacks),
            "stacks_renamed": sum(s.status == RENAMED for s in self.stacks),
            "components": len(comps),
            "components_added": sum(c.status == ADDED for c in comps),
            "components_removed": sum(c.status == REMOVED for c in comps),
            "values": sum(len(c.changes) for c in comps if c.status == CHANGED),
        }


# ---- which stack files to merge -------------------------------------------------------------

IMPORTS_CACHE = "diff-imports.json"
IMPORTS_CACHE_MAX = 200_000
DYNAMIC = None
"""A file whose imports cannot be read without rendering it: it may import anything."""


class ImportsCache:
    """Each manifest's static import paths, by content digest: the same bytes import the same
    paths in any tree, so a warm run parses only files it has not seen."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.entries: dict[str, list[str] | None] = {}
        self.dirty = False
        if enabled:
            try:
                data = json.loads((cache_dir.cache_dir() / IMPORTS_CACHE).read_text())
                if isinstance(data, dict) and data.get("format") == cache_dir.FORMAT:
                    entries = data["entries"]
                    self.entries = entries if isinstance(entries, dict) else {}
            except (OSError, ValueError, KeyError, TypeError):
                self.entries = {}

    def imports(self, ws: Workspace, path: str, digest: str) -> list[str] | None:
        cached = self.entries.get(digest, False)
        if cached is DYNAMIC or (
            isinstance(cached, list) and all(isinstance(p, str) for p in cached)
        ):
            return cached
        doc = ws.document(path)
        found: list[str] | None = DYNAMIC
        if not templates.is_template(doc.text):
            root = doc.mapping()
            found = [e.path for e in read_entries(root)[0]] if root is not None else []
        self.entries[digest] = found
        self.dirty = True
        return found

    def save(self) -> None:
        if not (self.enabled and self.dirty):
            return
        entries = self.entries if len(self.entries) < IMPORTS_CACHE_MAX else {}
        target = cache_dir.cache_dir() / IMPORTS_CACHE
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".diff-")
            with os.fdopen(fd, "w") as handle:
                json.dump({"format": cache_dir.FORMAT, "entries": entries}, handle)
            os.replace(tmp, target)
        except OSError:
            return


def _readers(side: Side, ws: Workspace, seeds: set[str], imports: ImportsCache) -> set[str]:
    """The stack files (relative to the stacks base) whose static import closure reaches one of
    the `seeds` (relative paths); a file with templated imports reaches every seed."""
    importers: dict[str, set[str]] = {}
    dynamic: set[str] = set()
    ws.manifest_files()  # resolving then asks the listing, not the disk
    for rel, digest in side.manifests.items():
        path = side.manifest_path(rel)
        found = imports.imports(ws, path, digest)
        if found is DYNAMIC:
            dynamic.add(path)
            continue
        for import_path in found:
            if templates.is_template(import_path):
                continue
            for target in ws.resolve(import_path, path).targets:
                importers.setdefault(target, set()).add(path)
    start = {side.manifest_path(rel) for rel in seeds if rel in side.manifests}
    if start:
        start |= dynamic
    reached = set(start)
    todo = list(start)
    while todo:
        for importer in importers.get(todo.pop(), ()):
            if importer not in reached:
                reached.add(importer)
                todo.append(importer)
    base = side.config.stacks_base + os.sep
    return {
        path[len(base) :].replace(os.sep, "/")
        for path in reached
        if path.startswith(base) and ws.is_stack_file(path)
    }


def _changed(old: dict[str, str], new: dict[str, str]) -> set[str]:
    return {rel for rel in old.keys() | new.keys() if old.get(rel) != new.get(rel)}


def _mentioning(side: Side, words: set[str]) -> set[str]:
    """Manifests (relative) whose text names one of `words` or is a template."""
    out: set[str] = set()
    for rel in side.manifests:
        text = side.read(rel)
        if templates.is_template(text) or any(w in text for w in words):
            out.add(rel)
    return out


def _candidates(
    base: Side, head: Side, ws: tuple[Workspace, Workspace], imports: ImportsCache
) -> tuple[set[str], set[str]]:
    """(changed manifests, stack files to merge), both relative to the stacks base."""
    changed = _changed(base.manifests, head.manifests)
    if base.config.raw != head.config.raw:
        every = {
            rel
            for side, w in zip((base, head), ws, strict=True)
            for rel in side.manifests
            if w.is_stack_file(side.manifest_path(rel))
        }
        return changed, every
    folders = {
        rel.split("/", 1)[0]
        for kind in base.component_files.keys() | head.component_files.keys()
        for rel in _changed(base.component_files.get(kind, {}), head.component_files.get(kind, {}))
    }
    out: set[str] = set()
    for side, w in zip((base, head), ws, strict=True):
        seeds = changed | (_mentioning(side, folders) if folders else set())
        if seeds:
            out |= _readers(side, w, seeds, imports)
    return changed, out


# ---- comparing ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    component: Component
    stack_file: str
    rel: str


Key = tuple[str, str, str]


class Cancelled(Exception):
    """A newer edit made this comparison moot."""


def _merged(
    side: Side, stacks: Stacks, rels: Iterable[str], stop: Callable[[], bool]
) -> dict[Key, _Found]:
    """(stack name, type, component) → the deployable component, for these stack files; the
    first file in path order wins where several define one (as `describe` does)."""
    out: dict[Key, _Found] = {}
    for rel in sorted(rels):
        if stop():
            raise Cancelled
        path = side.manifest_path(rel)
        if not stacks.ws.is_stack_file(path):
            continue
        stack = stacks.stack_file(path)
        for key, name in stack.names.items():
            component = stack.component(key)
            if component.abstract:
                continue
            out.setdefault((name, key.kind, key.name), _Found(component, path, rel))
    return out


def _names_by_file(found: dict[Key, _Found]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for (name, _, _), item in found.items():
        out.setdefault(item.rel, set()).add(name)
    return out


def _renames(old: dict[Key, _Found], new: dict[Key, _Found]) -> dict[str, str]:
    """Old stack name → new, for stack files that produce one name on each side, different."""
    old_names = {k[0] for k in old}
    new_names = {k[0] for k in new}
    before, after = _names_by_file(old), _names_by_file(new)
    out: dict[str, str] = {}
    for rel, names in before.items():
        now = after.get(rel, set())
        if len(names) == 1 and len(now) == 1 and names != now:
            (was,), (is_,) = names, now
            if was not in new_names and is_ not in old_names:
                out[was] = is_
    return out


def _leaves(side: Side, component: Component) -> dict[str, tuple[Any, str]]:
    """Dotted path → (final value, "file:line") for every leaf of the described sections (maps
    are walked, lists compared whole); the line as provenance gives it."""
    out: dict[str, tuple[Any, str]] = {}

    def visit(value: Value, path: str) -> None:
        if isinstance(value.data, dict) and value.data:
            for key, child in value.data.items():
                visit(child, f"{path}.{key}")
            return
        out[path] = (value.plain(), f"{side.display(value.source.file)}:{line_of(value)}")

    for name in DESCRIBED_SECTIONS:
        section = component.sections.get(name)
        if section is not None:
            visit(section, name)
    return out


def _value_changes(
    old: dict[str, tuple[Any, str]], new: dict[str, tuple[Any, str]]
) -> list[Change]:
    changes = []
    for path in sorted(old.keys() | new.keys()):
        before, after = old.get(path), new.get(path)
        if before is None and after is not None:
            changes.append(Change(path, ADDED, ABSENT, after[0], None, after[1]))
        elif after is None and before is not None:
            changes.append(Change(path, REMOVED, before[0], ABSENT, before[1], None))
        elif before is not None and after is not None and _differs(before[0], after[0]):
            changes.append(Change(path, CHANGED, before[0], after[0], before[1], after[1]))
    return changes


def _differs(a: Any, b: Any) -> bool:
    """`1` and `true`, `1` and `1.0` are different values in a stack (Python says equal)."""
    if type(a) is not type(b):
        return True
    if isinstance(a, dict):
        return a.keys() != b.keys() or any(_differs(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) != len(b) or any(_differs(x, y) for x, y in zip(a, b, strict=True))
    return bool(a != b)


def _component_path(side: Side, component: Component) -> str:
    base = (
        side.config.terraform_base if component.kind == "terraform" else side.config.helmfile_base
    )
    return os.path.relpath(
        os.path.join(base, component.terraform_component), side.config.base_path
    ).replace(os.sep, "/")


def _folder_changes(base: Side, head: Side, old: Component, new: Component) -> list[str]:
    """Files of the component's directory that differ (shown as paths on the head side)."""
    prefix_old = old.terraform_component.rstrip("/") + "/"
    prefix_new = new.terraform_component.rstrip("/") + "/"
    before = {
        rel[len(prefix_old) :]: digest
        for rel, digest in base.component_files.get(old.kind, {}).items()
        if rel.startswith(prefix_old)
    }
    after = {
        rel[len(prefix_new) :]: digest
        for rel, digest in head.component_files.get(new.kind, {}).items()
        if rel.startswith(prefix_new)
    }
    where = _component_path(head, new)
    return [f"{where}/{rel}" for rel in sorted(_changed(before, after))]


def _plain_section(component: Component, name: str) -> dict[str, Any]:
    value = component.plain(name)
    return value if isinstance(value, dict) else {}


def _impact(
    side: Side, key: Key, found: _Found, status: str, changes: list[Change]
) -> ComponentImpact:
    component = found.component
    return ComponentImpact(
        key[0],
        key[2],
        key[1],
        status,
        _component_path(side, component),
        side.display(found.stack_file),
        changes,
        vars=_plain_section(component, "vars"),
        settings=_plain_section(component, "settings"),
    )


def compare(
    base: Side, head: Side, paths: list[str] | None = None, use_cache: bool = True
) -> Report:
    """The impact report between two sides; `paths` (absolute files or directories) keep only
    stack files under them (matched by the stack file's place on the head side)."""
    workspaces = (base.workspace(), head.workspace())
    imports = ImportsCache(use_cache)
    changed, candidates = _candidates(base, head, workspaces, imports)
    imports.save()
    if paths:
        wanted = [os.path.abspath(p) for p in paths]
        candidates = {
            rel
            for rel in candidates
            if any(
                head.manifest_path(rel) == p or head.manifest_path(rel).startswith(p + os.sep)
                for p in wanted
            )
        }
    return impact_of(base, head, workspaces, candidates, changed)


def _never() -> bool:
    return False


def impact_of(
    base: Side,
    head: Side,
    workspaces: tuple[Workspace, Workspace],
    candidates: set[str],
    changed: Iterable[str],
    stop: Callable[[], bool] = _never,
) -> Report:
    """Merge the `candidates` (stack files relative to the stacks base) in both workspaces and
    compare them; `stop` is asked between stack files (raises `Cancelled`)."""
    old = _merged(base, Stacks(workspaces[0]), candidates, stop)
    new = _merged(head, Stacks(workspaces[1]), candidates, stop)
    renames = _renames(old, new)
    old = {(renames.get(k[0], k[0]), k[1], k[2]): v for k, v in old.items()}
    by_stack: dict[str, list[ComponentImpact]] = {}
    for key in sorted(old.keys() | new.keys()):
        if stop():
            raise Cancelled
        before, after = old.get(key), new.get(key)
        if after is None and before is not None:
            leaves = _leaves(base, before.component)
            removed = [
                Change(p, REMOVED, v, ABSENT, at, None) for p, (v, at) in sorted(leaves.items())
            ]
            item = _impact(base, key, before, REMOVED, removed)
        elif before is None and after is not None:
            new_leaves = sorted(_leaves(head, after.component).items())
            added = [Change(p, ADDED, ABSENT, v, None, at) for p, (v, at) in new_leaves]
            item = _impact(head, key, after, ADDED, added)
        elif before is not None and after is not None:
            changes = _value_changes(
                _leaves(base, before.component), _leaves(head, after.component)
            )
            folder = _folder_changes(base, head, before.component, after.component)
            if not changes and not folder:
                continue
            item = _impact(head, key, after, CHANGED, changes)
            item.folder_files = folder
        else:
            continue
        by_stack.setdefault(key[0], []).append(item)
    old_stacks = {k[0] for k in old}
    new_stacks = {k[0] for k in new}
    reverse = {v: k for k, v in renames.items()}
    stacks = []
    for name, comps in sorted(by_stack.items()):
        if name in reverse:
            status, was = RENAMED, reverse[name]
        elif name not in old_stacks:
            status, was = ADDED, None
        elif name not in new_stacks:
            status, was = REMOVED, None
        else:
            status, was = CHANGED, None
        stacks.append(StackImpact(name, status, was, comps))
    for name, was in sorted((v, k) for k, v in renames.items()):
        if name not in by_stack:
            stacks.append(StackImpact(name, RENAMED, was, []))
    stacks.sort(key=lambda s: s.name)
    return Report(base, head, stacks, sorted(changed), len(candidates))
