"""The server under hostile requests and trees: unknown methods, positions out of range,
malformed parameters get an error or an empty answer and the server keeps serving; a session
on a tree full of YAML functions runs and fetches nothing; `maxFileBytes` is honoured."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest_lsp
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.protocol.json_rpc import JsonRPCResponseMessage
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.hostile import functions_tree
from tests.lsp.conftest import Session, pos, session, start
from tests.lsp.hostile_server import attempts_log

PROD = "stacks/deployments/acme/prod.yaml"
HERE = Path(__file__).resolve().parent


async def raw(client: LanguageClient, method: str, params: Any) -> tuple[str, Any]:
    """("result", value) or ("error", code) for a request sent as raw JSON (the client's own
    serializer would refuse malformed parameters)."""
    proto = client.protocol
    msg_id = str(uuid.uuid4())
    future: Future[Any] = Future()
    proto._request_futures[msg_id] = future
    proto._result_types[msg_id] = JsonRPCResponseMessage
    proto._send_data({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
    try:
        return "result", await asyncio.wait_for(asyncio.wrap_future(future), 10)
    except JsonRpcException as exc:
        return "error", exc.code


def empty(kind: str, value: Any) -> bool:
    """An answer with nothing in it: null, [], or a completion list without items."""
    return kind == "result" and (value is None or value == [] or getattr(value, "items", 0) == [])


def notify(client: LanguageClient, method: str, params: Any) -> None:
    client.protocol._send_data({"jsonrpc": "2.0", "method": method, "params": params})


async def still_serving(s: Session, uri: str) -> None:
    result = await s.hover(uri, 10, 12)  # vars.nat_gateway_count in prod.yaml
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert "nat_gateway_count" in result.contents.value


async def test_unknown_methods_get_method_not_found(small: Session) -> None:
    uri = await small.open(PROD)
    assert await raw(small.client, "stackLsp/doesNotExist", {}) == ("error", -32601)
    assert await raw(small.client, "textDocument/noSuchThing", {"x": 1}) == ("error", -32601)
    notify(small.client, "$/noSuchNotification", {"x": 1})
    notify(small.client, "stackLsp/bogus", None)
    await still_serving(small, uri)


POSITIONS = [(10_000, 0), (0, 10_000), (12, 500), (10_000, 10_000), (2**31 - 1, 2**31 - 1)]
POSITION_METHODS = [
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/completion",
]


async def test_positions_out_of_range_get_an_empty_answer(small: Session) -> None:
    uri = await small.open(PROD)
    lines = small.path(PROD).read_text().split("\n")
    for method in POSITION_METHODS:
        for line, character in [*POSITIONS, (-1, 0), (0, -5), (-1, -1)]:
            params: dict[str, Any] = {
                "textDocument": {"uri": uri},
                "position": {"line": line, "character": character},
            }
            if method == "textDocument/references":
                params["context"] = {"includeDeclaration": True}
            kind, value = await raw(small.client, method, params)
            where = (method, line, character, kind, value)
            if line < 0 or character < 0:
                assert (kind, value) == ("error", -32602), where  # invalid params, answered
            elif line >= len(lines):
                assert empty(kind, value), where  # nothing past the end
            else:
                assert kind == "result", where  # a column past the end means the line's end
    assert lines[0] == "import:"
    kind, hints = await raw(
        small.client,
        "textDocument/inlayHint",
        {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 500, "character": 0}, "end": {"line": 900, "character": 3}},
        },
    )
    assert empty(kind, hints) or (kind, hints) == ("error", -32601)  # not offered to all
    await still_serving(small, uri)


MALFORMED: list[tuple[str, Any]] = [
    ("textDocument/hover", {}),
    ("textDocument/hover", {"textDocument": {"uri": 3}, "position": {"line": 0}}),
    ("textDocument/hover", {"textDocument": {}, "position": "top"}),
    ("textDocument/hover", None),
    ("textDocument/hover", [1, 2, 3]),
    (
        "textDocument/definition",
        {
            "textDocument": {"uri": "file:///nowhere/x.yaml"},
            "position": {"line": 0, "character": 0},
        },
    ),
    (
        "textDocument/hover",
        {"textDocument": {"uri": "untitled:Untitled-1"}, "position": {"line": 0, "character": 0}},
    ),
    (
        "textDocument/hover",
        {
            "textDocument": {"uri": "http://example.com/x.yaml"},
            "position": {"line": 0, "character": 0},
        },
    ),
    (
        "textDocument/completion",
        {"textDocument": {"uri": "not a uri at all"}, "position": {"line": 0, "character": 0}},
    ),
    ("textDocument/documentSymbol", {"textDocument": {"uri": "file:///etc/passwd"}}),
    ("textDocument/documentLink", {"textDocument": {"uri": "file:///etc/passwd"}}),
    ("textDocument/codeLens", {"textDocument": {"uri": "file:///dev/zero"}}),
    ("workspace/symbol", {"query": None}),
    ("workspace/symbol", {"query": "[[[(*"}),
    ("workspace/executeCommand", {"command": "stack-lsp.nope", "arguments": [1, {"a": None}]}),
]


async def test_malformed_parameters_get_an_error_or_empty_answer(small: Session) -> None:
    uri = await small.open(PROD)
    for method, params in MALFORMED:
        kind, value = await raw(small.client, method, params)
        assert (
            empty(kind, value)
            or (kind, value) in [("error", -32601), ("error", -32602), ("error", -32603)]
            or (method == "workspace/symbol" and kind == "result")
        ), (method, params, kind, value)
    # notifications with nonsense: no answer, no crash
    c = small.client
    notify(
        c,
        "textDocument/didChange",
        {
            "textDocument": {"uri": "file:///nope.yaml", "version": 2},
            "contentChanges": [{"text": "x"}],
        },
    )
    notify(
        c,
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 99},
            "contentChanges": [
                {
                    "range": {
                        "start": {"line": 900, "character": 0},
                        "end": {"line": 901, "character": 0},
                    },
                    "text": "",
                }
            ],
        },
    )
    notify(c, "textDocument/didClose", {"textDocument": {"uri": "file:///never/opened.yaml"}})
    notify(
        c,
        "workspace/didChangeWatchedFiles",
        {"changes": [{"uri": "file:///etc/x.yaml", "type": 1}]},
    )
    notify(c, "textDocument/didOpen", {"textDocument": {"uri": "file:///etc/passwd"}})
    await still_serving(small, uri)


# ---- a session on a tree full of YAML functions, with refusing spies in the server ------------


SPIED = ClientServerConfig(
    server_command=[sys.executable, str(HERE / "hostile_server.py")],
    server_env={**os.environ, "PYTHONPATH": str(HERE.parents[1])},
)


@pytest_lsp.fixture(config=SPIED)
async def spied(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    Path(attempts_log(os.getpid())).unlink(missing_ok=True)
    await start(lsp_client, functions_tree(tmp_path / "tree"), "visual-studio-code")
    yield
    await lsp_client.shutdown_session()


async def test_a_session_runs_and_fetches_nothing(spied: LanguageClient, tmp_path: Path) -> None:
    s = session(spied)
    uri = await s.open("stacks/deploy/dev.yaml")
    found = await s.diagnostics_for(uri, lambda d: any(x.code == "STK105" for x in d))
    assert ("STK105", 28) in [(d.code, d.range.start.line) for d in found]
    lines = s.path("stacks/deploy/dev.yaml").read_text().splitlines()
    for line, text in enumerate(lines):
        if ": !" in text or "{{" in text:
            col = text.index(":") + 3
            await s.hover(uri, line, col)
            await spied.text_document_definition_async(
                lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), pos(line, col))
            )
            await spied.text_document_completion_async(
                lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), pos(line, col))
            )
    hover = await s.hover(uri, lines.index("        a: !exec touch " + str(s.root / "pwned")), 8)
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert "!exec touch" in hover.contents.value  # shown as written
    vpc_line = lines.index("    vpc:")
    described = await spied.workspace_execute_command_async(
        lsp.ExecuteCommandParams(
            "stack-lsp.describeComponent",
            [{"uri": uri, "position": {"line": vpc_line, "character": 5}, "stack": "dev"}],
        )
    )
    assert "!exec touch" in str(described)
    assert not (s.root / "pwned").exists()
    log = Path(attempts_log(os.getpid()))
    assert not log.exists(), log.read_text()


# ---- maxFileBytes ------------------------------------------------------------------------------

BIG_MIXIN = "vars:\n  tenant: acme\n" + "".join(f"  pad{i}: {i}\n" for i in range(40))


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "stack_lsp"]),
    params=[None, 300],
)
async def limited(
    request: Any, lsp_client: LanguageClient, small_root: Path
) -> AsyncIterator[None]:
    (small_root / "stacks/deployments/acme/_defaults.yaml").write_text(
        "import:\n  - mixins/region\n  - mixins/big\n"
    )
    (small_root / "stacks/mixins/big.yaml").write_text(BIG_MIXIN)
    lsp_client.session_root = small_root  # type: ignore[attr-defined]
    lsp_client.session_name = "neovim"  # type: ignore[attr-defined]
    from pytest_lsp import client_capabilities

    params = lsp.InitializeParams(
        capabilities=client_capabilities("neovim"),
        root_uri=small_root.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(small_root.as_uri(), "small")],
        initialization_options={"maxFileBytes": request.param} if request.param else None,
    )
    await lsp_client.initialize_session(params)
    lsp_client.max_bytes = request.param  # type: ignore[attr-defined]
    yield None
    await lsp_client.shutdown_session()


async def test_max_file_bytes_option(limited: LanguageClient) -> None:
    s = session(limited)
    uri = await s.open(PROD)
    if limited.max_bytes is None:  # type: ignore[attr-defined]
        assert await s.diagnostics_for(uri) == []
        return
    found = await s.diagnostics_for(uri, lambda d: bool(d))
    # the big mixin that sets `tenant` is skipped, so the stack is named after its file
    assert {d.code for d in found} == {"STK135"}
    assert "name_pattern needs var 'tenant'" in found[0].message
