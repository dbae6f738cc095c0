"""A minimal LSP client over stdio for the benchmark: JSON-RPC framing, requests with timing,
and waiting for notifications. Kept free of any LSP library so the measured path is the server's."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


class Client:
    def __init__(self, argv: list[str], cwd: Path) -> None:
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)  # fmt: skip
        self._next = 0
        self._responses: dict[int, tuple[float, Any]] = {}
        self._cond = threading.Condition()
        self.notifications: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                key, _, value = line.decode().partition(":")
                headers[key.strip().lower()] = value.strip()
            body = json.loads(stream.read(int(headers["content-length"])))
            if "id" in body and "method" in body:  # a request from the server: noted, answered
                self.notifications.put((time.perf_counter(), body))
                self._send({"jsonrpc": "2.0", "id": body["id"], "result": None})
            elif "id" in body:
                with self._cond:
                    self._responses[body["id"]] = (time.perf_counter(), body)
                    self._cond.notify_all()
            else:
                self.notifications.put((time.perf_counter(), body))

    def _send(self, message: dict[str, Any]) -> None:
        data = json.dumps(message).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def request(self, method: str, params: Any, timeout: float = 60) -> Any:
        return self.response(self.send(method, params), timeout)[1]

    def send(self, method: str, params: Any) -> int:
        """Send a request without waiting for its answer; its id."""
        self._next += 1
        ident = self._next
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        return ident

    def response(self, ident: int, timeout: float = 60) -> tuple[float, Any]:
        """When the answer to request `ident` arrived (as read), and its result."""
        deadline = time.perf_counter() + timeout
        with self._cond:
            while ident not in self._responses:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(ident)
                self._cond.wait(left)
            at, body = self._responses.pop(ident)
            return at, body.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for(
        self,
        method: str,
        uri: str | None = None,
        timeout: float = 120,
        until: Callable[[dict[str, Any]], bool] = lambda _: True,
    ) -> float:
        """The time at which the next `method` notification or server request (for `uri`) whose
        params satisfy `until` arrived; the ones before it are skipped."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(method)
            at, body = self.notifications.get(timeout=left)
            params = body.get("params") or {}
            if body.get("method") != method or (uri is not None and params.get("uri") != uri):
                continue
            if until(params):
                return at

    def drain(self) -> None:
        while not self.notifications.empty():
            self.notifications.get_nowait()

    def quiet(self, idle: float = 1.0, timeout: float = 120) -> float:
        """Wait until no notification arrives for `idle` seconds; the time of the last one."""
        last = time.perf_counter()
        deadline = last + timeout
        while time.perf_counter() < deadline:
            try:
                last, _ = self.notifications.get(timeout=idle)
            except queue.Empty:
                return last
        raise TimeoutError("workspace never went quiet")

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
