"""The workspace: configuration, every manifest parsed once, editor buffers over disk, the
import graph in both directions, and which files are stacks.

All reads of stack files go through here, so an open buffer always wins over the disk and a
changed file invalidates exactly what was derived from it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from . import parsing, templates, workflows
from .config import AtmosConfig
from .diagnostics import Diagnostic, Severity
from .globs import MANIFEST_SUFFIXES, inside, walk_files
from .imports import ImportEntry, Resolution, glob_files, is_relative, read_entries, resolve
from .tree import ZERO_SPAN, Span


@dataclass(frozen=True, slots=True)
class ImportLink:
    """One import entry of a file, resolved statically (without template context)."""

    importer: str
    entry: ImportEntry
    resolution: Resolution


LOG_SIZE = 4096


def stamp(path: str) -> tuple[int, int] | None:
    """A file's (mtime in ns, size): what tells a file changed on disk from the one read;
    None when it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


@dataclass(frozen=True, slots=True)
class Listing:
    """The manifest files, sorted, and those among them reached through a symbolic link."""

    files: list[str]
    linked: frozenset[str]


class Workspace:
    def __init__(
        self,
        config: AtmosConfig,
        max_file_bytes: int = parsing.DEFAULT_MAX_BYTES,
        listing: Listing | None = None,
    ):
        """`listing`: what another workspace of this configuration has just listed (a
        `--check` worker need not walk the tree again)."""
        self.config = config
        self.max_file_bytes = max_file_bytes
        self.root = os.path.realpath(config.base_path)
        self.generation = 0
        self._buffers: dict[str, str] = {}
        self._docs: dict[str, tuple[object, parsing.Document]] = {}
        self._rendered: dict[tuple[str, str], parsing.Document] = {}
        self._files: list[str] | None = None
        self._file_set: set[str] = set()
        self._linked: frozenset[str] = frozenset()
        self._stacks: list[str] | None = None
        self._stack_set: set[str] | None = None
        self._inside: dict[str, bool] = {}
        self._log: list[tuple[int, str]] = []
        self._log_start = 0
        self._structure_at = 0
        self._links: dict[str, list[ImportLink]] = {}
        self._importers: dict[str, set[str]] | None = None
        self._relink: set[str] = set()
        self._resolved: dict[tuple[str, str], Resolution] = {}
        self._dirs: dict[str, bool] = {}
        self.workflows_base = workflows.workflows_base(config)
        self._workflow_files: list[str] | None = None
        if listing is not None:
            self._adopt(listing.files, listing.linked)

    # ---- files -------------------------------------------------------------------------

    def manifest_files(self) -> list[str]:
        """Every manifest under the stacks base path (and every open buffer there), sorted;
        workflow files are not manifests, even under the stacks base."""
        if self._files is None:
            linked: set[str] = set()
            walked = walk_files(self.config.stacks_base, within=self.root, linked=linked)
            found = {p for p in walked if not self.in_workflows(p)}
            found.update(p for p in self._buffers if self.in_stacks(p))
            found -= self.config.config_files
            return self._adopt(sorted(found), frozenset(linked))
        return self._files

    def listing(self) -> Listing:
        return Listing(self.manifest_files(), self._linked)

    def _adopt(self, files: list[str], linked: frozenset[str]) -> list[str]:
        """Take a listing. Files the walk reached without a symbolic link lie inside the
        workspace when the stacks base does: no realpath for them (open buffers are not known
        to be on disk, so they are asked as before)."""
        self._files = files
        self._file_set = set(files)
        self._linked = linked
        if self.in_workspace(self.config.stacks_base):
            walked = self._file_set - linked - self._buffers.keys()
            self._inside.update((path, True) for path in walked)
        return files

    def in_stacks(self, path: str) -> bool:
        """A manifest under the stacks base path; atmos.yaml and its fragments and workflow files
        never are."""
        return (
            path.startswith(self.config.stacks_base + os.sep)
            and path.endswith(MANIFEST_SUFFIXES)
            and path not in self.config.config_files
            and not self.in_workflows(path)
        )

    def in_workflows(self, path: str) -> bool:
        """Whether `path` is a workflow manifest (under `workflows.base_path`)."""
        return workflows.in_base(self.workflows_base, path)

    def workflow_files(self) -> list[str]:
        """Every workflow manifest (and open buffer) under `workflows.base_path`, sorted."""
        if self._workflow_files is None:
            base = self.workflows_base
            found: set[str] = set()
            if base is not None and self.in_workspace(base):
                found.update(walk_files(base, workflows.WORKFLOW_SUFFIXES, within=self.root))
            found.update(p for p in self._buffers if self.in_workflows(p))
            self._workflow_files = sorted(found)
        return self._workflow_files

    def in_workspace(self, path: str) -> bool:
        found = self._inside.get(path)
        if found is None:
            found = self._inside[path] = inside(path, self.root)
        return found

    def exists(self, path: str) -> bool:
        """Whether `path` is a file; paths outside the workspace are not even looked at. The
        listing, when there is one, only saves a stat: the first merge of an opened file does
        not wait for the tree to be listed."""
        if path in self._buffers or path in self._file_set:
            return True
        return self.in_workspace(path) and os.path.isfile(path)

    def is_dir(self, path: str) -> bool:
        """Whether `path` is a directory, asked once per change: every stack asks it of the
        same few component directories."""
        found = self._dirs.get(path)
        if found is None:
            found = self._dirs[path] = os.path.isdir(path)
        return found

    def glob(self, pattern: str) -> list[str]:
        return glob_files(pattern, self.manifest_files())

    def stack_files(self) -> list[str]:
        """Files that are stacks: `included_paths` minus `excluded_paths`."""
        files = self.manifest_files()
        if self._stacks is not None:
            return self._stacks
        self._stacks = [path for path in files if self.config.is_stack(path)]
        return self._stacks

    def is_stack_file(self, path: str) -> bool:
        stacks = self.stack_files()
        if self._stack_set is None or len(self._stack_set) != len(stacks):
            self._stack_set = set(stacks)
        return path in self._stack_set

    # ---- documents ---------------------------------------------------------------------

    def set_buffer(self, path: str, text: str) -> None:
        """An editor buffer: it wins over the disk until closed."""
        created = path not in self._buffers and not os.path.isfile(path)
        self._buffers[path] = text
        self._changed(path, created)

    def close_buffer(self, path: str) -> None:
        if self._buffers.pop(path, None) is not None:
            self._changed(path, not os.path.isfile(path))

    def file_changed(self, path: str, created_or_deleted: bool = False) -> None:
        """A file changed on disk (watcher or save)."""
        self._changed(path, created_or_deleted)

    @property
    def structure(self) -> int:
        """The generation at which a file was last created or deleted: what is derived from
        the list of files alone (which files are stacks, what may be imported) holds while this
        stays the same."""
        return self._structure_at

    def changed_since(self, generation: int) -> set[str] | None:
        """The files changed after `generation`, or None when anything may have changed (a file
        was created or deleted, or the log no longer reaches back that far)."""
        if generation == self.generation:
            return set()
        if generation < self._log_start or self._structure_at > generation:
            return None
        return {path for gen, path in self._log if gen > generation}

    def _changed(self, path: str, structure: bool) -> None:
        self.generation += 1
        self._log.append((self.generation, path))
        if len(self._log) > LOG_SIZE:
            dropped = self._log[: len(self._log) - LOG_SIZE]
            self._log = self._log[-LOG_SIZE:]
            self._log_start = dropped[-1][0]
        if structure:
            self._structure_at = self.generation
        self._docs.pop(path, None)
        self._unlink(path, self._links.pop(path, None))
        self._rendered = {k: v for k, v in self._rendered.items() if k[0] != path}
        self._dirs.clear()
        if structure:
            self._files = None
            self._workflow_files = None
            self._stacks = None
            self._stack_set = None
            self._inside.clear()
            self._links.clear()
            self._resolved.clear()
            self._importers = None

    def text(self, path: str) -> tuple[str | None, list[Diagnostic]]:
        if path in self._buffers:
            text = self._buffers[path]
            size = parsing.text_bytes(text, self.max_file_bytes)
            if size is not None:  # an editor buffer is held to the limit a file on disk is
                return None, [parsing.too_large(path, size, self.max_file_bytes)]
            return text, []
        if not self.in_workspace(path):
            return None, [
                Diagnostic(
                    path,
                    ZERO_SPAN,
                    Severity.ERROR,
                    "STK105",
                    "file is outside the workspace and is not read",
                )
            ]
        try:
            with open(path, "rb") as handle:
                raw = handle.read(self.max_file_bytes + 1)
                size = os.fstat(handle.fileno()).st_size
        except OSError as exc:
            return None, [
                Diagnostic(
                    path,
                    ZERO_SPAN,
                    Severity.ERROR,
                    "STK004",
                    f"cannot read file: {exc.strerror or exc}",
                )
            ]
        return parsing.decode(path, raw, self.max_file_bytes, size)

    def document(self, path: str) -> parsing.Document:
        key: object = ("buffer", self._buffers[path]) if path in self._buffers else stamp(path)
        cached = self._docs.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        text, problems = self.text(path)
        doc = parsing.parse(path, text) if text is not None else parsing.Document(path, "", None)
        doc.diagnostics[:0] = problems
        self._docs[path] = (key, doc)
        return doc

    def rendered(
        self, path: str, context: dict[str, Any]
    ) -> tuple[parsing.Document, templates.Rendered | None, templates.TemplateSyntaxError | None]:
        """The document rendered as a Go template with `context` (for `context` imports and
        `.tmpl` files): the document, the render result, and a syntax error if any."""
        source = self.document(path)
        key = (path, json.dumps(context, sort_keys=True, default=str))
        if not templates.is_template(source.text):
            return source, None, None
        try:
            result = templates.render(source.text, context)
        except templates.TemplateSyntaxError as exc:
            return source, None, exc
        doc = self._rendered.get(key)
        if doc is None:
            doc = parsing.parse(path, result.text)
            self._rendered[key] = doc
        return doc, result, None

    def read_stamps(self) -> dict[str, tuple[int, int]]:
        """(mtime, size) of each file as it was when read from disk (open buffers left out):
        a watcher that starts after some files were read compares against these."""
        return {
            path: key
            for path, (key, _) in dict(self._docs).items()
            if isinstance(key, tuple) and isinstance(key[0], int)
        }

    # ---- import graph ------------------------------------------------------------------

    def links(self, path: str) -> list[ImportLink]:
        """The file's import entries, resolved without template context."""
        cached = self._links.get(path)
        if cached is not None:
            return cached
        root = self.document(path).mapping()
        links: list[ImportLink] = []
        if root is not None:
            entries, _ = read_entries(root)
            for entry in entries:
                if templates.is_template(entry.path):
                    continue
                links.append(ImportLink(path, entry, self.resolve(entry.path, path)))
        self._links[path] = links
        return links

    def resolve(self, import_path: str, importer: str) -> Resolution:
        """What an import names; kept until files are created or deleted, as every stack of a
        tree resolves the same few catalog and mixin imports."""
        key = (import_path, os.path.dirname(importer) if is_relative(import_path) else "")
        found = self._resolved.get(key)
        if found is None:
            stacks_base = self.config.stacks_base
            found = resolve(import_path, importer, stacks_base, self.exists, self.glob)
            self._resolved[key] = found
        return found

    def importers(self, path: str) -> set[str]:
        """Files whose import entries name `path` directly."""
        if self._importers is None:
            self._importers = {}
            self._relink = set(self.manifest_files())
        for file in self._relink:
            for link in self.links(file):
                for target in link.resolution.targets:
                    self._importers.setdefault(target, set()).add(file)
        self._relink.clear()
        return self._importers.get(path, set())

    def _unlink(self, path: str, links: list[ImportLink] | None) -> None:
        """An edit changes only the file's own import entries: take them out of the graph and
        put the new ones in when next asked, instead of rebuilding it from every file (a
        keystroke in a tree of 13,000 files cost 0.2 s)."""
        if self._importers is None or path not in self._file_set:
            return
        for link in links or ():
            for target in link.resolution.targets:
                self._importers.get(target, set()).discard(path)
        self._relink.add(path)

    def dependents(self, path: str) -> set[str]:
        """Every file that reaches `path` through imports, `path` included."""
        seen = {path}
        todo = [path]
        while todo:
            for importer in self.importers(todo.pop()):
                if importer not in seen:
                    seen.add(importer)
                    todo.append(importer)
        return seen


def offset_span(text: str, offset: int, length: int = 2) -> Span:
    line = text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1)
    return Span(line, col, line, col + length)
