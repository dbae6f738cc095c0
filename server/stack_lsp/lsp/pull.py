"""Pulled diagnostics: `textDocument/diagnostic` and `workspace/diagnostic` (LSP 3.17).

A document pull is answered with what the workspace shows now: its job is queued on the engine
after the edits that came before it, and it is computed again if an edit came while it ran, so
no result from before an edit is served after it. While a change is being checked, a stack file
gets what its own stack shows (as a push client does); `Publisher` asks for pulls again once the
whole tree is checked. A workspace pull is answered once the whole tree's reports are current,
with only the files whose result changed (`unchanged` for the others the client named); when
none did, it waits for the next change (VS Code pulls the workspace again two seconds after an
answer) — except the session's first, answered as soon as the tree is checked.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from .diagnostics import WORKSPACE, Publisher, pull_findings, report_of
from .server import StackServer, guarded

CHUNK = 200  # documents per partial result


def register(server: StackServer, publisher: Publisher) -> None:
    """Pulls for clients that can pull and be told to pull again, as `diagnostics` decided at
    initialize (its hook runs first)."""

    def on_initialize(_: lsp.InitializeParams) -> None:
        if server.pull_diagnostics:
            _handlers(server, publisher, workspace=publisher.scope == WORKSPACE)

    server.init_hooks.append(on_initialize)


def _handlers(server: StackServer, publisher: Publisher, workspace: bool) -> None:
    options = lsp.DiagnosticOptions(
        inter_file_dependencies=True, workspace_diagnostics=workspace, identifier="stack-lsp"
    )

    @guarded(lsp.RelatedFullDocumentDiagnosticReport(items=[]))
    async def document(params: lsp.DocumentDiagnosticParams) -> lsp.DocumentDiagnosticReport:
        uri = params.text_document.uri
        path = server.path_of(uri)
        if path is None:
            return lsp.RelatedFullDocumentDiagnosticReport(items=[])
        while True:
            before = publisher.versions()
            found = await server.run(pull_findings, server, path)
            if publisher.versions() == before:
                break
        report = report_of(server, found)
        publisher.answered[uri] = report.result_id
        if params.previous_result_id == report.result_id:
            return lsp.RelatedUnchangedDocumentDiagnosticReport(result_id=report.result_id)
        return lsp.RelatedFullDocumentDiagnosticReport(
            items=report.items, result_id=report.result_id
        )

    server.feature(lsp.TEXT_DOCUMENT_DIAGNOSTIC, options)(document)
    if not workspace:
        return

    @guarded(lsp.WorkspaceDiagnosticReport(items=[]))
    async def whole(params: lsp.WorkspaceDiagnosticParams) -> lsp.WorkspaceDiagnosticReport:
        previous = {p.uri: p.value for p in params.previous_result_ids}
        seen = -1
        while True:
            await publisher.settled_after(seen)
            seen = publisher.settled
            items = changed(publisher, previous)
            if not publisher.workspace_pulled or any(
                isinstance(i, lsp.WorkspaceFullDocumentDiagnosticReport) for i in items
            ):
                break
        publisher.workspace_pulled = True  # the first is answered once the tree is checked
        token = params.partial_result_token
        if token is None:
            return lsp.WorkspaceDiagnosticReport(items=items)
        for start in range(0, len(items), CHUNK):
            part = lsp.WorkspaceDiagnosticReportPartialResult(items[start : start + CHUNK])
            server.progress(lsp.ProgressParams(token, part))
        return lsp.WorkspaceDiagnosticReport(items=[])

    server.feature(lsp.WORKSPACE_DIAGNOSTIC)(whole)


def changed(
    publisher: Publisher, previous: dict[str, str]
) -> list[lsp.WorkspaceDocumentDiagnosticReport]:
    """The reports for the workspace pull: in full those whose result differs from the one the
    client has (an empty one for a file whose findings went away), `unchanged` for the rest it
    named; files without findings it has not been told about are left out."""
    versions = publisher.versions()
    empty = report_of(publisher.server, []).result_id
    out: list[lsp.WorkspaceDocumentDiagnosticReport] = []
    for uri, report in publisher.reports.items():
        version = versions.get(uri)
        known = previous.get(uri)
        if known == report.result_id:
            out.append(
                lsp.WorkspaceUnchangedDocumentDiagnosticReport(
                    result_id=known, uri=uri, version=version
                )
            )
        elif report.items or known is not None:
            out.append(
                lsp.WorkspaceFullDocumentDiagnosticReport(
                    uri=uri, version=version, items=report.items, result_id=report.result_id
                )
            )
    for uri, known in previous.items():
        if uri not in publisher.reports and known != empty:
            out.append(
                lsp.WorkspaceFullDocumentDiagnosticReport(
                    uri=uri, version=None, items=[], result_id=empty
                )
            )
    return out
