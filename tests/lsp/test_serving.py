"""Serving: progress while indexing, files changed on disk (watched by the client, or polled),
several workspace folders, `--stdio` and `--tcp`, requests for files outside every project."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.conftest import write_tree
from tests.lsp.conftest import CLIENTS, Session, session, start
from tests.lsp.trees import SMALL

PROD = "stacks/deployments/acme/prod.yaml"
DEFAULTS = "stacks/deployments/acme/_defaults.yaml"


async def eventually(check: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def test_indexing_reports_progress(small: Session) -> None:
    reports = small.client.progress_reports

    def ended() -> bool:
        return any(isinstance(r[-1], lsp.WorkDoneProgressEnd) for r in reports.values() if r)

    await eventually(ended)
    token, values = next(iter(reports.items()))
    assert str(token).startswith("stack-lsp-")
    assert isinstance(values[0], lsp.WorkDoneProgressBegin)
    assert values[0].title == "stack-lsp: indexing"
    assert isinstance(values[-1], lsp.WorkDoneProgressEnd)


async def test_files_changed_on_disk_are_picked_up(small: Session) -> None:
    prod = await small.open(PROD)
    assert await small.diagnostics_for(prod) == []
    defaults = small.path(DEFAULTS)
    defaults.write_text(defaults.read_text().replace("tenant:", "tenantx:"))
    if small.name == "visual-studio-code":
        registrations = small.client.registrations  # type: ignore[attr-defined]
        # registered once the documents opened with `initialized` have been answered
        await eventually(lambda: bool(registrations))
        assert [r.method for r in registrations] == ["workspace/didChangeWatchedFiles"]
        small.client.workspace_did_change_watched_files(
            lsp.DidChangeWatchedFilesParams(
                [lsp.FileEvent(small.uri(DEFAULTS), lsp.FileChangeType.Changed)]
            )
        )
    # Neovim cannot register watchers: the server polls modification times.
    both = {"STK135", "STK503"}  # named after its file; the module's required `tenant` unset
    found = await small.diagnostics_for(prod, lambda d: both <= {x.code for x in d}, timeout=15)
    assert {d.code for d in found} == both


@pytest.fixture
def two_roots(tmp_path: Path) -> tuple[Path, Path]:
    first = write_tree(tmp_path / "one", dict(SMALL))
    other = dict(SMALL)
    other["stacks/deployments/acme/_defaults.yaml"] = "vars:\n  tenant: zeta\n"
    second = write_tree(tmp_path / "two", other)
    return first, second


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "stack_lsp", "--stdio"]),
    params=CLIENTS,
)
async def multi(request: Any, lsp_client: LanguageClient, two_roots: tuple[Path, Path]) -> Any:
    first, second = two_roots
    await start(lsp_client, first.parent, request.param, folders=[first, second])
    yield
    await lsp_client.shutdown_session()


async def test_several_workspace_folders_each_with_its_atmos_yaml(multi: LanguageClient) -> None:
    s = session(multi)
    for folder, stack in (("one", "acme-prod"), ("two", "zeta-prod")):
        uri = await s.open(f"{folder}/{PROD}")
        result = await s.hover(uri, 10, 12)
        assert result is not None and isinstance(result.contents, lsp.MarkupContent)
        assert f"stack `{stack}`" in result.contents.value


async def test_a_file_outside_every_project_gets_no_answer(small: Session, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-elsewhere.yaml"
    outside.write_text("vars:\n  a: 1\n")
    try:
        uri = outside.as_uri()
        small.client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "yaml", 1, "vars:\n  a: 1\n"))
        )
        assert await small.hover(uri, 1, 3) is None
        # and the server still serves
        assert await small.hover(await small.open(PROD), 10, 12) is not None
    finally:
        outside.unlink()


def _frame(payload: dict[str, Any]) -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def _read(sock: socket.socket) -> dict[str, Any]:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    head, rest = data.split(b"\r\n\r\n", 1)
    headers = dict(line.split(b":", 1) for line in head.split(b"\r\n"))
    length = int(headers[b"Content-Length"])
    while len(rest) < length:
        rest += sock.recv(4096)
    result: dict[str, Any] = json.loads(rest[:length])
    return result


def test_serves_over_tcp(small_root: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "stack_lsp", "--tcp", str(port)],
        stderr=subprocess.DEVNULL, env={**os.environ, "STACK_LSP_LOG": "WARNING"},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=10)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        with sock:
            params = {"processId": None, "rootUri": small_root.as_uri(), "capabilities": {}}
            sock.sendall(
                _frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params})
            )
            reply = _read(sock)
            assert reply["id"] == 1
            capabilities = reply["result"]["capabilities"]
            assert capabilities["hoverProvider"] is True
            assert capabilities["textDocumentSync"]["change"] == 2  # incremental
            assert reply["result"]["serverInfo"]["name"] == "stack-lsp"
    finally:
        server.terminate()
        server.wait(10)


async def test_a_changed_atmos_yaml_reloads_the_project(small: Session) -> None:
    uri = await small.open(PROD)
    first = await small.hover(uri, 10, 12)
    assert first is not None and isinstance(first.contents, lsp.MarkupContent)
    assert "stack `acme-prod`" in first.contents.value
    config = small.path("atmos.yaml")
    config.write_text(config.read_text().replace('"{tenant}-{stage}"', '"{stage}"'))
    if small.name == "visual-studio-code":
        small.client.workspace_did_change_watched_files(
            lsp.DidChangeWatchedFilesParams(
                [lsp.FileEvent(small.uri("atmos.yaml"), lsp.FileChangeType.Changed)]
            )
        )

    async def renamed() -> bool:
        result = await small.hover(uri, 10, 12)
        return result is not None and "stack `prod`" in str(result.contents)

    deadline = time.monotonic() + 15
    while not await renamed():
        assert time.monotonic() < deadline, "atmos.yaml change not picked up"
        await asyncio.sleep(0.2)
