"""The engine thread: one worker that runs every read and change of the engine, so the index
changes in one place. Editor work (buffer changes, requests) goes before background work
(indexing, re-checking), first come first served within each; a job whose future was cancelled
before it started never runs."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

log = logging.getLogger(__name__)

EDITOR, BACKGROUND = 0, 1


class Engine:
    def __init__(self, name: str = "stack-lsp-engine") -> None:
        self._queue: list[tuple[int, int, Callable[[], Any], Future[Any]]] = []
        self._order = itertools.count()
        self._ready = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[], Any], priority: int = EDITOR) -> Future[Any]:
        future: Future[Any] = Future()
        with self._ready:
            if self._closed:
                raise RuntimeError("engine is shut down")
            heapq.heappush(self._queue, (priority, next(self._order), fn, future))
            self._ready.notify()
        return future

    def shutdown(self) -> None:
        with self._ready:
            self._closed = True
            for _, _, _, future in self._queue:
                future.cancel()
            self._queue.clear()
            self._ready.notify()

    def _work(self) -> None:
        while True:
            with self._ready:
                while not self._queue and not self._closed:
                    self._ready.wait()
                if self._closed:
                    return
                _, _, fn, future = heapq.heappop(self._queue)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:
                future.set_exception(exc)
