"""Semantic tokens for manifests (`textDocument/semanticTokens/full`): the core's tokens
(`tokens.py`) in LSP's relative encoding, columns in the client's units."""

from __future__ import annotations

from collections.abc import Callable

from lsprotocol import types as lsp

from .. import tokens
from .projects import Project
from .server import StackServer, guarded

LEGEND = lsp.SemanticTokensLegend(list(tokens.KINDS), list(tokens.MODIFIERS))


def register(server: StackServer) -> None:
    def job(project: Project, path: str, cancelled: Callable[[], bool]) -> list[int]:
        data: list[int] = []
        line = col = 0
        for token in tokens.tokens(project.stacks, path, cancelled):
            where = server.range_of(token.span, path)
            start, end = where.start, where.end
            data += [
                start.line - line,
                start.character - (col if start.line == line else 0),
                end.character - start.character,
                tokens.KINDS.index(token.kind),
                sum(1 << tokens.MODIFIERS.index(m) for m in token.modifiers),
            ]
            line, col = start.line, start.character
        return data

    @server.feature(
        lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL,
        lsp.SemanticTokensRegistrationOptions(legend=LEGEND, full=True),
    )
    @guarded(None)
    async def full(params: lsp.SemanticTokensParams) -> lsp.SemanticTokens | None:
        data = await server.in_file_cancellable(params.text_document.uri, job)
        return None if data is None else lsp.SemanticTokens(data=data)
