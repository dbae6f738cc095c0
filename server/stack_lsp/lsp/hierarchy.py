"""Type hierarchy over `metadata.inherits`: on a component (its key, an `inherits` entry, a
legacy `component:`), its bases (supertypes) and the components that inherit from it
(subtypes), across the tree, each at the place that defines it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lsprotocol import types as lsp

from .. import queries, refactor
from ..stacks import Stacks
from .projects import Project
from .server import StackServer, guarded


def register(server: StackServer) -> None:
    def item(kind: str, heir: queries.Heir) -> lsp.TypeHierarchyItem:
        where = server.range_of(heir.place.span, heir.place.file)
        return lsp.TypeHierarchyItem(
            name=heir.name,
            kind=lsp.SymbolKind.Class,
            uri=server.uri_of(heir.place.file),
            range=where,
            selection_range=where,
            detail=f"{kind} component",
            data={"kind": kind, "name": heir.name},
        )

    def prepare_job(
        project: Project, path: str, line: int, col: int
    ) -> list[lsp.TypeHierarchyItem]:
        text = project.stacks.ws.text(path)[0] or ""
        target = refactor.target_at(project.spot(path, line, col), text)
        if target is None or target.key is not None:
            return []
        places = queries.component_definitions(project.stacks, path, target.kind, target.component)
        if not places:
            return []
        return [item(target.kind, queries.Heir(target.component, places[0]))]

    def related(
        path: str, data: Any, fn: Callable[[Stacks, str, str], list[queries.Heir]]
    ) -> list[lsp.TypeHierarchyItem]:
        project = server.projects.for_path(path)
        if project is None or not isinstance(data, dict):
            return []
        kind, name = str(data.get("kind")), str(data.get("name"))
        return [item(kind, heir) for heir in fn(project.stacks, kind, name)]

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_TYPE_HIERARCHY)
    @guarded([])
    async def prepare(params: lsp.TypeHierarchyPrepareParams) -> list[lsp.TypeHierarchyItem] | None:
        return await server.at(params.text_document.uri, params.position, prepare_job)

    @server.feature(lsp.TYPE_HIERARCHY_SUPERTYPES)
    @guarded([])
    async def supertypes(params: lsp.TypeHierarchySupertypesParams) -> list[lsp.TypeHierarchyItem]:
        path = server.path_of(params.item.uri) or ""
        return await server.run(related, path, params.item.data, queries.bases_of)

    @server.feature(lsp.TYPE_HIERARCHY_SUBTYPES)
    @guarded([])
    async def subtypes(params: lsp.TypeHierarchySubtypesParams) -> list[lsp.TypeHierarchyItem]:
        path = server.path_of(params.item.uri) or ""
        return await server.run(related, path, params.item.data, queries.heirs_of)
