"""`stack-lsp --check [PATHS...]` (also `stack-lsp check`) and `stack-lsp validate component`.

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

CLEAN, FINDINGS, USAGE = 0, 1, 2


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace | int:
    """The parsed arguments, or the exit code argparse chose (2 for usage errors, 0 for -h)."""
    try:
        return parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else USAGE


def _check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stack-lsp --check", description="Check the stack tree and exit."
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATHS",
        help="report only findings in these files or directories",
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--strict", action="store_true", help="warnings fail the check too")
    parser.add_argument("--config", help="atmos.yaml, or the directory that holds it")
    parser.add_argument(
        "--jobs", "-j", type=int, default=0, help="processes to use (default: every core)"
    )
    parser.add_argument(
        "--max-file-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help="skip manifests larger than N bytes with an STK004 error "
        f"(default: {DEFAULT_MAX_BYTES:,})",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore and do not write the on-disk result cache (see stack_lsp.cache)",
    )
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(_check_parser(), argv)
    if isinstance(args, int):
        return args
    if args.jobs < 0:
        print("stack-lsp: --jobs must be 0 (every core) or more", file=sys.stderr)
        return USAGE
    if args.max_file_bytes < 1:
        print("stack-lsp: --max-file-bytes must be 1 or more", file=sys.stderr)
        return USAGE
    started = time.perf_counter()
    try:
        config, _policy = _load(args.config)
        files = _selected(args.paths)
    except (ConfigError, PolicyError) as exc:
        print(f"stack-lsp: {exc}", file=sys.stderr)
        return USAGE
    result = _checked_tree(config, args)
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


def _checked_tree(config: AtmosConfig, args: argparse.Namespace) -> cache.CheckResult:
    """The whole tree's findings: from the on-disk cache when no input changed."""
    options = f"max_file_bytes={args.max_file_bytes}"
    key: str | None = None
    stats: cache.Stats = {}
    ws = Workspace(config, args.max_file_bytes)
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


def _validate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stack-lsp validate",
        description="Validate a component in a stack against its schemas.",
    )
    sub = parser.add_subparsers(dest="what", required=True)
    comp = sub.add_parser("component", help="a component's settings.validation schemas")
    comp.add_argument("component")
    comp.add_argument("-s", "--stack", required=True)
    comp.add_argument(
        "--schema",
        metavar="NAME",
        help="only this validation entry, by name or schema file stem "
        f"(e.g. {', '.join(COMPLIANCE)})",
    )
    comp.add_argument("--config", help="atmos.yaml, or the directory that holds it")
    return parser


def validate_main(argv: Sequence[str] | None = None) -> int:
    args = _parse(_validate_parser(), argv)
    if isinstance(args, int):
        return args
    try:
        config, policy = _load(args.config)
    except (ConfigError, PolicyError) as exc:
        print(f"stack-lsp: {exc}", file=sys.stderr)
        return USAGE
    stacks = Stacks(Workspace(config))
    try:
        component = stacks.find(args.stack, args.component)
    except UnknownStack as exc:
        print(f"stack-lsp: {exc}", file=sys.stderr)
        if exc.suggestions:
            print("did you mean: " + ", ".join(exc.suggestions), file=sys.stderr)
        return USAGE
    available = [e for e in entries(component, config) if e.schema_type == "jsonschema"]
    chosen = [e for e in available if args.schema is None or e.matches(args.schema)]
    what = f"component '{args.component}' in stack '{args.stack}'"
    if not chosen:
        names = ", ".join(e.name for e in available) or "none"
        wanted = f"no validation '{args.schema}'" if args.schema else "no jsonschema validation"
        print(f"stack-lsp: {wanted} for {what} (settings.validation has: {names})", file=sys.stderr)
        return USAGE
    if component.abstract:
        print(
            f"stack-lsp: {what} is abstract; Atmos does not deploy or validate it", file=sys.stderr
        )
        return USAGE
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
