"""Inlay hints on values overridden elsewhere, for clients that support them (Neovim 0.11
does; the VS Code 1.65 capabilities do not, so the server does not offer them there)."""

from __future__ import annotations

from lsprotocol import types as lsp

from tests.lsp.conftest import Session, rng


async def test_values_overridden_elsewhere_get_a_hint(small: Session) -> None:
    provider = small.client.init_result.capabilities.inlay_hint_provider  # type: ignore[attr-defined]
    if small.name == "visual-studio-code":
        assert provider is None
        return
    assert provider is not None
    uri = await small.open("stacks/catalog/vpc/defaults.yaml")
    result = await small.client.text_document_inlay_hint_async(
        lsp.InlayHintParams(lsp.TextDocumentIdentifier(uri), rng(0, 0, 20, 0))
    )
    assert [(h.position, h.label, h.tooltip) for h in result or []] == [
        (lsp.Position(5, 22), "overridden in 2/2 stacks",
         "catalog: production: catalog/vpc/production.yaml:7"),
        (lsp.Position(7, 28), "overridden in 2/2 stacks",
         "catalog: production: catalog/vpc/production.yaml:11"),
        (lsp.Position(8, 31), "overridden in 1/2 stacks",
         "environment override: deployments/acme/overrides/vpc.yaml:5"),
    ]  # fmt: skip


async def test_in_a_file_one_stack_reaches_the_hint_names_the_winner(small: Session) -> None:
    if small.name == "visual-studio-code":
        return
    uri = await small.open("stacks/catalog/vpc/production.yaml")
    result = await small.client.text_document_inlay_hint_async(
        lsp.InlayHintParams(lsp.TextDocumentIdentifier(uri), rng(0, 0, 20, 0))
    )
    assert [(h.position, h.label) for h in result or []] == [
        (lsp.Position(10, 28), "overridden in 1/2 stacks")
    ]
