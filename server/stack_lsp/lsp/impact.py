"""Live impact of unsaved edits: what the open buffers change against the saved tree, as
`stack-lsp diff` reports it.

After each change the engine thread takes a snapshot (the edited manifests' texts and the stack
files whose import closure reads them, from the project's import graph); the comparison then
runs on a thread of its own, in fresh workspaces (the saved tree, and the saved tree with the
buffers), so hover and diagnostics never wait for it, and the next change cancels it. Its
summary shows as a code lens on an edited file other stacks import ("changes N values in M
stacks"); `workspace/executeCommand` `stack-lsp.showImpact` answers the whole report.
"""

from __future__ import annotations

import asyncio
import os
import threading
import weakref
from dataclasses import dataclass
from typing import Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException

from ..config import ConfigError
from ..gitread import GitError
from ..impact import Report, compare, impact_of
from ..impact_format import as_data, summary, text
from ..recover import recover
from ..sides import Repository, Side
from ..tree import ZERO_SPAN
from .projects import Project
from .server import StackServer, guarded

SHOW_IMPACT = "stack-lsp.showImpact"
SAVED, UNSAVED = "saved files", "unsaved buffers"


@dataclass(slots=True)
class Snapshot:
    """What a comparison needs, taken on the engine thread."""

    project: Project
    buffers: dict[str, str]
    """Edited manifests (differing from the disk) → their buffer text, as the engine sees it."""
    candidates: set[str]
    changed: list[str]
    shared: bool
    """Whether another file imports an edited one (only then is the impact computed unasked)."""


def _saved(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def take_snapshot(project: Project, texts: dict[str, str]) -> Snapshot:
    """The project's edited manifests among the open documents (`texts`: path → text) and the
    stack files that read them (engine thread)."""
    ws = project.ws
    base = ws.config.stacks_base + os.sep
    buffers: dict[str, str] = {}
    for path, body in texts.items():
        if project.owns(path) and ws.in_stacks(path):
            analysed = recover(path, body)[0]
            if analysed != _saved(path):
                buffers[path] = analysed
    readers = {f for p in buffers for f in ws.dependents(p) if ws.is_stack_file(f)}
    rel = sorted(p[len(base) :].replace(os.sep, "/") for p in buffers)
    candidates = {f[len(base) :].replace(os.sep, "/") for f in readers}
    shared = any(len(ws.dependents(p)) > 1 for p in buffers)
    return Snapshot(project, buffers, candidates, rel, shared)


def compute(snapshot: Snapshot, stop: threading.Event | None = None) -> Report:
    """The report between the saved tree and the buffers (any thread: fresh workspaces)."""
    config = snapshot.project.config
    base = Side(SAVED, config, config.root, {}, {})
    head = Side(UNSAVED, config, config.root, {}, {}, buffers=snapshot.buffers)
    workspaces = (base.workspace(), head.workspace())
    stopped = stop.is_set if stop is not None else (lambda: False)
    return impact_of(base, head, workspaces, snapshot.candidates, snapshot.changed, stopped)


def compute_against_head(snapshot: Snapshot) -> Report:
    """The report between git HEAD and the working tree with the buffers over it (as
    `stack-lsp diff --base HEAD` with unsaved edits; raises GitError outside a repository)."""
    repo = Repository(config=snapshot.project.config)
    base = repo.side("HEAD")
    try:
        head = repo.worktree(needs_git=True)
        head.label = "working tree with " + UNSAVED
        head.overlay(snapshot.buffers)
        return compare(base, head)
    finally:
        base.close()


def lens_title(report: Report) -> str:
    n = report.counts()
    values = n["values"] + sum(
        len(c.changes) for s in report.stacks for c in s.components if c.status != "changed"
    )
    return (
        f"changes {values} value{'s' if values != 1 else ''} in "
        f"{n['stacks']} stack{'s' if n['stacks'] != 1 else ''}"
    )


class LiveImpact:
    """The latest background comparison: its report, for which buffers, and the running one."""

    def __init__(self, server: StackServer) -> None:
        self.server = server
        self.report: Report | None = None
        self.buffers: dict[str, str] = {}
        self.stop = threading.Event()
        self.task: asyncio.Task[None] | None = None

    def texts(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for path, uri in self.server.open_paths().items():
            doc = self.server.workspace.text_documents.get(uri)
            if doc is not None:
                out[path] = doc.source
        return out

    async def snapshots(self) -> list[Snapshot]:
        texts = self.texts()

        def job() -> list[Snapshot]:
            projects = {id(p): p for p in map(self.server.projects.for_path, texts) if p}
            return [take_snapshot(p, texts) for p in projects.values()]

        return await self.server.background(job)

    def changed(self) -> None:
        """A change: cancel the running comparison and start one for the new buffers."""
        self.stop.set()
        if self.task is not None:
            self.task.cancel()
        self.stop = threading.Event()
        self.task = asyncio.ensure_future(self._refresh(self.stop))

    async def _refresh(self, stop: threading.Event) -> None:
        snaps = [s for s in await self.snapshots() if s.shared and s.candidates]
        if not snaps or stop.is_set():
            self.report, self.buffers = None, {}
            return
        snap = snaps[0]
        try:
            report = await asyncio.to_thread(compute, snap, stop)
        except Exception:  # a cancelled or failed comparison leaves no stale lens
            self.report, self.buffers = None, {}
            return
        if stop.is_set():
            return
        self.report, self.buffers = report, dict(snap.buffers)
        self.server.spawn(self._refresh_lenses())

    async def _refresh_lenses(self) -> None:
        caps = self.server.client_capabilities.workspace
        lens = caps.code_lens if caps is not None else None
        if lens is not None and lens.refresh_support:
            try:
                await self.server.workspace_code_lens_refresh_async(None)
            except JsonRpcException:  # the client said it refreshes lenses, but does not
                return

    def lens(self, path: str) -> list[lsp.CodeLens]:
        """On an edited file other stacks import: what its edits change."""
        report = self.report
        if report is None or path not in self.buffers:
            return []
        command = lsp.Command(
            title=lens_title(report), command=SHOW_IMPACT, arguments=[self.server.uri_of(path)]
        )
        return [lsp.CodeLens(self.server.range_of(ZERO_SPAN, path), command)]


_LIVE: weakref.WeakKeyDictionary[StackServer, LiveImpact] = weakref.WeakKeyDictionary()


def live(server: StackServer) -> LiveImpact:
    found = _LIVE.get(server)
    if found is None:
        found = _LIVE[server] = LiveImpact(server)
    return found


def register(server: StackServer) -> None:
    state = live(server)
    server.changed_hooks.append(state.changed)

    @server.command(SHOW_IMPACT)
    @guarded({})
    async def show_impact(*args: Any) -> dict[str, Any]:
        """Arguments: none, or `[uri]` / `[{"uri": …, "base": "saved" | "HEAD"}]` (the project
        of that file; against the saved files, the default, or git HEAD). Answers
        `{"text", "summary", "report"}`: the `diff` text, its summary line and its JSON."""
        uri = args[0] if args else None
        against_head = isinstance(uri, dict) and uri.get("base") == "HEAD"
        if isinstance(uri, dict):
            uri = uri.get("uri")
        snaps = await state.snapshots()
        if isinstance(uri, str):
            path = server.path_of(uri)
            snaps = [s for s in snaps if path is not None and s.project.owns(path)]
        if not snaps:
            return {"text": "no project open\n", "summary": "", "report": None}
        try:
            report = await asyncio.to_thread(
                compute_against_head if against_head else compute, snaps[0]
            )
        except (GitError, ConfigError) as exc:
            return {"text": f"stack-lsp: {exc}\n", "summary": str(exc), "report": None}
        return {"text": text(report), "summary": summary(report), "report": as_data(report)}
