"""The language server with every way to run a command or reach the network replaced by a
recorder that refuses: attempts are appended to `attempts_log(parent pid)`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import urllib.request
from typing import Any


def attempts_log(test_pid: int) -> str:
    return os.path.join(tempfile.gettempdir(), f"stack-lsp-attempts-{test_pid}.log")


def _refuse(name: str) -> Any:
    def fn(*args: Any, **kwargs: Any) -> Any:
        with open(attempts_log(os.getppid()), "a", encoding="utf-8") as log:
            log.write(f"{name}{args!r}\n")
        raise RuntimeError(f"{name} refused in the hostile-input test")

    return fn


def main() -> int:
    subprocess.Popen = _refuse("subprocess.Popen")  # type: ignore[assignment,misc]
    os.system = _refuse("os.system")
    os.popen = _refuse("os.popen")
    socket.socket.connect = _refuse("socket.connect")  # type: ignore[method-assign]
    socket.create_connection = _refuse("socket.create_connection")
    socket.getaddrinfo = _refuse("socket.getaddrinfo")
    urllib.request.urlopen = _refuse("urllib.request.urlopen")
    from stack_lsp.cli import main as cli_main

    return cli_main(["serve"])


if __name__ == "__main__":
    sys.exit(main())
