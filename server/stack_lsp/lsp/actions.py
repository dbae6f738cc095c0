"""Code actions: quick fixes for Terraform contract findings (`fixes.py`) — rename an
undeclared var to a close declared name, add the missing required variables."""

from __future__ import annotations

from lsprotocol import types as lsp

from .. import fixes
from .projects import Project
from .server import StackServer, guarded

CODES = frozenset(["STK502", "STK503"])


def register(server: StackServer) -> None:
    def job(
        project: Project, path: str, line: int, col: int, uri: str, codes: set[str], text: str
    ) -> list[lsp.CodeAction]:
        spot = project.spot(path, line, col)
        if spot is None:
            return []
        out: list[lsp.CodeAction] = []
        for fix in fixes.fixes(project.stacks, path, text, spot, codes):
            edits = [lsp.TextEdit(server.range_of(span, path), new) for span, new in fix.edits]
            out.append(
                lsp.CodeAction(
                    title=fix.title,
                    kind=lsp.CodeActionKind.QuickFix,
                    edit=lsp.WorkspaceEdit(changes={uri: edits}),
                    is_preferred=len(out) == 0,
                )
            )
        return out

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    @guarded([])
    async def code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        uri = params.text_document.uri
        doc = server.workspace.text_documents.get(uri)
        found: list[lsp.CodeAction] = []
        if doc is None:
            return found
        for diagnostic in params.context.diagnostics:
            if diagnostic.source != "stack-lsp" or diagnostic.code not in CODES:
                continue
            answer = await server.at(
                uri, diagnostic.range.start, job, uri, {str(diagnostic.code)}, doc.source
            )
            found.extend(answer or [])
        return found
