"""The positioned value tree every manifest is parsed into.

A `Value` is at once the parsed YAML and its provenance: it knows the file, the key path inside
that file and the ranges of its key and value. Values parsed from a file are never mutated; a
merge builds new map and list containers that point at the original leaves, and records in
`history` the values each key shadowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PathKey = str | int
Path = tuple[PathKey, ...]


@dataclass(frozen=True, slots=True)
class Span:
    """A 0-based range, end exclusive, as LSP counts (columns in code points)."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int

    def contains(self, line: int, col: int) -> bool:
        if (line, col) < (self.start_line, self.start_col):
            return False
        return (line, col) <= (self.end_line, self.end_col)


ZERO_SPAN = Span(0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a value was written: file, key path in that file, and the ranges of key and value."""

    file: str
    path: Path
    key_span: Span | None
    span: Span


class Value:
    """A YAML value with its source. `data` is a dict, a list or a scalar (None, bool, int,
    float, str). `tag` keeps a custom YAML tag such as `!env`; nothing tagged is ever evaluated."""

    __slots__ = ("data", "history", "source", "tag")

    def __init__(
        self,
        data: Any,
        source: Source,
        tag: str | None = None,
        history: dict[str, tuple[Value, ...]] | None = None,
    ) -> None:
        self.data = data
        self.source = source
        self.tag = tag
        self.history = history

    def __repr__(self) -> str:
        return f"Value({self.plain()!r} @ {self.source.file}:{self.source.span.start_line + 1})"

    @property
    def is_map(self) -> bool:
        return isinstance(self.data, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.data, list)

    def get(self, key: str) -> Value | None:
        if isinstance(self.data, dict):
            found: Value | None = self.data.get(key)
            return found
        return None

    def find(self, path: Path) -> Value | None:
        node: Value | None = self
        for key in path:
            if node is None:
                return None
            if isinstance(key, int):
                if not isinstance(node.data, list) or not 0 <= key < len(node.data):
                    return None
                node = node.data[key]
            else:
                node = node.get(key)
        return node

    def plain(self) -> Any:
        """The value as plain Python data; tagged scalars render as written (`!env FOO`)."""
        data = self.data
        if isinstance(data, dict):
            return {k: v.plain() for k, v in data.items()}
        if isinstance(data, list):
            return [v.plain() for v in data]
        if self.tag is not None:
            return f"{self.tag} {data}" if data not in (None, "") else self.tag
        return data

    def shadowed(self, key: str) -> tuple[Value, ...]:
        """The values `key` replaced in this merged map, newest first."""
        if self.history is None:
            return ()
        return self.history.get(key, ())
