"""Edits that change the tree: the import entries to rewrite when manifests move, every place
that names a component when it is renamed, every layer that writes a key of one component when
the key is renamed.

Each edit replaces one span of the positioned tree, so comments, quoting, ordering and the
indentation of every other line stay as they were; no file is ever dumped again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from . import locate
from .components import components_of
from .imports import Resolution, glob_files, is_relative, resolve
from .provenance import trace
from .queries import stack_files_reaching, stem
from .stacks import ComponentKey, Stacks
from .tree import Span, Value


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `span` of `file` (as the file is now) with `text`."""

    file: str
    span: Span
    text: str


@dataclass(slots=True)
class Refactoring:
    """The edits, and what the user should know about what they do not change."""

    edits: list[Edit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class RenameRefused(Exception):
    """A rename that would break the tree (the new name is taken, or it is not a name)."""


# ---- moving manifests ---------------------------------------------------------------------


def moves(stacks: Stacks, pairs: list[tuple[str, str]]) -> Refactoring:
    """The import rewrites that keep every stack's merge the same after moving files or folders
    (`pairs` of old → new absolute paths). Each rewritten import keeps its style: relative
    (`./`, `../`) or from the stacks base, with or without extension, plain or object form."""
    ws = stacks.ws
    files = ws.manifest_files()
    moved: dict[str, str] = {}
    for old, new in pairs:
        old, new = os.path.normpath(old), os.path.normpath(new)
        for file in files:
            if file == old or file.startswith(old + os.sep):
                moved[file] = new + file[len(old) :]
    out = Refactoring()
    if not moved:
        return out
    after = sorted(set(files) - moved.keys() | set(moved.values()))
    present = set(after)
    importers = set(moved)
    for file in moved:
        importers |= ws.importers(file)
    base = ws.config.stacks_base
    # Most importers write the same few imports: each is resolved once per folder it is
    # written from (renaming `catalogs/` in a tree of 1,000 stacks touches 8,000 entries).
    resolved: dict[tuple[str, str], Resolution] = {}
    named: dict[tuple[str, str, str], str | None] = {}
    for importer in sorted(importers):
        text: str | None = None
        new_importer = moved.get(importer, importer)
        for link in ws.links(importer):
            before = link.resolution
            if not before.targets:
                continue
            expected = tuple(moved.get(t, t) for t in before.targets)
            written = link.entry.path
            folder = os.path.dirname(new_importer) if is_relative(written) else ""
            now = resolved.get((written, folder))
            if now is None:
                now = resolve(
                    written,
                    new_importer,
                    base,
                    present.__contains__,
                    lambda p: glob_files(p, after),
                )
                resolved[(written, folder)] = now
            if now.targets == expected:
                continue
            rel = ws.config.rel
            if before.is_glob:
                lost = sorted(set(expected) - set(now.targets))
                gained = sorted(set(now.targets) - set(expected))
                what = "; ".join(
                    part
                    for part in (
                        f"stops matching {', '.join(rel(moved.get(t, t)) for t in lost)}"
                        if lost
                        else "",
                        f"starts matching {', '.join(rel(t) for t in gained)}" if gained else "",
                    )
                    if part
                )
                out.notes.append(f"{rel(importer)}: the glob import '{written}' {what}")
                continue
            key = (written, folder, expected[0])
            if key not in named:
                named[key] = _import_path(written, new_importer, expected[0], base, present)
            path = named[key]
            if path is None:
                out.notes.append(
                    f"{rel(importer)}: '{written}' would name {rel(expected[0])}, which is "
                    "outside the stacks base path; it cannot be imported"
                )
                continue
            text = text if text is not None else ws.text(importer)[0] or ""
            span = link.entry.path_value.source.span
            raw = _line(text, span.start_line)[span.start_col : span.end_col]
            out.edits.append(Edit(importer, span, requote(raw, path)))
    return out


def _import_path(
    written: str, importer: str, target: str, base: str, present: set[str]
) -> str | None:
    """How `importer` names `target` in the style of `written`."""
    if is_relative(written):
        path = os.path.relpath(target, os.path.dirname(importer)).replace(os.sep, "/")
        if not path.startswith("../"):
            path = "./" + path
    else:
        path = os.path.relpath(target, base).replace(os.sep, "/")
        if path.startswith("../"):
            return None
    if stem(written) == written and stem(path) != path:
        short = stem(path)
        probe = _probe(short, importer, base, present)
        if probe.targets == (target,):
            path = short
    return path


def _probe(path: str, importer: str, base: str, present: set[str]) -> Resolution:
    return resolve(path, importer, base, present.__contains__, lambda _: [])


# ---- renaming a component -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RenameTarget:
    """What a rename at the cursor renames: a component (`key` is None) or one key of a
    component's section (`key` is its path, e.g. ("vars", "cidr_block"))."""

    kind: str
    component: str
    key: tuple[str, ...] | None
    span: Span
    name: str


def target_at(spot: locate.Spot | None, text: str) -> RenameTarget | None:
    """The name under the cursor, when it is one we can rename: a component's key, an
    `inherits` entry, a legacy `component:`, or a key in a component's vars/settings/env."""
    if spot is None:
        return None
    ref = locate.component_ref(spot.path)
    if ref is None:
        return None
    if spot.on_key and not ref.rest and spot.node.source.key_span is not None:
        span = _inner(text, spot.node.source.key_span)
        return RenameTarget(ref.kind, ref.name, None, span, ref.name)
    node = spot.node
    if isinstance(node.data, str) and (
        locate.is_inherits_entry(ref) or locate.is_legacy_component(ref)
    ):
        return RenameTarget(ref.kind, node.data, None, _inner(text, node.source.span), node.data)
    rest = ref.rest
    if (
        spot.on_key
        and len(rest) == 2
        and rest[0] in ("vars", "settings", "env")
        and isinstance(rest[1], str)
        and node.source.key_span is not None
    ):
        key = (str(rest[0]), rest[1])
        return RenameTarget(ref.kind, ref.name, key, _inner(text, node.source.key_span), rest[1])
    return None


def rename(stacks: Stacks, path: str, target: RenameTarget, new: str) -> Refactoring:
    """Every edit that renames `target` to `new` across the tree."""
    if not new or new != new.strip() or any(ch in new for ch in ":#{}[],\n\"'"):
        raise RenameRefused(f"'{new}' is not a valid name")
    if target.key is not None:
        return _rename_key(stacks, path, target, new)
    return _rename_component(stacks, target.kind, target.component, new)


def _rename_component(stacks: Stacks, kind: str, old: str, new: str) -> Refactoring:
    ws = stacks.ws
    rel = ws.config.rel
    out = Refactoring()
    keeps_directory: list[str] = []
    for file in ws.manifest_files():
        root = ws.document(file).mapping()
        comps = components_of(root, kind)
        if new in comps:
            line = (comps[new].source.key_span or comps[new].source.span).start_line + 1
            raise RenameRefused(f"a {kind} component '{new}' already exists at {rel(file)}:{line}")
        text: str | None = None
        for name, section in comps.items():
            places = [v for v in _names_in(section) if v.data == old]
            key_span = section.source.key_span
            if name == old and key_span is not None:
                text = text if text is not None else ws.text(file)[0] or ""
                out.edits.append(Edit(file, _inner(text, key_span), new))
                metadata = section.get("metadata")
                chosen = metadata.get("component") if metadata is not None else None
                if chosen is None and section.get("component") is None:
                    keeps_directory.append(f"{rel(file)}:{key_span.start_line + 1}")
            for value in places:
                text = text if text is not None else ws.text(file)[0] or ""
                out.edits.append(Edit(file, _inner(text, value.source.span), new))
    if keeps_directory:
        out.notes.append(
            f"'{old}' had no metadata.component in {', '.join(keeps_directory)}: its directory "
            f"was '{old}'; under the new name Atmos looks for '{new}' unless you add "
            f"metadata.component: {old}"
        )
    return out


def _names_in(section: Value) -> list[Value]:
    """The values in a component's section that name another component: `inherits` entries,
    a legacy `component:`, and `component:` of `settings.depends_on` and
    `dependencies.components` entries."""
    found: list[Value] = []
    legacy = section.get("component")
    if legacy is not None and isinstance(legacy.data, str):
        found.append(legacy)
    for owner, key in (("metadata", "inherits"), ("dependencies", "components")):
        holder = section.get(owner)
        items = holder.get(key) if holder is not None else None
        if items is not None and items.is_list:
            for item in items.data:
                if isinstance(item.data, str) and key == "inherits":
                    found.append(item)
                elif item.is_map and isinstance((named := item.get("component")), Value):
                    found.append(named)
    settings = section.get("settings")
    depends = settings.get("depends_on") if settings is not None else None
    if depends is not None and (depends.is_map or depends.is_list):
        entries = list(depends.data.values()) if depends.is_map else depends.data
        for entry in entries:
            named = entry.get("component") if entry.is_map else None
            if named is not None and isinstance(named.data, str):
                found.append(named)
    return [v for v in found if isinstance(v.data, str)]


def _rename_key(stacks: Stacks, path: str, target: RenameTarget, new: str) -> Refactoring:
    """The key in every layer that writes it for this component, in every stack that reaches
    `path`; layers shared with other components (globals, type-wide sections) are left alone
    and named in the notes."""
    assert target.key is not None
    ws = stacks.ws
    out = Refactoring()
    seen: set[tuple[str, Span]] = set()
    shared: set[str] = set()
    files = [path] if ws.is_stack_file(path) else stack_files_reaching(stacks, path)
    component_key = ComponentKey(target.kind, target.component)
    for stack_path in files:
        stack = stacks.stack_file(stack_path)
        if component_key not in stack.keys():
            continue
        component = stack.component(component_key)
        found = trace(component, target.key, ws.config.config_file)
        if found is None:
            continue
        parent = component.sections.get(target.key[0])
        if parent is not None and target.key[-1] != new and parent.get(new) is not None:
            raise RenameRefused(
                f"'{new}' is already set in {'.'.join(target.key[:-1])} of {target.component}"
            )
        for origin in (found.final, *found.shadowed):
            source = origin.value.source
            if source.key_span is None or (source.file, source.key_span) in seen:
                continue
            seen.add((source.file, source.key_span))
            if source.path[:2] != ("components", target.kind):
                shared.add(f"{ws.config.rel(source.file)}:{source.key_span.start_line + 1}")
                continue
            text = ws.text(source.file)[0] or ""
            out.edits.append(Edit(source.file, _inner(text, source.key_span), new))
    if shared:
        out.notes.append(
            f"left as they are, because other components read them too: {', '.join(sorted(shared))}"
        )
    return out


# ---- spans of text --------------------------------------------------------------------------


def _line(text: str, line: int) -> str:
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start:] if end == -1 else text[start:end]


def _inner(text: str, span: Span) -> Span:
    """A one-line scalar's span without its quotes."""
    if span.start_line != span.end_line:
        return span
    raw = _line(text, span.start_line)[span.start_col : span.end_col]
    if len(raw) >= 2 and raw[0] in "\"'" and raw[-1] == raw[0]:
        return Span(span.start_line, span.start_col + 1, span.end_line, span.end_col - 1)
    return span


def requote(raw: str, new: str) -> str:
    """`new` in place of the scalar written as `raw`, in the same quotes."""
    if len(raw) >= 2 and raw[0] in "\"'" and raw[-1] == raw[0]:
        return raw[0] + new + raw[0]
    return new
