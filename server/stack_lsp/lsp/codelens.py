"""Code lens, for clients that support it: on a manifest that is not a stack, "imported by N
stacks"; on a stack file, the stack name. The lens command `stack-lsp.showStacks` returns the
stack names. On an edited file other stacks import, what its unsaved edits change
(`impact.LiveImpact`)."""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp

from .. import queries
from ..tree import ZERO_SPAN
from .impact import live
from .projects import Project
from .server import StackServer, guarded

SHOW_STACKS = "stack-lsp.showStacks"


def stacks_of(project: Project, path: str) -> list[str]:
    stacks = project.stacks
    return sorted(
        {
            n
            for f in queries.stack_files_reaching(stacks, path)
            for n in queries.stack_names(stacks.stack_file(f))
        }
    )


def register(server: StackServer) -> None:
    impact = live(server)

    def job(project: Project, path: str) -> list[lsp.CodeLens]:
        names = stacks_of(project, path)
        if project.ws.is_stack_file(path):
            title = "stack " + ", ".join(names) if names else "stack (no components)"
        else:
            title = f"imported by {len(names)} stack{'s' if len(names) != 1 else ''}"
        command = lsp.Command(title=title, command=SHOW_STACKS, arguments=[server.uri_of(path)])
        return [lsp.CodeLens(server.range_of(ZERO_SPAN, path), command), *impact.lens(path)]

    async def lenses(params: lsp.CodeLensParams) -> list[lsp.CodeLens] | None:
        return await server.in_file(params.text_document.uri, job)

    server.feature_if(
        lambda td: td.code_lens,
        lsp.TEXT_DOCUMENT_CODE_LENS,
        lsp.CodeLensOptions(resolve_provider=False),
        lenses,
    )

    @server.command(SHOW_STACKS)
    @guarded([])
    async def show_stacks(*args: Any) -> list[str]:
        uri = args[0] if args and isinstance(args[0], str) else None
        if uri is None:
            return []
        return await server.in_file(uri, stacks_of) or []
