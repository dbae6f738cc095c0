"""`stack-lsp.describeComponent`: the merged component with provenance, or the stacks to choose
from. The VS Code extension relies on exactly these shapes."""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp

from tests.lsp.conftest import Session

PROD = "stacks/deployments/acme/prod.yaml"
PRODUCTION = "stacks/catalog/vpc/production.yaml"


async def describe(s: Session, rel: str, line: int, col: int, stack: str | None = None) -> Any:
    uri = await s.open(rel)
    arg: dict[str, Any] = {"uri": uri, "position": {"line": line, "character": col}}
    if stack is not None:
        arg["stack"] = stack
    return await s.client.workspace_execute_command_async(
        lsp.ExecuteCommandParams("stack-lsp.describeComponent", [arg])
    )


async def test_describe_in_a_stack_file(small: Session) -> None:
    result = await describe(small, PROD, 10, 12)
    assert set(result) == {"stack", "component", "yaml"}
    assert (result["stack"], result["component"]) == ("acme-prod", "vpc")
    lines = result["yaml"].split("\n")
    assert "  nat_gateway_count: 3  # deployments/acme/prod.yaml:11 (inline)" in lines
    assert '  cidr_block: "10.60.0.0/16"  # deployments/acme/overrides/vpc.yaml:5 (import)' in lines


async def test_a_shared_file_asks_which_stack(small: Session) -> None:
    assert await describe(small, PRODUCTION, 10, 12) == {"stacks": ["acme-dev", "acme-prod"]}
    result = await describe(small, PRODUCTION, 10, 12, "acme-dev")
    assert (result["stack"], result["component"]) == ("acme-dev", "vpc")
    assert "  nat_gateway_count: 2  # catalog/vpc/production.yaml:11 (import)" in result["yaml"]
