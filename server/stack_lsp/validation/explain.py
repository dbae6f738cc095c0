"""jsonschema errors → one problem each, with the path of the key or value to place it on.

Shared by the manifest schema and the component schemas, so that both word and place their
findings alike: a wrong type or value lands on the value, an unknown key on that key (the extra
keys are computed, not read from jsonschema's sentence), a missing key on its parent's key.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

from ..provenance import dotted
from ..tree import Path

Kind = Literal["value", "unknown", "missing"]

_TYPE_NAMES = {
    "object": "a map",
    "array": "a list",
    "string": "a string",
    "boolean": "true or false",
    "integer": "an integer",
    "number": "a number",
    "null": "empty",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One schema problem. `path` leads to the node it is about (for `unknown`, the extra key
    itself; for `missing`, the map that lacks the key)."""

    kind: Kind
    path: Path
    message: str
    fixes: tuple[str, ...] = ()


def show(value: Any) -> str:
    """A value as the message shows it: JSON, shortened."""
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{show(value)} (true/false)"
    if value is None:
        return "empty"
    return show(value)


def _where(path: Path) -> str:
    return dotted(path) or "the top level"


def _expected(types: Any) -> str:
    names = [types] if isinstance(types, str) else list(types)
    if len(names) > 1:
        names = [n for n in names if n != "null"]
    return " or ".join(_TYPE_NAMES.get(n, n) for n in names)


def _extra_keys(error: ValidationError) -> list[str]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [
        k for k in instance if k not in known and not any(re.search(p, str(k)) for p in patterns)
    ]


def _duplicate_index(items: list[Any]) -> int:
    seen: list[Any] = []
    for i, item in enumerate(items):
        if item in seen:
            return i
        seen.append(item)
    return len(items) - 1


def explain(error: ValidationError, list_allowed: bool = True) -> list[Problem]:
    """The problems one jsonschema error stands for (`list_allowed`: an unknown key's message
    lists the allowed keys)."""
    path: Path = tuple(error.absolute_path)
    where = _where(path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if "propertyNames" in error.relative_schema_path:
        key = str(error.instance)
        return [
            Problem(
                "unknown",
                (*path, key),
                f"'{key}' is not a valid name under {where}: {error.message}",
            )
        ]
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        out = []
        for key in _extra_keys(error):
            hints = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"; did you mean '{hints[0]}'?" if hints else ""
            listed = f" (allowed: {', '.join(allowed)})" if allowed and list_allowed else ""
            out.append(
                Problem(
                    "unknown",
                    (*path, key),
                    f"unknown key '{key}' in {where}{hint}{listed}",
                    tuple(hints),
                )
            )
        return out
    if kind == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        return [
            Problem("missing", path, f"{where}: required key '{key}' is missing")
            for key in error.validator_value
            if key not in instance
        ]
    if kind == "type":
        return [
            Problem(
                "value",
                path,
                f"{where} must be {_expected(error.validator_value)}, "
                f"not {type_name(error.instance)}",
            )
        ]
    if kind == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        return [Problem("value", path, f"{where}: {show(error.instance)} is not one of {options}")]
    if kind == "uniqueItems" and isinstance(error.instance, list):
        index = _duplicate_index(error.instance)
        twice = show(error.instance[index])
        return [Problem("value", (*path, index), f"{where} lists {twice} twice; remove the repeat")]
    if kind in ("pattern", "format") and isinstance(schema.get("description"), str):
        wanted = schema["description"]
        return [Problem("value", path, f"{where}: {show(error.instance)} is not valid: {wanted}")]
    return [Problem("value", path, f"{where}: {error.message}")]
