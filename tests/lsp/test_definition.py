"""Go to definition: import entries (one file, a glob), inherits entries, metadata.component,
and keys (to where their final value is written)."""

from __future__ import annotations

from lsprotocol import types as lsp

from tests.lsp.conftest import Session, pos, rng

PROD = "stacks/deployments/acme/prod.yaml"
PRODUCTION = "stacks/catalog/vpc/production.yaml"
DEFAULTS = "stacks/catalog/vpc/defaults.yaml"
TOP = rng(0, 0, 0, 0)


async def definition(s: Session, uri: str, line: int, col: int) -> list[tuple[str, lsp.Range]]:
    result = await s.client.text_document_definition_async(
        lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), pos(line, col))
    )
    assert isinstance(result, list)
    out = []
    for item in result:
        assert isinstance(item, lsp.Location)
        out.append((item.uri, item.range))
    return out


async def test_import_entry_goes_to_the_file(small: Session) -> None:
    uri = await small.open(PROD)
    assert await definition(small, uri, 1, 8) == [(small.uri(PRODUCTION), TOP)]
    assert await definition(small, uri, 3, 10) == [
        (small.uri("stacks/deployments/acme/overrides/vpc.yaml"), TOP)
    ]


async def test_a_glob_import_goes_to_every_match(small: Session) -> None:
    uri = await small.open("stacks/mixins/all.yaml", "import:\n  - catalog/vpc/*\n")
    assert await definition(small, uri, 1, 6) == [
        (small.uri(DEFAULTS), TOP),
        (small.uri(PRODUCTION), TOP),
    ]


async def test_inherits_entry_goes_to_the_base_component(small: Session) -> None:
    uri = await small.open(PRODUCTION)
    assert await definition(small, uri, 8, 14) == [(small.uri(DEFAULTS), rng(2, 4, 2, 16))]


async def test_metadata_component_goes_to_the_terraform_directory(small: Session) -> None:
    uri = await small.open(PRODUCTION)
    assert await definition(small, uri, 6, 20) == [
        (small.uri("components/terraform/vpc/main.tf"), TOP)
    ]


async def test_a_key_in_a_stack_goes_to_every_layer_that_wrote_it_and_its_variable_block(
    small: Session,
) -> None:
    uri = await small.open(PROD)
    assert await definition(small, uri, 10, 12) == [
        (small.uri(PROD), rng(10, 8, 10, 25)),
        (small.uri(PRODUCTION), rng(10, 8, 10, 25)),
        (small.uri(DEFAULTS), rng(7, 8, 7, 25)),
        # and the `variable` block of the Terraform module it feeds
        (small.uri("components/terraform/vpc/variables.tf"), rng(5, 0, 5, 0)),
    ]


async def test_declaration_of_a_key_is_its_base_most_layer(small: Session) -> None:
    uri = await small.open(PROD)
    result = await small.client.text_document_declaration_async(
        lsp.DeclarationParams(lsp.TextDocumentIdentifier(uri), pos(10, 12))
    )
    assert isinstance(result, list)
    assert [(r.uri, r.range) for r in result if isinstance(r, lsp.Location)] == [
        (small.uri(DEFAULTS), rng(7, 8, 7, 25))
    ]


async def test_type_hierarchy_over_inherits(small: Session) -> None:
    uri = await small.open(PRODUCTION)
    items = await small.client.text_document_prepare_type_hierarchy_async(
        lsp.TypeHierarchyPrepareParams(lsp.TextDocumentIdentifier(uri), pos(4, 5))
    )
    assert items is not None and [i.name for i in items] == ["vpc"]
    bases = await small.client.type_hierarchy_supertypes_async(
        lsp.TypeHierarchySupertypesParams(items[0])
    )
    assert [(b.name, b.uri, b.range) for b in bases or []] == [
        ("vpc/defaults", small.uri(DEFAULTS), rng(2, 4, 2, 16))
    ]
    heirs = await small.client.type_hierarchy_subtypes_async(
        lsp.TypeHierarchySubtypesParams((bases or [])[0])
    )
    assert [(h.name, h.uri) for h in heirs or []] == [("vpc", small.uri(PRODUCTION))]


async def test_a_catalog_key_goes_to_where_it_is_final_and_where_it_is_overridden(
    small: Session,
) -> None:
    uri = await small.open(PRODUCTION)
    assert await definition(small, uri, 10, 12) == [
        (small.uri(PRODUCTION), rng(10, 8, 10, 25)),  # final in acme-dev
        (small.uri(PROD), rng(10, 8, 10, 25)),  # overridden in acme-prod
    ]


async def test_nothing_there(small: Session) -> None:
    uri = await small.open(PROD)
    assert await definition(small, uri, 4, 1) == []
