"""Workflow files in the editor: diagnostics on the word, completion of stacks, commands and
components in `command:` and `stack:` values, hover and go to definition on a step's stack and
component, and the workflows and steps as document symbols.

Atmos reference for what a step means: internal/exec/workflow_utils.go, pkg/schema/workflow.go.
"""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.conftest import write_tree
from tests.lsp.conftest import CLIENTS, SERVER, Session, rng, session, start
from tests.lsp.trees import SMALL

WORKFLOW = "stacks/workflows/deploy.yaml"
TEXT = """\
workflows:
  up:
    description: Bring prod up
    stack: acme-prod
    steps:
      - name: network
        command: terraform apply vpc -auto-approve
      - command: terraform plan vpcc -s acme-dev
      - command: terraform plan vpc -s acme-dev
"""


VENDOR = """\
apiVersion: atmos/v1
kind: AtmosVendorConfig
metadata:
  name: demo
spec:
  sources:
    - component: vpc
      source: github.com/acme/vpc.git//src?ref={{ .Version }}
      version: 1.2.0
      targets:
        - components/terraform/{{ .Component }}
"""


@pytest.fixture
def wf_root(tmp_path: Path) -> Path:
    files = dict(SMALL)
    atmos = textwrap.dedent(SMALL["atmos.yaml"]).strip()
    files["atmos.yaml"] = atmos + "\nworkflows:\n  base_path: stacks/workflows\n"
    root = write_tree(tmp_path, files)
    (root / WORKFLOW).parent.mkdir(parents=True)
    (root / WORKFLOW).write_text(TEXT)
    (root / "vendor.yaml").write_text(VENDOR)
    return root


@pytest_lsp.fixture(config=SERVER, params=CLIENTS)
async def wf_client(request: Any, lsp_client: LanguageClient, wf_root: Path) -> AsyncIterator[None]:
    await start(lsp_client, wf_root, request.param)
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def wf(wf_client: LanguageClient) -> Session:
    return session(wf_client)


async def test_a_component_missing_from_the_stack_is_reported_on_its_word(wf: Session) -> None:
    uri = await wf.open(WORKFLOW)
    found = await wf.diagnostics_for(uri, lambda d: bool(d))
    assert [(d.code, d.range, d.message) for d in found] == [
        (
            "STK624",
            rng(7, 32, 7, 36),
            "terraform component 'vpcc' is not in stack 'acme-prod'; did you mean 'vpc'?",
        )
    ]


async def complete(s: Session, uri: str, line: int, col: int) -> list[str]:
    result = await s.client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, col))
    )
    assert isinstance(result, lsp.CompletionList)
    return [item.label for item in result.items]


async def test_completion_of_stacks_commands_and_components(wf: Session) -> None:
    uri = await wf.open(WORKFLOW)
    assert await complete(wf, uri, 3, 13) == ["acme-dev", "acme-prod"]  # stack: acme-prod
    assert await complete(wf, uri, 8, 40) == ["acme-dev", "acme-prod"]  # after -s
    assert "terraform" in await complete(wf, uri, 6, 17)  # the command's first word
    assert await complete(wf, uri, 6, 33) == ["vpc", "vpc/defaults"]  # apply <component>


async def test_hover_on_a_component_shows_it_in_the_steps_stack(wf: Session) -> None:
    uri = await wf.open(WORKFLOW)
    result = await wf.hover(uri, 6, 34)
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.range == rng(6, 33, 6, 36)
    lines = result.contents.value.split("\n")
    assert lines[0] == "component `vpc` → terraform `vpc` — in stack `acme-prod`"
    assert "inherits: `vpc/defaults`" in lines
    assert "vars (5): `cidr_block`, `nat_gateway_count`, `region`, `stage`, `tenant`" in lines


async def test_hover_on_a_stack_lists_its_components(wf: Session) -> None:
    uri = await wf.open(WORKFLOW)
    result = await wf.hover(uri, 8, 40)
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    dev = wf.uri("stacks/deployments/acme/dev.yaml")
    assert result.contents.value.split("\n") == [
        "stack `acme-dev` — 2 components",
        "",
        "components: `vpc`, `vpc/defaults`",
        f"defined in: [deployments/acme/dev.yaml:1]({dev}#L1)",
    ]


async def test_definition_of_a_stack_and_a_component(wf: Session) -> None:
    uri = await wf.open(WORKFLOW)

    async def where(line: int, col: int) -> list[tuple[str, int]]:
        found = await wf.client.text_document_definition_async(
            lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, col))
        )
        assert isinstance(found, list)
        return [(Path(lsp_uri_path(f)).name, f.range.start.line) for f in found]

    assert await where(3, 12) == [("prod.yaml", 0)]
    # vpc in acme-prod: written in the stack file and the catalog it imports
    assert await where(6, 34) == [("prod.yaml", 8), ("production.yaml", 4), ("vpc.yaml", 2)]


def lsp_uri_path(location: lsp.Location | lsp.LocationLink) -> str:
    uri = location.uri if isinstance(location, lsp.Location) else location.target_uri
    return uri.removeprefix("file://")


async def test_document_symbols_are_the_workflows_and_steps(wf: Session) -> None:
    uri = await wf.open(WORKFLOW)
    found = await wf.client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri))
    )
    assert found is not None
    top = [s for s in found if isinstance(s, lsp.DocumentSymbol)]
    assert [(s.name, s.kind, s.detail) for s in top] == [
        ("up", lsp.SymbolKind.Function, "Bring prod up")
    ]
    assert [(c.name, c.detail) for c in top[0].children or []] == [
        ("network", "terraform apply vpc -auto-approve"),
        ("step2", "terraform plan vpcc -s acme-dev"),
        ("step3", "terraform plan vpc -s acme-dev"),
    ]


async def test_atmos_yaml_hover_and_findings(wf: Session) -> None:
    uri = await wf.open("atmos.yaml")
    result = await wf.hover(uri, 5, 4)  # stacks.base_path
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.contents.value.split("\n") == [
        "`stacks.base_path` — Directory of the stack manifests, relative to base_path "
        "(ATMOS_STACKS_BASE_PATH overrides it).",
        "",
        f"effective value: `{wf.path('stacks')}`",
    ]
    text = wf.path("atmos.yaml").read_text().replace("workflows:", "workflow:")
    wf.replace(uri, 2, text)
    found = await wf.diagnostics_for(uri, lambda d: bool(d))
    assert [(d.code, d.range.start.line, d.message) for d in found] == [
        ("STK602", 9, "unknown key 'workflow' in the top level; did you mean 'workflows'?")
    ]


async def test_vendor_yaml_hover_and_definition(wf: Session) -> None:
    """Hover on a source shows where it comes from; a target leads to the component folder."""
    uri = await wf.open("vendor.yaml")
    result = await wf.hover(uri, 7, 8)
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.contents.value.split("\n") == [
        "component `vpc` — version `1.2.0`",
        "",
        "source: `github.com/acme/vpc.git//src?ref={{ .Version }}`",
        "target: `components/terraform/vpc`",
    ]
    found = await wf.client.text_document_definition_async(
        lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(10, 12))
    )
    assert isinstance(found, list)
    assert [lsp_uri_path(f) for f in found] == [str(wf.path("components/terraform/vpc"))]


async def test_the_explorer_tree(wf: Session) -> None:
    """`stack-lsp.explorer`: kind → component → stacks and bases; stacks → components;
    workflows → file → workflow → steps; each node opens where it is written."""
    result = await wf.client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="stack-lsp.explorer", arguments=[])
    )
    [project] = result["projects"]
    nodes = {n["label"]: n for n in project["nodes"]}
    assert list(nodes) == ["terraform", "stacks", "workflows"]

    def labels(node: dict[str, Any]) -> list[tuple[str, str]]:
        return [(c["kind"], c["label"]) for c in node.get("children", [])]

    terraform = nodes["terraform"]
    assert labels(terraform) == [("component", "vpc"), ("abstract", "vpc/defaults")]
    vpc = terraform["children"][0]
    assert labels(vpc) == [
        ("stack", "acme-dev"),
        ("stack", "acme-prod"),
        ("abstract", "vpc/defaults"),
    ]
    prod = vpc["children"][1]["location"]
    assert prod["uri"] == wf.uri("stacks/deployments/acme/prod.yaml")
    assert prod["range"]["start"] == {"line": 8, "character": 4}
    assert labels(nodes["stacks"]) == [("stack", "acme-dev"), ("stack", "acme-prod")]
    assert labels(nodes["stacks"]["children"][0]) == [("component", "vpc")]
    [file_node] = nodes["workflows"]["children"]
    assert labels(file_node) == [("workflow", "up")]
    assert [c["label"] for c in file_node["children"][0]["children"]] == [
        "network",
        "step2",
        "step3",
    ]
