"""`describe component|stacks` and `list stacks|components`: the merged tree, as Atmos's
commands of the same names show it (plus provenance)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from ..config import ConfigError, load_config
from ..describe import describe_component, provenance_map, provenance_notes, to_json, to_yaml
from ..stacks import Stacks, UnknownStack
from .usage import CLEAN, command, refuse, subcommands, unknown, workspace

if TYPE_CHECKING:
    from collections.abc import Callable

    from .usage import Commands


def register(commands: Commands) -> None:
    what = subcommands(
        commands, "describe", "describe a component or every stack", "component|stacks"
    )
    comp = command(what, "component", "the merged configuration of a component in a stack")
    comp.add_argument("component")
    comp.add_argument("-s", "--stack", required=True)
    comp.add_argument("--format", choices=("yaml", "json"), default="yaml")
    comp.add_argument(
        "--provenance", action="store_true", help="show the file:line and layer of each value"
    )
    comp.set_defaults(run=_tree(_describe_component))
    stacks = command(what, "stacks", "every stack with its components")
    stacks.add_argument("--format", choices=("yaml", "json"), default="yaml")
    stacks.add_argument(
        "--filter",
        "--filter-by",
        dest="filter",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="keep the components whose vars have KEY=VALUE (repeatable)",
    )
    stacks.set_defaults(run=_tree(_describe_stacks))

    what = subcommands(
        commands, "list", "list the stacks or a stack's components", "stacks|components"
    )
    names = command(what, "stacks", "the names of every stack")
    names.add_argument("--format", choices=("text", "json"), default="text")
    names.set_defaults(run=_tree(_list_stacks))
    comps = command(what, "components", "the components of a stack")
    comps.add_argument("-s", "--stack", required=True)
    comps.add_argument("--format", choices=("text", "json"), default="text")
    comps.set_defaults(run=_tree(_list_components))


def _tree(
    show: Callable[[Stacks, argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """`show` run on the stacks of `--config`, with the usage errors answered."""

    def run(args: argparse.Namespace) -> int:
        try:
            stacks = Stacks(workspace(load_config(args.config)))
        except ConfigError as exc:
            return refuse(str(exc))
        try:
            return show(stacks, args)
        except UnknownStack as exc:
            return unknown(exc)

    return run


def _list_stacks(stacks: Stacks, args: argparse.Namespace) -> int:
    names = stacks.names()
    print(json.dumps(names, indent=2) if args.format == "json" else "\n".join(names))
    return CLEAN


def _list_components(stacks: Stacks, args: argparse.Namespace) -> int:
    comps = stacks.components_in(args.stack)
    if args.format == "json":
        print(json.dumps([c.name for c in comps], indent=2))
    else:
        for c in comps:
            print(c.name + ("  (abstract)" if c.abstract else ""))
    return CLEAN


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
    return CLEAN


def _describe_stacks(stacks: Stacks, args: argparse.Namespace) -> int:
    filters: list[tuple[str, str]] = []
    for item in args.filter:
        key, sep, value = item.partition("=")
        if not sep:
            return refuse(f"--filter takes KEY=VALUE, not '{item}'")
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
    return CLEAN
