"""`stack-lsp check [PATHS...]` (also `stack-lsp --check`) and `stack-lsp validate component`.

`--check` checks the whole tree; PATHS (files or directories) only limit which findings are
reported. Exit codes: 0 clean, 1 errors (or warnings with `--strict`), 2 usage or configuration
error. Severities and suppression: see `validation.policy`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..config import AtmosConfig, ConfigError, load_config
from ..diagnostics import Diagnostic, Severity
from ..parsing import DEFAULT_MAX_BYTES
from ..stacks import Stacks, UnknownStack
from ..validation import sort_key
from ..validation.component_schemas import COMPLIANCE, Schemas, check_component, entries, group
from ..validation.parallel import check_tree
from ..validation.policy import Policy, PolicyError
from ..workspace import Workspace
from . import cache
from .report import FORMATS, Summary, render, text
from .usage import CLEAN, FINDINGS, command, refuse, subcommands, unknown, workspace

if TYPE_CHECKING:
    from .usage import Commands


def register(commands: Commands) -> None:
    check = command(
        commands,
        "check",
        "check the stack tree and exit (also: stack-lsp --check)",
        "Check the stack tree and exit: 0 clean, 1 findings, 2 usage or configuration error.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATHS",
        help="report only findings in these files or directories",
    )
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")
    check.add_argument(
        "--jobs", "-j", type=int, default=0, help="processes to use (default: every core)"
    )
    check.add_argument(
        "--max-file-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help="skip manifests larger than N bytes with an STK004 error "
        f"(default: {DEFAULT_MAX_BYTES:,})",
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore and do not write the on-disk result cache (see stack_lsp.cli.cache)",
    )
    check.set_defaults(run=run)

    what = subcommands(
        commands, "validate", "validate a component against its schemas", "component"
    )
    comp = command(what, "component", "a component's settings.validation schemas")
    comp.add_argument("component")
    comp.add_argument("-s", "--stack", required=True)
    comp.add_argument(
        "--schema",
        metavar="NAME",
        help="only this validation entry, by name or schema file stem "
        f"(e.g. {', '.join(COMPLIANCE)})",
    )
    comp.set_defaults(run=run_validate)


def _load(config_arg: str | None) -> tuple[AtmosConfig, Policy]:
    config = load_config(config_arg)
    return config, Policy.from_config(config)


def _selected(paths: list[str]) -> set[str] | None:
    """The absolute files under PATHS, or None for everything; raises on a missing path."""
    if not paths:
        return None
    chosen: set[str] = set()
    for given in paths:
        path = os.path.abspath(given)
        if os.path.isfile(path):
            chosen.add(path)
        elif os.path.isdir(path):
            for root, _dirs, files in os.walk(path):
                chosen.update(os.path.join(root, f) for f in files)
        else:
            raise ConfigError(f"no such file or directory: {given}")
    return chosen


def failed(found: Sequence[Diagnostic], strict: bool) -> bool:
    worst = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(d.severity in worst for d in found)


def run(args: argparse.Namespace) -> int:
    if args.jobs < 0:
        return refuse("--jobs must be 0 (every core) or more")
    if args.max_file_bytes < 1:
        return refuse("--max-file-bytes must be 1 or more")
    started = time.perf_counter()
    try:
        config, _policy = _load(args.config)
        files = _selected(args.paths)
        ws = workspace(config, args.max_file_bytes)
    except (ConfigError, PolicyError) as exc:
        return refuse(str(exc))
    result = _checked_tree(ws, args)
    found = result.findings
    if files is not None:
        found = [d for d in found if d.file in files]
    checked = len(files & set(result.manifests)) if files is not None else len(result.manifests)
    summary = Summary(checked, result.stacks, time.perf_counter() - started)
    sys.stdout.write(render(args.format, found, os.getcwd(), summary))
    if args.format != "text":
        from .report import summary_line

        print(summary_line(found, summary), file=sys.stderr)
    return FINDINGS if failed(found, args.strict) else CLEAN


def _checked_tree(ws: Workspace, args: argparse.Namespace) -> cache.CheckResult:
    """The whole tree's findings: from the on-disk cache when no input changed."""
    config = ws.config
    options = f"max_file_bytes={args.max_file_bytes}"
    key: str | None = None
    stats: cache.Stats = {}
    if not args.no_cache:
        stored = cache.load(config.stacks_base)
        known = stored.stats if stored is not None else {}
        key, stats = cache.inputs_key(ws, options, known)
        if stored is not None and stored.key == key:
            return stored.result
    tree = check_tree(config, None, args.jobs or None, max_file_bytes=args.max_file_bytes, ws=ws)
    result = cache.CheckResult(tree.findings, len(tree.names), tree.stacks.ws.manifest_files())
    if key is not None:
        cache.store(key, config.stacks_base, result, stats)
    return result


def run_validate(args: argparse.Namespace) -> int:
    try:
        config, policy = _load(args.config)
        stacks = Stacks(workspace(config))
    except (ConfigError, PolicyError) as exc:
        return refuse(str(exc))
    try:
        component = stacks.find(args.stack, args.component)
    except UnknownStack as exc:
        return unknown(exc)
    available = [e for e in entries(component, config) if e.schema_type == "jsonschema"]
    chosen = [e for e in available if args.schema is None or e.matches(args.schema)]
    what = f"component '{args.component}' in stack '{args.stack}'"
    if not chosen:
        names = ", ".join(e.name for e in available) or "none"
        wanted = f"no validation '{args.schema}'" if args.schema else "no jsonschema validation"
        return refuse(f"{wanted} for {what} (settings.validation has: {names})")
    if component.abstract:
        return refuse(f"{what} is abstract; Atmos does not deploy or validate it")
    chosen = [e for e in chosen if not e.disabled]
    found_raw, broken = check_component(component, args.stack, config, Schemas(), chosen)
    found = sorted(
        policy.apply([*group(found_raw), *broken], lambda p: stacks.ws.document(p).text),
        key=sort_key,
    )
    sys.stdout.write(text(found, os.getcwd()))
    names = ", ".join(e.name for e in chosen)
    if failed(found, strict=False):
        errors = sum(d.severity == Severity.ERROR for d in found)
        print(f"{what}: {errors} violation{'s' if errors != 1 else ''} of {names}")
        return FINDINGS
    print(f"{what}: valid against {names}")
    return CLEAN
