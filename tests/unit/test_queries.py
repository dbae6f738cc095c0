"""queries: which stacks reach a file, a key's provenance in a stack, where a shared key is final
or overridden, definitions, references, symbols, layer names."""

from __future__ import annotations

from pathlib import Path

import pytest
from stack_lsp import locate, queries
from stack_lsp.stacks import Stacks
from stack_lsp.tree import Span

from tests.conftest import TreeFactory
from tests.lsp.trees import SMALL


@pytest.fixture
def small(tree: TreeFactory) -> Stacks:
    return tree(dict(SMALL))


def path(stacks: Stacks, rel: str) -> str:
    return str(Path(stacks.ws.config.stacks_base) / rel)


def spot(stacks: Stacks, rel: str, line: int, col: int) -> locate.Spot:
    found = locate.at(stacks.ws.document(path(stacks, rel)).root, line, col)
    assert found is not None
    return found


def test_stacks_reaching_a_file(small: Stacks) -> None:
    reaching = queries.stack_files_reaching(small, path(small, "mixins/region.yaml"))
    assert [queries.stack_label(small, p) for p in reaching] == ["acme-dev", "acme-prod"]
    prod = path(small, "deployments/acme/prod.yaml")
    assert queries.stack_files_reaching(small, prod) == [prod]


def test_layer_kinds_and_labels(small: Stacks) -> None:
    kinds = {rel: queries.layer_kind(small, path(small, rel)) for rel in (
        "catalog/vpc/defaults.yaml", "mixins/region.yaml", "deployments/acme/_defaults.yaml",
        "deployments/acme/overrides/vpc.yaml", "deployments/acme/prod.yaml")}  # fmt: skip
    assert kinds == {
        "catalog/vpc/defaults.yaml": "catalog",
        "mixins/region.yaml": "mixin",
        "deployments/acme/_defaults.yaml": "defaults",
        "deployments/acme/overrides/vpc.yaml": "override",
        "deployments/acme/prod.yaml": "stack",
    }
    cidr = ("components", "terraform", "vpc", "vars", "cidr_block")
    found = queries.key_in_stack(small, path(small, "deployments/acme/prod.yaml"), cidr)
    assert found is not None
    assert queries.layer_label(small, found.trace.final) == "environment override"
    assert [queries.layer_label(small, o) for o in found.trace.shadowed] == [
        "catalog: defaults (inherited from vpc/defaults)"
    ]


def test_key_in_stack(small: Stacks) -> None:
    prod = path(small, "deployments/acme/prod.yaml")
    found = queries.key_in_stack(
        small, prod, ("components", "terraform", "vpc", "vars", "nat_gateway_count")
    )
    assert found is not None
    assert (found.stack, found.component.name, found.trace.final.value.data) == (
        "acme-prod",
        "vpc",
        3,
    )
    assert [o.value.data for o in found.trace.shadowed] == [2, 1]
    # a file two stacks reach has no single answer
    production = path(small, "catalog/vpc/production.yaml")
    assert (
        queries.key_in_stack(
            small, production, ("components", "terraform", "vpc", "vars", "nat_gateway_count")
        )
        is None
    )


def test_file_usage(small: Stacks) -> None:
    usage = queries.file_usage(small, path(small, "catalog/vpc/defaults.yaml"))
    assert usage.stacks == ["acme-dev", "acme-prod"]
    cidr = usage.keys[("components", "terraform", "vpc/defaults", "vars", "cidr_block")]
    assert (cidr.reached, cidr.final_in) == ({"acme-dev", "acme-prod"}, {"acme-dev"})
    [(winner, count)] = cidr.overriders()
    assert (winner.value.data, count) == ("10.60.0.0/16", 1)
    assert queries.file_usage(small, path(small, "catalog/vpc/defaults.yaml")) is usage  # cached
    small.ws.file_changed(path(small, "mixins/region.yaml"))
    assert queries.file_usage(small, path(small, "catalog/vpc/defaults.yaml")) is not usage


def test_definitions(small: Stacks) -> None:
    prod = "deployments/acme/prod.yaml"
    [target] = queries.definition(small, path(small, prod), spot(small, prod, 1, 8))
    assert target.file == path(small, "catalog/vpc/production.yaml")
    production = "catalog/vpc/production.yaml"
    [base] = queries.definition(small, path(small, production), spot(small, production, 8, 14))
    assert (base.file, base.span) == (path(small, "catalog/vpc/defaults.yaml"), Span(2, 4, 2, 16))
    [folder] = queries.definition(small, path(small, production), spot(small, production, 6, 20))
    assert folder.file.endswith("components/terraform/vpc/main.tf")


def test_references_and_symbols(small: Stacks) -> None:
    production = path(small, "catalog/vpc/production.yaml")
    places = queries.importers_of(small, production)
    assert [(Path(p.file).name, p.span) for p in places] == [
        ("dev.yaml", Span(1, 4, 1, 26)), ("prod.yaml", Span(1, 4, 1, 26))]  # fmt: skip
    mentions = queries.component_mentions(small, "terraform", "vpc/defaults")
    assert [(Path(p.file).name, p.span.start_line) for p in mentions] == [
        ("defaults.yaml", 2), ("production.yaml", 8)]  # fmt: skip
    symbols = queries.document_symbols(small.ws.document(production).root)
    assert [s.name for s in symbols] == ["import", "components"]
    found = queries.workspace_symbols(small, "dev")
    assert [(s.name, s.kind) for s in found] == [("acme-dev", "stack")]


def test_visible_components_and_component_dirs(small: Stacks) -> None:
    prod = path(small, "deployments/acme/prod.yaml")
    assert queries.visible_components(small, prod, "terraform") == [
        ("vpc/defaults", True),
        ("vpc", False),
    ]
    assert queries.component_dirs(small, "terraform") == ["eks", "vpc"]
