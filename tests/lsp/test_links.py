"""Document links on import entries."""

from __future__ import annotations

from lsprotocol import types as lsp

from tests.lsp.conftest import Session, rng

PROD = "stacks/deployments/acme/prod.yaml"


async def test_each_import_entry_links_to_its_file(small: Session) -> None:
    uri = await small.open(PROD)
    result = await small.client.text_document_document_link_async(
        lsp.DocumentLinkParams(lsp.TextDocumentIdentifier(uri))
    )
    expected = [
        (rng(1, 4, 1, 26), "catalog/vpc/production.yaml"),
        (rng(2, 4, 2, 15), "deployments/acme/_defaults.yaml"),
        (rng(3, 4, 3, 19), "deployments/acme/overrides/vpc.yaml"),
    ]
    caps = small.client.capabilities.text_document
    shows_tooltips = bool(caps and caps.document_link and caps.document_link.tooltip_support)
    assert [(link.range, link.target, link.tooltip) for link in result or []] == [
        (where, small.uri("stacks/" + rel), rel if shows_tooltips else None)
        for where, rel in expected
    ]
