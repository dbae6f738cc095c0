"""The command line: one parser, one module per group of commands.

A module adds its commands with `register(commands)` (each sets `run`, the function that
answers it); adding a command is adding its module's `register` to COMMANDS. Without a command
`stack-lsp` serves LSP over stdio. `stack-lsp --check ...` is `stack-lsp check ...`, kept for the
pre-commit hooks and CI jobs that call it so.

Exit codes: 0 success, 1 findings (`check`, `validate`), 2 usage or configuration error (also an
unknown stack or component, with a "did you mean" list).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from . import check, collector, diff, serve, show
from .usage import CONFIG_HELP, USAGE

if TYPE_CHECKING:
    from .usage import Commands

COMMANDS: tuple[Callable[[Commands], None], ...] = (
    serve.register,
    check.register,
    show.register,
    diff.register,
)


class _Version(argparse.Action):
    """`--version`: the installed distribution's version, read only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        from .. import __version__

        try:
            number = version("stack-lsp")
        except PackageNotFoundError:  # run from a source tree that was never installed
            number = __version__
        print(f"stack-lsp {number}")
        parser.exit()


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="stack-lsp",
        description="Language server and checker for Atmos stack configurations. "
        "Without a command it serves LSP over stdio.",
        epilog="`stack-lsp --check [PATHS...]` is `stack-lsp check [PATHS...]`. "
        "Run `stack-lsp COMMAND -h` for a command's options.",
    )
    top.add_argument("--version", action=_Version, help="print the version and exit")
    top.add_argument("--config", default=None, help=CONFIG_HELP)
    serve.options(top, None)
    top.set_defaults(run=serve.run)
    commands = top.add_subparsers(title="commands", metavar="COMMAND")
    for register in COMMANDS:
        register(commands)
    return top


def _aliases(argv: list[str]) -> list[str]:
    """`--check` anywhere before `--` is the `check` command."""
    end = argv.index("--") if "--" in argv else len(argv)
    if "--check" in argv[:end]:
        at = argv.index("--check")
        return ["check", *argv[:at], *argv[at + 1 :]]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    collector.tune()
    try:
        args = parser().parse_args(_aliases(list(sys.argv[1:] if argv is None else argv)))
    except SystemExit as exc:  # -h, --version (0) and usage errors (2), already printed
        return exc.code if isinstance(exc.code, int) else USAGE
    try:
        return int(args.run(args))
    except BrokenPipeError:
        # The reader went away (`stack-lsp describe stacks | head`): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
