"""`stack-lsp diff [--base REF|DIR] [--head REF|DIR] [PATHS…]`: what a change deploys
differently, value by value (see `impact`).

`--base` defaults to the merge-base of HEAD with the default branch (origin/HEAD, main,
master), else HEAD; `--head` to the working tree with its uncommitted changes. A value that is
an existing path (a directory or an atmos.yaml) is a tree on disk, anything else a git ref.
Exit codes: 0 (no change, or changes without `--exit-code`), 1 changes with `--exit-code`,
2 usage or configuration error (not a git repository, an unknown ref, no atmos.yaml).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from .. import gitread, sides
from ..config import ConfigError
from ..impact import compare
from ..impact_format import FORMATS, render, summary
from .usage import USAGE, command

if TYPE_CHECKING:
    from .usage import Commands

NO_CHANGE, CHANGES = 0, 1


def register(commands: Commands) -> None:
    parser = command(
        commands,
        "diff",
        "what a change deploys differently, value by value",
        "Report every final value that differs between two trees, per stack and component, "
        "with the file:line that wrote it on each side.",
    )
    options(parser)
    parser.set_defaults(run=run)


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATHS", help="only stack files under these")
    parser.add_argument(
        "--base",
        metavar="REF|DIR",
        help="git ref, or a directory / atmos.yaml (default: merge-base of HEAD with the "
        "default branch, else HEAD)",
    )
    parser.add_argument(
        "--head",
        metavar="REF|DIR",
        help="git ref, or a directory / atmos.yaml (default: the working tree, uncommitted "
        "changes included)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument(
        "--exit-code", action="store_true", help="exit 1 when anything changed (a CI gate)"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the import cache"
    )


def _is_tree(value: str) -> bool:
    return os.path.exists(value)


def run(args: argparse.Namespace) -> int:
    opened: list[sides.Side] = []
    try:
        base_is_tree = args.base is not None and _is_tree(args.base)
        head_is_tree = args.head is not None and _is_tree(args.head)
        repo = sides.Repository(args.config)
        if head_is_tree:
            head = sides.directory(args.head)
        elif args.head is not None:
            head = repo.side(args.head)
        else:
            head = repo.worktree(needs_git=not base_is_tree)
        opened.append(head)
        base = sides.directory(args.base) if base_is_tree else repo.side(args.base)
        opened.append(base)
        report = compare(base, head, args.paths or None, use_cache=not args.no_cache)
        sys.stdout.write(render(report, args.format))
        if args.format != "text":
            print(summary(report), file=sys.stderr)
    except (ConfigError, gitread.GitError) as exc:
        print(f"stack-lsp: {exc}", file=sys.stderr)
        return USAGE
    finally:
        for side in opened:
            side.close()
    return CHANGES if args.exit_code and not report.empty else NO_CHANGE
