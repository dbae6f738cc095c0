"""Findings in atmos.yaml (STK601-STK606), placed on its keys: stack-lsp's own schema of the
Atmos configuration (`schemas/atmos-config.schema.json`, from pkg/schema/schema.go
AtmosConfiguration), directories that must exist, `included_paths` globs that match nothing,
and a `stacks.name_template` that does not parse.

The file is only read: YAML functions (`!env`, `!exec`, `!include` …) are taken as valid
values and never evaluated. How the configuration is loaded is `config.py`'s business.
"""

from __future__ import annotations

import os
from functools import cache

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from .. import parsing
from ..codes import severity_of
from ..diagnostics import Diagnostic
from ..globs import matches
from ..templates import TemplateSyntaxError, render
from ..tree import Path, Value
from ..workspace import Workspace
from .manifest import late, packaged_schema, schema_findings, validator_for

CODE_OF = {"value": "STK601", "unknown": "STK602", "missing": "STK601"}

KINDS = ("terraform", "helmfile", "packer", "ansible", "kubernetes", "helm")


@cache
def _validator() -> Draft202012Validator:
    return validator_for(config_schema())


def config_schema() -> dict[str, object]:
    return packaged_schema("atmos-config.schema.json")


def read_document(ws: Workspace, path: str) -> parsing.Document:
    """A project file that is not a manifest (atmos.yaml, a vendor manifest) parsed with
    positions: through the workspace (an open buffer wins) when it lies in the tree, else read
    from disk within the size limit."""
    if ws.in_workspace(path):
        return ws.document(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(ws.max_file_bytes + 1)
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return parsing.Document(path, "", None)
    text, problems = parsing.decode(path, raw, ws.max_file_bytes, size)
    doc = parsing.parse(path, text) if text is not None else parsing.Document(path, "", None)
    doc.diagnostics[:0] = problems
    return doc


def check_config(ws: Workspace) -> list[Diagnostic]:
    """Every finding in the project's atmos.yaml (none without one)."""
    path = ws.config.config_file
    if path is None:
        return []
    doc = read_document(ws, path)
    out = list(doc.diagnostics)
    root = doc.mapping()
    if root is None:
        return out
    out += schema_findings(doc, _validator(), CODE_OF, list_allowed=False)
    out += _directories(ws, root)
    out += _included(ws, root)
    out += _name_template(root)
    return out


def _diag(value: Value, code: str, message: str) -> Diagnostic:
    return Diagnostic(value.source.file, value.source.span, severity_of(code), code, message)


def _written(root: Value, path: Path) -> Value | None:
    """The plain string written at `path` (not a YAML function, not a template)."""
    value = root.find(path)
    if value is None or late(value) or not isinstance(value.data, str) or not value.data:
        return None
    return value


def _directories(ws: Workspace, root: Value) -> list[Diagnostic]:
    """STK603: `base_path`, `stacks.base_path`, components' base paths, `workflows.base_path`
    and the schema directories name directories that must exist (the first two as Atmos uses
    them, after ATMOS_BASE_PATH / ATMOS_STACKS_BASE_PATH)."""
    config = ws.config
    checks: list[tuple[Path, str]] = [
        (("base_path",), config.base_path),
        (("stacks", "base_path"), config.stacks_base),
    ]
    written: list[Path] = [("components", kind, "base_path") for kind in KINDS]
    written += [("workflows", "base_path")]
    written += [("schemas", kind, "base_path") for kind in ("jsonschema", "opa", "cue")]
    for key_path in written:
        value = _written(root, key_path)
        if value is not None:
            checks.append((key_path, os.path.join(config.base_path, value.data)))
    out = []
    for key_path, directory in checks:
        value = _written(root, key_path)
        if value is None or os.path.isdir(directory):
            continue
        shown = os.path.relpath(directory, config.root)
        message = f"{'.'.join(map(str, key_path))}: directory {shown} does not exist"
        out.append(_diag(value, "STK603", message))
    manifest = _written(root, ("schemas", "atmos", "manifest"))
    if manifest is not None and "://" not in manifest.data:
        target = os.path.join(config.base_path, manifest.data)
        if not os.path.isfile(target):
            shown = os.path.relpath(target, config.root)
            out.append(_diag(manifest, "STK603", f"schemas.atmos.manifest: {shown} does not exist"))
    return out


def _included(ws: Workspace, root: Value) -> list[Diagnostic]:
    """STK604: an `included_paths` glob that matches no manifest under the stacks base."""
    paths = root.find(("stacks", "included_paths"))
    if paths is None or not paths.is_list:
        return []
    rels = [ws.config.rel(p) for p in ws.manifest_files()]
    out = []
    for item in paths.data:
        if late(item) or not isinstance(item.data, str):
            continue
        if not any(matches(item.data, rel) for rel in rels):
            message = f"included_paths: '{item.data}' matches no manifest under stacks.base_path"
            out.append(_diag(item, "STK604", message))
    return out


def _name_template(root: Value) -> list[Diagnostic]:
    """STK605: a `stacks.name_template` Go's template parser refuses."""
    value = root.find(("stacks", "name_template"))
    if value is None or value.tag is not None or not isinstance(value.data, str):
        return []
    try:
        render(value.data, {})
    except TemplateSyntaxError as exc:
        return [_diag(value, "STK605", f"stacks.name_template does not parse: {exc}")]
    return []
