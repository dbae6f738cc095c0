"""Completion: import paths (with a preview, sent when the client resolves the item), base
components for `inherits`, Terraform directories for `metadata.component`, manifest keys,
component variables and enum values; in workflow files, stacks, commands and components; in
atmos.yaml, its keys and allowed values.
Works on the half-typed text of the buffer, not on the last parse."""

from __future__ import annotations

from lsprotocol import types as lsp

from .. import atmos_config_queries, suggest, workflow_queries
from .projects import Project
from .server import StackServer, guarded

KINDS = {
    suggest.KEY: lsp.CompletionItemKind.Property,
    suggest.VALUE: lsp.CompletionItemKind.Value,
    suggest.FILE: lsp.CompletionItemKind.File,
    suggest.COMPONENT: lsp.CompletionItemKind.Class,
    suggest.FOLDER: lsp.CompletionItemKind.Folder,
    suggest.VARIABLE: lsp.CompletionItemKind.Variable,
    suggest.ENUM: lsp.CompletionItemKind.EnumMember,
}

TRIGGERS = ["/", ".", ":", " ", "-"]


def register(server: StackServer) -> None:
    def job(project: Project, path: str, line: int, col: int, text: str) -> lsp.CompletionList:
        if path == project.config.config_file:
            found = atmos_config_queries.complete(text, line, col)
        elif project.ws.in_workflows(path):
            found = workflow_queries.complete(project.stacks, path, text, line, col)
        else:
            found = suggest.complete(project.stacks, path, text, line, col)
        replace = lsp.Range(lsp.Position(line, found.start), lsp.Position(line, col))
        items = [
            lsp.CompletionItem(
                label=item.label,
                kind=KINDS[item.kind],
                detail=item.detail or None,
                documentation=lsp.MarkupContent(lsp.MarkupKind.Markdown, item.documentation)
                if item.documentation
                else None,
                sort_text=item.sort or None,
                filter_text=item.label,
                text_edit=lsp.TextEdit(replace, item.insert or item.label),
                data={"file": item.file} if item.file else None,
            )
            for item in found.items
        ]
        return lsp.CompletionList(is_incomplete=found.incomplete, items=items)

    def resolve_job(item: lsp.CompletionItem) -> lsp.CompletionItem:
        file = item.data.get("file") if isinstance(item.data, dict) else None
        if isinstance(file, str):
            project = server.projects.for_path(file)
            doc = suggest.file_documentation(project.stacks, file) if project is not None else ""
            if doc:
                item.documentation = lsp.MarkupContent(lsp.MarkupKind.Markdown, doc)
        return item

    @server.feature(lsp.COMPLETION_ITEM_RESOLVE)
    @guarded(None)
    async def resolve(item: lsp.CompletionItem) -> lsp.CompletionItem | None:
        return await server.run(resolve_job, item)

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=TRIGGERS, resolve_provider=True),
    )
    @guarded(lsp.CompletionList(is_incomplete=False, items=[]))
    async def completion(params: lsp.CompletionParams) -> lsp.CompletionList | None:
        uri = params.text_document.uri
        doc = server.workspace.text_documents.get(uri)
        if doc is None:
            return None
        return await server.at(uri, params.position, job, doc.source)
