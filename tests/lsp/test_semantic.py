"""Semantic tokens: imports, components (abstract marked), inherits entries, YAML functions,
templates, and keys every stack reaching the file overrides."""

from __future__ import annotations

from lsprotocol import types as lsp

from tests.lsp.conftest import Session

KINDS = ["namespace", "class", "function", "macro", "property"]
MODIFIERS = ["abstract", "overridden"]


async def decoded(
    s: Session, rel: str, text: str | None = None
) -> list[tuple[int, int, int, str, list[str]]]:
    uri = await s.open(rel, text)
    legend = s.client.init_result.capabilities.semantic_tokens_provider.legend  # type: ignore[attr-defined]
    assert (list(legend.token_types), list(legend.token_modifiers)) == (KINDS, MODIFIERS)
    result = await s.client.text_document_semantic_tokens_full_async(
        lsp.SemanticTokensParams(lsp.TextDocumentIdentifier(uri))
    )
    assert result is not None
    out = []
    line = col = 0
    data = result.data
    for i in range(0, len(data), 5):
        d_line, d_col, length, kind, mods = data[i : i + 5]
        line += d_line
        col = col + d_col if d_line == 0 else d_col
        names = [m for b, m in enumerate(MODIFIERS) if mods & (1 << b)]
        out.append((line, col, length, KINDS[kind], names))
    return out


async def test_a_catalog_file(small: Session) -> None:
    assert await decoded(small, "stacks/catalog/vpc/production.yaml") == [
        (1, 4, 20, "namespace", []),  # catalog/vpc/defaults
        (4, 4, 3, "class", []),  # vpc
        (8, 12, 12, "class", []),  # inherits: vpc/defaults
    ]


async def test_an_abstract_base_and_a_value_every_stack_overrides(small: Session) -> None:
    found = await decoded(small, "stacks/catalog/vpc/defaults.yaml")
    assert (2, 4, 12, "class", ["abstract"]) in found  # vpc/defaults
    # nat_gateway_count: 1 is overridden by vpc/production in both stacks; cidr_block is final
    # in acme-dev
    assert (7, 8, 17, "property", ["overridden"]) in found
    assert all(t[0] != 8 for t in found)


async def test_yaml_functions_and_templates(small: Session) -> None:
    text = "vars:\n  a: !env HOME\n  b: '{{ .vars.stage }}-x'\n  c: !append [1]\n"
    assert await decoded(small, "stacks/mixins/region.yaml", text) == [
        (1, 5, 9, "function", []),
        (2, 5, 21, "macro", []),
    ]
