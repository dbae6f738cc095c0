"""Code actions: the quick fixes a finding knows (a missing import's closest paths), suppressing
a finding on its line or in its file, and source.fixAll."""

from __future__ import annotations

from lsprotocol import types as lsp

from tests.lsp.conftest import Session, rng

DEFAULTS = "stacks/deployments/acme/_defaults.yaml"


async def actions(
    s: Session, uri: str, diagnostics: list[lsp.Diagnostic], only: list[str] | None = None
) -> list[lsp.CodeAction]:
    where = diagnostics[0].range if diagnostics else rng(0, 0, 0, 0)
    result = await s.client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri), where, lsp.CodeActionContext(diagnostics, only=only)
        )
    )
    return [a for a in result or [] if isinstance(a, lsp.CodeAction)]


def edits(action: lsp.CodeAction) -> list[tuple[lsp.Range, str]]:
    assert action.edit is not None and action.edit.changes is not None
    return [(e.range, e.new_text) for items in action.edit.changes.values() for e in items]


async def test_a_missing_import_offers_the_closest_paths_and_suppressions(small: Session) -> None:
    text = small.path(DEFAULTS).read_text().replace("mixins/region", "mixins/regoin")
    uri = await small.open(DEFAULTS, text)
    found = await small.diagnostics_for(uri, lambda d: bool(d))
    assert [d.code for d in found] == ["STK101"]
    offered = await actions(small, uri, found)
    assert [a.title for a in offered] == [
        "Replace with 'mixins/region'",
        "Suppress STK101 on this line",
        "Suppress STK101 in this file",
    ]
    assert offered[0].kind == lsp.CodeActionKind.QuickFix and offered[0].is_preferred
    assert edits(offered[0]) == [(rng(1, 4, 1, 17), "mixins/region")]
    assert edits(offered[1]) == [(rng(1, 0, 1, 0), "  # stack-lsp: ignore[STK101]\n")]
    assert edits(offered[2]) == [(rng(0, 0, 0, 0), "# stack-lsp: ignore-file[STK101]\n")]


async def test_an_applied_suppression_silences_the_finding(small: Session) -> None:
    text = small.path(DEFAULTS).read_text().replace("mixins/region", "mixins/regoin")
    uri = await small.open(DEFAULTS, "# stack-lsp: ignore-file[STK101]\n" + text)
    assert await small.diagnostics_for(uri) == []


async def test_fix_all_applies_the_single_candidate_fixes(small: Session) -> None:
    text = small.path(DEFAULTS).read_text().replace("mixins/region", "mixins/regoin")
    uri = await small.open(DEFAULTS, text)
    await small.diagnostics_for(uri, lambda d: bool(d))
    offered = await actions(small, uri, [], only=[lsp.CodeActionKind.SourceFixAll])
    assert [(a.kind, edits(a)) for a in offered] == [
        (lsp.CodeActionKind.SourceFixAll, [(rng(1, 4, 1, 17), "mixins/region")])
    ]
