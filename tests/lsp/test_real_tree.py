"""The features on the repository's example tree `stacks/` (skipped until it exists), with the
latency of the main requests printed (`pytest -s`)."""

from __future__ import annotations

import asyncio
import time

from lsprotocol import types as lsp
from stack_lsp import validation

from tests.conftest import REPO, load_stacks
from tests.lsp.conftest import Session, pos

STACK = "stacks/deployments/fnx/production/us-west-2/prod-01/_stack.yaml"
OVERRIDE = "stacks/deployments/fnx/production/us-west-2/prod-01/overrides/vpc.yaml"
CATALOG = "stacks/catalogs/infrastructure/networking/vpc/defaults.yaml"


def line_of(rel: str, needle: str) -> int:
    """0-based line of the first line of `rel` holding `needle`."""
    lines = (REPO / rel).read_text().split("\n")
    return next(i for i, line in enumerate(lines) if needle in line)


MODULE = "components/terraform/vpc/variables.tf"


def link(s: Session, rel: str, needle: str) -> str:
    line = line_of(rel, needle) + 1
    shown = rel.removeprefix("stacks/")
    return f"[{shown}:{line}]({s.uri(rel)}#L{line})"


async def settled(s: Session, uri: str) -> None:
    """Indexing done and the file's diagnostics published: the engine is idle."""
    reports = s.client.progress_reports
    deadline = time.monotonic() + 60
    while not any(isinstance(r[-1], lsp.WorkDoneProgressEnd) for r in reports.values() if r):
        assert time.monotonic() < deadline, "indexing did not end"
        await asyncio.sleep(0.05)
    await s.diagnostics_for(uri, timeout=60)


async def timed(label: str, request: object) -> object:
    started = time.perf_counter()
    result = await request  # type: ignore[misc]
    print(f"{label}: {(time.perf_counter() - started) * 1000:.1f} ms")
    return result


async def test_hover_bar_on_the_example_from_the_design(real: Session) -> None:
    uri = await real.open(OVERRIDE)
    line = line_of(OVERRIDE, "flow_log_retention_days:")
    await settled(real, uri)
    result = await timed("hover (stack key, warm)", real.hover(uri, line, 10))
    assert isinstance(result, lsp.Hover) and isinstance(result.contents, lsp.MarkupContent)
    lines = result.contents.value.split("\n")
    assert lines[0] == (
        "`vars.flow_log_retention_days` = `731` — stack `fnx-production-us-west-2-prod-01` · "
        "component `vpc`"
    )
    region = "stacks/deployments/fnx/production/us-west-2/_defaults.yaml"
    account = "stacks/deployments/fnx/production/_defaults.yaml"
    production = "stacks/catalogs/infrastructure/networking/vpc/production.yaml"
    key = "flow_log_retention_days:"
    assert lines[2:] == [
        f"- `731` — environment override — {link(real, OVERRIDE, key)}",
        f"- `545` — region defaults — {link(real, region, key)} *(overridden)*",
        f"- `400` — account defaults — {link(real, account, key)} *(overridden)*",
        f"- `365` — catalog: production — {link(real, production, key)} *(overridden)*",
        f"- `30` — catalog: defaults (inherited from vpc/defaults) — "
        f"{link(real, CATALOG, key)} *(overridden)*",
        "",
        "variable `flow_log_retention_days` — type `number` · required — "
        f"[{MODULE}:76]({real.uri(MODULE)}#L76)",
        "",
        "Days VPC flow logs are kept in CloudWatch Logs",
    ]


async def test_hover_on_a_catalog_key_reaches_the_stacks(real: Session) -> None:
    uri = await real.open(CATALOG)
    line = line_of(CATALOG, "nat_gateway_count:")
    await settled(real, uri)
    result = await timed("hover (catalog key, cold)", real.hover(uri, line, 10))
    await timed("hover (catalog key, warm)", real.hover(uri, line, 10))
    assert isinstance(result, lsp.Hover) and isinstance(result.contents, lsp.MarkupContent)
    head, _, *rest = result.contents.value.split("\n")
    assert head.startswith(
        "`components.terraform.vpc/defaults.vars.nat_gateway_count` in "
        "`catalogs/infrastructure/networking/vpc/defaults.yaml`: reaches "
    )
    assert rest[0] == "overridden by:"
    multi_az = "stacks/catalogs/infrastructure/networking/vpc/variants/multi-az.yaml"
    assert rest[1].startswith(
        f"- `3` — variant: multi-az — {link(real, multi_az, 'nat_gateway_count')}"
    )


async def test_definition_of_an_import_and_of_an_inherits_entry(real: Session) -> None:
    uri = await real.open(STACK)
    line = line_of(STACK, "- catalogs/infrastructure/networking/vpc/production")
    await settled(real, uri)
    result = await timed(
        "definition (import)",
        real.client.text_document_definition_async(
            lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), pos(line, 10))
        ),
    )
    assert isinstance(result, list) and len(result) == 1
    assert isinstance(result[0], lsp.Location)
    assert result[0].uri == real.uri(
        "stacks/catalogs/infrastructure/networking/vpc/production.yaml"
    )


async def test_import_completion_offers_the_variants(real: Session) -> None:
    text = (REPO / STACK).read_text()
    line = line_of(STACK, "- catalogs/infrastructure/networking/vpc/variants/multi-az")
    lines = text.split("\n")
    lines[line] = "  - catalogs/infrastructure/networking/vpc/va"
    uri = await real.open(STACK, "\n".join(lines))
    await settled(real, uri)
    result = await timed(
        "completion (import)",
        real.client.text_document_completion_async(
            lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), pos(line, len(lines[line])))
        ),
    )
    assert isinstance(result, lsp.CompletionList)
    labels = {i.label for i in result.items}
    assert "catalogs/infrastructure/networking/vpc/variants/multi-az" in labels
    assert "catalogs/infrastructure/networking/vpc/variants/single-az" in labels


async def test_diagnostics_match_the_checker(real: Session) -> None:
    expected = validation.check(load_stacks(REPO), {str(REPO / STACK)})
    started = time.perf_counter()
    uri = await real.open(STACK)
    found = await real.diagnostics_for(uri, timeout=30)
    print(f"diagnostics after open: {(time.perf_counter() - started) * 1000:.1f} ms")
    assert sorted((str(d.code), d.range.start.line) for d in found) == sorted(
        (d.code, d.span.start_line) for d in expected
    )


async def test_hover_while_indexing_is_answered(real: Session) -> None:
    uri = await real.open(OVERRIDE)
    line = line_of(OVERRIDE, "flow_log_retention_days:")
    result = await timed(
        "hover (right after initialize, while indexing)", real.hover(uri, line, 10)
    )
    assert isinstance(result, lsp.Hover) and isinstance(result.contents, lsp.MarkupContent)
    assert result.contents.value.startswith("`vars.flow_log_retention_days` = `731`")
