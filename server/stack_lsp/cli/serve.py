"""`stack-lsp serve [--stdio | --tcp PORT]`, also what `stack-lsp` does without a command."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .usage import Commands


def options(parser: argparse.ArgumentParser, default: Any) -> None:
    """`--stdio` and `--tcp`, on the top-level parser (default None) and on `serve` (SUPPRESS,
    so that `stack-lsp --tcp 2087 serve` keeps the port)."""
    parser.add_argument(
        "--stdio", action="store_true", default=default, help="serve over stdio (the default)"
    )
    parser.add_argument(
        "--tcp", type=int, metavar="PORT", default=default, help="serve over TCP on 127.0.0.1:PORT"
    )


def register(commands: Commands) -> None:
    serve = commands.add_parser(
        "serve", help="run the language server", description="Run the language server."
    )
    options(serve, argparse.SUPPRESS)
    serve.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..lsp.app import serve

    return serve(tcp=args.tcp)
