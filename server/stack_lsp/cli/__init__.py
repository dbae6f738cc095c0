"""The command line: `stack-lsp` (serve), `--check`, `describe`, `list`.

Exit codes: 0 success, 1 findings (for `--check`), 2 usage or configuration error (also an
unknown stack or component, with a "did you mean" list)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from ..config import ConfigError, load_config
from ..describe import describe_component, provenance_map, provenance_notes, to_json, to_yaml
from ..stacks import Stacks, UnknownStack
from ..workspace import Workspace
from . import collector

USAGE_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stack-lsp",
        description="Language server and checker for Atmos stack configurations. "
        "Without a command it serves LSP over stdio.",
    )
    parser.add_argument("--config", help="atmos.yaml, or the directory that holds it")
    parser.add_argument(
        "--check",
        action="store_true",
        help="check the stack tree (or PATHS) and exit; see `stack-lsp check -h`",
    )
    parser.add_argument("--stdio", action="store_true", help="serve over stdio (the default)")
    parser.add_argument("--tcp", type=int, metavar="PORT", help="serve over TCP on 127.0.0.1:PORT")
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="run the language server")
    serve.add_argument("--stdio", action="store_true")
    serve.add_argument("--tcp", type=int, metavar="PORT")

    describe = sub.add_parser("describe", help="describe a component or all stacks")
    dsub = describe.add_subparsers(dest="what", required=True)
    dcomp = dsub.add_parser("component", help="the merged configuration of a component in a stack")
    dcomp.add_argument("component")
    dcomp.add_argument("-s", "--stack", required=True)
    dcomp.add_argument("--format", choices=("yaml", "json"), default="yaml")
    dcomp.add_argument(
        "--provenance",
        action="store_true",
        help="show the file:line and layer each value came from",
    )
    dstacks = dsub.add_parser("stacks", help="every stack with its components")
    dstacks.add_argument("--format", choices=("yaml", "json"), default="yaml")
    dstacks.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="keep stacks whose components have vars KEY=VALUE (repeatable)",
    )

    lister = sub.add_parser("list", help="list stacks or components")
    lsub = lister.add_subparsers(dest="what", required=True)
    lstacks = lsub.add_parser("stacks")
    lstacks.add_argument("--format", choices=("text", "json"), default="text")
    lcomps = lsub.add_parser("components")
    lcomps.add_argument("-s", "--stack", required=True)
    lcomps.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _stacks(args: argparse.Namespace) -> Stacks:
    return Stacks(Workspace(load_config(args.config)))


def _unknown(exc: UnknownStack) -> int:
    print(f"stack-lsp: {exc}", file=sys.stderr)
    if exc.suggestions:
        print("did you mean: " + ", ".join(exc.suggestions), file=sys.stderr)
    return USAGE_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    collector.tune()
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`stack-lsp describe stacks | head`): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def _main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if "--check" in args_list or args_list[:1] in (["check"], ["validate"]):
        from . import check

        if args_list[:1] == ["validate"]:
            return int(check.validate_main(args_list[1:]))
        rest = [a for a in args_list if a != "--check"]
        return int(check.main(rest[1:] if rest[:1] == ["check"] else rest))
    parser = _parser()
    args = parser.parse_args(args_list)
    if args.command in (None, "serve"):
        from ..lsp.server import serve

        return serve(tcp=args.tcp)
    try:
        stacks = _stacks(args)
    except ConfigError as exc:
        print(f"stack-lsp: {exc}", file=sys.stderr)
        return USAGE_ERROR
    try:
        if args.command == "describe" and args.what == "component":
            return _describe_component(stacks, args)
        if args.command == "describe":
            return _describe_stacks(stacks, args)
        if args.what == "stacks":
            names = stacks.names()
            print(json.dumps(names, indent=2) if args.format == "json" else "\n".join(names))
            return 0
        comps = stacks.components_in(args.stack)
        if args.format == "json":
            print(json.dumps([c.name for c in comps], indent=2))
        else:
            for c in comps:
                print(c.name + ("  (abstract)" if c.abstract else ""))
        return 0
    except UnknownStack as exc:
        return _unknown(exc)


def _describe_component(stacks: Stacks, args: argparse.Namespace) -> int:
    component = stacks.find(args.stack, args.component)
    data = describe_component(stacks, component)
    if args.format == "json":
        if args.provenance:
            data["provenance"] = provenance_map(stacks, component)
        print(to_json(data))
    else:
        notes = provenance_notes(stacks, component) if args.provenance else None
        sys.stdout.write(to_yaml(data, notes))
    return 0


def _describe_stacks(stacks: Stacks, args: argparse.Namespace) -> int:
    filters: list[tuple[str, str]] = []
    for item in args.filter:
        key, sep, value = item.partition("=")
        if not sep:
            print(f"stack-lsp: --filter takes KEY=VALUE, not '{item}'", file=sys.stderr)
            return USAGE_ERROR
        filters.append((key, value))
    out: dict[str, dict[str, dict[str, dict[str, object]]]] = {}
    for name, component in stacks.iter_components():
        if filters:
            variables = component.plain("vars")
            if not isinstance(variables, dict) or any(
                str(variables.get(k)) != v for k, v in filters
            ):
                continue
        desc = describe_component(stacks, component)
        out.setdefault(name, {"components": {}})["components"].setdefault(component.kind, {})[
            component.name
        ] = desc
    sys.stdout.write(to_json(out) + "\n" if args.format == "json" else to_yaml(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
