"""References: who imports a file; where a component is defined and named."""

from __future__ import annotations

from lsprotocol import types as lsp

from tests.lsp.conftest import Session, pos, rng

PRODUCTION = "stacks/catalog/vpc/production.yaml"
DEFAULTS = "stacks/catalog/vpc/defaults.yaml"


async def references(s: Session, uri: str, line: int, col: int) -> list[tuple[str, lsp.Range]]:
    result = await s.client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=lsp.TextDocumentIdentifier(uri),
            position=pos(line, col),
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    return [(item.uri, item.range) for item in result or []]


async def test_who_imports_this_file(small: Session) -> None:
    uri = await small.open(PRODUCTION)
    assert await references(small, uri, 0, 0) == [
        (small.uri("stacks/deployments/acme/dev.yaml"), rng(1, 4, 1, 26)),
        (small.uri("stacks/deployments/acme/prod.yaml"), rng(1, 4, 1, 26)),
    ]


async def test_a_component_name_finds_its_definitions_inheritors_and_stacks(small: Session) -> None:
    uri = await small.open(DEFAULTS)
    assert await references(small, uri, 2, 6) == [
        (small.uri(DEFAULTS), rng(2, 4, 2, 16)),
        (small.uri(PRODUCTION), rng(8, 12, 8, 24)),
        # the stacks that use it, at the import that brings it in
        (small.uri("stacks/deployments/acme/dev.yaml"), rng(1, 4, 1, 26)),
        (small.uri("stacks/deployments/acme/prod.yaml"), rng(1, 4, 1, 26)),
    ]
    other = await small.open(PRODUCTION)
    assert await references(small, other, 8, 14) == await references(small, uri, 2, 6)


async def test_a_component_defined_in_a_stack(small: Session) -> None:
    uri = await small.open("stacks/deployments/acme/prod.yaml")
    assert await references(small, uri, 8, 5) == [
        (small.uri(PRODUCTION), rng(4, 4, 4, 7)),
        (small.uri("stacks/deployments/acme/overrides/vpc.yaml"), rng(2, 4, 2, 7)),
        (uri, rng(8, 4, 8, 7)),
        (small.uri("stacks/deployments/acme/dev.yaml"), rng(1, 4, 1, 26)),
    ]
