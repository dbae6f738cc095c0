"""Completion on half-typed buffers: import paths, inherits, metadata.component, keys from the
manifest schema, component variables, enum values."""

from __future__ import annotations

from lsprotocol import types as lsp

from tests.lsp.conftest import Session, pos, rng

PROD = "stacks/deployments/acme/prod.yaml"


async def complete(s: Session, text: str, line: int, col: int) -> list[lsp.CompletionItem]:
    uri = await s.open(PROD, text)
    result = await s.client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), pos(line, col))
    )
    assert isinstance(result, lsp.CompletionList)
    return list(result.items)


def edit_of(item: lsp.CompletionItem) -> tuple[lsp.Range, str]:
    assert isinstance(item.text_edit, lsp.TextEdit)
    return item.text_edit.range, item.text_edit.new_text


async def test_import_paths_without_extension_with_a_preview(small: Session) -> None:
    items = await complete(small, "import:\n  - cat\n", 1, 7)
    labels = [i.label for i in items]
    assert sorted(labels) == [
        "catalog/vpc/defaults",
        "catalog/vpc/production",
        "deployments/acme/_defaults",
        "deployments/acme/overrides/vpc",
        "mixins/region",
    ]
    first = items[labels.index("catalog/vpc/defaults")]
    assert edit_of(first) == (rng(1, 4, 1, 7), "catalog/vpc/defaults")
    assert first.detail == "catalog"
    assert first.kind == lsp.CompletionItemKind.File
    assert first.documentation is None  # read when the client resolves the item
    resolved = await small.client.completion_item_resolve_async(first)
    assert isinstance(resolved.documentation, lsp.MarkupContent)
    assert resolved.documentation.value.startswith(
        "```yaml\n# catalog/vpc/defaults.yaml\ncomponents:\n"
    )
    assert (resolved.label, resolved.text_edit) == (first.label, first.text_edit)
    assert sorted(labels, key=lambda lab: items[labels.index(lab)].sort_text or "")[:2] == [
        "catalog/vpc/defaults",
        "catalog/vpc/production",
    ]


async def test_resolving_other_items_changes_nothing(small: Session) -> None:
    """Items without a file to preview, and data a client made up, come back as they went."""
    await small.open(PROD, "import:\n  - \n")
    for data in (None, {"file": "/etc/passwd.yaml"}, {"file": 3}, "nonsense"):
        item = lsp.CompletionItem(label="vars", data=data)
        resolved = await small.client.completion_item_resolve_async(item)
        assert (resolved.label, resolved.documentation, resolved.data) == ("vars", None, data)


async def test_relative_import_paths(small: Session) -> None:
    items = await complete(small, "import:\n  - ./\n", 1, 6)
    labels = [i.label for i in items]
    assert "./_defaults" in labels and "./overrides/vpc" in labels
    assert "../../mixins/region" in labels
    item = items[labels.index("./_defaults")]
    assert edit_of(item) == (rng(1, 4, 1, 6), "./_defaults")


async def test_inherits_offers_components_abstract_first(small: Session) -> None:
    text = (
        "import:\n  - catalog/vpc/production\n"
        "components:\n  terraform:\n    vpc2:\n      metadata:\n        inherits:\n          - \n"
    )
    items = await complete(small, text, 7, 12)
    assert [(i.label, i.detail) for i in sorted(items, key=lambda i: i.sort_text or "")] == [
        ("vpc/defaults", "abstract terraform component"),
        ("vpc", "terraform component"),
    ]


async def test_metadata_component_offers_terraform_directories(small: Session) -> None:
    text = "components:\n  terraform:\n    vpc:\n      metadata:\n        component: v\n"
    items = await complete(small, text, 4, 20)
    assert [(i.label, i.kind) for i in items] == [
        ("eks", lsp.CompletionItemKind.Folder),
        ("vpc", lsp.CompletionItemKind.Folder),
    ]
    assert edit_of(items[1]) == (rng(4, 19, 4, 20), "vpc")


async def test_variables_of_the_component(small: Session) -> None:
    """From the module's `variable` blocks: required ones first and marked, each with its type
    (and default) and description."""
    text = "components:\n  terraform:\n    vpc:\n      vars:\n        na\n"
    items = await complete(small, text, 4, 10)
    assert [(i.label, i.detail) for i in items] == [
        ("cidr_block", "string · required"),
        ("nat_gateway_count", "number · required"),
        ("stage", "string · required"),
        ("tenant", "string · required"),
        ("region", 'string = "us-east-1"'),
    ]
    assert edit_of(items[1]) == (rng(4, 8, 4, 10), "nat_gateway_count: ")
    assert isinstance(items[1].documentation, lsp.MarkupContent)
    assert items[1].documentation.value == (
        "How many NAT gateways\n\ndeclared in `components/terraform/vpc/variables.tf:6`"
    )


async def test_manifest_keys_and_enum_values(small: Session) -> None:
    items = await complete(small, "components:\n  terraform:\n    vpc:\n      \n", 3, 6)
    labels = [i.label for i in items]
    assert {"metadata", "vars", "settings", "env", "backend_type", "overrides"} <= set(labels)
    text = "components:\n  terraform:\n    vpc:\n      metadata:\n        type: \n"
    items = await complete(small, text, 4, 14)
    assert [i.label for i in items] == ["abstract", "real"]
    top = await complete(small, "\n", 0, 0)
    assert {"import", "vars", "components", "terraform", "overrides"} <= {i.label for i in top}
