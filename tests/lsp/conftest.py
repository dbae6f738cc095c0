"""pytest-lsp fixtures: the server over stdio, with the VS Code and the Neovim client
capabilities, on a small tree in tmp_path (`small`) or on the repository's `stacks/` (`real`)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.conftest import REPO, write_tree
from tests.lsp.trees import SMALL

CLIENTS = ["visual-studio-code", "neovim"]
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "stack_lsp"])


@dataclass
class Session:
    client: LanguageClient
    root: Path
    name: str

    def uri(self, rel: str) -> str:
        return (self.root / rel).as_uri()

    def path(self, rel: str) -> Path:
        return self.root / rel

    async def open(self, rel: str, text: str | None = None) -> str:
        uri = self.uri(rel)
        body = self.path(rel).read_text() if text is None else text
        self.client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "yaml", 1, body))
        )
        return uri

    def replace(self, uri: str, version: int, text: str) -> None:
        """Send the whole new text of a document."""
        change = lsp.TextDocumentContentChangeWholeDocument(text=text)
        self._change(uri, version, change)

    def edit(self, uri: str, version: int, where: lsp.Range, text: str) -> None:
        """Send one incremental change."""
        change = lsp.TextDocumentContentChangePartial(range=where, text=text)
        self._change(uri, version, change)

    def _change(self, uri: str, version: int, change: lsp.TextDocumentContentChangeEvent) -> None:
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[change],
            )
        )

    async def hover(self, uri: str, line: int, col: int) -> lsp.Hover | None:
        return await self.client.text_document_hover_async(
            lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, col))
        )

    async def diagnostics_for(
        self,
        uri: str,
        until: Callable[[list[lsp.Diagnostic]], bool] = lambda _: True,
        timeout: float = 10.0,
    ) -> list[lsp.Diagnostic]:
        """The diagnostics last published for `uri`, once `until(them)` holds: a test names
        the content it waits for, so an earlier publish (of the file as it was before an edit,
        or before the whole tree was checked) cannot pass for the one it expects."""
        published = publishes(self.client)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if uri in published and until(list(published[uri])):
                return list(published[uri])
            if not await published.next(deadline - loop.time()):
                raise AssertionError(f"diagnostics for {uri}: {published.get(uri)}")


class Publishes(dict[str, Sequence[lsp.Diagnostic]]):
    """`client.diagnostics` (pytest-lsp stores each publish there) that also wakes waiters.

    pytest-lsp's `wait_for_notification` keeps one future per method and sets its result even
    when the waiter timed out and cancelled it (InvalidStateError in the client): waiting here
    on futures of our own avoids that, and several waiters can wait at once."""

    def __init__(self, published: dict[str, Sequence[lsp.Diagnostic]]) -> None:
        super().__init__(published)
        self.waiters: list[asyncio.Future[None]] = []

    def __setitem__(self, uri: str, items: Sequence[lsp.Diagnostic]) -> None:
        super().__setitem__(uri, items)
        for waiter in self.waiters:
            if not waiter.done():
                waiter.set_result(None)
        self.waiters.clear()

    async def next(self, timeout: float) -> bool:
        """Wait for the next publish (to any document); False when `timeout` passed first."""
        if timeout <= 0:
            return False
        waiter = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            return False
        return True

    async def quiet(self, seconds: float) -> None:
        """Until nothing has been published for `seconds`."""
        while await self.next(seconds):
            pass


def publishes(client: LanguageClient) -> Publishes:
    """The client's diagnostics, made a `Publishes` (with those received so far) the first
    time."""
    if not isinstance(client.diagnostics, Publishes):
        client.diagnostics = Publishes(dict(client.diagnostics))
    return client.diagnostics


def _register(client: LanguageClient) -> None:
    """Accept dynamic registrations (file watching) and code lens refreshes (`lens_refreshed`
    is set on each) as VS Code does."""
    client.registrations: list[lsp.Registration] = []  # type: ignore[misc]
    client.lens_refreshed = asyncio.Event()  # type: ignore[attr-defined]

    @client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: lsp.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    @client.feature(lsp.WORKSPACE_CODE_LENS_REFRESH)
    def code_lens_refresh(_: None) -> None:
        client.lens_refreshed.set()  # type: ignore[attr-defined]


async def start(
    client: LanguageClient,
    root: Path,
    name: str,
    capabilities: lsp.ClientCapabilities | None = None,
    folders: list[Path] | None = None,
    options: Any = None,
) -> Session:
    _register(client)
    client.session_root = root  # type: ignore[attr-defined]
    client.session_name = name  # type: ignore[attr-defined]
    params = lsp.InitializeParams(
        capabilities=capabilities or client_capabilities(name),
        root_uri=root.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(f.as_uri(), f.name) for f in folders or [root]],
        initialization_options=options,
    )
    result = await client.initialize_session(params)
    client.init_result = result  # type: ignore[attr-defined]
    return Session(client, root, name)


def session(client: LanguageClient) -> Session:
    return Session(client, client.session_root, client.session_name)  # type: ignore[attr-defined]


def pulling(name: str) -> lsp.ClientCapabilities:
    """A client that pulls diagnostics and can be told to pull again, as VS Code's language
    client does (vscode-languageclient `DiagnosticFeature.fillClientCapabilities`)."""
    caps = client_capabilities(name)
    assert caps.text_document is not None and caps.workspace is not None
    caps.text_document.diagnostic = lsp.DiagnosticClientCapabilities(
        dynamic_registration=True, related_document_support=False
    )
    caps.workspace.diagnostics = lsp.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    return caps


@pytest.fixture
def small_root(tmp_path: Path) -> Path:
    return write_tree(tmp_path, dict(SMALL))


@pytest_lsp.fixture(config=SERVER, params=CLIENTS)
async def small_client(
    request: Any, lsp_client: LanguageClient, small_root: Path
) -> AsyncIterator[None]:
    await start(lsp_client, small_root, request.param)
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def small(small_client: LanguageClient) -> Session:
    """A server on the small tree, initialized with one client's capabilities."""
    return session(small_client)


def real_tree() -> Path:
    if not (REPO / "stacks" / "deployments").is_dir() or not (REPO / "atmos.yaml").is_file():
        pytest.skip("the example tree stacks/ is not there yet")
    return REPO


@pytest_lsp.fixture(config=SERVER, params=CLIENTS)
async def real_client(request: Any, lsp_client: LanguageClient) -> AsyncIterator[None]:
    await start(lsp_client, real_tree(), request.param)
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def real(real_client: LanguageClient) -> Session:
    """A server on the repository's stacks/ tree."""
    return session(real_client)


def pos(line: int, character: int) -> lsp.Position:
    return lsp.Position(line, character)


def rng(a: int, b: int, c: int, d: int) -> lsp.Range:
    return lsp.Range(lsp.Position(a, b), lsp.Position(c, d))
