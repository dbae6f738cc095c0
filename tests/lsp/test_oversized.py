"""A document over the size limit opened in the editor: one finding saying so, every request on
it answered (with nothing) without parsing it, and the rest of the tree checked as before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.conftest import CLIENTS, SERVER, session, start

PROD = "stacks/deployments/acme/prod.yaml"
DEV = "stacks/deployments/acme/dev.yaml"
LIMIT = 2000


@pytest_lsp.fixture(config=SERVER, params=CLIENTS)
async def limited(
    request: Any, lsp_client: LanguageClient, small_root: Path
) -> AsyncIterator[None]:
    await start(lsp_client, small_root, request.param, options={"maxFileBytes": LIMIT})
    yield
    await lsp_client.shutdown_session()


async def test_an_oversized_buffer_is_one_finding_and_answers_every_request(
    limited: LanguageClient,
) -> None:
    s = session(limited)
    text = s.path(PROD).read_text() + "# padding\n" * 250
    size = len(text.encode())
    assert size > LIMIT
    uri = await s.open(PROD, text)
    found = await s.diagnostics_for(uri, lambda d: bool(d))
    assert [(d.code, d.range, d.message) for d in found] == [
        (
            "STK004",
            lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
            f"file is {size:,} bytes, over the {LIMIT:,}-byte limit; it is skipped "
            "(raise the limit with `--max-file-bytes` or the `maxFileBytes` setting)",
        )
    ]
    doc = lsp.TextDocumentIdentifier(uri)
    where = lsp.Position(1, 6)  # on `catalog/vpc/production`, an import in a file that parses
    client = limited
    assert await client.text_document_hover_async(lsp.HoverParams(doc, where)) is None
    assert await client.text_document_definition_async(lsp.DefinitionParams(doc, where)) in (
        None,
        [],
    )
    completion = await client.text_document_completion_async(lsp.CompletionParams(doc, where))
    assert completion is None or list(getattr(completion, "items", completion)) == []
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(doc))
    assert not symbols
    links = await client.text_document_document_link_async(lsp.DocumentLinkParams(doc))
    assert not links
    # an edit keeps it one finding, with the new size
    s.replace(uri, 2, text + "# more\n")
    grown = await s.diagnostics_for(uri, lambda d: f"{size + 7:,} bytes" in d[0].message)
    assert [d.code for d in grown] == ["STK004"]


async def test_the_rest_of_the_tree_is_checked_beside_an_oversized_buffer(
    limited: LanguageClient,
) -> None:
    s = session(limited)
    big = await s.open(PROD, s.path(PROD).read_text() + "# padding\n" * 250)
    broken = s.path(DEV).read_text().replace("- ./_defaults", "- ./_defaultsx")
    dev = await s.open(DEV, broken)
    assert [d.code for d in await s.diagnostics_for(big, lambda d: bool(d))] == ["STK004"]
    found = await s.diagnostics_for(dev, lambda d: "STK101" in [x.code for x in d])
    missing = [d.message for d in found if d.code == "STK101"]
    assert len(missing) == 1 and missing[0].startswith("import './_defaultsx' not found")
