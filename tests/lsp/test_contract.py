"""The Terraform contract in the editor: findings on the open stack, the declaration in the
hover, var values completed from the module, quick fixes, and a changed `.tf` file re-checking
the stacks that deploy it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.conftest import write_tree
from tests.lsp.conftest import CLIENTS, SERVER, Session, pos, rng, session, start

VARIABLES = "components/terraform/app/variables.tf"
DEV = "stacks/deployments/dev.yaml"

TREE = {
    "atmos.yaml": """
        base_path: "."
        components:
          terraform:
            base_path: components/terraform
        stacks:
          base_path: stacks
          included_paths: ["deployments/**/*"]
          name_pattern: "{stage}"
        """,
    VARIABLES: """
        variable "stage" {
          type = string
        }

        variable "enabled" {
          type    = bool
          default = true
        }

        variable "tier" {
          type = string
          validation {
            condition     = contains(["small", "large"], var.tier)
            error_message = "tier is small or large"
          }
        }

        variable "replicas" {
          type        = number
          description = "How many copies run"
        }
        """,
    DEV: """
        vars:
          stage: dev
        components:
          terraform:
            app:
              metadata:
                component: app
              vars:
                tier: small
                replicaz: 2
        """,
}


@pytest_lsp.fixture(config=SERVER, params=CLIENTS)
async def contract_client(
    request: Any, lsp_client: LanguageClient, tmp_path: Path
) -> AsyncIterator[None]:
    await start(lsp_client, write_tree(tmp_path, dict(TREE)), request.param)
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def tf(contract_client: LanguageClient) -> Session:
    return session(contract_client)


def codes(found: list[lsp.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in found)


async def test_findings_on_the_open_stack(tf: Session) -> None:
    uri = await tf.open(DEV)
    found = await tf.diagnostics_for(uri, lambda d: codes(d) == ["STK502", "STK503"])
    by_code = {d.code: d for d in found}
    assert by_code["STK502"].range == rng(9, 8, 9, 16)
    assert by_code["STK502"].message == (
        "variable 'replicaz' is not declared by components/terraform/app; did you mean "
        "'replicas'? (component app, stack dev)"
    )
    assert by_code["STK502"].severity == lsp.DiagnosticSeverity.Warning
    assert by_code["STK503"].range == rng(4, 4, 4, 7)
    assert by_code["STK503"].severity == lsp.DiagnosticSeverity.Error
    # a type error shows at the value as soon as it is typed
    tf.edit(uri, 2, rng(8, 14, 8, 19), "[small]")
    found = await tf.diagnostics_for(uri, lambda d: "STK504" in codes(d))
    wrong = next(d for d in found if d.code == "STK504")
    assert wrong.range == rng(8, 14, 8, 21)
    assert wrong.message.startswith(
        "tier: a list is not a string; variable 'tier' is string "
        "(components/terraform/app/variables.tf:10); written in stack"
    )


async def test_hover_shows_the_declaration_with_its_validation(tf: Session) -> None:
    result = await tf.hover(await tf.open(DEV), 8, 10)
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    lines = result.contents.value.split("\n")
    assert lines[0].startswith("`vars.tier` = `small`")
    assert lines[-2:] == [
        f"variable `tier` — type `string` · required — [{VARIABLES}:10]({tf.uri(VARIABLES)}#L10)",
        '- validation: `contains(["small", "large"], var.tier)`',
    ]


async def complete(s: Session, text: str, line: int, col: int) -> list[str]:
    uri = await s.open(DEV, text)
    result = await s.client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), pos(line, col))
    )
    assert isinstance(result, lsp.CompletionList)
    return [i.label for i in result.items]


async def test_values_for_bools_and_validated_lists(tf: Session) -> None:
    head = "components:\n  terraform:\n    app:\n      vars:\n"
    assert await complete(tf, head + "        enabled: \n", 4, 17) == ["true", "false"]
    assert await complete(tf, head + "        tier: \n", 4, 14) == ["small", "large"]


async def actions(s: Session, uri: str, found: lsp.Diagnostic) -> list[lsp.CodeAction]:
    result = await s.client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri), found.range, lsp.CodeActionContext([found])
        )
    )
    return [a for a in result or [] if isinstance(a, lsp.CodeAction)]


async def test_quick_fixes_rename_and_add_the_missing_variables(tf: Session) -> None:
    uri = await tf.open(DEV)
    found = await tf.diagnostics_for(uri, lambda d: codes(d) == ["STK502", "STK503"])
    by_code = {d.code: d for d in found}
    rename = await actions(tf, uri, by_code["STK502"])
    assert [(a.title, a.kind) for a in rename] == [
        ("Rename to 'replicas'", lsp.CodeActionKind.QuickFix),
        ("Suppress STK502 on this line", lsp.CodeActionKind.QuickFix),
        ("Suppress STK502 in this file", lsp.CodeActionKind.QuickFix),
    ]
    assert rename[0].edit is not None and rename[0].edit.changes is not None
    assert list(rename[0].edit.changes[uri]) == [lsp.TextEdit(rng(9, 8, 9, 16), "replicas")]
    add = await actions(tf, uri, by_code["STK503"])
    assert [a.title for a in add] == [
        "Add the required variables: replicas",
        "Suppress STK503 on this line",
        "Suppress STK503 in this file",
    ]
    assert add[0].edit is not None and add[0].edit.changes is not None
    added = lsp.TextEdit(rng(9, 19, 9, 19), "\n        replicas: 0")
    assert list(add[0].edit.changes[uri]) == [added]


async def test_a_changed_module_rechecks_the_stacks_that_deploy_it(tf: Session) -> None:
    uri = await tf.open(DEV)
    await tf.diagnostics_for(uri, lambda d: codes(d) == ["STK502", "STK503"])
    module = tf.path(VARIABLES)
    module.write_text(module.read_text().replace('"replicas"', '"replicaz"'))
    tf.client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(
            [lsp.FileEvent(tf.uri(VARIABLES), lsp.FileChangeType.Changed)]
        )
    )
    assert await tf.diagnostics_for(uri, lambda d: not d) == []
