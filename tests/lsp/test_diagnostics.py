"""Diagnostics: pushed on open and after edits (debounced), a mixin edit re-checks the open
files that import it, syntax errors of a half-typed buffer, and pulled diagnostics."""

from __future__ import annotations

import sys

import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.conftest import SERVER, Session, publishes, pulling, rng, session, start

PROD = "stacks/deployments/acme/prod.yaml"
DEFAULTS = "stacks/deployments/acme/_defaults.yaml"
DEV = "stacks/deployments/acme/dev.yaml"


def codes(diagnostics: list[lsp.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


async def test_a_clean_file_gets_an_empty_list(small: Session) -> None:
    uri = await small.open(PROD)
    assert await small.diagnostics_for(uri) == []


async def test_a_missing_import_is_reported_on_its_entry(small: Session) -> None:
    text = small.path(PROD).read_text().replace("./overrides/vpc", "./overrides/vpcx")
    uri = await small.open(PROD, text)
    found = await small.diagnostics_for(uri, lambda d: bool(d))
    assert len(found) == 1
    assert found[0].code == "STK101"
    assert found[0].range == rng(3, 4, 3, 20)
    assert found[0].severity == lsp.DiagnosticSeverity.Error
    assert found[0].source == "stack-lsp"
    assert found[0].message.startswith("import './overrides/vpcx' not found")


async def test_editing_fixes_and_breaks_incrementally(small: Session) -> None:
    uri = await small.open(PROD)
    assert await small.diagnostics_for(uri) == []
    small.edit(uri, 2, rng(3, 19, 3, 19), "x")  # ./overrides/vpc -> ./overrides/vpcx
    found = await small.diagnostics_for(uri, lambda d: codes(d) == ["STK101"])
    assert found[0].range == rng(3, 4, 3, 20)
    small.edit(uri, 3, rng(3, 19, 3, 20), "")
    assert await small.diagnostics_for(uri, lambda d: not d) == []


async def test_editing_a_mixin_updates_an_open_importer(small: Session) -> None:
    prod = await small.open(PROD)
    assert await small.diagnostics_for(prod) == []
    defaults = await small.open(DEFAULTS)
    small.edit(defaults, 2, rng(3, 2, 3, 8), "tenantx")  # the stack name needs `tenant`
    found = await small.diagnostics_for(prod, lambda d: {"STK135", "STK503"} <= set(codes(d)))
    # the module's required variable `tenant` is no longer set either (STK503, on `vpc:`)
    assert {d.code for d in found} == {"STK135", "STK503"}
    found = [d for d in found if d.code == "STK135"]
    assert found[0].message == (
        "name_pattern needs var 'tenant', which component 'vpc' does not have: Atmos "
        "names its stack after the file, 'deployments/acme/prod'"
    )


async def test_a_syntax_error_is_reported_and_the_rest_still_checked(
    small: Session,
) -> None:
    text = small.path(PROD).read_text().replace("./overrides/vpc", "./overrides/vpcx")
    text += "  bad: [unclosed\n"
    uri = await small.open(PROD, text)
    found = await small.diagnostics_for(uri, lambda d: len(d) >= 2)
    assert codes(found) == ["STK001", "STK101"]
    syntax = next(d for d in found if d.code == "STK001")
    assert syntax.range == rng(12, 0, 12, 1)
    assert "did not find expected ',' or ']'" in syntax.message


async def test_closing_a_file_clears_its_diagnostics(small: Session) -> None:
    text = small.path(PROD).read_text().replace("./overrides/vpc", "./overrides/vpcx")
    uri = await small.open(PROD, text)
    await small.diagnostics_for(uri, lambda d: bool(d))
    small.client.text_document_did_close(
        lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(uri))
    )
    assert await small.diagnostics_for(uri, lambda d: not d) == []


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "stack_lsp"]),
    params=["visual-studio-code", "neovim"],
)
async def puller(request, lsp_client: LanguageClient, small_root):  # type: ignore[no-untyped-def]
    await start(lsp_client, small_root, request.param, pulling(request.param))
    yield
    await lsp_client.shutdown_session()


async def test_pulled_diagnostics_with_inter_file_dependencies(puller: LanguageClient) -> None:
    s = session(puller)
    provider = puller.init_result.capabilities.diagnostic_provider  # type: ignore[attr-defined]
    assert isinstance(provider, lsp.DiagnosticOptions)
    assert provider.inter_file_dependencies is True
    text = s.path(PROD).read_text().replace("./overrides/vpc", "./overrides/vpcx")
    uri = await s.open(PROD, text)
    report = await puller.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(lsp.TextDocumentIdentifier(uri))
    )
    assert isinstance(report, lsp.RelatedFullDocumentDiagnosticReport)
    assert [(d.code, d.range) for d in report.items] == [("STK101", rng(3, 4, 3, 20))]
    assert uri not in puller.diagnostics  # pulled, not pushed


async def test_a_mixin_edit_shows_on_closed_stacks_and_their_fix_clears_it(
    small: Session,
) -> None:
    defaults = await small.open(DEFAULTS)
    small.edit(defaults, 2, rng(3, 2, 3, 8), "tenantx")
    prod = small.uri(PROD)  # never opened
    found = await small.diagnostics_for(prod, lambda d: "STK135" in codes(d))
    assert "STK135" in {d.code for d in found}
    assert any(d.message.startswith(NEEDS_TENANT) for d in found)
    small.edit(defaults, 3, rng(3, 2, 3, 9), "tenant")
    assert await small.diagnostics_for(prod, lambda d: not d) == []


# the stack is named after its file (STK135); the module's required `tenant` is unset too
# (STK503, on the catalog that defines vpc)
NEEDS_TENANT = "name_pattern needs var 'tenant', which component 'vpc' does not have"


@pytest_lsp.fixture(config=SERVER, params=["initializationOptions", "configuration"])
async def open_files_only(request, lsp_client: LanguageClient, small_root):  # type: ignore[no-untyped-def]
    scope = {"diagnostics": {"scope": "openFiles"}}
    if request.param == "configuration":  # as VS Code answers for the `stackLsp` settings
        lsp_client.set_configuration(scope, section="stackLsp")
        await start(lsp_client, small_root, "neovim")
    else:
        await start(lsp_client, small_root, "neovim", options=scope)
    yield
    await lsp_client.shutdown_session()


async def test_the_open_files_scope_leaves_closed_stacks_alone(
    open_files_only: LanguageClient,
) -> None:
    s = session(open_files_only)
    defaults = await s.open(DEFAULTS)
    dev = await s.open(DEV)
    s.edit(defaults, 2, rng(3, 2, 3, 8), "tenantx")
    await s.diagnostics_for(dev, lambda d: "STK135" in codes(d))
    await publishes(open_files_only).quiet(1.0)
    assert s.uri(PROD) not in open_files_only.diagnostics
