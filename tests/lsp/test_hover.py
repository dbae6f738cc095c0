"""Hover: the provenance bar on a stack key, reach on a catalog key, import and inherits entries."""

from __future__ import annotations

from lsprotocol import types as lsp

from tests.lsp.conftest import Session, pos, rng

PROD = "stacks/deployments/acme/prod.yaml"
CATALOG = "stacks/catalog/vpc/defaults.yaml"


async def hover(s: Session, rel: str, line: int, col: int) -> lsp.Hover | None:
    uri = await s.open(rel)
    return await s.client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), pos(line, col))
    )


async def test_hover_on_a_stack_key_shows_final_value_and_what_it_overrode(small: Session) -> None:
    result = await hover(small, PROD, 10, 12)
    assert result is not None
    assert isinstance(result.contents, lsp.MarkupContent)
    assert result.range == rng(10, 8, 10, 25)
    text = result.contents.value
    print(text)
    lines = text.split("\n")
    assert lines[0] == "`vars.nat_gateway_count` = `3` — stack `acme-prod` · component `vpc`"
    prod_uri = small.uri(PROD)
    assert lines[2] == f"- `3` — stack — [deployments/acme/prod.yaml:11]({prod_uri}#L11)"
    assert lines[3] == (
        f"- `2` — catalog: production — [catalog/vpc/production.yaml:11]"
        f"({small.uri('stacks/catalog/vpc/production.yaml')}#L11) *(overridden)*"
    )
    assert lines[4] == (
        f"- `1` — catalog: defaults (inherited from vpc/defaults) — [catalog/vpc/defaults.yaml:8]"
        f"({small.uri(CATALOG)}#L8) *(overridden)*"
    )
    assert len(lines) == 5
