"""Questions an editor asks about atmos.yaml: what a key means and the value Atmos ends up
with (after ATMOS_BASE_PATH and the other environment overrides, as `config.py` loaded it),
and which keys and values may be written at a cursor — from stack-lsp's own schema of the
Atmos configuration (`schemas/atmos-config.schema.json`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import locate, suggest
from .tree import Path, Span
from .validation.atmos_config import config_schema, read_document
from .workspace import Workspace


@dataclass(frozen=True, slots=True)
class KeyHelp:
    key: str
    description: str
    written: Any
    effective: Any
    """What Atmos uses (absolute paths for the base paths); None when it is what is written."""
    span: Span


def _schema() -> dict[str, Any]:
    return dict(config_schema())


def effective(ws: Workspace, path: Path) -> Any:
    """The value Atmos uses for the keys `config.py` resolves; None for the others."""
    config = ws.config
    table: dict[Path, Any] = {
        ("base_path",): config.base_path,
        ("stacks", "base_path"): config.stacks_base,
        ("stacks", "included_paths"): list(config.included_paths),
        ("stacks", "excluded_paths"): list(config.excluded_paths),
        ("stacks", "name_template"): config.name_template,
        ("stacks", "name_pattern"): config.name_pattern,
        ("components", "terraform", "base_path"): config.terraform_base,
        ("components", "helmfile", "base_path"): config.helmfile_base,
        ("workflows", "base_path"): ws.workflows_base,
        ("schemas", "jsonschema", "base_path"): config.jsonschema_base,
        ("schemas", "opa", "base_path"): config.opa_base,
        ("settings", "list_merge_strategy"): config.list_merge_strategy,
    }
    return table.get(path)


def hover(ws: Workspace, path: str, line: int, col: int) -> KeyHelp | None:
    spot = locate.at(read_document(ws, path).root, line, col)
    if spot is None or not all(isinstance(k, str) for k in spot.path):
        return None
    keys = tuple(str(k) for k in spot.path)
    described = [s.get("description") for s in suggest.schema_at(_schema(), keys)]
    description = next((d for d in described if isinstance(d, str)), "")
    if not description:
        return None
    written = spot.node.plain()
    value = effective(ws, spot.path)
    shown = value if value is not None and value != written else None
    source = spot.node.source
    span = source.key_span if spot.on_key and source.key_span is not None else source.span
    return KeyHelp(".".join(keys), description, written, shown, span)


def complete(text: str, line: int, col: int) -> suggest.Suggestions:
    """Keys under the cursor's map, or the allowed values of the key being written."""
    ctx = locate.text_path(text, line, col)
    start = col - len(ctx.prefix)
    schema = _schema()
    if ctx.key is None and not ctx.in_item:
        keys = suggest.schema_keys(suggest.schema_at(schema, ctx.parents))
        items = [
            suggest.Suggestion(name, suggest.KEY, "", description, f"{name}: ")
            for name, description in sorted(keys.items())
        ]
        return suggest.Suggestions(items, start)
    if ctx.key is not None:
        full = (*ctx.parents, ctx.key)
        values = suggest.schema_enums(suggest.schema_at(schema, full), schema)
        items = [
            suggest.Suggestion(suggest.value_text(v), suggest.ENUM, "allowed value") for v in values
        ]
        return suggest.Suggestions(items, start)
    return suggest.Suggestions([], start)
