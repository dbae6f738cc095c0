"""The server's projects: one engine `Workspace` per atmos.yaml found under the client's
workspace folders; each file goes to the project whose stacks base path holds it.

Only the engine thread touches a project (see `server.StackServer.run`). No pygls here.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field

from .. import parsing, validation, vendoring
from ..config import CONFIG_NAMES, AtmosConfig, ConfigError, find_config_file, load_config
from ..diagnostics import Diagnostic
from ..globs import MANIFEST_SUFFIXES
from ..locate import Spot, at
from ..parsing import DEFAULT_MAX_BYTES
from ..recover import recover
from ..stacks import Stacks
from ..tree import Value
from ..validation import sort_key
from ..validation.policy import Policy
from ..workspace import Workspace, stamp

log = logging.getLogger(__name__)

SKIP_DIRS = frozenset([".git", "node_modules", ".terraform", ".venv", "__pycache__", ".mypy_cache"])
MAX_DEPTH = 4


@dataclass(slots=True)
class Project:
    config: AtmosConfig
    ws: Workspace
    stacks: Stacks
    indexed: bool = False
    last_good: dict[str, Value] = field(default_factory=dict)
    syntax: dict[str, list[Diagnostic]] = field(default_factory=dict)
    findings: dict[str, list[Diagnostic]] = field(default_factory=dict)
    findings_generation: int = -1
    config_stamp: tuple[int, int] | None = None
    """(mtime, size) of atmos.yaml when it was read."""
    vendor_files: frozenset[str] = frozenset()
    """vendor.yaml and the components' component.yaml, as found when the project loaded."""

    @classmethod
    def load(cls, config: AtmosConfig, max_file_bytes: int = DEFAULT_MAX_BYTES) -> Project:
        ws = Workspace(config, max_file_bytes)
        read = stamp(config.config_file) if config.config_file else None
        vendor = frozenset(vendoring.vendor_files(config) + vendoring.component_manifests(config))
        return cls(config, ws, Stacks(ws), config_stamp=read, vendor_files=vendor)

    def read_stamps(self) -> dict[str, tuple[int, int]]:
        """What the project read from disk, as (mtime, size) when read."""
        found = self.ws.read_stamps()
        if self.config.config_file and self.config_stamp is not None:
            found[self.config.config_file] = self.config_stamp
        return found

    def set_buffer(self, path: str, text: str) -> None:
        """An editor buffer; when it does not parse, the engine sees it with the offending
        lines blanked, and the real syntax errors are kept for diagnostics. A buffer over the
        size limit is not parsed at all: the workspace reports it as a file that is skipped."""
        if parsing.text_bytes(text, self.ws.max_file_bytes) is not None:
            self.syntax.pop(path, None)
            self.ws.set_buffer(path, text)
            return
        analysed, self.syntax[path] = recover(path, text)
        if self.ws.text(path)[0] != analysed:  # opening a file as saved changes nothing
            self.ws.set_buffer(path, analysed)

    def all_findings(self) -> dict[str, list[Diagnostic]]:
        """`validation.check` findings of the whole tree by file (files without any left out),
        kept until the workspace changes, so opening another file or pulling again does not
        re-check. Checking the whole tree costs what checking part of it does: the join is
        over every stack either way."""
        if self.findings_generation != self.ws.generation:
            fresh: dict[str, list[Diagnostic]] = {}
            # what reading atmos.yaml could not compute is shown on atmos.yaml itself
            for found in [*self.config.diagnostics, *validation.check(self.stacks)]:
                fresh.setdefault(found.file, []).append(found)
            self.findings = fresh
            self.findings_generation = self.ws.generation
        return self.findings

    def findings_for(self, paths: set[str]) -> dict[str, list[Diagnostic]]:
        """The whole tree's findings placed in `paths`, after each buffer's syntax errors."""
        found = self.all_findings()
        return {p: self.syntax.get(p, []) + found.get(p, []) for p in paths}

    def every_finding(self) -> dict[str, list[Diagnostic]]:
        """Every file with findings (syntax errors of its buffer first), the whole tree's."""
        found = self.all_findings()
        out = {p: self.syntax.get(p, []) + found.get(p, []) for p in self.syntax}
        out.update((p, d) for p, d in found.items() if p not in out)
        return {p: d for p, d in out.items() if d}

    def current_findings(self, path: str) -> list[Diagnostic] | None:
        """The whole tree's findings for `path` when they were computed for the workspace as
        it is now; None when the workspace changed since."""
        if self.findings_generation != self.ws.generation:
            return None
        return self.syntax.get(path, []) + self.findings.get(path, [])

    def prepare_stacks(self, paths: list[str], start: int, seconds: float) -> int:
        """Merge stacks from `paths[start]` on and do their share of the checks, for about
        `seconds` (an engine job short enough for the editor's requests to interleave), so the
        whole-tree check that follows only joins; the index to go on from. Stacks merged
        already cost a memo look-up. What earlier edits made stale is freed first."""
        if self.release(seconds):
            return start
        deadline = time.perf_counter() + seconds
        end = start
        while end < len(paths):
            validation.prepare(self.stacks, [paths[end]], [])
            end += 1
            if time.perf_counter() > deadline:
                break
        return end

    def release(self, seconds: float) -> bool:
        """Free, for about `seconds`, what edits made stale; whether some is left."""
        return self.stacks.release(time.perf_counter() + seconds)

    def quick_findings(self, paths: set[str]) -> dict[str, list[Diagnostic]]:
        """For the stack files among `paths`: what their own stacks show, ahead of the
        whole-tree check that follows an edit (see `validation.check_stacks`)."""
        chosen = sorted(p for p in paths if self.ws.is_stack_file(p))
        out: dict[str, list[Diagnostic]] = {p: list(self.syntax.get(p, [])) for p in chosen}
        for found in validation.check_stacks(self.stacks, chosen):
            if found.file in out:
                out[found.file].append(found)
        return out

    def early_findings(self, path: str) -> list[Diagnostic]:
        """What one file shows before the whole tree is checked: its syntax and parse
        findings and, for a stack file, those of merging its own imports and naming it; after
        the user's policy. A subset of `findings_for`."""
        found = list(self.ws.document(path).diagnostics)
        # the configuration alone says whether this is a stack: matching every file of the tree
        # first (`Workspace.is_stack_file`) would hold up the opened file's first answer
        if self.ws.in_stacks(path) and self.config.is_stack(path):
            stack = self.stacks.stack_file(path)
            found += [d for d in stack.result.diagnostics if d.file == path]
            found += stack.name_problems
        policy = Policy.from_config(self.config, strict=False)
        kept = policy.apply(dict.fromkeys(found), lambda p: self.ws.document(p).text)
        return self.syntax.get(path, []) + sorted(kept, key=sort_key)

    def close_buffer(self, path: str) -> None:
        self.ws.close_buffer(path)
        self.last_good.pop(path, None)
        self.syntax.pop(path, None)

    def owns(self, path: str) -> bool:
        """Whether `path` is under the stacks base, or is the project's atmos.yaml, one of its
        workflow files or one of its vendor manifests."""
        base = self.config.stacks_base
        if path == base or path.startswith(base + os.sep):
            return True
        if path == self.config.config_file or path in self.vendor_files:
            return True
        return self.ws.in_workflows(path)

    def tree(self, path: str) -> Value | None:
        """The file's tree, or the last one that parsed when the buffer is broken."""
        root = self.ws.document(path).root
        if root is not None:
            self.last_good[path] = root
            return root
        return self.last_good.get(path)

    def spot(self, path: str, line: int, col: int) -> Spot | None:
        return at(self.tree(path), line, col)


def config_files(folder: str) -> list[str]:
    """atmos.yaml files for a workspace folder: in it or its parents, and below it."""
    found: list[str] = []
    up = find_config_file(folder)
    if up is not None:
        found.append(up)
    base_depth = folder.rstrip(os.sep).count(os.sep)
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        if root.count(os.sep) - base_depth >= MAX_DEPTH:
            dirs[:] = []
        for name in CONFIG_NAMES:
            if name in files:
                path = os.path.join(root, name)
                if path not in found:
                    found.append(path)
                break
    return found


def max_file_bytes(options: object) -> int:
    """The `maxFileBytes` initialization option (files larger are skipped with STK004), or
    the default when it is absent or not a positive whole number."""
    value = options.get("maxFileBytes") if isinstance(options, dict) else None
    if value is None:
        return DEFAULT_MAX_BYTES
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        log.warning("maxFileBytes must be a positive number of bytes, not %r", value)
        return DEFAULT_MAX_BYTES
    return value


class Projects:
    def __init__(self) -> None:
        self.items: list[Project] = []
        self.max_file_bytes = DEFAULT_MAX_BYTES

    def add_folder(self, folder: str) -> list[Project]:
        added: list[Project] = []
        paths = config_files(folder)
        known = {p.config.config_file for p in self.items}
        for path in paths:
            if path in known:
                continue
            project = self._load(path, folder)
            if project is not None:
                added.append(project)
        if not paths and not any(
            p.owns(folder) or folder.startswith(p.config.root) for p in self.items
        ):
            project = self._load(None, folder)
            if project is not None:
                added.append(project)
        self.items.extend(added)
        return added

    def remove_folder(self, folder: str) -> None:
        prefix = folder.rstrip(os.sep) + os.sep
        self.items = [p for p in self.items if not (p.config.root + os.sep).startswith(prefix)]

    def _load(self, config_file: str | None, folder: str) -> Project | None:
        try:
            config = load_config(config_file, cwd=folder)
        except ConfigError as exc:
            log.warning("cannot use %s: %s", config_file or folder, exc)
            return None
        log.info("project %s: stacks in %s", config.config_file or folder, config.stacks_base)
        return Project.load(config, self.max_file_bytes)

    def for_path(self, path: str) -> Project | None:
        """The project whose stacks base holds `path` (the deepest one); for a file outside every
        known project, the atmos.yaml above it is loaded."""
        best: Project | None = None
        for project in self.items:
            if project.owns(path) and (
                best is None or len(project.config.stacks_base) > len(best.config.stacks_base)
            ):
                best = project
        if best is not None or not path.endswith(MANIFEST_SUFFIXES):
            return best
        found = find_config_file(os.path.dirname(path))
        if found is None or any(p.config.config_file == found for p in self.items):
            return None
        loaded = self._load(found, os.path.dirname(found))
        if loaded is not None and loaded.owns(path):
            self.items.append(loaded)
            return loaded
        return None
