"""Diagnostics from `validation.check` after every change: the open stacks' own at once,
the whole tree's debounced.

Pushed (`textDocument/publishDiagnostics`) to every open file; when the client can pull
(`textDocument/diagnostic`) and be told to re-pull (`workspace/diagnostic/refresh`), it pulls
instead, with `interFileDependencies`. Editing a mixin re-checks the open files that import it,
since every change re-checks all open files of the project.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from lsprotocol import types as lsp

from ..diagnostics import Diagnostic
from .server import SLICE, StackServer, guarded

log = logging.getLogger(__name__)

QUICK = 0.03  # joins a burst of keystrokes
DEBOUNCE = 0.5  # the whole-tree check: its join is one engine job (seconds on 10,000 stacks)


def to_lsp(server: StackServer, found: Diagnostic) -> lsp.Diagnostic:
    related = [
        lsp.DiagnosticRelatedInformation(server.location(r.file, r.span), r.message)
        for r in found.related
    ]
    return lsp.Diagnostic(
        range=server.range_of(found.span, found.file),
        message=found.message,
        severity=lsp.DiagnosticSeverity(int(found.severity)),
        code=found.code,
        source="stack-lsp",
        related_information=related or None,
        data={"fixes": list(found.fixes)} if found.fixes else None,
    )


def findings(
    server: StackServer, paths: set[str], early: bool = False
) -> dict[str, list[Diagnostic]]:
    """On the engine thread: the findings placed in `paths`, by file (`early`: only what each
    file shows before the whole tree is checked)."""
    return _by_project(server, paths, "early" if early else "full")


def quick_findings(server: StackServer, paths: set[str]) -> dict[str, list[Diagnostic]]:
    """On the engine thread: for the open stack files among `paths`, what their own stacks
    show (the whole-tree check follows)."""
    return _by_project(server, paths, "quick")


def _by_project(server: StackServer, paths: set[str], mode: str) -> dict[str, list[Diagnostic]]:
    out: dict[str, list[Diagnostic]] = {} if mode == "quick" else {p: [] for p in paths}
    for project in list(server.projects.items):
        mine = {p for p in paths if project.owns(p)}
        if not mine:
            continue
        if mode == "early":
            out.update({p: project.early_findings(p) for p in mine})
        elif mode == "quick":
            out.update(project.quick_findings(mine))
        else:
            out.update(project.findings_for(mine))
    return out


class Serial:
    """Runs `job` one at a time; asked again while it runs, it runs once more after."""

    def __init__(self, job: Callable[[], Awaitable[None]]) -> None:
        self.job = job
        self.running = False
        self.again = False

    async def __call__(self) -> None:
        if self.running:
            self.again = True
            return
        self.running = True
        try:
            self.again = True
            while self.again:
                self.again = False
                await self.job()
        finally:
            self.running = False


class Publisher:
    """Two passes after every change: soon (`QUICK`, enough to join a burst of keystrokes)
    what newly opened files show alone and what the open stack files' own stacks show; after
    `DEBOUNCE`, the whole tree's findings, once the stacks the change reached are merged again
    in short engine jobs (a long merge would hold up every request). A result is published
    only if nothing changed while it was computed (a later pass follows that change), with the
    document versions it saw."""

    def __init__(self, server: StackServer) -> None:
        self.server = server
        self.changes = 0
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.quick = Serial(self._quick)
        self.full = Serial(self._full)
        self.published: set[str] = set()
        self.complete: set[str] = set()  # documents that have had the whole tree's findings
        self.early: dict[str, int | None] = {}  # the version each has had its own findings for

    def schedule(self) -> None:
        self.changes += 1
        opened = set(self.server.open_paths().values())
        unseen = opened - self.early.keys() - self.complete
        # a file just opened is answered at once: no burst of keystrokes to join yet
        self._later("quick", 0 if unseen else QUICK, self.quick)
        self._later("full", DEBOUNCE, self.full)

    def _later(self, name: str, delay: float, run: Serial) -> None:
        timer = self.timers.get(name)
        if timer is not None:
            timer.cancel()
        loop = asyncio.get_running_loop()
        self.timers[name] = loop.call_later(delay, lambda: self.server.spawn(run()))

    async def _quick(self) -> None:
        server = self.server
        if server.pull_diagnostics:
            return
        opened = server.open_paths()
        still_open = set(opened.values())
        for uri in self.published - still_open:
            server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))
        self.published &= still_open
        self.complete &= still_open
        self.early = {uri: v for uri, v in self.early.items() if uri in still_open}
        docs = server.workspace.text_documents
        fresh = {
            path
            for path, uri in opened.items()
            if uri not in self.complete
            and (uri not in self.early or self.early[uri] != docs[uri].version)
        }
        if fresh:  # opened or edited before the whole tree is checked: what the file alone says
            self.early.update(await self._compute(findings, fresh, True))
        shown = {path for path, uri in opened.items() if uri in self.complete}
        if shown:  # after an edit: what the open stacks themselves show
            await self._compute(quick_findings, shown)

    async def _full(self) -> None:
        server = self.server
        if server.pull_diagnostics:
            changes = self.changes
            for project in list(server.projects.items):  # what pulls re-check is merged anew
                while await server.background(project.release, SLICE):
                    if changes != self.changes:
                        return
            await server.workspace_diagnostic_refresh_async(None)
            return
        await server.indexed.wait()  # the whole-tree check is one job: never before indexing
        changes = self.changes
        for project in list(server.projects.items):
            stack_files = await server.background(project.ws.stack_files)
            async for _ in server.prepare_stacks(project, stack_files):
                if changes != self.changes:
                    return  # the pass after that change starts over, keeping what is merged
        sent = await self._compute(findings, set(server.open_paths()), background=True)
        self.complete.update(sent)

    async def _compute(
        self,
        fn: Callable[..., dict[str, list[Diagnostic]]],
        *args: object,
        background: bool = False,
    ) -> dict[str, int | None]:
        """Run `fn(server, *args)` on the engine and publish its result unless a change came
        meanwhile; the uris published, with the versions published."""
        server = self.server
        changes = self.changes
        versions = {uri: doc.version for uri, doc in server.workspace.text_documents.items()}
        run = server.background if background else server.run
        result = await run(fn, server, *args)
        if changes != self.changes:
            return {}
        sent: dict[str, int | None] = {}
        for path, uri in server.open_paths().items():
            if path in result and uri in versions:
                items = [to_lsp(server, d) for d in result[path]]
                server.text_document_publish_diagnostics(
                    lsp.PublishDiagnosticsParams(uri, items, versions[uri])
                )
                sent[uri] = versions[uri]
        self.published.update(sent)
        return sent


def register(server: StackServer) -> None:
    publisher = Publisher(server)
    server.changed_hooks.append(publisher.schedule)

    def on_initialize(params: lsp.InitializeParams) -> None:
        caps = params.capabilities
        pull = caps.text_document is not None and caps.text_document.diagnostic is not None
        refresh = (
            caps.workspace is not None
            and caps.workspace.diagnostics is not None
            and bool(caps.workspace.diagnostics.refresh_support)
        )
        server.pull_diagnostics = pull and refresh
        if server.pull_diagnostics:
            options = lsp.DiagnosticOptions(
                inter_file_dependencies=True, workspace_diagnostics=False, identifier="stack-lsp"
            )
            server.feature(lsp.TEXT_DOCUMENT_DIAGNOSTIC, options)(pull_handler)

    pulled: set[str] = set()  # files that have been answered with the whole tree's findings

    async def complete_then_refresh(path: str) -> None:
        await server.indexed.wait()
        await server.background(findings, server, {path})
        await server.workspace_diagnostic_refresh_async(None)

    @guarded(lsp.RelatedFullDocumentDiagnosticReport(items=[]))
    async def pull_handler(params: lsp.DocumentDiagnosticParams) -> lsp.DocumentDiagnosticReport:
        path = server.path_of(params.text_document.uri)
        if path is None:
            return lsp.RelatedFullDocumentDiagnosticReport(items=[])
        first = path not in pulled
        pulled.intersection_update(server.open_paths())
        pulled.add(path)
        # The first pull answers at once with what the file alone shows, then asks the client
        # to pull again once the whole tree is checked.
        if not first:
            await server.indexed.wait()
        result = await server.run(findings, server, {path}, first)
        if first:
            server.spawn(complete_then_refresh(path))
        items = [to_lsp(server, d) for d in result.get(path, [])]
        return lsp.RelatedFullDocumentDiagnosticReport(items=items)

    server.init_hooks.append(on_initialize)
