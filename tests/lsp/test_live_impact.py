"""Live impact of unsaved edits: `stack-lsp.showImpact` answers the `stack-lsp diff` report
between the saved tree and the buffers; a code lens on an edited file other stacks import says
how many values it changes (shown once the server asks the client to refresh its lenses)."""

from __future__ import annotations

import asyncio
import os
import subprocess
from typing import Any

from lsprotocol import types as lsp

from tests.lsp.conftest import Session

REGION = "stacks/mixins/region.yaml"


async def show_impact(s: Session, uri: str | None = None) -> Any:
    args: list[Any] = [{"uri": uri}] if uri else []
    return await s.client.workspace_execute_command_async(
        lsp.ExecuteCommandParams("stack-lsp.showImpact", args)
    )


async def test_show_impact_of_an_unsaved_mixin_edit(small: Session) -> None:
    uri = await small.open(REGION)
    nothing = await show_impact(small, uri)
    assert nothing["summary"] == "no final value differs between saved files and unsaved buffers"
    small.replace(uri, 2, "vars:\n  region: us-west-2\n")
    result = await show_impact(small, uri)
    line = '    ~ vars.region: "us-east-1" → "us-west-2"  (stacks/mixins/region.yaml:2)'
    blocks = result["text"].split("stack ")[1:]
    assert sorted(b.split("\n", 1)[0] for b in blocks) == ["acme-dev", "acme-prod"]
    for block in blocks:
        assert "  terraform/vpc\n" + line + "\n" in block
    assert result["summary"] == "2 values changed, 2 components, 2 stacks"
    assert result["report"]["head"]["label"] == "unsaved buffers"
    assert (small.path(REGION)).read_text() == "vars:\n  region: us-east-1\n"  # nothing saved


async def test_code_lens_counts_what_the_edit_changes(small: Session) -> None:
    caps = small.client.init_result.capabilities  # type: ignore[attr-defined]
    assert caps.execute_command_provider is not None
    assert "stack-lsp.showImpact" in caps.execute_command_provider.commands
    if small.name != "visual-studio-code":  # Neovim has no lens refresh: it asks again itself
        return
    refreshed: asyncio.Event = small.client.lens_refreshed  # type: ignore[attr-defined]
    refreshed.clear()
    uri = await small.open(REGION)
    small.replace(uri, 2, "vars:\n  region: us-west-2\n  zone: a\n")
    await asyncio.wait_for(refreshed.wait(), 60)
    lenses = await small.client.text_document_code_lens_async(
        lsp.CodeLensParams(lsp.TextDocumentIdentifier(uri))
    )
    titles = [lens.command.title for lens in lenses or [] if lens.command]
    assert titles == ["imported by 2 stacks", "changes 4 values in 2 stacks"]
    impact = next(lens for lens in lenses or [] if lens.command and lens.command.command == "stack-lsp.showImpact")
    assert impact.command is not None and list(impact.command.arguments or []) == [uri]


async def test_against_git_head_the_saved_changes_count_too(small: Session) -> None:
    env = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "PATH": os.environ["PATH"]}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e", *args], cwd=small.root,
                       env=env, check=True, capture_output=True)  # fmt: skip
    small.path(REGION).write_text("vars:\n  region: eu-west-1\n")  # saved, not committed
    catalog = "stacks/catalog/vpc/production.yaml"
    uri = await small.open(catalog)
    small.replace(uri, 2, small.path(catalog).read_text().replace("nat_gateway_count: 2", "nat_gateway_count: 5"))
    saved = await show_impact(small, uri)
    head = await small.client.workspace_execute_command_async(
        lsp.ExecuteCommandParams("stack-lsp.showImpact", [{"uri": uri, "base": "HEAD"}])
    )
    def paths(result: Any) -> set[str]:
        return {c["path"] for s in result["report"]["stacks"] for comp in s["components"] for c in comp["changes"]}

    assert paths(saved) == {"vars.nat_gateway_count"}
    assert paths(head) == {"vars.nat_gateway_count", "vars.region"}
    assert head["report"]["base"]["label"] == "HEAD"
    assert '~ vars.region: "us-east-1" → "eu-west-1"  (stacks/mixins/region.yaml:2)' in head["text"]
