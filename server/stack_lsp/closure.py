"""A stack file's import closure, merged as Atmos merges it
[internal/exec/stack_processor_utils.go ProcessYAMLConfigFile].

Imports merge in list order, then the file's own content. `overrides` (top level and per
component type) reach the components defined in the declaring file and in the files it imports,
and — through the accumulated "imports" overrides — components in later sibling imports; an
ancestor's overrides beat its child's, and `terraform.overrides` beats `overrides` in one file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from . import templates
from .codes import severity_of
from .config import KINDS
from .diagnostics import Diagnostic, Related
from .globs import has_magic
from .imports import ImportEntry, closest, import_name, is_remote, read_entries
from .includes import expand, has_includes
from .locals import has_locals
from .merge import MergeConflict, merge_all
from .rendering import FileScope, file_scope
from .tree import ZERO_SPAN, Source, Value
from .workspace import Workspace, offset_span

COMPONENT_TYPES = KINDS
OVERRIDE_TYPES = ("terraform", "helmfile")

Overrides = dict[str, Value | None]


@dataclass(slots=True)
class ImportUse:
    """An import entry as it was used while merging one stack: resolved with its context."""

    importer: str
    entry: ImportEntry
    path: str
    targets: tuple[str, ...]


@dataclass(slots=True)
class FileResult:
    merged: Value | None
    inline: Overrides
    imports: Overrides
    files: list[str] = field(default_factory=list)
    uses: list[ImportUse] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    conflicts: list[MergeConflict] = field(default_factory=list)
    cyclic: bool = False
    templated: bool = False
    """An import path in the closure was a template: the merge depends on what earlier imports
    of the stack set, so it is not shared between stacks."""


def _empty() -> Overrides:
    return {t: None for t in OVERRIDE_TYPES}


def _diag(
    file: str, value: Value | None, code: str, message: str, related: tuple[Related, ...] = ()
) -> Diagnostic:
    span = value.source.span if value is not None else ZERO_SPAN
    return Diagnostic(file, span, severity_of(code), code, message, related)


T = TypeVar("T")


def forget(
    memo: dict[str, T],
    changed: set[str] | None,
    files: Callable[[T], list[str]],
    discarded: list[object],
) -> bool:
    """Move into `discarded` (to be freed later, a few at a time) the entries of `memo` whose
    merge read one of the `changed` files, as `files` tells (all of them when `changed` is
    None); whether any moved."""
    stale = [
        path
        for path, entry in memo.items()
        if changed is None or not changed.isdisjoint(files(entry))
    ]
    discarded += [memo.pop(path) for path in stale]
    return bool(stale)


class ClosureBuilder:
    """Merges stack files; results of context-free, override-free imports are shared between
    stacks (most catalog and mixin files), so each is merged once, until a file it read changes."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.strategy = ws.config.list_merge_strategy
        self._memo: dict[str, FileResult] = {}
        self._generation = ws.generation
        self.discarded: list[object] = []
        """Merges forgotten but not yet freed (see `Stacks.release`)."""

    def sync(self) -> None:
        """Forget the merges that read a file changed since the last call."""
        if self._generation == self.ws.generation:
            return
        changed = self.ws.changed_since(self._generation)
        forget(self._memo, changed, lambda result: result.files, self.discarded)
        self._generation = self.ws.generation

    def stack(self, path: str) -> FileResult:
        return self.process(path, {}, _empty(), _empty(), (), True, False)

    def process(
        self,
        path: str,
        context: dict[str, Any],
        parent_inline: Overrides,
        parent_imports: Overrides,
        chain: tuple[str, ...],
        render: bool,
        explicit: bool,
        outer: tuple[Value | None, ...] = (),
    ) -> FileResult:
        """`outer`: what the importing files merged before this import (for templated import
        paths one or more levels down). `explicit`: an import's `context` gave part of
        `context` (then a template error is Atmos's error; otherwise the text stays as
        written)."""
        self.sync()
        plain = not context and not any(parent_inline.values()) and not any(parent_imports.values())
        if plain and path in self._memo:
            return self._memo[path]
        result = self._process(
            path, context, parent_inline, parent_imports, chain, render, explicit, outer
        )
        if plain and not result.cyclic and not result.templated:
            self._memo[path] = result
        return result

    def _process(
        self,
        path: str,
        context: dict[str, Any],
        parent_inline: Overrides,
        parent_imports: Overrides,
        chain: tuple[str, ...],
        render: bool,
        explicit: bool,
        outer: tuple[Value | None, ...],
    ) -> FileResult:
        out = FileResult(None, dict(parent_inline), dict(parent_imports), [path])
        doc = self.ws.document(path)
        scope: FileScope | None = None
        raw = doc.mapping()
        if render and raw is not None and has_locals(raw):
            scope = file_scope(raw, context)
            context = scope[0]
            out.diagnostics.extend(scope[2])
        if render and (context or path.endswith(".tmpl")):
            source = doc
            doc, rendered, error = self.ws.rendered(path, context)
            if not explicit and (
                error is not None or (rendered and (rendered.undefined or not rendered.complete))
            ):
                # Only the file's own locals (or an ancestor's) gave the context: Atmos keeps
                # the text as written and renders it after the merge.
                doc, rendered, error = source, None, None
            if error is not None:
                out.diagnostics.append(
                    Diagnostic(
                        path,
                        offset_span(doc.text, error.offset),
                        severity_of("STK106"),
                        "STK106",
                        f"invalid Go template: {error}; Atmos cannot render this file",
                    )
                )
                return out
            if rendered is not None:
                self._template_findings(path, self.ws.document(path).text, rendered, out)
        out.diagnostics.extend(doc.diagnostics)
        root = doc.mapping()
        if scope is not None and root is not None:
            root = file_scope(root, scope[0])[1] if root is not raw else scope[1]
        if root is None:
            if doc.root is not None and doc.root.data is not None:
                out.diagnostics.append(
                    _diag(path, doc.root, "STK201", "a stack manifest must be a map of sections")
                )
            return out
        if has_includes(doc):
            root, read = expand(self.ws, path, root)
            out.files.extend(read)
        own = self._own_overrides(path, root, out)
        for kind in OVERRIDE_TYPES:
            out.inline[kind] = merge_all(
                [own["global"], own[kind], parent_inline[kind]], self.strategy
            )
        entries, problems = read_entries(root)
        out.diagnostics.extend(problems)
        configs: list[Value | None] = []
        for entry in entries:
            self._import(path, entry, context, out, (outer, configs), chain, explicit)
        finals = {
            k: merge_all([out.imports[k], out.inline[k]], self.strategy) for k in OVERRIDE_TYPES
        }
        configs.append(self._with_overrides(root, finals))
        out.merged = merge_all(configs, self.strategy, out.conflicts)
        return out

    def _template_findings(
        self, path: str, text: str, rendered: templates.Rendered, out: FileResult
    ) -> None:
        for name, offset in rendered.undefined:
            out.diagnostics.append(
                Diagnostic(
                    path,
                    offset_span(text, offset),
                    severity_of("STK107"),
                    "STK107",
                    f"template refers to '{name}', which the import context does not "
                    "define; it renders as '<no value>'",
                )
            )
        for message, offset in rendered.unsupported:
            out.diagnostics.append(
                Diagnostic(
                    path,
                    offset_span(text, offset),
                    severity_of("STK107"),
                    "STK107",
                    f"template left as written: {message}",
                )
            )

    def _own_overrides(self, path: str, root: Value, out: FileResult) -> dict[str, Value | None]:
        own: dict[str, Value | None] = {"global": self._map_section(path, root, "overrides", out)}
        for kind in OVERRIDE_TYPES:
            section = root.get(kind)
            if section is None or section.data is None:
                own[kind] = None
            elif not section.is_map:
                out.diagnostics.append(_diag(path, section, "STK201", f"'{kind}' must be a map"))
                own[kind] = None
            else:
                own[kind] = self._map_section(path, section, "overrides", out, f"{kind}.")
        return own

    def _map_section(
        self, path: str, parent: Value, key: str, out: FileResult, prefix: str = ""
    ) -> Value | None:
        section = parent.get(key)
        if section is None or section.data is None:
            return None
        if not section.is_map:
            out.diagnostics.append(
                _diag(
                    path,
                    section,
                    "STK201",
                    f"invalid '{prefix}{key}' section: it must be a map (Atmos rejects the "
                    "manifest)",
                )
            )
            return None
        return section

    def _import(
        self,
        path: str,
        entry: ImportEntry,
        context: dict[str, Any],
        out: FileResult,
        merged_so_far: tuple[tuple[Value | None, ...], list[Value | None]],
        chain: tuple[str, ...],
        explicit: bool,
    ) -> None:
        outer, configs = merged_so_far
        merged_context = _merge_context(entry.context_data(), context)
        path_value = entry.path_value
        import_path: str | None = entry.path
        if templates.is_template(entry.path):
            out.templated = True
            import_path = self._render_path(path, entry, merged_context, [*outer, *configs], out)
        if import_path is None:
            return
        if "://" in import_path or "::" in import_path:
            out.diagnostics.append(self._remote(path, path_value, import_path))
            return
        resolution = self.ws.resolve(import_path, path)
        out.uses.append(ImportUse(path, entry, import_path, resolution.targets))
        if not resolution.targets and not self.ws.in_workspace(_fixed_part(resolution.pattern)):
            out.diagnostics.append(self._outside(path, path_value, import_path))
            return
        if not resolution.targets:
            if entry.skip_if_missing or templates.is_template(entry.path):
                return
            if is_remote(import_path):
                out.diagnostics.append(self._remote(path, path_value, import_path))
                return
            if resolution.is_glob:
                out.diagnostics.append(
                    _diag(
                        path,
                        path_value,
                        "STK103",
                        f"import '{import_path}' matches no file; fix the pattern or remove it",
                    )
                )
            else:
                out.diagnostics.append(self._missing(path, path_value, import_path))
            return
        snapshot_inline = dict(out.inline)
        snapshot_imports = dict(out.imports)
        for target in resolution.targets:
            if target == path or target in chain:
                out.cyclic = True
                out.diagnostics.append(self._cycle(path, path_value, target, chain))
                continue
            if not self.ws.in_workspace(target):
                out.diagnostics.append(self._outside(path, path_value, import_path))
                continue
            child = self.process(
                target,
                merged_context,
                snapshot_inline,
                snapshot_imports,
                (*chain, path),
                not entry.skip_templates,
                explicit or bool(entry.context_data()),
                (*outer, *configs),
            )
            out.templated |= child.templated
            out.cyclic |= child.cyclic
            out.files.extend(child.files)
            out.uses.extend(child.uses)
            out.diagnostics.extend(child.diagnostics)
            out.conflicts.extend(child.conflicts)
            for kind in OVERRIDE_TYPES:
                out.imports[kind] = merge_all(
                    [out.imports[kind], child.imports[kind], child.inline[kind]], self.strategy
                )
            configs.append(child.merged)

    def _render_path(
        self,
        path: str,
        entry: ImportEntry,
        context: dict[str, Any],
        configs: list[Value | None],
        out: FileResult,
    ) -> str | None:
        so_far = merge_all(configs, self.strategy)
        data: dict[str, Any] = {}
        if so_far is not None and so_far.is_map:
            for key in ("settings", "vars", "env"):
                section = so_far.get(key)
                if section is not None and section.is_map:
                    data[key] = section.plain()
        data.update(context)
        try:
            rendered = templates.render(entry.path, data)
        except templates.TemplateSyntaxError as exc:
            out.diagnostics.append(
                _diag(
                    path,
                    entry.path_value,
                    "STK106",
                    f"invalid Go template in import path '{entry.path}': {exc}",
                )
            )
            return None
        if rendered.unsupported or rendered.undefined:
            missing = [n for n, _ in rendered.undefined] + [m for m, _ in rendered.unsupported]
            out.diagnostics.append(
                _diag(
                    path,
                    entry.path_value,
                    "STK107",
                    f"import path '{entry.path}' cannot be computed here ({', '.join(missing)}); "
                    "Atmos skips it when it does not resolve",
                )
            )
            return None
        return rendered.text

    def _outside(self, path: str, value: Value, import_path: str) -> Diagnostic:
        return _diag(
            path,
            value,
            "STK105",
            f"import '{import_path}' resolves outside the workspace; it is not read",
        )

    def _remote(self, path: str, value: Value, import_path: str) -> Diagnostic:
        return _diag(
            path,
            value,
            "STK130",
            f"import '{import_path}' is remote: not fetched, so its content is not in this stack",
        )

    def _missing(self, path: str, value: Value, import_path: str) -> Diagnostic:
        stacks_base = self.ws.config.stacks_base
        names = [import_name(f, stacks_base) for f in self.ws.manifest_files()]
        wanted = import_name(self.ws.resolve(import_path, path).pattern, stacks_base)
        hints = closest(wanted, names)
        hint = f"; did you mean {', '.join(repr(h) for h in hints)}?" if hints else ""
        found = _diag(
            path,
            value,
            "STK101",
            f"import '{import_path}' not found in {self.ws.config.rel(path)}{hint}",
        )
        return replace(found, fixes=tuple(hints))

    def _cycle(self, path: str, value: Value, target: str, chain: tuple[str, ...]) -> Diagnostic:
        rel = self.ws.config.rel
        if target == path:
            return _diag(path, value, "STK102", f"{rel(path)} imports itself; remove this import")
        loop = [*chain[chain.index(target) :], path, target]
        return _diag(
            path,
            value,
            "STK102",
            "import cycle: " + " → ".join(rel(f) for f in loop) + "; break it by "
            "removing one of these imports",
        )

    def _with_overrides(self, root: Value, finals: Overrides) -> Value:
        """The file's own content with the effective overrides set on each component it
        defines (Atmos writes them into the component's `overrides` section)."""
        components = root.get("components")
        if components is None or not components.is_map:
            return root
        new_components = dict(components.data)
        changed = False
        for kind in OVERRIDE_TYPES:
            final = finals[kind]
            section = components.get(kind)
            if final is None or not final.data or section is None or not section.is_map:
                continue
            new_section = dict(section.data)
            for name, comp in section.data.items():
                if comp.is_map:
                    new_section[name] = _replace(comp, "overrides", final)
            new_components[kind] = _rebuild(section, new_section)
            changed = True
        if not changed:
            return root
        return _replace(root, "components", _rebuild(components, new_components))


def _fixed_part(pattern: str) -> str:
    """The directory part of a glob pattern before its first wildcard (the pattern itself when
    it has none): where the pattern can match at all."""
    if not has_magic(pattern):
        return pattern
    head = re.split(r"[*?\[{]", pattern, maxsplit=1)[0]
    return os.path.dirname(head) if not head.endswith(os.sep) else head.rstrip(os.sep)


def _rebuild(original: Value, data: dict[str, Value]) -> Value:
    return Value(data, original.source, original.tag, original.history)


def _replace(parent: Value, key: str, value: Value) -> Value:
    data = dict(parent.data)
    data[key] = value
    return _rebuild(parent, data)


def _merge_context(child: dict[str, Any], parent: dict[str, Any]) -> dict[str, Any]:
    """The parent's context wins over the import's own (it passes down the chain)."""
    out = dict(child)
    for key, value in parent.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge_context(out[key], value)
        else:
            out[key] = value
    return out


def atmos_section(ws: Workspace, key: str) -> Value | None:
    """A section of atmos.yaml as read (YAML functions evaluated, fragments, imports and
    profiles merged), placed where atmos.yaml writes each value (a component's first layer for
    `env` and `auth`)."""
    path = ws.config.config_file
    data = ws.config.raw.get(key)
    if not path or not isinstance(data, dict) or not data:
        return None
    doc = ws.document(path) if os.path.isfile(path) else None
    root = doc.mapping() if doc is not None else None
    return _positioned(data, root, (key,), path)


def _positioned(data: Any, root: Value | None, path: tuple[str, ...], file: str) -> Value:
    written = root.find(path) if root is not None else None
    source = written.source if written is not None else Source(file, path, None, ZERO_SPAN)
    if isinstance(data, dict):
        data = {k: _positioned(v, root, (*path, str(k)), file) for k, v in data.items()}
    elif isinstance(data, list):
        data = [_positioned(v, None, path, file) for v in data]
    return Value(data, source)
