"""Document links: each import entry that names one file links to it."""

from __future__ import annotations

from lsprotocol import types as lsp

from .projects import Project
from .server import StackServer, guarded


def register(server: StackServer) -> None:
    def job(project: Project, path: str) -> list[lsp.DocumentLink]:
        out: list[lsp.DocumentLink] = []
        for link in project.ws.links(path):
            targets = link.resolution.targets
            if len(targets) != 1 or link.resolution.is_glob:
                continue
            value = link.entry.path_value
            out.append(
                lsp.DocumentLink(
                    server.range_of(value.source.span, path),
                    server.uri_of(targets[0]),
                    tooltip=project.config.rel(targets[0]),
                )
            )
        return out

    @server.feature(
        lsp.TEXT_DOCUMENT_DOCUMENT_LINK, lsp.DocumentLinkOptions(resolve_provider=False)
    )
    @guarded([])
    async def links(params: lsp.DocumentLinkParams) -> list[lsp.DocumentLink] | None:
        return await server.in_file(params.text_document.uri, job)
