"""Rename and move: `textDocument/prepareRename` and `rename` on a component (its key, an
`inherits` entry, a legacy `component:`) or on a key of a component's vars/settings/env, and
`workspace/willRenameFiles`, which rewrites the imports of manifests moved in the editor's
file explorer (the client applies the edit before it moves the files)."""

from __future__ import annotations

from collections import defaultdict

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException

from .. import refactor
from .projects import Project
from .server import StackServer, guarded

REQUEST_FAILED = -32803
NOTES = "stack-lsp.notes"


def workspace_edit(server: StackServer, found: refactor.Refactoring) -> lsp.WorkspaceEdit | None:
    """The edits as one WorkspaceEdit (document changes with the notes as a change annotation
    when the client supports them); the notes are also shown as a message, for every client."""
    if found.notes:
        server.window_show_message(
            lsp.ShowMessageParams(lsp.MessageType.Warning, "stack-lsp: " + "; ".join(found.notes))
        )
    if not found.edits:
        return None
    by_file: dict[str, list[refactor.Edit]] = defaultdict(list)
    for edit in found.edits:
        by_file[edit.file].append(edit)
    caps = server.client_capabilities.workspace
    ws_edit = caps.workspace_edit if caps is not None else None
    annotated = bool(ws_edit and ws_edit.change_annotation_support and found.notes)
    if not (ws_edit and ws_edit.document_changes):
        return lsp.WorkspaceEdit(
            changes={
                server.uri_of(file): [
                    lsp.TextEdit(server.range_of(e.span, file), e.text) for e in edits
                ]
                for file, edits in by_file.items()
            }
        )
    changes: list[lsp.TextDocumentEdit] = []
    for file, edits in by_file.items():
        uri = server.uri_of(file)
        doc = server.workspace.text_documents.get(uri)
        text_edits: list[lsp.TextEdit | lsp.AnnotatedTextEdit | lsp.SnippetTextEdit] = [
            lsp.AnnotatedTextEdit(NOTES, server.range_of(e.span, file), e.text)
            if annotated
            else lsp.TextEdit(server.range_of(e.span, file), e.text)
            for e in edits
        ]
        identifier = lsp.OptionalVersionedTextDocumentIdentifier(
            uri, doc.version if doc is not None else None
        )
        changes.append(lsp.TextDocumentEdit(identifier, text_edits))
    annotations = (
        {NOTES: lsp.ChangeAnnotation("stack-lsp", description="\n".join(found.notes))}
        if annotated
        else None
    )
    return lsp.WorkspaceEdit(document_changes=changes, change_annotations=annotations)


def register(server: StackServer) -> None:
    def prepare_job(
        project: Project, path: str, line: int, col: int
    ) -> refactor.RenameTarget | None:
        text = project.stacks.ws.text(path)[0] or ""
        return refactor.target_at(project.spot(path, line, col), text)

    def rename_job(
        project: Project, path: str, line: int, col: int, new: str
    ) -> refactor.Refactoring:
        target = prepare_job(project, path, line, col)
        if target is None:
            raise refactor.RenameRefused("only a component or a key of a component can be renamed")
        return refactor.rename(project.stacks, path, target, new)

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded(None)
    async def prepare_rename(
        params: lsp.PrepareRenameParams,
    ) -> lsp.PrepareRenamePlaceholder | None:
        target = await server.at(params.text_document.uri, params.position, prepare_job)
        if target is None:
            return None
        file = server.path_of(params.text_document.uri)
        return lsp.PrepareRenamePlaceholder(server.range_of(target.span, file), target.name)

    @server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
    async def rename(params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        try:
            found = await server.at(
                params.text_document.uri, params.position, rename_job, params.new_name
            )
        except refactor.RenameRefused as exc:
            raise JsonRpcException(str(exc), REQUEST_FAILED) from exc
        return None if found is None else workspace_edit(server, found)

    def moves_job(pairs: list[tuple[str, str]]) -> refactor.Refactoring:
        out = refactor.Refactoring()
        for project in list(server.projects.items):
            mine = [(old, new) for old, new in pairs if project.owns(old)]
            if mine:
                found = refactor.moves(project.stacks, mine)
                out.edits += found.edits
                out.notes += found.notes
        return out

    manifests = lsp.FileOperationFilter(
        lsp.FileOperationPattern("**/*.{yaml,yml,tmpl}", lsp.FileOperationPatternKind.File),
        scheme="file",
    )
    folders = lsp.FileOperationFilter(
        lsp.FileOperationPattern("**", lsp.FileOperationPatternKind.Folder), scheme="file"
    )

    @server.feature(
        lsp.WORKSPACE_WILL_RENAME_FILES,
        lsp.FileOperationRegistrationOptions([manifests, folders]),
    )
    @guarded(None)
    async def will_rename_files(params: lsp.RenameFilesParams) -> lsp.WorkspaceEdit | None:
        pairs = [
            (old, new)
            for f in params.files
            if (old := server.path_of(f.old_uri)) is not None
            and (new := server.path_of(f.new_uri)) is not None
        ]
        if not pairs:
            return None
        return workspace_edit(server, await server.run(moves_job, pairs))
