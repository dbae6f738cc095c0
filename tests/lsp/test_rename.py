"""Rename and move: prepareRename/rename on a component, a refused rename, and
workspace/willRenameFiles rewriting the imports of a moved catalog file."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session, pos, rng

DEFAULTS = "stacks/catalog/vpc/defaults.yaml"
PRODUCTION = "stacks/catalog/vpc/production.yaml"


def flatten(edit: lsp.WorkspaceEdit | None) -> dict[str, list[tuple[lsp.Range, str]]]:
    """uri → (range, new text), from `changes` or `documentChanges`, whichever the server sent."""
    out: dict[str, list[tuple[lsp.Range, str]]] = {}
    assert edit is not None
    for uri, edits in (edit.changes or {}).items():
        out.setdefault(uri, []).extend((e.range, e.new_text) for e in edits)
    for change in edit.document_changes or []:
        assert isinstance(change, lsp.TextDocumentEdit)
        out.setdefault(change.text_document.uri, []).extend(
            (e.range, e.new_text) for e in change.edits
        )
    return {uri: sorted(items, key=lambda i: (i[0].start.line, i[0].start.character))
            for uri, items in out.items()}  # fmt: skip


async def test_rename_a_component_everywhere_it_is_named(small: Session) -> None:
    uri = await small.open(DEFAULTS)
    prepared = await small.client.text_document_prepare_rename_async(
        lsp.PrepareRenameParams(lsp.TextDocumentIdentifier(uri), pos(2, 6))
    )
    assert isinstance(prepared, lsp.PrepareRenamePlaceholder)
    assert (prepared.range, prepared.placeholder) == (rng(2, 4, 2, 16), "vpc/defaults")
    edit = await small.client.text_document_rename_async(
        lsp.RenameParams(lsp.TextDocumentIdentifier(uri), pos(2, 6), "vpc/base")
    )
    assert flatten(edit) == {
        uri: [(rng(2, 4, 2, 16), "vpc/base")],
        small.uri(PRODUCTION): [(rng(8, 12, 8, 24), "vpc/base")],
    }


async def test_nothing_to_rename_on_a_plain_value(small: Session) -> None:
    uri = await small.open(DEFAULTS)
    prepared = await small.client.text_document_prepare_rename_async(
        lsp.PrepareRenameParams(lsp.TextDocumentIdentifier(uri), pos(7, 30))
    )
    assert prepared is None


async def test_a_rename_onto_an_existing_component_is_refused(small: Session) -> None:
    uri = await small.open(DEFAULTS)
    with pytest.raises(JsonRpcException, match="a terraform component 'vpc' already exists"):
        await small.client.text_document_rename_async(
            lsp.RenameParams(lsp.TextDocumentIdentifier(uri), pos(2, 6), "vpc")
        )


async def test_moving_a_catalog_file_rewrites_its_imports(small: Session) -> None:
    asked = small.client.init_result.capabilities  # type: ignore[attr-defined]
    # advertised to clients that send it (VS Code); Neovim 0.10+ sends it when asked too
    assert (asked.workspace.file_operations.will_rename is not None) == (small.name != "neovim")
    edit = await small.client.workspace_will_rename_files_async(
        lsp.RenameFilesParams(
            [lsp.FileRename(small.uri(DEFAULTS), small.uri("stacks/catalog/network/vpc-base.yaml"))]
        )
    )
    assert flatten(edit) == {
        small.uri(PRODUCTION): [(rng(1, 4, 1, 24), "catalog/network/vpc-base")],
    }


async def test_moving_a_folder_rewrites_the_imports_into_it(small: Session) -> None:
    edit = await small.client.workspace_will_rename_files_async(
        lsp.RenameFilesParams(
            [lsp.FileRename(small.uri("stacks/catalog/vpc"), small.uri("stacks/catalog/net"))]
        )
    )
    changed = flatten(edit)
    assert changed[small.uri("stacks/deployments/acme/prod.yaml")] == [
        (rng(1, 4, 1, 26), "catalog/net/production")
    ]
    assert changed[small.uri(PRODUCTION)] == [(rng(1, 4, 1, 24), "catalog/net/defaults")]
