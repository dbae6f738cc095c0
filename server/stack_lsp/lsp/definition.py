"""Go to definition: an import entry → the file(s); an `inherits` entry or a legacy
`component:` → where that component is defined; `metadata.component` → the Terraform
directory; a key under a component → where its final value in this stack is written; in a
workflow file, a stack → its stack files and a component → where the step's stack defines it."""

from __future__ import annotations

from lsprotocol import types as lsp

from .. import queries, workflow_queries
from .projects import Project
from .server import StackServer, guarded


def register(server: StackServer) -> None:
    def job(project: Project, path: str, line: int, col: int) -> list[lsp.Location]:
        if project.ws.in_workflows(path):
            places = workflow_queries.definition(project.stacks, path, line, col)
            return [server.location(p.file, p.span) for p in places]
        spot = project.spot(path, line, col)
        if spot is None:
            return []
        return [
            server.location(p.file, p.span) for p in queries.definition(project.stacks, path, spot)
        ]

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @guarded([])
    async def definition(params: lsp.DefinitionParams) -> list[lsp.Location] | None:
        return await server.at(params.text_document.uri, params.position, job)
