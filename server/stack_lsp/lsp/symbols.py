"""Document symbols (the file's sections, components and keys; a workflow file's workflows
and steps) and workspace symbols (stacks
and the components in them)."""

from __future__ import annotations

from lsprotocol import types as lsp

from .. import queries, workflow_queries
from .projects import Project
from .server import StackServer, guarded

KINDS = {
    "section": lsp.SymbolKind.Namespace,
    "component": lsp.SymbolKind.Class,
    "key": lsp.SymbolKind.Field,
    "import": lsp.SymbolKind.File,
    "stack": lsp.SymbolKind.Module,
    "workflow": lsp.SymbolKind.Function,
    "step": lsp.SymbolKind.Event,
}


def register(server: StackServer) -> None:
    def convert(symbol: queries.Symbol) -> lsp.DocumentSymbol:
        full = server.range_of(symbol.place.span, symbol.place.file)
        selection = lsp.Range(full.start, full.start)
        return lsp.DocumentSymbol(
            name=symbol.name or '""',
            kind=KINDS[symbol.kind],
            range=full,
            selection_range=selection,
            detail=symbol.detail or None,
            children=[convert(c) for c in symbol.children] or None,
        )

    def doc_job(project: Project, path: str) -> list[lsp.DocumentSymbol]:
        if project.ws.in_workflows(path):
            return [convert(s) for s in workflow_queries.document_symbols(project.stacks, path)]
        return [convert(s) for s in queries.document_symbols(project.tree(path))]

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded([])
    async def document_symbols(params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
        return await server.in_file(params.text_document.uri, doc_job)

    def ws_job(query: str) -> list[lsp.WorkspaceSymbol]:
        out: list[lsp.WorkspaceSymbol] = []
        for project in list(server.projects.items):
            for symbol in queries.workspace_symbols(project.stacks, query):
                out.append(
                    lsp.WorkspaceSymbol(
                        name=symbol.name,
                        kind=KINDS[symbol.kind],
                        location=server.location(symbol.place.file, symbol.place.span),
                        container_name=symbol.detail or None,
                    )
                )
        return out

    @server.feature(lsp.WORKSPACE_SYMBOL)
    @guarded([])
    async def workspace_symbols(params: lsp.WorkspaceSymbolParams) -> list[lsp.WorkspaceSymbol]:
        return await server.run(ws_job, params.query)
