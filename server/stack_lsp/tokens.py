"""What the names in a manifest are, for semantic highlighting: import paths, component names
(abstract ones marked), bases named in `inherits`, YAML functions, Go templates, and keys whose
value every stack reaching the file overrides (so a theme can dim dead values)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .closure import COMPONENT_TYPES
from .components import components_of
from .imports import read_entries
from .queries import file_usage
from .stacks import Stacks
from .templates import is_template
from .tree import Span, Value

IMPORT, COMPONENT, FUNCTION, TEMPLATE, KEY = "namespace", "class", "function", "macro", "property"
KINDS = (IMPORT, COMPONENT, FUNCTION, TEMPLATE, KEY)
ABSTRACT, OVERRIDDEN = "abstract", "overridden"
MODIFIERS = (ABSTRACT, OVERRIDDEN)


@dataclass(frozen=True, slots=True)
class Token:
    span: Span
    kind: str
    modifiers: tuple[str, ...] = ()


def tokens(stacks: Stacks, path: str, cancelled: Callable[[], bool]) -> list[Token]:
    """The file's tokens, one line each, in order, none overlapping."""
    root = stacks.ws.document(path).mapping()
    if root is None:
        return []
    found: list[Token] = []
    entries, _ = read_entries(root)
    found += [Token(e.path_value.source.span, IMPORT) for e in entries]
    for kind in COMPONENT_TYPES:
        for section in components_of(root, kind).values():
            metadata = section.get("metadata")
            kind_of = metadata.get("type") if metadata is not None else None
            abstract = (ABSTRACT,) if kind_of is not None and kind_of.data == "abstract" else ()
            if section.source.key_span is not None:
                found.append(Token(section.source.key_span, COMPONENT, abstract))
            inherits = metadata.get("inherits") if metadata is not None else None
            if inherits is not None and inherits.is_list:
                found += [Token(i.source.span, COMPONENT) for i in inherits.data]
    found += _values(root)
    usage = file_usage(stacks, path, cancelled)
    for key_path, key in usage.keys.items():
        node = root.find(key_path)
        if key.reached and not key.final_in and node is not None and node.source.key_span:
            found.append(Token(node.source.key_span, KEY, (OVERRIDDEN,)))
    out: list[Token] = []
    for token in sorted(found, key=lambda t: (t.span.start_line, t.span.start_col)):
        span = token.span
        if span.start_line != span.end_line or span.end_col <= span.start_col:
            continue
        last = out[-1].span if out else None
        if last is not None and (last.end_line, last.end_col) > (span.start_line, span.start_col):
            continue
        out.append(token)
    return out


def _values(node: Value) -> Iterator[Token]:
    if node.tag is not None and node.tag not in ("!append", "!unset"):
        yield Token(node.source.span, FUNCTION)
    elif isinstance(node.data, str) and is_template(node.data):
        yield Token(node.source.span, TEMPLATE)
    children = node.data.values() if isinstance(node.data, dict) else node.data
    if isinstance(children, list) or isinstance(node.data, dict):
        for child in children:
            yield from _values(child)
