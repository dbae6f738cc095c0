"""Document links: each import entry that names one file links to it (with a tooltip naming
the file, for clients that show tooltips)."""

from __future__ import annotations

from lsprotocol import types as lsp

from .projects import Project
from .server import StackServer, guarded


def register(server: StackServer) -> None:
    tooltips = [False]

    def on_initialize(params: lsp.InitializeParams) -> None:
        link = params.capabilities.text_document and params.capabilities.text_document.document_link
        tooltips[0] = bool(link and link.tooltip_support)

    server.init_hooks.append(on_initialize)

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
                    tooltip=project.config.rel(targets[0]) if tooltips[0] else None,
                )
            )
        return out

    @server.feature(
        lsp.TEXT_DOCUMENT_DOCUMENT_LINK, lsp.DocumentLinkOptions(resolve_provider=False)
    )
    @guarded([])
    async def links(params: lsp.DocumentLinkParams) -> list[lsp.DocumentLink] | None:
        return await server.in_file(params.text_document.uri, job)
