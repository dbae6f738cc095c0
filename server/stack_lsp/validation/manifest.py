"""Each manifest checked against stack-lsp's own manifest schema (`schemas/manifest.schema.json`,
draft 2020-12, written from Atmos's documented sections), on the positioned tree.

Values Atmos evaluates later (a YAML function tag such as `!include`, or a Go template string)
are not judged. The `import` section is left to the import resolver (STK101-STK105).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from ..codes import severity_of
from ..diagnostics import Diagnostic
from ..parsing import Document
from ..tree import Path, Value
from .explain import explain

CODE_OF = {"value": "STK310", "unknown": "STK311", "missing": "STK312"}


@cache
def packaged_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in `stack_lsp/schemas/`."""
    text = resources.files("stack_lsp").joinpath(f"schemas/{name}").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def manifest_schema() -> dict[str, Any]:
    return packaged_schema("manifest.schema.json")


@cache
def _validator() -> Draft202012Validator:
    return validator_for(manifest_schema())


def validator_for(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(_inlined(schema, schema.get("$defs", {})))


def _inlined(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with its local `$ref`s replaced by what they point at (the schema is not
    recursive): jsonschema resolves a `$ref` anew at every value, a third of the check's time."""
    if isinstance(node, list):
        return [_inlined(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
        return _inlined(defs[ref.removeprefix("#/$defs/")], defs)
    return {key: _inlined(value, defs) for key, value in node.items()}


def late(value: Value) -> bool:
    """True for a value Atmos evaluates after loading: a YAML function or a Go template."""
    return value.tag is not None or (isinstance(value.data, str) and "{{" in value.data)


def _nodes(root: Value, path: Path) -> list[Value]:
    """The values along `path`, from the root; shorter when the path leaves the tree."""
    out = [root]
    for key in path:
        nxt = out[-1].find((key,))
        if nxt is None:
            break
        out.append(nxt)
    return out


def check_document(doc: Document) -> list[Diagnostic]:
    return schema_findings(doc, _validator(), CODE_OF, skip=("import",))


def schema_findings(
    doc: Document,
    validator: Draft202012Validator,
    code_of: dict[str, str],
    skip: Path | None = None,
    list_allowed: bool = True,
) -> list[Diagnostic]:
    """The document's top-level map against `validator`, each problem on its key or value
    with the code `code_of[kind]`; nothing under the key path `skip`, nothing a YAML function
    or a template decides."""
    root = doc.mapping()
    if root is None:
        return []
    out: list[Diagnostic] = []
    for error in validator.iter_errors(root.plain()):
        for problem in explain(error, list_allowed):
            if skip is not None and problem.path[: len(skip)] == skip:
                continue
            nodes = _nodes(root, problem.path)
            if len(nodes) < len(problem.path) + 1 or any(late(n) for n in nodes):
                continue
            source = nodes[-1].source
            span = source.span if problem.kind == "value" else (source.key_span or source.span)
            code = code_of[problem.kind]
            out.append(
                Diagnostic(
                    doc.file, span, severity_of(code), code, problem.message, fixes=problem.fixes
                )
            )
    return out
