"""Document symbols and workspace symbols."""

from __future__ import annotations

from lsprotocol import types as lsp

from tests.lsp.conftest import Session, rng

PROD = "stacks/deployments/acme/prod.yaml"


async def test_document_symbols_outline_the_file(small: Session) -> None:
    uri = await small.open(PROD)
    result = await small.client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri))
    )
    assert result is not None
    symbols = [s for s in result if isinstance(s, lsp.DocumentSymbol)]
    assert [(s.name, s.kind, s.range) for s in symbols] == [
        ("import", lsp.SymbolKind.Namespace, rng(0, 0, 4, 0)),
        ("vars", lsp.SymbolKind.Namespace, rng(4, 0, 6, 0)),
        ("components", lsp.SymbolKind.Namespace, rng(6, 0, 11, 0)),
    ]
    imports = symbols[0].children or []
    assert [(c.name, c.kind) for c in imports] == [
        ("catalog/vpc/production", lsp.SymbolKind.File),
        ("./_defaults", lsp.SymbolKind.File),
        ("./overrides/vpc", lsp.SymbolKind.File),
    ]
    terraform = (symbols[2].children or [])[0]
    vpc = (terraform.children or [])[0]
    assert (vpc.name, vpc.kind, vpc.selection_range) == (
        "vpc",
        lsp.SymbolKind.Class,
        rng(8, 4, 8, 4),
    )
    variables = (vpc.children or [])[0]
    leaf = (variables.children or [])[0]
    assert (leaf.name, leaf.detail, leaf.range) == ("nat_gateway_count", "3", rng(10, 8, 10, 28))


async def test_workspace_symbols_list_stacks_and_components(small: Session) -> None:
    await small.open(PROD)
    result = await small.client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="prod"))
    assert result is not None
    assert [(s.name, s.kind) for s in result] == [("acme-prod", lsp.SymbolKind.Module)]
    result = await small.client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="vpc"))
    assert result is not None
    found = sorted((s.name, s.container_name) for s in result)
    assert found == [
        ("vpc", "acme-dev"),
        ("vpc", "acme-prod"),
        ("vpc/defaults", "acme-dev"),
        ("vpc/defaults", "acme-prod"),
    ]
    located = next(s for s in result if s.container_name == "acme-prod" and s.name == "vpc")
    assert isinstance(located.location, lsp.Location)
    assert located.location.uri == small.uri(PROD)
    assert located.location.range == rng(8, 4, 8, 7)
