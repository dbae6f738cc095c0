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


def findings(server: StackServer, paths: set[str]) -> dict[str, list[Diagnostic]]:
    """On the engine thread: the findings placed in `paths`, by file."""
    out: dict[str, list[Diagnostic]] = {p: [] for p in paths}
    for project in list(server.projects.items):
        mine = {p for p in paths if project.owns(p)}
        if mine:
            out.update(project.findings_for(mine))
    return out


class Publisher:
    def __init__(self, server: StackServer) -> None:
        self.server = server
        self.timer: asyncio.TimerHandle | None = None
        self.running = False
        self.dirty = False
        self.published: set[str] = set()

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
        result = await server.background(findings, server, set(opened))
        for path, uri in server.open_paths().items():
            if path not in result:
                continue
            doc = server.workspace.text_documents.get(uri)
            items = [to_lsp(server, d) for d in result[path]]
            server.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri, items, doc.version if doc is not None else None)
            )
            self.published.add(uri)
        still_open = set(server.open_paths().values())
        for uri in self.published - still_open:
            server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))
        self.published &= still_open


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

    @guarded(lsp.RelatedFullDocumentDiagnosticReport(items=[]))
    async def pull_handler(params: lsp.DocumentDiagnosticParams) -> lsp.DocumentDiagnosticReport:
        path = server.path_of(params.text_document.uri)
        if path is None:
            return lsp.RelatedFullDocumentDiagnosticReport(items=[])
        result = await server.run(findings, server, {path})
        return lsp.RelatedFullDocumentDiagnosticReport(
            items=[to_lsp(server, d) for d in result.get(path, [])]
        )

    server.init_hooks.append(on_initialize)
