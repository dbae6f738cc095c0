"""Diagnostics from `validation.check` after every change: soon what the open files show, then,
once the stacks the change reached are merged again, the whole tree's.

Push clients get `textDocument/publishDiagnostics` for every file with findings (scope
"workspace", the default) or for the open files only (scope "openFiles"), and an empty publish
when a file's findings go away. Clients that pull (`textDocument/diagnostic`) and can be told to
pull again (`workspace/diagnostic/refresh`), as VS Code, pull instead (`pull.py`): they are told
to after every change, and again once the whole tree is checked if an open file's result changed.
The scope is the `diagnostics.scope` initialization option or the `stackLsp.diagnostics.scope`
setting (`workspace/configuration`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import NamedTuple

from lsprotocol import types as lsp

from ..diagnostics import Diagnostic
from .server import StackServer

log = logging.getLogger(__name__)

QUICK = 0.03  # joins a burst of keystrokes
DEBOUNCE = 0.5  # the whole-tree check: its join is one engine job (seconds on 10,000 stacks)
WORKSPACE, OPEN_FILES = "workspace", "openFiles"
SECTION = "stackLsp"


def to_lsp(server: StackServer, found: Diagnostic) -> lsp.Diagnostic:
    related = [
        lsp.DiagnosticRelatedInformation(server.location(r.file, r.span), r.message)
        for r in found.related
    ]
    return lsp.Diagnostic(
        range=server.range_of(found.span, found.file),
        message=found.message,
        severity=lsp.DiagnosticSeverity(int(found.severity)),
        code=found.code,
        source="stack-lsp",
        related_information=related or None,
        data={"fixes": list(found.fixes)} if found.fixes else None,
    )


class Report(NamedTuple):
    """A file's diagnostics and the result id that names them (the same items, the same id:
    what lets a pull be answered `unchanged`)."""

    result_id: str
    items: list[lsp.Diagnostic]


def report_of(server: StackServer, found: list[Diagnostic]) -> Report:
    items = [to_lsp(server, d) for d in found]
    return Report(hashlib.blake2b(repr(items).encode(), digest_size=8).hexdigest(), items)


def scope_of(settings: object) -> str | None:
    """`diagnostics.scope` in initialization options or the `stackLsp` settings, if valid."""
    section = settings.get("diagnostics") if isinstance(settings, dict) else None
    scope = section.get("scope") if isinstance(section, dict) else None
    if scope is not None and scope not in (WORKSPACE, OPEN_FILES):
        log.warning("diagnostics.scope must be %r or %r, not %r", WORKSPACE, OPEN_FILES, scope)
        return None
    return scope


# ---- on the engine thread ------------------------------------------------------------------


def early_findings(server: StackServer, paths: set[str]) -> dict[str, list[Diagnostic]]:
    """For files opened or edited before the whole tree is checked: what each shows alone."""
    out: dict[str, list[Diagnostic]] = {}
    for path in paths:
        project = server.projects.for_path(path)
        out[path] = project.early_findings(path) if project is not None else []
    return out


def quick_findings(server: StackServer, paths: set[str]) -> dict[str, list[Diagnostic]]:
    """For the open stack files among `paths`: what their own stacks show, ahead of the
    whole-tree check that follows an edit."""
    out: dict[str, list[Diagnostic]] = {}
    for project in list(server.projects.items):
        mine = {p for p in paths if project.owns(p)}
        if mine:
            out.update(project.quick_findings(mine))
    return out


def pull_findings(server: StackServer, path: str) -> list[Diagnostic]:
    """What a pull for `path` is answered with: the whole tree's findings when they are for the
    workspace as it is now, else (a change is being checked) what the file's own stack shows
    — the refresh that follows the whole-tree check brings the rest."""
    project = server.projects.for_path(path)
    if project is None:
        return []
    if project.indexed:
        current = project.current_findings(path)
        if current is not None:
            return current
        if project.ws.is_stack_file(path):
            return project.quick_findings({path})[path]
    return project.early_findings(path)


def whole_tree(server: StackServer) -> dict[str, list[Diagnostic]]:
    """Every file with findings, in every project."""
    out: dict[str, list[Diagnostic]] = {}
    for project in list(server.projects.items):
        for path, found in project.every_finding().items():
            out.setdefault(path, []).extend(found)
    return out


# ---- on the event loop -----------------------------------------------------------------------


class Serial:
    """Runs `job` one at a time; asked again while it runs, it runs once more after."""

    def __init__(self, job: Callable[[], Awaitable[None]]) -> None:
        self.job = job
        self.running = False
        self.again = False

    async def __call__(self) -> None:
        if self.running:
            self.again = True
            return
        self.running = True
        try:
            self.again = True
            while self.again:
                self.again = False
                await self.job()
        finally:
            self.running = False


class Publisher:
    """Two passes after every change: soon (`QUICK`, enough to join a burst of keystrokes)
    what newly opened files show alone and what the open stack files' own stacks show (pull
    clients are told to pull instead); after `DEBOUNCE`, the whole tree's findings, once the
    stacks the change reached are merged again in short engine jobs (a long merge would hold up
    every request). A result is delivered only if nothing changed while it was computed (a
    later pass follows that change), with the document versions it saw."""

    def __init__(self, server: StackServer) -> None:
        self.server = server
        self.scope = WORKSPACE
        self.changes = 0
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.quick = Serial(self._quick)
        self.full = Serial(self._full)
        # push clients
        self.published: dict[str, str] = {}  # uri → result id last published, if not empty
        self.complete: set[str] = set()  # open documents that have had the whole tree's findings
        self.early: dict[str, int | None] = {}  # the version each has had its own findings for
        # pull clients
        self.reports: dict[str, Report] = {}  # the whole tree's, in scope, at `settled`
        self.answered: dict[str, str] = {}  # uri → result id a document pull was answered with
        self.settled = -1  # the `changes` that `reports` are for
        self.settled_versions: dict[str, int | None] = {}  # the documents' versions they saw
        self.settling = asyncio.Condition()
        self.workspace_pulled = False  # whether a workspace pull has been answered

    def schedule(self) -> None:
        self.changes += 1
        opened = set(self.server.open_paths().values())
        unseen = opened - self.early.keys() - self.complete
        # a file just opened is answered at once: no burst of keystrokes to join yet
        self._later("quick", 0 if unseen else QUICK, self.quick)
        self._later("full", DEBOUNCE, self.full)

    def _later(self, name: str, delay: float, run: Serial) -> None:
        timer = self.timers.get(name)
        if timer is not None:
            timer.cancel()
        loop = asyncio.get_running_loop()
        self.timers[name] = loop.call_later(delay, lambda: self.server.spawn(run()))

    def versions(self) -> dict[str, int | None]:
        return {uri: doc.version for uri, doc in self.server.workspace.text_documents.items()}

    def refresh(self) -> None:
        """Ask a pull client to pull its open documents again (its answer is not waited for)."""

        async def ask() -> None:
            try:
                await self.server.workspace_diagnostic_refresh_async(None)
            except Exception:
                log.info("the client did not take workspace/diagnostic/refresh")

        self.server.spawn(ask())

    async def _quick(self) -> None:
        server = self.server
        opened = server.open_paths()
        if server.pull_diagnostics:
            if opened:
                self.refresh()
            return
        still_open = set(opened.values())
        if self.scope == OPEN_FILES:
            for uri in self.published.keys() - still_open:
                self.publish(uri, [], None)
        self.complete &= still_open
        self.early = {uri: v for uri, v in self.early.items() if uri in still_open}
        docs = server.workspace.text_documents
        fresh = {
            path
            for path, uri in opened.items()
            if uri not in self.complete
            and (uri not in self.early or self.early[uri] != docs[uri].version)
        }
        if fresh:  # opened or edited before the whole tree is checked: what the file alone says
            self.early.update(await self._compute(early_findings, fresh))
        shown = {path for path, uri in opened.items() if uri in self.complete}
        if shown:  # after an edit: what the open stacks themselves show
            await self._compute(quick_findings, shown)

    async def _full(self) -> None:
        server = self.server
        await server.indexed.wait()  # the whole-tree check is one job: never before indexing
        changes = self.changes
        for project in list(server.projects.items):
            stack_files = await server.background(project.ws.stack_files)
            async for _ in server.prepare_stacks(project, stack_files):
                if changes != self.changes:
                    return  # the pass after that change starts over, keeping what is merged
        versions = self.versions()
        every = await server.background(whole_tree, server)
        if changes != self.changes:
            return
        reports = self._in_scope(every)
        if server.pull_diagnostics:
            await self._settle(reports, changes, versions)
        else:
            self._push(reports, versions)

    def _in_scope(self, every: dict[str, list[Diagnostic]]) -> dict[str, Report]:
        """Reports for the open files and, in the workspace scope, every file with findings."""
        server = self.server
        opened = server.open_paths()
        paths = set(opened) | (set(every) if self.scope == WORKSPACE else set())
        return {
            opened.get(p) or server.uri_of(p): report_of(server, every.get(p, [])) for p in paths
        }

    def _push(self, reports: dict[str, Report], versions: dict[str, int | None]) -> None:
        opened = set(self.server.open_paths().values())
        for uri, report in reports.items():
            if uri in opened:
                if uri in versions:
                    self.publish(uri, report.items, versions[uri], report.result_id)
                    self.complete.add(uri)
            elif self.published.get(uri) != report.result_id:
                self.publish(uri, report.items, None, report.result_id)
        for uri in self.published.keys() - reports.keys():
            self.publish(uri, [], None)

    def publish(
        self, uri: str, items: list[lsp.Diagnostic], version: int | None, result_id: str = ""
    ) -> None:
        self.server.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri, items, version)
        )
        if items:
            self.published[uri] = result_id
        else:
            self.published.pop(uri, None)

    async def _settle(
        self, reports: dict[str, Report], changes: int, versions: dict[str, int | None]
    ) -> None:
        """Pull clients: the whole tree's reports are current; wake the workspace pulls waiting
        for a change and, when an open file was answered with something else, ask for pulls."""
        self.reports = reports
        self.settled = changes
        self.settled_versions = versions
        async with self.settling:
            self.settling.notify_all()
        opened = set(self.server.open_paths().values())
        self.answered = {uri: rid for uri, rid in self.answered.items() if uri in opened}
        if any(reports[uri].result_id != rid for uri, rid in self.answered.items()):
            self.refresh()

    async def settled_after(self, seen: int) -> None:
        """Until the whole tree's reports are current (no change since, not even one whose
        buffer is still on its way to the engine) and newer than `seen`."""

        def current() -> bool:
            return (
                self.settled > seen
                and self.settled == self.changes
                and self.settled_versions == self.versions()
            )

        async with self.settling:
            await self.settling.wait_for(current)

    async def _compute(
        self, fn: Callable[..., dict[str, list[Diagnostic]]], *args: object
    ) -> dict[str, int | None]:
        """Run `fn(server, *args)` on the engine and publish its result unless a change came
        meanwhile; the uris published, with the versions published."""
        server = self.server
        changes = self.changes
        versions = self.versions()
        result = await server.run(fn, server, *args)
        if changes != self.changes:
            return {}
        sent: dict[str, int | None] = {}
        for path, uri in server.open_paths().items():
            if path in result and uri in versions:
                report = report_of(server, result[path])
                self.publish(uri, report.items, versions[uri], report.result_id)
                sent[uri] = versions[uri]
        return sent

    async def configure(self) -> None:
        """The `stackLsp` settings, when the client can be asked for them."""
        workspace = self.server.client_capabilities.workspace
        if workspace is None or not workspace.configuration:
            return
        try:
            found = await self.server.workspace_configuration_async(
                lsp.ConfigurationParams([lsp.ConfigurationItem(section=SECTION)])
            )
        except Exception:
            log.info("the client did not answer workspace/configuration")
            return
        self.rescope(found[0] if found else None)

    def rescope(self, settings: object) -> None:
        scope = scope_of(settings)
        if scope is not None and scope != self.scope:
            self.scope = scope
            self.server.changed()


def register(server: StackServer) -> Publisher:
    """Push diagnostics, and the publisher that `pull` answers pulls with (`app.build`)."""
    publisher = Publisher(server)
    server.changed_hooks.append(publisher.schedule)

    def on_initialize(params: lsp.InitializeParams) -> None:
        caps = params.capabilities
        can_pull = caps.text_document is not None and caps.text_document.diagnostic is not None
        refresh = (
            caps.workspace is not None
            and caps.workspace.diagnostics is not None
            and bool(caps.workspace.diagnostics.refresh_support)
        )
        publisher.scope = scope_of(params.initialization_options) or WORKSPACE
        server.pull_diagnostics = can_pull and refresh

    server.init_hooks.append(on_initialize)
    server.initialized_hooks.append(publisher.configure)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def configuration_changed(params: lsp.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if isinstance(settings, dict) and isinstance(settings.get(SECTION), dict):
            publisher.rescope(settings[SECTION])
        else:
            await publisher.configure()

    return publisher
