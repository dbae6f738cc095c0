"""The application: every feature module registered on one `StackServer`, and `serve()`, which
runs it over stdio or TCP. Feature modules import `server` (the class they register on); only
this module imports them, so no module imports one that imports it back."""

from __future__ import annotations

import logging
import os
import sys

from . import (
    actions,
    codelens,
    commands,
    completion,
    definition,
    diagnostics,
    documents,
    hierarchy,
    hover,
    impact,
    inlay,
    links,
    pull,
    references,
    rename,
    semantic,
    symbols,
)
from .server import StackServer, log

FEATURES = (
    hover,
    definition,
    completion,
    references,
    symbols,
    links,
    codelens,
    inlay,
    commands,
    rename,
    actions,
    hierarchy,
    semantic,
    impact,
)


def build() -> StackServer:
    server = StackServer()
    documents.register(server)
    pull.register(server, diagnostics.register(server))
    for module in FEATURES:
        module.register(server)
    return server


def serve(tcp: int | None = None) -> int:
    logging.basicConfig(
        level=logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    log.setLevel(os.environ.get("STACK_LSP_LOG", "INFO"))
    server = build()
    try:
        if tcp is not None:
            server.start_tcp("127.0.0.1", tcp)
        else:
            server.start_io()
    finally:
        server.stop.set()
        server.engine.shutdown()
    return 0
