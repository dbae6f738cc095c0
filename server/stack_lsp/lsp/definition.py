"""Go to definition: an import entry → the file(s); an `inherits` entry or a legacy
`component:` → where that component is defined; `metadata.component` → the Terraform
directory; a key under a component → every layer that wrote its value in this stack, the final
one first (go to declaration: the base-most layer); in a workflow file, a stack → its stack
files and a component → where the step's stack defines it; in a vendor manifest, a target → the
component directory."""

from __future__ import annotations

import os

from lsprotocol import types as lsp

from .. import queries, vendoring, workflow_queries
from ..tree import ZERO_SPAN
from ..validation.atmos_config import read_document
from .projects import Project
from .server import StackServer, guarded


def register(server: StackServer) -> None:
    def job(project: Project, path: str, line: int, col: int) -> list[lsp.Location]:
        if path in project.vendor_files:
            sources = vendoring.read_sources(read_document(project.ws, path))
            target = vendoring.target_at(sources, line, col)
            found = target.directory if target is not None else None
            return [server.location(found, ZERO_SPAN)] if found and os.path.isdir(found) else []
        if project.ws.in_workflows(path):
            places = workflow_queries.definition(project.stacks, path, line, col)
            return [server.location(p.file, p.span) for p in places]
        spot = project.spot(path, line, col)
        if spot is None:
            return []
        return [
            server.location(p.file, p.span) for p in queries.definition(project.stacks, path, spot)
        ]

    def declaration_job(project: Project, path: str, line: int, col: int) -> list[lsp.Location]:
        spot = project.spot(path, line, col)
        found = queries.base_layer(project.stacks, path, spot) if spot is not None else None
        return [] if found is None else [server.location(found.file, found.span)]

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @guarded([])
    async def definition(params: lsp.DefinitionParams) -> list[lsp.Location] | None:
        return await server.at(params.text_document.uri, params.position, job)

    @server.feature(lsp.TEXT_DOCUMENT_DECLARATION)
    @guarded([])
    async def declaration(params: lsp.DeclarationParams) -> list[lsp.Location] | None:
        return await server.at(params.text_document.uri, params.position, declaration_job)
