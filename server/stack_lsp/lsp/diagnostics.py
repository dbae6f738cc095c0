"""Diagnostics from `validation.check`, debounced after every change.

Pushed (`textDocument/publishDiagnostics`) to every open file; when the client can pull
(`textDocument/diagnostic`) and be told to re-pull (`workspace/diagnostic/refresh`), it pulls
instead, with `interFileDependencies`. Editing a mixin re-checks the open files that import it,
since every change re-checks all open files of the project.
"""

from __future__ import annotations

import asyncio
import logging

from lsprotocol import types as lsp

from ..diagnostics import Diagnostic
from .server import StackServer, guarded

log = logging.getLogger(__name__)

DEBOUNCE = 0.25


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


class Publisher:
    def __init__(self, server: StackServer) -> None:
        self.server = server
        self.timer: asyncio.TimerHandle | None = None
        self.running = False
        self.dirty = False
        self.published: set[str] = set()
        self.complete: set[str] = set()  # documents that have had the whole tree's findings

    def schedule(self, delay: float = DEBOUNCE) -> None:
        if self.timer is not None:
            self.timer.cancel()
        loop = asyncio.get_running_loop()
        self.timer = loop.call_later(delay, lambda: self.server.spawn(self.publish()))

    async def publish(self) -> None:
        if self.running:
            self.dirty = True
            return
        self.running = True
        try:
            while True:
                self.dirty = False
                await self._once()
                if not self.dirty:
                    break
        finally:
            self.running = False

    async def _once(self) -> None:
        server = self.server
        if server.pull_diagnostics:
            await server.workspace_diagnostic_refresh_async(None)
            return
        opened = server.open_paths()
        early = {path for path, uri in opened.items() if uri not in self.complete}
        if early:  # newly opened: show what the file alone says while the tree is checked
            self._send(await server.run(findings, server, early, True))
        await server.indexed.wait()  # the whole-tree check is one job: never before indexing
        shown = {path for path, uri in opened.items() if uri in self.complete}
        if shown:  # after an edit: first what the open stacks themselves show
            self._send(await server.run(quick_findings, server, shown))
        result = await server.background(findings, server, set(opened))
        self.complete.update(self._send(result))
        still_open = set(server.open_paths().values())
        for uri in self.published - still_open:
            server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))
        self.published &= still_open
        self.complete &= still_open

    def _send(self, result: dict[str, list[Diagnostic]]) -> set[str]:
        """Publish `result` to the documents still open; the uris published."""
        sent: set[str] = set()
        for path, uri in self.server.open_paths().items():
            if path not in result:
                continue
            doc = self.server.workspace.text_documents.get(uri)
            items = [to_lsp(self.server, d) for d in result[path]]
            self.server.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri, items, doc.version if doc is not None else None)
            )
            sent.add(uri)
        self.published |= sent
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
