"""What is at a position in a manifest: the key path, whether the cursor is on a key or a value,
and what that path means to Atmos (an import entry, an `inherits` entry, a key under a
component…).

Two readers: `at(root, line, col)` walks the parsed tree (exact), and `text_path(text, line,
col)` reads indentation (for half-typed lines that do not parse). Editor-agnostic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .closure import COMPONENT_TYPES
from .tree import Path, Value


@dataclass(frozen=True, slots=True)
class Spot:
    """The deepest value at a position. `on_key` is true when the cursor is on its key."""

    path: Path
    node: Value
    on_key: bool


def at(root: Value | None, line: int, col: int) -> Spot | None:
    """The deepest value whose key or value range holds (line, col)."""
    if root is None:
        return None
    found: Spot | None = None
    node: Value | None = root
    while node is not None:
        children = (
            node.data.values()
            if isinstance(node.data, dict)
            else (node.data if isinstance(node.data, list) else ())
        )
        nxt: Value | None = None
        for child in children:
            key_span = child.source.key_span
            if key_span is not None and key_span.contains(line, col):
                return Spot(child.source.path, child, True)
            if child.source.span.contains(line, col) and _inside(child, line, col):
                nxt = child
                found = Spot(child.source.path, child, False)
        node = nxt
    return found


def _inside(value: Value, line: int, col: int) -> bool:
    """A block collection's span ends at the start of the next line; do not count that."""
    span = value.source.span
    return not (
        (line, col) == (span.end_line, span.end_col)
        and span.end_col == 0
        and span.end_line > span.start_line
    )


@dataclass(frozen=True, slots=True)
class ComponentRef:
    """A path under `components.<kind>.<name>`: `rest` is the path inside the component."""

    kind: str
    name: str
    rest: Path


def component_ref(path: Path) -> ComponentRef | None:
    if len(path) >= 3 and path[0] == "components" and path[1] in COMPONENT_TYPES:
        name = path[2]
        if isinstance(name, str) and isinstance(path[1], str):
            return ComponentRef(path[1], name, path[3:])
    return None


def import_index(path: Path) -> int | None:
    """The index of the import entry at `path` (the item or its `path:` key), if any."""
    head_ok = len(path) >= 2 and path[0] == "import" and isinstance(path[1], int)
    if head_ok and (len(path) == 2 or path[2:] == ("path",)):
        index = path[1]
        return index if isinstance(index, int) else None
    return None


def is_inherits_entry(ref: ComponentRef | None) -> bool:
    return ref is not None and len(ref.rest) == 3 and ref.rest[:2] == ("metadata", "inherits")


def is_metadata_component(ref: ComponentRef | None) -> bool:
    return ref is not None and ref.rest == ("metadata", "component")


def is_legacy_component(ref: ComponentRef | None) -> bool:
    return ref is not None and ref.rest == ("component",)


# Sections of a component whose keys map one to one to a merged section.
_SECTION_OF_TYPE = frozenset(["vars", "settings", "env", "providers", "hooks", "command"])


def section_path(path: Path) -> tuple[ComponentRef | None, Path] | None:
    """The path in a merged component's sections that a key written at `path` contributes to,
    with the component it is written under (None for global and type-wide sections).

    `components.terraform.vpc.vars.x` → (vpc, ("vars", "x")); `vars.x`, `terraform.vars.x`,
    `overrides.vars.x` → (None, ("vars", "x")); `...backend.s3.bucket` → ("backend", "bucket")."""
    ref = component_ref(path)
    rest: Path
    if ref is not None:
        rest = ref.rest
        if rest[:1] == ("overrides",):
            rest = rest[1:]
    elif path[:1] and path[0] in COMPONENT_TYPES:
        rest = path[1:]
        if rest[:1] == ("overrides",):
            rest = rest[1:]
    elif path[:1] == ("overrides",):
        rest = path[1:]
    else:
        rest = path
    if not rest or not isinstance(rest[0], str):
        return None
    if rest[0] in ("backend", "remote_state_backend"):
        return (ref, (rest[0], *rest[2:])) if len(rest) >= 2 else None
    if ref is None and rest[0] not in _SECTION_OF_TYPE and rest[0] not in ("metadata",):
        return None
    return ref, rest


# ---- text-based reading (half-typed lines) ----------------------------------------------

_KEY_LINE = re.compile(r"^(\s*)(-\s+)?([^\s#:'\"][^:#]*?|'[^']*'|\"[^\"]*\")\s*:(\s|$)")
_ITEM_LINE = re.compile(r"^(\s*)-(\s|$)")


@dataclass(frozen=True, slots=True)
class TextContext:
    """What indentation says about a cursor: the key path of the enclosing map or list, whether
    the cursor is in a list item, the key being written on this line (when after `key:`), and the
    word typed so far."""

    parents: tuple[str, ...]
    in_item: bool
    key: str | None
    prefix: str
    value_start: int


def text_path(text: str, line: int, col: int) -> TextContext:
    lines = text.split("\n")
    current = lines[line] if 0 <= line < len(lines) else ""
    before = current[:col]
    indent = len(before) - len(before.lstrip(" "))
    item = _ITEM_LINE.match(current)
    in_item = item is not None and col >= len(item.group(0)) - (1 if item.group(2) else 0)
    key: str | None = None
    value_start = indent
    content = before[indent:]
    if item is not None:
        content = before[len(item.group(0)) :] if len(before) >= len(item.group(0)) else ""
        value_start = len(item.group(0))
    match = re.match(r"^([^\s:#][^:#]*?)\s*:\s*", content)
    if match is not None:
        key = match.group(1).strip("'\"")
        value_start += match.end()
        content = content[match.end() :]
    prefix = content.strip().strip("'\"")
    level = indent
    strict = item is None  # a list's items may sit at its key's indentation
    parents: list[str] = []
    for previous in reversed(lines[:line]):
        stripped = previous.strip()
        if not stripped or stripped.startswith("#"):
            continue
        prev_indent = len(previous) - len(previous.lstrip(" "))
        found = _KEY_LINE.match(previous)
        opens = found is not None and not found.group(2) and _is_open(found, previous)
        if prev_indent > level or (prev_indent == level and (strict or not opens)):
            continue
        if found is not None and _is_open(found, previous):
            parents.append(found.group(3).strip("'\""))
        level = prev_indent
        strict = _ITEM_LINE.match(previous) is None
        if level == 0 and strict:
            break
    return TextContext(tuple(reversed(parents)), in_item, key, prefix, value_start)


def _is_open(found: re.Match[str], line: str) -> bool:
    """A `key:` line with nothing after the colon (a map or list follows)."""
    after = line[found.end() :].split("#", 1)[0].strip()
    return after == "" or after in ("|", ">", "|-", ">-")
