"""Pulled diagnostics with VS Code's capabilities: a pull sent right after an edit answers
for the edit (never the result from before it), the server asks for pulls again after a change,
and `workspace/diagnostic` reports closed files (result ids, `unchanged`, partial results)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest_lsp
from lsprotocol import types as lsp
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from tests.lsp.conftest import Session, pulling, rng, session, start

PROD = "stacks/deployments/acme/prod.yaml"
DEV = "stacks/deployments/acme/dev.yaml"
CATALOG = "stacks/catalog/vpc/production.yaml"
DEFAULTS = "stacks/deployments/acme/_defaults.yaml"
# the stack is named after its file (STK135); the module's required `tenant` is unset too
# (STK503, on the catalog that defines vpc)
NEEDS_TENANT = "name_pattern needs var 'tenant', which component 'vpc' does not have"


class Puller(LanguageClient):
    """A pytest-lsp client that also counts `workspace/diagnostic/refresh` requests (each
    wakes `refreshed`) and keeps the partial results of workspace pulls."""

    refreshed: asyncio.Event
    partials: dict[str | int, list[Any]]


def puller_client() -> Puller:
    client = Puller(converter_factory=default_converter)
    client.refreshed = asyncio.Event()
    client.partials = {}
    own = (lsp.PROGRESS, lsp.WORKSPACE_DIAGNOSTIC_REFRESH)
    defaults = {m: f for m, f in DEFAULT_CLIENT_FEATURES.items() if m not in own}
    register_lsp_features(client, defaults)

    @client.feature(lsp.WORKSPACE_DIAGNOSTIC_REFRESH)
    def refresh(params: None) -> None:
        client.refreshed.set()

    @client.feature(lsp.PROGRESS)
    def progress(params: lsp.ProgressParams) -> None:
        client.partials.setdefault(params.token, []).append(params.value)

    return client


PULLER = ClientServerConfig(
    server_command=[sys.executable, "-m", "stack_lsp"], client_factory=puller_client
)


@pytest_lsp.fixture(config=PULLER)
async def vscode(lsp_client: Puller, small_root: Any) -> AsyncIterator[None]:
    await start(lsp_client, small_root, "visual-studio-code", pulling("visual-studio-code"))
    yield
    await lsp_client.shutdown_session()


def pull(s: Session, uri: str, previous: str | None = None) -> asyncio.Future[Any]:
    """Send a document pull now (not when awaited): it follows the notifications sent before."""
    params = lsp.DocumentDiagnosticParams(
        lsp.TextDocumentIdentifier(uri), previous_result_id=previous
    )
    return asyncio.ensure_future(s.client.text_document_diagnostic_async(params))


def codes(report: Any) -> list[str]:
    assert isinstance(report, lsp.RelatedFullDocumentDiagnosticReport)
    return sorted(str(d.code) for d in report.items)


async def test_the_server_offers_document_and_workspace_pulls(vscode: Puller) -> None:
    provider = vscode.init_result.capabilities.diagnostic_provider  # type: ignore[attr-defined]
    assert isinstance(provider, lsp.DiagnosticOptions)
    assert provider.inter_file_dependencies is True
    assert provider.workspace_diagnostics is True


async def test_a_pull_sent_right_after_an_edit_answers_for_the_edit(vscode: Puller) -> None:
    s = session(vscode)
    uri = await s.open(PROD)
    clean = await pull(s, uri)
    assert codes(clean) == []
    assert clean.result_id
    s.edit(uri, 2, rng(3, 19, 3, 19), "x")  # ./overrides/vpc -> ./overrides/vpcx
    broken = await pull(s, uri, clean.result_id)
    assert codes(broken) == ["STK101"]
    assert broken.items[0].range == rng(3, 4, 3, 20)
    s.edit(uri, 3, rng(3, 19, 3, 20), "")  # fixed again: the same result as the first pull
    again = await pull(s, uri, clean.result_id)
    assert isinstance(again, lsp.RelatedUnchangedDocumentDiagnosticReport)
    assert again.result_id == clean.result_id


async def test_pulls_right_after_mixin_edits_never_answer_from_before_them(
    vscode: Puller,
) -> None:
    s = session(vscode)
    prod = await s.open(PROD)
    defaults = await s.open(DEFAULTS)
    assert codes(await pull(s, prod)) == []
    for version in range(2, 8):
        broken = version % 2 == 0  # `tenant` renamed, then back: the stack name needs it
        if broken:
            s.edit(defaults, version, rng(3, 2, 3, 8), "tenantx")
        else:
            s.edit(defaults, version, rng(3, 2, 3, 9), "tenant")
        report = await pull(s, prod)
        assert ("STK135" in codes(report)) if broken else codes(report) == []
        if broken:
            assert any(d.message.startswith(NEEDS_TENANT) for d in report.items)


async def test_a_mixin_edit_asks_for_pulls_again(vscode: Puller) -> None:
    s = session(vscode)
    prod = await s.open(PROD)
    defaults = await s.open(DEFAULTS)
    assert codes(await pull(s, prod)) == []
    vscode.refreshed.clear()
    s.edit(defaults, 2, rng(3, 2, 3, 8), "tenantx")
    await asyncio.wait_for(vscode.refreshed.wait(), 30)
    assert "STK135" in codes(await pull(s, prod))


def workspace_pull(
    s: Session, previous: dict[str, str], token: str | None = None
) -> asyncio.Future[lsp.WorkspaceDiagnosticReport]:
    ids = [lsp.PreviousResultId(uri, value) for uri, value in previous.items()]
    params = lsp.WorkspaceDiagnosticParams(previous_result_ids=ids, partial_result_token=token)
    return asyncio.ensure_future(s.client.workspace_diagnostic_async(params))


def by_uri(items: list[Any]) -> dict[str, Any]:
    return {item.uri: item for item in items}


async def test_a_workspace_pull_shows_closed_stacks_a_mixin_edit_breaks(vscode: Puller) -> None:
    s = session(vscode)
    defaults = await s.open(DEFAULTS)
    s.edit(defaults, 2, rng(3, 2, 3, 8), "tenantx")
    first = by_uri((await asyncio.wait_for(workspace_pull(s, {}), 30)).items)
    prod, dev = s.uri(PROD), s.uri(DEV)
    # the closed stacks; with them the catalog that defines vpc (its required `tenant` unset,
    # STK503) and the mixin (`tenantx` declared by no module, STK502)
    assert set(first) == {prod, dev, s.uri(CATALOG), defaults}
    for uri in (prod, dev):
        report = first[uri]
        assert isinstance(report, lsp.WorkspaceFullDocumentDiagnosticReport)
        assert "STK135" in {d.code for d in report.items}
        assert any(d.message.startswith(NEEDS_TENANT) for d in report.items)
        assert report.version is None  # not open
    # The next pull waits for a change; fixing the mixin clears both, in partial results.
    known = {uri: report.result_id for uri, report in first.items()}
    waiting = workspace_pull(s, known, token="partial-1")
    s.edit(defaults, 3, rng(3, 2, 3, 9), "tenant")
    final = await asyncio.wait_for(waiting, 30)
    assert list(final.items) == []
    parts = vscode.partials["partial-1"]
    cleared = {item["uri"]: item for part in parts for item in part["items"]}
    assert set(cleared) == set(first)
    assert all(item["kind"] == "full" and item["items"] == [] for item in cleared.values())


async def test_a_workspace_pull_reports_unchanged_files_as_unchanged(vscode: Puller) -> None:
    s = session(vscode)
    text = s.path(DEV).read_text().replace("- ./_defaults", "- ./_defaultsx")
    dev = await s.open(DEV, text)  # dev breaks on its own; prod breaks after the mixin edit
    first = by_uri((await asyncio.wait_for(workspace_pull(s, {}), 30)).items)
    assert set(first) == {dev, s.uri(CATALOG)}  # and the catalog's vpc lacks dev's `tenant`
    defaults = await s.open(DEFAULTS)
    s.edit(defaults, 2, rng(3, 2, 3, 8), "tenantx")
    second = by_uri(
        (await asyncio.wait_for(workspace_pull(s, {dev: first[dev].result_id}), 30)).items
    )
    assert isinstance(second[s.uri(PROD)], lsp.WorkspaceFullDocumentDiagnosticReport)
    assert second[dev] == lsp.WorkspaceUnchangedDocumentDiagnosticReport(
        result_id=first[dev].result_id, uri=dev, version=1
    )
