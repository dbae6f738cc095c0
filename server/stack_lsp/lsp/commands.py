"""`workspace/executeCommand` commands.

`stack-lsp.describeComponent`: arguments `[{"uri": …, "position": {"line", "character"},
"stack": optional}]`. Answers `{"stacks": [...]}` when the stack is missing and the file reaches
several (or none), else `{"stack", "component", "yaml"}`: the merged component with
`# file:line (layer)` comments.

`stack-lsp.explorer`: arguments `[]` or `[{"uri": …}]` (only the project holding that file).
Answers `{"projects": [{"root", "config", "nodes"}]}` where each node is `{"label", "kind",
"detail"?, "location"?: {"uri", "range"}, "children"?}`: one node per component kind
(components → the stacks that deploy them and the abstract bases they inherit), "stacks"
(stack → components) and "workflows" (file → workflow → steps). See docs/editors.md."""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp

from .. import explorer, locate, queries
from ..describe import describe_component, provenance_notes, to_yaml
from ..stacks import ComponentKey, UnknownStack
from .projects import Project
from .server import StackServer

DESCRIBE = "stack-lsp.describeComponent"
EXPLORER = "stack-lsp.explorer"


class CommandError(Exception):
    pass


def describe_at(
    project: Project, path: str, line: int, col: int, stack: str | None
) -> dict[str, Any]:
    stacks = project.stacks
    spot = project.spot(path, line, col)
    ref = locate.component_ref(spot.path) if spot is not None else None
    if ref is None:
        raise CommandError("no component at this position: put the cursor inside a component")
    key = ComponentKey(ref.kind, ref.name)
    if stack:
        try:
            component = stacks.find(stack, ref.name)
        except UnknownStack as exc:
            raise CommandError(str(exc)) from exc
        name = stack
    else:
        candidates: dict[str, str] = {}
        for stack_path in queries.stack_files_reaching(stacks, path):
            stack_file = stacks.stack_file(stack_path)
            if key in stack_file.names:
                candidates[stack_file.names[key]] = stack_path
        if len(candidates) != 1:
            return {"stacks": sorted(candidates)}
        name, stack_path = next(iter(candidates.items()))
        component = stacks.stack_file(stack_path).component(key)
    data = describe_component(stacks, component)
    return {
        "stack": name,
        "component": ref.name,
        "yaml": to_yaml(data, provenance_notes(stacks, component)),
    }


def register(server: StackServer) -> None:
    @server.command(DESCRIBE)
    async def describe(*args: Any) -> dict[str, Any]:
        arg = args[0] if args else None
        if not isinstance(arg, dict) or not isinstance(arg.get("uri"), str):
            raise CommandError(f'{DESCRIBE} takes [{{"uri", "position", "stack"?}}]')
        position = arg.get("position") or {}
        point = lsp.Position(int(position.get("line", 0)), int(position.get("character", 0)))
        stack = arg.get("stack") if isinstance(arg.get("stack"), str) else None
        result = await server.at(arg["uri"], point, describe_at, stack)
        if result is None:
            raise CommandError("this file is not in a stack-lsp project")
        return result

    def tree_job(projects: list[Project]) -> dict[str, Any]:
        def location(place: queries.Place) -> dict[str, Any]:
            found = server.location(place.file, place.span)
            start, end = found.range.start, found.range.end
            return {
                "uri": found.uri,
                "range": {
                    "start": {"line": start.line, "character": start.character},
                    "end": {"line": end.line, "character": end.character},
                },
            }

        return {
            "projects": [
                {
                    "root": server.uri_of(p.config.root),
                    "config": server.uri_of(p.config.config_file) if p.config.config_file else None,
                    "nodes": [explorer.to_plain(n, location) for n in explorer.build(p.stacks)],
                }
                for p in projects
            ]
        }

    @server.command(EXPLORER)
    async def tree(*args: Any) -> dict[str, Any]:
        arg = args[0] if args else None
        uri = arg.get("uri") if isinstance(arg, dict) else None
        await server.indexed.wait()
        chosen = list(server.projects.items)
        if isinstance(uri, str):
            path = server.path_of(uri)
            chosen = [p for p in chosen if path is not None and p.owns(path)]
        return await server.run(tree_job, chosen)
