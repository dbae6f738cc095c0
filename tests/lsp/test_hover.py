"""Hover: the provenance bar on a stack key, reach on a catalog key, import and inherits entries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient, client_capabilities

from tests.lsp.conftest import CLIENTS, SERVER, Session, rng, session, start

PROD = "stacks/deployments/acme/prod.yaml"
CATALOG = "stacks/catalog/vpc/defaults.yaml"


async def hover(s: Session, rel: str, line: int, col: int) -> lsp.Hover | None:
    return await s.hover(await s.open(rel), line, col)


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
    # the Terraform `variable` block the var feeds
    module = "components/terraform/vpc/variables.tf"
    assert lines[5:] == [
        "",
        f"variable `nat_gateway_count` — type `number` · required — [{module}:6]"
        f"({small.uri(module)}#L6)",
        "",
        "How many NAT gateways",
    ]


async def test_hover_on_a_catalog_key_counts_stacks_and_names_overriders(small: Session) -> None:
    result = await hover(small, CATALOG, 7, 10)
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.range == rng(7, 8, 7, 25)
    production = small.uri("stacks/catalog/vpc/production.yaml")
    assert result.contents.value.split("\n") == [
        "`components.terraform.vpc/defaults.vars.nat_gateway_count` in "
        "`catalog/vpc/defaults.yaml`: reaches 2 stacks; final in 0; overridden in 2",
        "",
        "overridden by:",
        f"- `2` — catalog: production — [catalog/vpc/production.yaml:11]({production}#L11)"
        " (1 stack)",
        f"- `3` — stack — [deployments/acme/prod.yaml:11]({small.uri(PROD)}#L11) (1 stack)",
    ]


async def test_hover_on_a_key_final_in_some_stacks(small: Session) -> None:
    result = await hover(small, CATALOG, 8, 20)  # the value of cidr_block
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.range == rng(8, 20, 8, 31)
    lines = result.contents.value.split("\n")
    assert lines[0].endswith("reaches 2 stacks; final in 1; overridden in 1")
    overrides = small.uri("stacks/deployments/acme/overrides/vpc.yaml")
    assert lines[3] == (
        f"- `10.60.0.0/16` — environment override — "
        f"[deployments/acme/overrides/vpc.yaml:5]({overrides}#L5) (1 stack)"
    )


async def test_hover_on_an_import_entry_names_the_file_and_its_layer(small: Session) -> None:
    result = await hover(small, PROD, 1, 8)
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.range == rng(1, 4, 1, 26)
    target = small.uri("stacks/catalog/vpc/production.yaml")
    assert result.contents.value == f"catalog — [catalog/vpc/production.yaml:1]({target}#L1)"
    result = await hover(small, PROD, 2, 6)
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.contents.value.startswith("defaults — [deployments/acme/_defaults.yaml:1]")


async def test_hover_on_an_inherits_entry_summarises_the_base(small: Session) -> None:
    result = await hover(small, "stacks/catalog/vpc/production.yaml", 8, 14)
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.range == rng(8, 12, 8, 24)
    defaults = small.uri(CATALOG)
    assert result.contents.value.split("\n") == [
        "abstract component `vpc/defaults` → terraform `vpc` — in stack `acme-dev`",
        "",
        "vars (5): `cidr_block`, `nat_gateway_count`, `region`, `stage`, `tenant`",
        f"defined in: [catalog/vpc/defaults.yaml:3]({defaults}#L3)",
    ]


async def test_hover_on_a_half_typed_file_uses_the_last_good_tree(small: Session) -> None:
    uri = await small.open(PROD)
    assert await small.hover(uri, 10, 12)
    broken = small.path(PROD).read_text() + "  bad: [unclosed\n"
    small.replace(uri, 2, broken)
    result = await small.hover(uri, 10, 12)
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.contents.value.startswith("`vars.nat_gateway_count` =")


async def test_nothing_to_say_is_none(small: Session) -> None:
    assert await hover(small, PROD, 4, 1) is None  # the global `vars:` key itself


async def test_positions_are_in_the_client_units_on_non_ascii_lines(small: Session) -> None:
    text = small.path(PROD).read_text() + "        ñandú_count: 7\n"
    uri = await small.open(PROD, text)
    # Neovim speaks UTF-8 (ñ and ú are two bytes each), VS Code UTF-16 (one unit each)
    wide = small.name == "neovim"
    end = 19 + (2 if wide else 0)
    result = await small.hover(uri, 11, 15 + (1 if wide else 0))
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.range == rng(11, 8, 11, end)
    assert result.contents.value.startswith("`vars.ñandú_count` = `7`")


def plain_only(name: str) -> lsp.ClientCapabilities:
    caps = client_capabilities(name)
    assert caps.text_document is not None
    caps.text_document.hover = lsp.HoverClientCapabilities(
        content_format=[lsp.MarkupKind.PlainText]
    )
    return caps


@pytest_lsp.fixture(config=SERVER, params=CLIENTS)
async def plain(request: Any, lsp_client: LanguageClient, small_root: Path) -> AsyncIterator[None]:
    await start(lsp_client, small_root, request.param, plain_only(request.param))
    yield
    await lsp_client.shutdown_session()


async def test_plain_text_clients_get_the_aligned_bar(plain: LanguageClient) -> None:
    s = session(plain)
    result = await s.hover(await s.open(PROD), 10, 12)
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.contents.kind == lsp.MarkupKind.PlainText
    assert result.contents.value.split("\n") == [
        "vars.nat_gateway_count = 3 — stack acme-prod · component vpc",
        "",
        "  3   " + "stack".ljust(47) + "   deployments/acme/prod.yaml:11",
        "  2   "
        + "catalog: production".ljust(47)
        + "   catalog/vpc/production.yaml:11   (overridden)",
        "  1   catalog: defaults (inherited from vpc/defaults)   catalog/vpc/defaults.yaml:8"
        "   (overridden)",
        "",
        "variable nat_gateway_count — type number · required — "
        "components/terraform/vpc/variables.tf:6",
        "",
        "How many NAT gateways",
    ]


async def test_hover_on_a_map_names_the_layer_of_each_of_its_values(small: Session) -> None:
    result = await hover(small, PROD, 9, 7)
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    lines = result.contents.value.split("\n")
    assert lines[0].startswith("`vars` = `{…}` — stack `acme-prod` · component `vpc`")
    merged = lines[lines.index("merged from 4 files:") + 1 :]
    where = {
        "prod": f"[deployments/acme/prod.yaml:11]({small.uri(PROD)}#L11)",
        "override": "[deployments/acme/overrides/vpc.yaml:5]"
        f"({small.uri('stacks/deployments/acme/overrides/vpc.yaml')}#L5)",
        "mixin": f"[mixins/region.yaml:2]({small.uri('stacks/mixins/region.yaml')}#L2)",
    }
    assert f"- `nat_gateway_count` = `3` — stack — {where['prod']}" in merged
    assert f"- `cidr_block` = `10.60.0.0/16` — environment override — {where['override']}" in merged
    assert f"- `region` = `us-east-1` — mixin: region — {where['mixin']}" in merged
    assert len(merged) == 5  # stage, tenant, region, nat_gateway_count, cidr_block
