"""Lifecycle and synchronisation: initialize, workspace folders and projects, indexing with
progress, editor buffers (incremental sync), and files changed on disk — through
`workspace/didChangeWatchedFiles` when the client can register it, else a polling watcher."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time

from lsprotocol import types as lsp

from .. import validation
from ..config import CONFIG_NAMES
from ..globs import MANIFEST_SUFFIXES
from ..terraform import TF_SUFFIXES
from ..workspace import stamp
from .projects import Project, max_file_bytes
from .server import StackServer, guarded, new_token

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0
WATCHED_SUFFIXES = MANIFEST_SUFFIXES + TF_SUFFIXES
REPORT_EVERY = 0.2
PARSE_CHUNK = 50
OPENING_GRACE = 0.05


def register(server: StackServer) -> None:
    @server.feature(lsp.INITIALIZE)
    def initialize(params: lsp.InitializeParams) -> None:
        server.projects.max_file_bytes = max_file_bytes(params.initialization_options)
        for hook in server.init_hooks:
            hook(params)

    @server.feature(lsp.INITIALIZED)
    async def initialized(params: lsp.InitializedParams) -> None:
        server.spawn(_start(server))
        for hook in server.initialized_hooks:
            server.spawn(hook())

    @server.feature(lsp.SHUTDOWN)
    def shutdown(params: None) -> None:
        server.stop.set()

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def folders_changed(params: lsp.DidChangeWorkspaceFoldersParams) -> None:
        added = [p for f in params.event.added if (p := server.path_of(f.uri))]
        removed = [p for f in params.event.removed if (p := server.path_of(f.uri))]

        def job() -> None:
            for folder in removed:
                server.projects.remove_folder(folder)
            for folder in added:
                server.projects.add_folder(folder)

        await server.run(job)
        server.spawn(_index(server))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        await _sync(server, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        await _sync(server, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        path = server.path_of(params.text_document.uri)
        if path is None:
            return

        def job() -> None:
            project = server.projects.for_path(path)
            if project is not None:
                project.close_buffer(path)

        await server.run(job)
        server.changed()

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(params: lsp.DidChangeWatchedFilesParams) -> None:
        events = [(p, e.type) for e in params.changes if (p := server.path_of(e.uri))]
        await apply_file_events(server, events)


async def _sync(server: StackServer, uri: str) -> None:
    """The buffer as the editor has it now goes to the engine (pygls has applied the
    incremental changes to its copy)."""
    path = server.path_of(uri)
    doc = server.workspace.text_documents.get(uri)
    if path is None or doc is None:
        return
    text = doc.source

    def job() -> None:
        project = server.projects.for_path(path)
        if project is not None:
            project.set_buffer(path, text)

    await server.run(job)
    server.changed()


@guarded()
async def _start(server: StackServer) -> None:
    folders = [p for f in server.workspace.folders.values() if (p := server.path_of(f.uri))]
    if not folders and server.workspace.root_path:
        folders = [os.path.abspath(server.workspace.root_path)]

    def discover() -> None:
        for folder in folders:
            server.projects.add_folder(folder)

    await server.run(discover)
    # Clients open their documents with `initialized`: let those be answered before the tree
    # is listed (one uninterruptible job of 0.3 s on 13,000 files).
    await asyncio.sleep(OPENING_GRACE)
    if not await _client_watches(server):
        # The poller's first look at the tree and the listing that the first diagnostics wait
        # for would take turns at the interpreter lock (twice as slow): list first.
        for project in list(server.projects.items):
            await server.background(project.ws.manifest_files)
        start_polling(server)
    await _index(server)


async def _index(server: StackServer) -> None:
    """Parse every manifest and merge every stack, in short engine jobs so that requests
    interleave, reporting progress. Whole-tree checks wait for it (`server.indexed`), which is
    set even when indexing fails, so diagnostics never wait forever."""
    try:
        await _index_projects(server)
    finally:
        server.indexed.set()
        server.changed()


async def _index_projects(server: StackServer) -> None:
    token: str | None = None
    window = server.client_capabilities.window
    if window is not None and window.work_done_progress:
        token = new_token()
        try:
            await server.work_done_progress.create_async(token)
            server.work_done_progress.begin(
                token,
                lsp.WorkDoneProgressBegin(
                    title="stack-lsp: indexing", percentage=0, cancellable=False
                ),
            )
        except Exception:
            log.exception("progress not available")
            token = None
    started = time.perf_counter()
    last = started
    for project in list(server.projects.items):
        manifests = await server.background(project.ws.manifest_files)
        stack_files = await server.background(project.ws.stack_files)
        for start in range(0, len(manifests), PARSE_CHUNK):
            await server.background(_parse, project, manifests[start : start + PARSE_CHUNK])
        await server.background(project.ws.importers, project.config.stacks_base)
        async for done in server.prepare_stacks(project, stack_files):
            now = time.perf_counter()
            if token is not None and now - last > REPORT_EVERY:
                last = now
                server.work_done_progress.report(
                    token,
                    lsp.WorkDoneProgressReport(
                        message=f"{done}/{len(stack_files)} stacks",
                        percentage=int(100 * done / max(1, len(stack_files))),
                    ),
                )
        await server.background(project.stacks.index)
        project.indexed = True
        log.info(
            "indexed %s: %d manifests, %d stack files in %.2fs",
            project.config.stacks_base,
            len(manifests),
            len(stack_files),
            time.perf_counter() - started,
        )
    if token is not None:
        server.work_done_progress.end(token, lsp.WorkDoneProgressEnd(message="indexed"))


def _parse(project: Project, paths: list[str]) -> None:
    """Parse files, resolve their imports (what the reverse import graph is built from) and
    check each against the manifest schema."""
    for path in paths:
        project.ws.links(path)
    validation.prepare(project.stacks, [], paths)


# ---- files on disk --------------------------------------------------------------------------


async def apply_file_events(
    server: StackServer, events: list[tuple[str, lsp.FileChangeType]]
) -> None:
    def job() -> bool:
        touched = False
        for path, kind in events:
            if os.path.basename(path) in CONFIG_NAMES:
                _reload(server, path)
                touched = True
                continue
            if path.endswith(TF_SUFFIXES):  # the Terraform contract of the stacks using it
                for user in _modules_of(server, path):
                    user.ws.file_changed(path)
                    touched = True
                continue
            if not path.endswith(MANIFEST_SUFFIXES):
                continue
            project = server.projects.for_path(path)
            if project is None:
                continue
            project.ws.file_changed(path, kind != lsp.FileChangeType.Changed)
            touched = True
        return touched

    if await server.run(job):
        server.changed()


def _modules_of(server: StackServer, path: str) -> list[Project]:
    """The projects whose Terraform components base holds `path`."""
    return [p for p in server.projects.items if path.startswith(p.config.terraform_base + os.sep)]


def _reload(server: StackServer, config_file: str) -> None:
    items = server.projects.items
    for i, project in enumerate(items):
        if project.config.config_file == config_file:
            fresh = server.projects._load(config_file, os.path.dirname(config_file))
            if fresh is not None:
                for path, text in project.ws._buffers.items():
                    fresh.set_buffer(path, text)
                fresh.syntax = project.syntax
                items[i] = fresh


async def _client_watches(server: StackServer) -> bool:
    """Whether the client took the registration to watch manifests and configuration files
    (else the server polls)."""
    caps = server.client_capabilities.workspace
    watched = caps.did_change_watched_files if caps is not None else None
    if watched is not None and watched.dynamic_registration:
        watchers = [
            lsp.FileSystemWatcher(glob_pattern=MANIFEST_GLOB_PATTERN),
            lsp.FileSystemWatcher(glob_pattern=TERRAFORM_GLOB_PATTERN),
        ] + [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
        try:
            await server.client_register_capability_async(
                lsp.RegistrationParams(
                    [
                        lsp.Registration(
                            new_token(),
                            lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            lsp.DidChangeWatchedFilesRegistrationOptions(watchers),
                        ),
                    ]
                )
            )
            return True
        except Exception:
            log.exception("client refused to watch files; polling instead")
    return False


MANIFEST_GLOB_PATTERN = "**/*.{yaml,yml,yaml.tmpl,yml.tmpl}"
TERRAFORM_GLOB_PATTERN = "**/*.{tf,tf.json}"


def start_polling(server: StackServer, interval: float = POLL_SECONDS) -> None:
    """A daemon thread that compares modification times under every stacks base path."""
    loop = asyncio.get_running_loop()

    def roots() -> list[tuple[str, str | None]]:
        projects = list(server.projects.items)
        return [(p.config.stacks_base, p.config.config_file) for p in projects] + [
            (p.config.terraform_base, None) for p in projects
        ]

    def loop_body() -> None:
        before = snapshot(roots())
        for project in list(server.projects.items):
            _as_read(before, project)
        while not server.stop.wait(interval):
            try:
                after = snapshot(roots())
                events = diff(before, after)
                before = after
                if events:
                    loop.call_soon_threadsafe(server.spawn, apply_file_events(server, events))
            except Exception:
                log.exception("file watcher")

    server.watcher = threading.Thread(target=loop_body, name="stack-lsp-watcher", daemon=True)
    server.watcher.start()


def snapshot(roots: list[tuple[str, str | None]]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for base, config_file in roots:
        if config_file:
            _stat_into(out, config_file)
        stack = [base]
        while stack:
            directory = stack.pop()
            try:
                entries = list(os.scandir(directory))
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith("."):
                        stack.append(entry.path)
                elif entry.name.endswith(WATCHED_SUFFIXES):
                    try:
                        st = entry.stat()
                    except OSError:
                        continue
                    out[entry.path] = (st.st_mtime_ns, st.st_size)
    return out


def _as_read(before: dict[str, tuple[int, int]], project: Project) -> None:
    """The watcher's first snapshot comes after the first answers: a file read before it and
    changed or deleted since keeps, in the snapshot, the stamp it had when read, so the next
    look reports it."""
    for path, when_read in project.read_stamps().items():
        watched = (
            path == project.config.config_file
            or project.ws.in_stacks(path)
            or project.ws.in_workflows(path)
        )
        if watched and before.get(path) != when_read:
            before[path] = when_read


def _stat_into(out: dict[str, tuple[int, int]], path: str) -> None:
    found = stamp(path)
    if found is not None:
        out[path] = found


def diff(
    before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]
) -> list[tuple[str, lsp.FileChangeType]]:
    events: list[tuple[str, lsp.FileChangeType]] = []
    for path, now in after.items():
        old = before.get(path)
        if old is None:
            events.append((path, lsp.FileChangeType.Created))
        elif old != now:
            events.append((path, lsp.FileChangeType.Changed))
    events.extend((path, lsp.FileChangeType.Deleted) for path in before if path not in after)
    return events
