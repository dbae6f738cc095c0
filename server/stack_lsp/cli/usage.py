"""What every command shares: the exit codes, `--config`, the one-line message of a usage or
configuration error, and the workspace a command reads — refused when there is nothing to read,
so that a CI job pointed at the wrong folder fails instead of passing on zero files."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from ..config import AtmosConfig, ConfigError
from ..globs import MANIFEST_SUFFIXES
from ..parsing import DEFAULT_MAX_BYTES
from ..stacks import UnknownStack
from ..workspace import Workspace

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]

CLEAN, FINDINGS, USAGE = 0, 1, 2
CONFIG_HELP = "atmos.yaml, or the directory that holds it"
PASS_CONFIG = "pass --config PATH (an atmos.yaml or its directory)"


def command(
    commands: Commands, name: str, help: str, description: str | None = None
) -> argparse.ArgumentParser:
    """A subcommand's parser; it also takes `--config` after the command name."""
    parser = commands.add_parser(name, help=help, description=description or help)
    parser.add_argument("--config", default=argparse.SUPPRESS, help=CONFIG_HELP)
    return parser


def subcommands(commands: Commands, name: str, help: str, what: str) -> Commands:
    """A command whose first argument names what it acts on (`describe component`), one of the
    commands of the returned group; `what` lists them for the usage line."""
    parser = commands.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".")
    return parser.add_subparsers(dest="what", required=True, metavar=what)


def refuse(message: str) -> int:
    """Print `stack-lsp: message` on stderr; the exit code of a usage or configuration error."""
    print(f"stack-lsp: {message}", file=sys.stderr)
    return USAGE


def unknown(exc: UnknownStack) -> int:
    """An unknown stack or component, with the close names when there are some."""
    refuse(str(exc))
    if exc.suggestions:
        print("did you mean: " + ", ".join(exc.suggestions), file=sys.stderr)
    return USAGE


def workspace(config: AtmosConfig, max_file_bytes: int = DEFAULT_MAX_BYTES) -> Workspace:
    """The workspace of `config`; ConfigError, saying what was looked for and where, when the
    stacks base path is missing, holds no manifest, or — without an atmos.yaml — holds no stack
    of the default layout."""
    base = config.stacks_base
    given_by = (
        "ATMOS_STACKS_BASE_PATH"
        if os.environ.get("ATMOS_STACKS_BASE_PATH")
        else f"stacks.base_path in {config.config_file}"
    )
    if config.config_file is not None and not os.path.isdir(base):
        raise ConfigError(f"stacks base path {base} ({given_by}) does not exist; {PASS_CONFIG}")
    ws = Workspace(config, max_file_bytes)
    if config.config_file is None and not ws.stack_files():
        patterns = ", ".join(config.included_paths)
        raise ConfigError(
            f"no atmos.yaml in {config.root} or its parents, and no stacks ({patterns}) "
            f"under {base}; {PASS_CONFIG}"
        )
    if not ws.manifest_files():
        raise ConfigError(
            f"no stack manifests ({', '.join('*' + s for s in MANIFEST_SUFFIXES)}) under {base} "
            f"({given_by}); {PASS_CONFIG}"
        )
    return ws
