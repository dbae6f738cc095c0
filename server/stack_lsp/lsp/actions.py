"""Code actions: quick fixes for findings that know the names that would resolve them (a missing
import, an unknown base component, an unknown manifest key), the Terraform contract's fixes
(`fixes.py`: rename an undeclared var to a close declared name, add the missing required
variables), suppressing a finding on its line or in its file, and `source.fixAll` — every fix
that has exactly one candidate, offered when a client asks for it by kind (on save, or "Fix
all"), since it checks the whole file."""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp

from .. import fixes, refactor
from ..validation import policy
from .diagnostics import pull_findings, to_lsp
from .projects import Project
from .server import StackServer, guarded

KINDS = [lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll]
CONTRACT_CODES = frozenset(["STK502", "STK503"])


def fixes_of(diagnostic: lsp.Diagnostic) -> list[str]:
    data: Any = diagnostic.data
    found = data.get("fixes") if isinstance(data, dict) else None
    return [str(f) for f in found] if isinstance(found, list) else []


def register(server: StackServer) -> None:
    def text_of(uri: str) -> str:
        return server.workspace.get_text_document(uri).source

    def edit(uri: str, edits: list[lsp.TextEdit]) -> lsp.WorkspaceEdit:
        return lsp.WorkspaceEdit(changes={uri: edits})

    def replacement(uri: str, diagnostic: lsp.Diagnostic, new: str) -> lsp.TextEdit:
        """`new` in place of the diagnostic's text, keeping the quotes it was written with."""
        doc = server.workspace.get_text_document(uri)
        start = doc.offset_at_position(diagnostic.range.start)
        end = doc.offset_at_position(diagnostic.range.end)
        return lsp.TextEdit(diagnostic.range, refactor.requote(doc.source[start:end], new))

    def contract_job(
        project: Project, path: str, line: int, col: int, uri: str, code: str, text: str
    ) -> list[lsp.CodeAction]:
        spot = project.spot(path, line, col)
        if spot is None:
            return []
        out: list[lsp.CodeAction] = []
        for fix in fixes.fixes(project.stacks, path, text, spot, {code}):
            edits = [lsp.TextEdit(server.range_of(span, path), new) for span, new in fix.edits]
            out.append(
                lsp.CodeAction(
                    title=fix.title,
                    kind=lsp.CodeActionKind.QuickFix,
                    edit=lsp.WorkspaceEdit(changes={uri: edits}),
                    is_preferred=len(out) == 0,
                )
            )
        return out

    def suppressions(uri: str, path: str, diagnostic: lsp.Diagnostic) -> list[lsp.CodeAction]:
        code = str(diagnostic.code)
        lines = text_of(uri).split("\n")
        line, _ = server.point(uri, diagnostic.range.start)
        out = []
        for title, found in (
            (f"Suppress {code} on this line", policy.suppress_on_line(path, lines, line, code)),
            (f"Suppress {code} in this file", policy.suppress_in_file(path, lines, code)),
        ):
            text_edit = lsp.TextEdit(server.range_of(found.span, path), found.text)
            out.append(
                lsp.CodeAction(
                    title,
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=edit(uri, [text_edit]),
                )
            )
        return out

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=KINDS))
    @guarded([])
    async def code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        uri = params.text_document.uri
        path = server.path_of(uri)
        if path is None or uri not in server.workspace.text_documents:
            return []
        only = params.context.only or []

        def asked(kind: str) -> bool:
            return any(kind == k or kind.startswith(k + ".") for k in only)

        actions: list[lsp.CodeAction] = []
        if not only or asked(lsp.CodeActionKind.QuickFix):
            for diagnostic in params.context.diagnostics:
                if diagnostic.source != "stack-lsp" or diagnostic.code is None:
                    continue
                for fix in fixes_of(diagnostic):
                    actions.append(
                        lsp.CodeAction(
                            f"Replace with '{fix}'",
                            kind=lsp.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic],
                            is_preferred=len(fixes_of(diagnostic)) == 1,
                            edit=edit(uri, [replacement(uri, diagnostic, fix)]),
                        )
                    )
                if diagnostic.code in CONTRACT_CODES:
                    actions += (
                        await server.at(
                            uri,
                            diagnostic.range.start,
                            contract_job,
                            uri,
                            str(diagnostic.code),
                            text_of(uri),
                        )
                        or []
                    )
                actions += suppressions(uri, path, diagnostic)
        if asked(lsp.CodeActionKind.SourceFixAll):  # asked for by name only: it checks the file
            result = await server.run(pull_findings, server, path)
            safe = [d for d in (to_lsp(server, f) for f in result) if len(fixes_of(d)) == 1]
            if safe:
                actions.append(
                    lsp.CodeAction(
                        "Fix all stack-lsp findings with one fix",
                        kind=lsp.CodeActionKind.SourceFixAll,
                        diagnostics=safe,
                        edit=edit(uri, [replacement(uri, d, fixes_of(d)[0]) for d in safe]),
                    )
                )
        return actions
