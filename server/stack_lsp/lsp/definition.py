"""Go to definition: an import entry → the file(s); an `inherits` entry or a legacy
`component:` → where that component is defined; `metadata.component` → the Terraform
directory; a key under a component → every layer that wrote its value in this stack, the final
one first. Go to declaration on such a key: the base-most layer."""

from __future__ import annotations

from lsprotocol import types as lsp

from .. import queries
from .projects import Project
from .server import StackServer, guarded


def register(server: StackServer) -> None:
    def job(project: Project, path: str, line: int, col: int) -> list[lsp.Location]:
        spot = project.spot(path, line, col)
        if spot is None:
            return []
        return [
            server.location(p.file, p.span) for p in queries.definition(project.stacks, path, spot)
        ]

    def declaration_job(project: Project, path: str, line: int, col: int) -> list[lsp.Location]:
        spot = project.spot(path, line, col)
        found = queries.declaration(project.stacks, path, spot) if spot is not None else None
        return [] if found is None else [server.location(found.file, found.span)]

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @guarded([])
    async def definition(params: lsp.DefinitionParams) -> list[lsp.Location] | None:
        return await server.at(params.text_document.uri, params.position, job)

    @server.feature(lsp.TEXT_DOCUMENT_DECLARATION)
    @guarded([])
    async def declaration(params: lsp.DeclarationParams) -> list[lsp.Location] | None:
        return await server.at(params.text_document.uri, params.position, declaration_job)
