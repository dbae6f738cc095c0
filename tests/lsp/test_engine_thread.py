"""The server's engine thread: jobs run one at a time in order, a cancelled request's queued job
never runs, long queries see the cancellation, and an internal error is logged, not raised."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest
from stack_lsp.lsp.server import StackServer, cancellable, guarded


async def test_a_cancelled_request_never_runs_its_queued_job() -> None:
    server = StackServer()
    release = threading.Event()
    ran: list[str] = []
    blocker = asyncio.ensure_future(server.run(lambda: (release.wait(5), ran.append("first"))))
    queued = asyncio.ensure_future(server.run(lambda: ran.append("second")))
    await asyncio.sleep(0.05)
    queued.cancel()
    await asyncio.sleep(0.05)  # the cancellation reaches the engine's queue
    release.set()
    await blocker
    await server.run(lambda: ran.append("third"))
    assert ran == ["first", "third"]
    server.engine.shutdown()


async def test_a_running_query_sees_the_cancellation() -> None:
    started = threading.Event()
    seen: list[bool] = []

    async def runner(cancelled: object) -> None:
        assert callable(cancelled)

        def work() -> None:
            started.set()
            for _ in range(200):
                if cancelled():
                    seen.append(True)
                    return
                threading.Event().wait(0.01)

        await asyncio.to_thread(work)

    task = asyncio.ensure_future(cancellable(runner))
    await asyncio.to_thread(started.wait, 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.1)
    assert seen == [True]


async def test_an_internal_error_is_logged_and_answered_with_the_default(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @guarded([])
    async def broken() -> list[int]:
        raise KeyError("boom")

    with caplog.at_level(logging.ERROR, logger="stack_lsp"):
        assert await broken() == []
    assert "broken failed" in caplog.text
    assert "KeyError: 'boom'" in caplog.text


async def test_editor_work_goes_before_queued_background_work() -> None:
    server = StackServer()
    release = threading.Event()
    ran: list[str] = []
    blocker = asyncio.ensure_future(server.background(release.wait, 5))
    await asyncio.sleep(0.05)
    later = [
        asyncio.ensure_future(server.background(lambda: ran.append("index 1"))),
        asyncio.ensure_future(server.background(lambda: ran.append("index 2"))),
        asyncio.ensure_future(server.run(lambda: ran.append("hover"))),
    ]
    await asyncio.sleep(0.05)
    release.set()
    await asyncio.gather(blocker, *later)
    assert ran == ["hover", "index 1", "index 2"]
    server.engine.shutdown()
