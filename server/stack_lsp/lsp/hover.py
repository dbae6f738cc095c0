"""Hover: the final value of a key with the layers it came through (the bar in DESIGN.md) and,
for a var, the Terraform `variable` block it feeds; where a catalog or mixin key ends up across
stacks, what an import entry resolves to, and the summary of an inherited base component."""

from __future__ import annotations

import json
import os
from typing import Any

from lsprotocol import types as lsp

from .. import atmos_config_queries, queries, vendoring, workflow_queries
from ..locate import Spot
from ..provenance import Origin, dotted, leaves
from ..stacks import Stacks
from ..terraform import Variable, shown
from ..validation.atmos_config import read_document
from .projects import Project
from .server import StackServer, guarded

MAX_OVERRIDERS = 5
MAX_LEAVES = 25


def short(value: Any, limit: int = 60) -> str:
    if isinstance(value, dict):
        return "{…}" if value else "{}"
    if isinstance(value, list):
        text = json.dumps(value, default=str)
        return text if len(text) <= limit else f"[… {len(value)} items]"
    text = json.dumps(value, default=str) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Writer:
    """Markdown with links, or plain text for clients that cannot render it."""

    def __init__(self, server: StackServer, markdown: bool) -> None:
        self.server = server
        self.markdown = markdown

    def code(self, text: str) -> str:
        return f"`{text}`" if self.markdown else text

    def where(self, stacks: Stacks, file: str, line: int, shown: str | None = None) -> str:
        """A link to file:line, shown relative to the stacks base unless `shown` is given."""
        label = f"{shown or stacks.ws.config.rel(file)}:{line}"
        if not self.markdown:
            return label
        return f"[{label}]({self.server.uri_of(file)}#L{line})"

    def origin_lines(
        self, stacks: Stacks, final: Origin, shadowed: tuple[Origin, ...]
    ) -> list[str]:
        """The final value then those it overrode: a list in Markdown, aligned columns in text."""
        rows = [
            (
                short(o.value.plain()),
                queries.layer_label(stacks, o),
                self.where(stacks, o.file, o.line),
            )
            for o in (final, *shadowed)
        ]
        if self.markdown:
            return [
                f"- {self.code(value)} — {layer} — {where}{' *(overridden)*' if i else ''}"
                for i, (value, layer, where) in enumerate(rows)
            ]
        widths = [max(len(row[c]) for row in rows) for c in (0, 1)]
        return [
            f"  {value:<{widths[0]}}   {layer:<{widths[1]}}   {where}"
            + ("   (overridden)" if i else "")
            for i, (value, layer, where) in enumerate(rows)
        ]

    def leaf_lines(self, stacks: Stacks, answer: queries.KeyInStack) -> list[str]:
        """Each scalar of a merged map or list with the layer that wrote it, folded after
        `MAX_LEAVES`."""
        found = list(leaves(answer.component, answer.trace.path, stacks.ws.config.config_file))
        files = {t.final.file for t in found}
        if not found:
            return []
        lines = ["", f"merged from {len(files)} file{'s' if len(files) != 1 else ''}:"]
        for item in found[:MAX_LEAVES]:
            origin = item.final
            key = dotted(item.path[len(answer.trace.path) :]) or dotted(item.path)
            where = self.where(stacks, origin.file, origin.line)
            row = (
                f"{self.code(key)} = {self.code(short(origin.value.plain()))} — "
                f"{queries.layer_label(stacks, origin)} — {where}"
            )
            lines.append(f"- {row}" if self.markdown else f"  {row}")
        if len(found) > MAX_LEAVES:
            rest = len(found) - MAX_LEAVES
            lines.append(f"{'- ' if self.markdown else '  '}… and {rest} more")
        return lines


def render(
    writer: Writer,
    stacks: Stacks,
    path: str,
    answer: queries.HoverAnswer | workflow_queries.StackInfo,
) -> str:
    rel = stacks.ws.config.rel
    if isinstance(answer, workflow_queries.StackInfo):
        names = [writer.code(k.name) for k in answer.components]
        files = ", ".join(writer.where(stacks, f, 1) for f in answer.files)
        lines = [f"stack {writer.code(answer.name)} — {len(names)} components", ""]
        lines.append(f"components: {', '.join(names) if names else 'none'}")
        lines.append(f"defined in: {files}")
        return "\n".join(lines)
    if isinstance(answer, queries.KeyInStack):
        key = dotted(answer.trace.path)
        final = answer.trace.final
        head = (
            f"{writer.code(key)} = {writer.code(short(final.value.plain()))} — stack "
            f"{writer.code(answer.stack)} · component {writer.code(answer.component.name)}"
        )
        lines = [head, ""]
        lines.extend(writer.origin_lines(stacks, final, answer.trace.shadowed))
        if isinstance(final.value.data, dict | list):
            lines += writer.leaf_lines(stacks, answer)
        if answer.declared is not None:
            lines += ["", *declaration(writer, stacks, answer.declared)]
        return "\n".join(lines)
    if isinstance(answer, queries.Reach):
        usage = answer.usage
        reached, final_in = len(usage.reached), len(usage.final_in)
        overridden = reached - final_in
        plural = "s" if reached != 1 else ""
        head = (
            f"{writer.code(dotted(answer.path))} in {writer.code(rel(path))}: reaches {reached} "
            f"stack{plural}; final in {final_in}; overridden in {overridden}"
        )
        lines = [head]
        ranked = usage.overriders()
        if ranked:
            lines.append("")
            lines.append("overridden by:")
            for origin, count in ranked[:MAX_OVERRIDERS]:
                where = writer.where(stacks, origin.file, origin.line)
                layer = queries.layer_label(stacks, origin)
                item = (
                    f"{writer.code(short(origin.value.plain()))} — {layer} — "
                    f"{where} ({count} stack{'s' if count != 1 else ''})"
                )
                lines.append(f"- {item}")
            if len(ranked) > MAX_OVERRIDERS:
                lines.append(f"- … and {len(ranked) - MAX_OVERRIDERS} more")
        return "\n".join(lines)
    if isinstance(answer, queries.ImportInfo):
        if not answer.targets:
            return f"import {writer.code(rel(answer.pattern))}: no file matches"
        if answer.is_glob:
            lines = [
                f"import {writer.code(rel(answer.pattern))}: {len(answer.targets)} files, "
                "merged in this order",
                "",
            ]
            lines += [
                f"- {writer.where(stacks, t, 1)} — {k}"
                for t, k in zip(answer.targets, answer.kinds, strict=True)
            ]
            return "\n".join(lines)
        return f"{answer.kinds[0]} — {writer.where(stacks, answer.targets[0], 1)}"
    component = answer.component
    if component is None:
        places = ", ".join(
            writer.where(stacks, p.file, p.span.start_line + 1) for p in answer.defined_at
        )
        return f"base component (no stack reaches this file){': ' + places if places else ''}"
    kind = "abstract component" if component.abstract else "component"
    lines = [
        f"{kind} {writer.code(component.name)} → {component.kind} "
        f"{writer.code(component.terraform_component)}"
        f" — in stack {writer.code(answer.stack or '?')}",
        "",
    ]
    if component.bases:
        lines.append(f"inherits: {', '.join(writer.code(b) for b in component.bases)}")
    variables = component.plain("vars")
    if isinstance(variables, dict) and variables:
        names = sorted(variables)
        shown = ", ".join(writer.code(n) for n in names[:8])
        lines.append(f"vars ({len(names)}): {shown}{', …' if len(names) > 8 else ''}")
    if answer.defined_at:
        lines.append(
            "defined in: "
            + ", ".join(
                writer.where(stacks, p.file, p.span.start_line + 1) for p in answer.defined_at
            )
        )
    return "\n".join(lines)


def declaration(writer: Writer, stacks: Stacks, variable: Variable) -> list[str]:
    """The Terraform `variable` block a var feeds: type, default, description, sensitivity,
    validations and a link to the block."""
    place = writer.where(stacks, variable.file, variable.line + 1, shown(stacks.ws, variable.file))
    facts = [f"type {writer.code(variable.type_text)}"]
    if variable.required:
        facts.append("required")
    else:
        facts.append(f"default {writer.code(short(variable.default))}")
    if not variable.nullable:
        facts.append("not nullable")
    if variable.sensitive:
        facts.append("sensitive")
    lines = [f"variable {writer.code(variable.name)} — {' · '.join(facts)} — {place}"]
    if variable.description:
        lines += ["", variable.description]
    for validation in variable.validations:
        lines.append(f"- validation: {writer.code(validation.condition)}")
    return lines


def _range(server: StackServer, spot: Spot) -> lsp.Range:
    source = spot.node.source
    span = source.key_span if spot.on_key and source.key_span is not None else source.span
    return server.range_of(span, source.file)


def register(server: StackServer) -> None:
    def markdown_ok() -> bool:
        td = server.client_capabilities.text_document
        formats = td.hover.content_format if td is not None and td.hover is not None else None
        return formats is None or lsp.MarkupKind.Markdown in formats

    def workflow_job(project: Project, path: str, line: int, col: int) -> lsp.Hover | None:
        found = workflow_queries.hover(project.stacks, path, line, col)
        if found is None:
            return None
        markdown = markdown_ok()
        text = render(Writer(server, markdown), project.stacks, path, found[0])
        kind = lsp.MarkupKind.Markdown if markdown else lsp.MarkupKind.PlainText
        return lsp.Hover(lsp.MarkupContent(kind, text), server.range_of(found[1], path))

    def config_job(project: Project, path: str, line: int, col: int) -> lsp.Hover | None:
        found = atmos_config_queries.hover(project.ws, path, line, col)
        if found is None:
            return None
        markdown = markdown_ok()
        writer = Writer(server, markdown)
        lines = [f"{writer.code(found.key)} — {found.description}"]
        if found.effective is not None:
            lines += ["", f"effective value: {writer.code(short(found.effective, 120))}"]
        kind = lsp.MarkupKind.Markdown if markdown else lsp.MarkupKind.PlainText
        return lsp.Hover(
            lsp.MarkupContent(kind, "\n".join(lines)), server.range_of(found.span, path)
        )

    def vendor_job(project: Project, path: str, line: int, col: int) -> lsp.Hover | None:
        sources = vendoring.read_sources(read_document(project.ws, path))
        found = vendoring.source_at(sources, line, col)
        if found is None:
            return None
        markdown = markdown_ok()
        writer = Writer(server, markdown)
        lines = [
            f"component {writer.code(found.component or '?')} — version "
            f"{writer.code(found.version or 'none')}",
            "",
            f"source: {writer.code(found.source)}",
        ]
        for target in found.targets:
            directory = target.directory
            if directory is None:
                lines.append(f"target: {writer.code(str(target.value.data))} (filled in by Atmos)")
                continue
            state = "" if os.path.isdir(directory) else " (not vendored yet)"
            shown = os.path.relpath(directory, project.config.base_path)
            lines.append(f"target: {writer.code(shown)}{state}")
        kind = lsp.MarkupKind.Markdown if markdown else lsp.MarkupKind.PlainText
        text = lsp.MarkupContent(kind, "\n".join(lines))
        return lsp.Hover(text, server.range_of(found.node.source.span, path))

    def job(project: Project, path: str, line: int, col: int, cancelled: Any) -> lsp.Hover | None:
        if path in project.vendor_files:
            return vendor_job(project, path, line, col)
        if path == project.config.config_file:
            return config_job(project, path, line, col)
        if project.ws.in_workflows(path):
            return workflow_job(project, path, line, col)
        spot = project.spot(path, line, col)
        if spot is None:
            return None
        answer = queries.hover(project.stacks, path, spot, cancelled)
        if answer is None:
            return None
        markdown = markdown_ok()
        text = render(Writer(server, markdown), project.stacks, path, answer)
        kind = lsp.MarkupKind.Markdown if markdown else lsp.MarkupKind.PlainText
        return lsp.Hover(lsp.MarkupContent(kind, text), _range(server, spot))

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @guarded()
    async def hover(params: lsp.HoverParams) -> lsp.Hover | None:
        return await server.at_cancellable(params.text_document.uri, params.position, job)
