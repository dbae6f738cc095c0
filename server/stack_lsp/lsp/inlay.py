"""Inlay hints, for clients that support them: after a value that is overridden elsewhere,
what wins (in one stack) or in how many of the stacks reaching the file it is overridden."""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp

from .. import queries
from ..provenance import Origin
from .hover import short
from .projects import Project
from .server import StackServer


def where_of(project: Project, origin: Origin) -> str:
    return f"{project.config.rel(origin.file)}:{origin.line}"


def register(server: StackServer) -> None:
    def job(
        project: Project, path: str, first: int, last: int, cancelled: Any
    ) -> list[lsp.InlayHint]:
        root = project.tree(path)
        if root is None:
            return []
        stacks = project.stacks
        usage = queries.file_usage(stacks, path, cancelled)
        out: list[lsp.InlayHint] = []
        for key_path, key in usage.keys.items():
            node = root.find(key_path)
            if node is None or not key.overridden_by or node.is_map:
                continue
            span = node.source.span
            if not first <= span.end_line <= last:
                continue
            ranked = key.overriders()
            winner, _ = ranked[0]
            if len(key.reached) == 1:
                where = where_of(project, winner)
                label = f"overridden → {short(winner.value.plain(), 30)} ({where})"
            else:
                lost = len(key.reached) - len(key.final_in)
                label = f"overridden in {lost}/{len(key.reached)} stacks"
            out.append(
                lsp.InlayHint(
                    position=lsp.Position(span.end_line, span.end_col),
                    label=label,
                    padding_left=True,
                    tooltip=f"{queries.layer_label(stacks, winner)}: {where_of(project, winner)}",
                )
            )
        out.sort(key=lambda hint: (hint.position.line, hint.position.character))
        return out

    async def hints(params: lsp.InlayHintParams) -> list[lsp.InlayHint] | None:
        lines = (params.range.start.line, params.range.end.line)
        return await server.in_file_cancellable(params.text_document.uri, job, *lines)

    server.feature_if(
        lambda td: td.inlay_hint,
        lsp.TEXT_DOCUMENT_INLAY_HINT,
        lsp.InlayHintOptions(resolve_provider=False),
        hints,
    )
