"""Code lens: "imported by N stacks" on shared files, the stack name on stack files."""

from __future__ import annotations

from lsprotocol import types as lsp

from tests.lsp.conftest import Session, rng


async def lenses(s: Session, rel: str) -> list[tuple[lsp.Range, str, str]]:
    uri = await s.open(rel)
    result = await s.client.text_document_code_lens_async(
        lsp.CodeLensParams(lsp.TextDocumentIdentifier(uri))
    )
    out = []
    for lens in result or []:
        assert lens.command is not None
        out.append((lens.range, lens.command.title, lens.command.command))
    return out


async def test_imported_by_n_stacks(small: Session) -> None:
    assert await lenses(small, "stacks/catalog/vpc/defaults.yaml") == [
        (rng(0, 0, 0, 0), "imported by 2 stacks", "stack-lsp.showStacks")
    ]
    assert await lenses(small, "stacks/deployments/acme/overrides/vpc.yaml") == [
        (rng(0, 0, 0, 0), "imported by 1 stack", "stack-lsp.showStacks")
    ]
    assert await lenses(small, "stacks/deployments/acme/prod.yaml") == [
        (rng(0, 0, 0, 0), "stack acme-prod", "stack-lsp.showStacks")
    ]


async def test_the_lens_command_lists_the_stacks(small: Session) -> None:
    uri = await small.open("stacks/mixins/region.yaml")
    result = await small.client.workspace_execute_command_async(
        lsp.ExecuteCommandParams("stack-lsp.showStacks", [uri])
    )
    assert result == ["acme-dev", "acme-prod"]
