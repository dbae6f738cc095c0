"""References: on a component name, where it is defined and named (inherits, legacy
`component:`); anywhere else in a file, the import entries that import it."""

from __future__ import annotations

from lsprotocol import types as lsp

from .. import queries
from .projects import Project
from .server import StackServer, guarded


def register(server: StackServer) -> None:
    def job(project: Project, path: str, line: int, col: int) -> list[lsp.Location]:
        spot = project.spot(path, line, col)
        places = queries.references(project.stacks, path, spot)
        return [server.location(p.file, p.span) for p in places]

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    @guarded([])
    async def references(params: lsp.ReferenceParams) -> list[lsp.Location] | None:
        return await server.at(params.text_document.uri, params.position, job)
