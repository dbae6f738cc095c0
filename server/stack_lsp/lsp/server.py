"""The language server: one `StackServer` holding the projects, an engine thread, and thin
feature handlers registered from one module per feature.

Threading: every read and change of the engine runs on one worker thread (`run` for the
editor's work, `background` for indexing and re-checking, which waits behind it), so the index
changes in one place and the event loop never waits on a merge.
Handlers are coroutines: a cancelled request cancels its queued engine job.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..tree import Span
from .engine import BACKGROUND, EDITOR, Engine
from .projects import Project, Projects

log = logging.getLogger("stack_lsp")

P = ParamSpec("P")
T = TypeVar("T")

MANIFEST_GLOB = "**/*.{yaml,yml,tmpl}"
SLICE = 0.05  # seconds of merging per engine job: a request waits at most about this long


class _Protocol(LanguageServerProtocol):
    """pygls drops a request whose parameters do not fit the method's type (a negative line, a
    string for a position) without answering, and the client waits forever: answer it with
    InvalidParams instead."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if "id" in data and "method" in data:
                error = {"code": exc.code, "message": f"invalid {data['method']} request: {exc}"}
                self._send_data({"jsonrpc": "2.0", "id": data["id"], "error": error})
            raise


class StackServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "stack-lsp",
            __version__,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            protocol_cls=_Protocol,
        )
        self.engine = Engine()
        self.projects = Projects()
        self.indexed = asyncio.Event()
        self.pull_diagnostics = False
        self.watcher: threading.Thread | None = None
        self.stop = threading.Event()
        self.tasks: set[asyncio.Task[Any]] = set()
        self.init_hooks: list[Callable[[lsp.InitializeParams], None]] = []
        self.initialized_hooks: list[Callable[[], Awaitable[None]]] = []
        self.changed_hooks: list[Callable[[], None]] = []

    def feature_if(
        self,
        supported: Callable[[lsp.TextDocumentClientCapabilities], object],
        method: str,
        options: Any,
        handler: Callable[..., Awaitable[Any]],
    ) -> None:
        """Register `handler` for `method` only for clients whose text document capabilities
        say they use it (decided at initialize, before the capabilities are answered)."""

        def hook(params: lsp.InitializeParams) -> None:
            td = params.capabilities.text_document
            if td is not None and supported(td) is not None:
                self.feature(method, options)(guarded([])(handler))

        self.init_hooks.append(hook)

    def changed(self) -> None:
        """The engine's view changed (an edit, a file on disk, a new project)."""
        for hook in self.changed_hooks:
            hook()

    # ---- the engine thread -------------------------------------------------------------

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `fn` on the engine thread, before any background work. If the awaiting request
        is cancelled before the job starts, the job never runs."""
        future = self.engine.submit(functools.partial(fn, *args, **kwargs), EDITOR)
        result: T = await asyncio.wrap_future(future)
        return result

    async def background(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `fn` on the engine thread after the editor's pending work."""
        future = self.engine.submit(functools.partial(fn, *args, **kwargs), BACKGROUND)
        result: T = await asyncio.wrap_future(future)
        return result

    async def prepare_stacks(self, project: Project, paths: list[str]) -> AsyncIterator[int]:
        """Merge and pre-check `paths` (`Project.prepare_stacks`) in background jobs of `SLICE`
        seconds, so requests interleave; how many are done, after each job."""
        done = 0
        while done < len(paths):
            done = await self.background(project.prepare_stacks, paths, done, SLICE)
            yield done

    def spawn(self, coro: Awaitable[Any]) -> None:
        """A background task whose failure is logged, not lost."""

        async def guarded() -> None:
            try:
                await coro
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("background task failed")

        task = asyncio.ensure_future(guarded())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # ---- paths, positions ----------------------------------------------------------------

    @staticmethod
    def path_of(uri: str) -> str | None:
        path = to_fs_path(uri)
        return os.path.abspath(path) if path else None

    @staticmethod
    def uri_of(path: str) -> str:
        return from_fs_path(path) or path

    def open_paths(self) -> dict[str, str]:
        """Open documents: path → uri."""
        out: dict[str, str] = {}
        for uri in self.workspace.text_documents:
            path = self.path_of(uri)
            if path is not None:
                out[path] = uri
        return out

    def oversized(self, uri: str) -> bool:
        """Whether the open document is over the size limit: the engine skips it (STK004), so
        a request on it is answered at once, without splitting its lines."""
        doc = self.workspace.text_documents.get(uri)
        return doc is not None and len(doc.source) > self.projects.max_file_bytes

    def point(self, uri: str, position: lsp.Position) -> tuple[int, int]:
        """A client position as (line, code-point column)."""
        doc = self.workspace.text_documents.get(uri)
        if doc is None or beyond_end(doc.source, position.line):
            return position.line, position.character
        converted = doc.position_codec.position_from_client_units(doc.lines, position)
        return converted.line, converted.character

    def range_of(self, span: Span, file: str | None = None) -> lsp.Range:
        """A span (code points) as an LSP range, in the client's position units when `file` is
        open (UTF-16 for VS Code, UTF-8 for Neovim)."""
        plain = lsp.Range(
            lsp.Position(span.start_line, span.start_col), lsp.Position(span.end_line, span.end_col)
        )
        doc = self.workspace.text_documents.get(self.uri_of(file)) if file is not None else None
        if doc is None:
            return plain
        lines = doc.lines
        if all(line.isascii() for line in lines[span.start_line : span.end_line + 1]):
            return plain
        converted: lsp.Range = doc.position_codec.range_to_client_units(lines, plain)
        return converted

    def location(self, file: str, span: Span) -> lsp.Location:
        return lsp.Location(self.uri_of(file), self.range_of(span, file))

    async def at(
        self, uri: str, position: lsp.Position, fn: Callable[..., T], *args: Any
    ) -> T | None:
        """Run `fn(project, path, line, col, *args)` on the engine for a document position."""
        path = self.path_of(uri)
        doc = self.workspace.text_documents.get(uri)
        if path is None or self.oversized(uri):
            return None
        if doc is not None and beyond_end(doc.source, position.line):
            return None  # pygls would clamp a line past the end onto the last line
        line, col = self.point(uri, position)

        def job() -> T | None:
            project = self.projects.for_path(path)
            return None if project is None else fn(project, path, line, col, *args)

        return await self.run(job)

    async def at_cancellable(
        self, uri: str, position: lsp.Position, fn: Callable[..., T]
    ) -> T | None:
        """`at`, passing a `cancelled` callable last so long queries stop when the request is."""
        return await cancellable(self.at, uri, position, fn)

    async def in_file_cancellable(self, uri: str, fn: Callable[..., T], *args: Any) -> T | None:
        """`in_file`, passing a `cancelled` callable last."""
        return await cancellable(self.in_file, uri, fn, *args)

    async def in_file(self, uri: str, fn: Callable[..., T], *args: Any) -> T | None:
        """Run `fn(project, path, *args)` on the engine for a document."""
        path = self.path_of(uri)
        if path is None or self.oversized(uri):
            return None

        def job() -> T | None:
            project = self.projects.for_path(path)
            return None if project is None else fn(project, path, *args)

        return await self.run(job)


def beyond_end(text: str, line: int) -> bool:
    """Whether `line` is past the document's last line (the empty line after a final newline
    is a line: the cursor can be there)."""
    return line > text.count("\n")


async def cancellable(run: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Await `run(*args, cancelled)`; `cancelled()` turns true when the request is cancelled."""
    flag = threading.Event()
    try:
        return await run(*args, flag.is_set)
    except asyncio.CancelledError:
        flag.set()
        raise


def guarded(
    default: Any = None,
) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
    """A handler that logs an internal error with its traceback and answers `default`."""

    def wrap(fn: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        @functools.wraps(fn)
        async def inner(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return await fn(*args, **kwargs)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s failed", fn.__name__)
                result: T = default
                return result

        return inner

    return wrap


def new_token() -> str:
    return f"stack-lsp-{uuid.uuid4()}"
