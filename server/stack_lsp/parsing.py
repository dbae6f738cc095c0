"""Text → positioned `Value` tree, with every problem turned into a diagnostic.

Uses ruamel.yaml's C-backed composer (YAML 1.2): it keeps marks and tags and never constructs
Python objects from tags, so nothing in a manifest is ever executed. Unknown tags are kept.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from .codes import severity_of
from .diagnostics import Diagnostic
from .tree import ZERO_SPAN, Path, Source, Span, Value

# Atmos's YAML functions [pkg/utils/yaml_utils.go]; any other tag is an error in Atmos.
ATMOS_TAGS = frozenset(
    [
        "!exec",
        "!secret",
        "!store",
        "!store.get",
        "!template",
        "!terraform.output",
        "!terraform.state",
        "!env",
        "!cel",
        "!include",
        "!include.raw",
        "!repo-root",
        "!git.root",
        "!git.sha",
        "!git.branch",
        "!git.ref",
        "!git.repository",
        "!git.owner",
        "!git.name",
        "!git.host",
        "!git.url",
        "!append",
        "!cwd",
        "!unset",
        "!random",
        "!literal",
        "!aws.account_id",
        "!aws.caller_identity_arn",
        "!aws.caller_identity_user_id",
        "!aws.region",
        "!aws.organization_id",
        "!emulator",
        "!version",
        "!tags",
        "!labels",
        "!labels.keys",
        "!labels.values",
    ]
)

STD = "tag:yaml.org,2002:"
MAX_DEPTH = 200
MAX_NODES = 200_000
DEFAULT_MAX_BYTES = 4 * 1024 * 1024

_INT_RE = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
# A line starting with this many indentation or block-indicator characters may nest deeply.
_DEEP_LINE = re.compile(rf"^[ \t?:-]{{{MAX_DEPTH // 2},}}", re.MULTILINE)


@dataclass(slots=True)
class Document:
    """One parsed manifest: its text, its tree (None when unparseable) and its findings."""

    file: str
    text: str
    root: Value | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def mapping(self) -> Value | None:
        """The top-level map, or None when the document is empty or not a map."""
        if self.root is not None and self.root.is_map:
            return self.root
        return None


def _diag(file: str, span: Span, code: str, message: str) -> Diagnostic:
    return Diagnostic(file, span, severity_of(code), code, message)


class _Budget(Exception):
    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.span = span


def _span(node: Node) -> Span:
    s, e = node.start_mark, node.end_mark
    return Span(s.line, s.column, e.line, e.column)


def _scalar(node: ScalarNode, tag: str) -> Any:
    """`tag`: the node's resolved tag (read once per node: ruamel builds it on each access)."""
    text = node.value
    if tag == STD + "null":
        return None
    if tag == STD + "bool":
        return text.lower() == "true"
    if tag == STD + "int":
        return _to_int(text)
    if tag == STD + "float":
        return _to_float(text)
    return text


def _to_int(text: str) -> Any:
    t = text.replace("_", "")
    try:
        if t.lower().startswith(("0x", "+0x", "-0x")):
            return int(t, 16)
        if t.lower().startswith(("0o", "+0o", "-0o")):
            return int(t, 8)
        if _INT_RE.match(text) or t.lstrip("+-").isdigit():
            return int(t, 10)
    except ValueError:
        pass
    return text


def _to_float(text: str) -> Any:
    t = text.lower().replace("_", "")
    if t in (".inf", "+.inf"):
        return math.inf
    if t == "-.inf":
        return -math.inf
    if t == ".nan":
        return math.nan
    try:
        return float(t)
    except ValueError:
        return text


def _expanded_size(node: Node, sizes: dict[int, int], depth: int = 0) -> int:
    """How many values `node` becomes once aliases are expanded (an upper bound of what the
    converter counts), computed once per distinct node, so an alias bomb is refused before a
    single value is built; raises `_Budget` for too many values, too deep, or an alias inside
    its own anchor."""
    known = sizes.get(id(node))
    if known is not None:
        if known < 0:
            raise _Budget("recursive alias: an anchor contains an alias to itself", _span(node))
        return known
    if depth > MAX_DEPTH:
        raise _Budget(f"nesting deeper than {MAX_DEPTH} levels", _span(node))
    sizes[id(node)] = -1
    total = 1
    if isinstance(node, SequenceNode):
        for item in node.value:
            total += _expanded_size(item, sizes, depth + 1)
    elif isinstance(node, MappingNode):
        for _key, value in node.value:
            total += _expanded_size(value, sizes, depth + 1)
    if total > MAX_NODES:
        raise _Budget(f"more than {MAX_NODES:,} values after alias expansion", _span(node))
    sizes[id(node)] = total
    return total


class _Converter:
    def __init__(self, file: str) -> None:
        self.file = file
        self.diagnostics: list[Diagnostic] = []
        self.count = 0

    def convert(self, node: Node, path: Path, key_span: Span | None, depth: int) -> Value:
        self.count += 1
        span = _span(node)
        if self.count > MAX_NODES:
            raise _Budget(f"more than {MAX_NODES:,} values after alias expansion", span)
        if depth > MAX_DEPTH:
            raise _Budget(f"nesting deeper than {MAX_DEPTH} levels", span)
        resolved: str = node.tag or ""
        tag = resolved if resolved and not resolved.startswith(STD) else None
        if tag is not None and tag not in ATMOS_TAGS and not tag.startswith("!!"):
            self.diagnostics.append(
                _diag(
                    self.file,
                    Span(
                        span.start_line, span.start_col, span.start_line, span.start_col + len(tag)
                    ),
                    "STK003",
                    f"unknown YAML tag '{tag}': Atmos supports only its own functions "
                    "(!env, !include, !terraform.output …)",
                )
            )
        source = Source(self.file, path, key_span, span)
        if isinstance(node, ScalarNode):
            data: Any = node.value if tag is not None else _scalar(node, resolved)
            return Value(data, source, tag)
        if isinstance(node, SequenceNode):
            items = [
                self.convert(item, (*path, i), None, depth + 1) for i, item in enumerate(node.value)
            ]
            return Value(items, source, tag)
        if isinstance(node, MappingNode):
            return Value(self._mapping(node, path, depth), source, tag)
        return Value(None, source, tag)

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict[str, Value]:
        entries: dict[str, Value] = {}
        merged: dict[str, Value] = {}
        for key_node, value_node in node.value:
            key_tag = key_node.tag
            if key_tag == STD + "merge":
                self._merge_key(value_node, path, depth, merged)
                continue
            key = self._key(key_node, key_tag)
            key_span = _span(key_node)
            if key in entries:
                first = entries[key].source.key_span or ZERO_SPAN
                self.diagnostics.append(
                    _diag(
                        self.file,
                        key_span,
                        "STK002",
                        f"duplicate key '{key}' (first defined on line {first.start_line + 1}); "
                        "remove one of them",
                    )
                )
            entries[key] = self.convert(value_node, (*path, key), key_span, depth + 1)
        for key, value in merged.items():
            entries.setdefault(key, value)
        return entries

    def _merge_key(self, value_node: Node, path: Path, depth: int, out: dict[str, Value]) -> None:
        sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
        for src in sources:
            if isinstance(src, MappingNode):
                for key, value in self._mapping(src, path, depth).items():
                    out.setdefault(key, value)

    def _key(self, node: Node, tag: str) -> str:
        if isinstance(node, ScalarNode):
            value = _scalar(node, tag) if (tag or STD).startswith(STD) else node.value
            if value is None:
                return "null" if node.value else ""
            if isinstance(value, bool):
                return "true" if value else "false"
            return str(value) if not isinstance(value, str) else value
        return str(node.value)


def _mark_span(err: MarkedYAMLError) -> Span:
    mark = err.problem_mark or err.context_mark
    if mark is None:
        return ZERO_SPAN
    return Span(mark.line, mark.column, mark.line, mark.column + 1)


def too_large(file: str, size: int, max_bytes: int) -> Diagnostic:
    return _diag(
        file,
        ZERO_SPAN,
        "STK004",
        f"file is {size:,} bytes, over the {max_bytes:,}-byte limit; it is skipped "
        "(raise the limit with `--max-file-bytes` or the `maxFileBytes` setting)",
    )


def text_bytes(text: str, max_bytes: int) -> int | None:
    """The UTF-8 size of `text` when it is over `max_bytes`, else None (encoding only the
    texts that may be: a code point is at most four bytes)."""
    if len(text) > max_bytes:
        return len(text.encode("utf-8", "surrogatepass"))
    if 4 * len(text) <= max_bytes:
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    return size if size > max_bytes else None


def decode(
    file: str, raw: bytes, max_bytes: int = DEFAULT_MAX_BYTES, size: int | None = None
) -> tuple[str | None, list[Diagnostic]]:
    """Bytes → text, refusing files that are too large, binary or not UTF-8. `size` is the
    file's whole size when only its first `max_bytes + 1` bytes were read."""
    if len(raw) > max_bytes:
        return None, [too_large(file, max(size or 0, len(raw)), max_bytes)]
    if b"\x00" in raw:
        return None, [_diag(file, ZERO_SPAN, "STK004", "binary file (contains NUL bytes); skipped")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n")
        return None, [
            _diag(
                file,
                Span(line, 0, line, 1),
                "STK004",
                f"file is not valid UTF-8 (byte {exc.start}); save it as UTF-8",
            )
        ]


def _too_deep(yaml: YAML, text: str) -> Span | None:
    """Where the document first nests deeper than MAX_DEPTH, found from the parser's events
    before composing: the C composer recurses once per level (tens of thousands of levels
    crash the process) and deep flow nesting is quadratic to scan. Only documents that could
    be that deep (many brackets, or a line starting with a long run of indentation and block
    indicators such as `- - - -`) are scanned; the scan stops at the first level too deep."""
    if text.count("[") + text.count("{") <= MAX_DEPTH and not _DEEP_LINE.search(text):
        return None
    depth = 0
    try:
        for event in yaml.parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the converter counts the root as level 0
                    mark = event.start_mark
                    return Span(mark.line, mark.column, mark.line, mark.column + 1)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError:
        return None  # composing reports the syntax error
    return None


class _Resolver(VersionedResolver):
    """ruamel's resolver as it behaves under the C parser, which never passes a `%YAML`
    directive on: always YAML 1.2. ruamel finds that out per scalar by catching two
    AttributeErrors and builds its table of implicit types anew for every document; here the
    version is fixed and the table built once (a fifth of composing a small manifest)."""

    _table: dict[Any, Any] | None = None

    @property
    def processing_version(self) -> tuple[int, int]:
        return (1, 2)

    @property
    def versioned_resolver(self) -> Any:
        if _Resolver._table is None:
            _Resolver._table = super().versioned_resolver
        return _Resolver._table


_LOCAL = threading.local()


def _yaml() -> YAML:
    """One loader per thread: building a YAML() costs more than composing a small manifest."""
    yaml: YAML | None = getattr(_LOCAL, "yaml", None)
    if yaml is None:
        yaml = _LOCAL.yaml = YAML(typ="safe", pure=False)
        yaml.Resolver = _Resolver
    return yaml


def parse(file: str, text: str) -> Document:
    """Parse one manifest. Never raises: every problem becomes a diagnostic."""
    yaml = _yaml()
    deep = _too_deep(yaml, text)
    if deep is not None:
        return Document(
            file,
            text,
            None,
            [_diag(file, deep, "STK005", f"nesting deeper than {MAX_DEPTH} levels")],
        )
    try:
        composed = yaml.compose(text)
    except MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "invalid YAML"
        message = f"YAML syntax error: {problem}"
        if exc.context and exc.problem:
            message = f"YAML syntax error: {exc.problem} ({exc.context})"
        return Document(file, text, None, [_diag(file, _mark_span(exc), "STK001", message)])
    except YAMLError as exc:
        return Document(file, text, None, [_diag(file, ZERO_SPAN, "STK001", f"YAML error: {exc}")])
    except RecursionError:
        return Document(
            file,
            text,
            None,
            [_diag(file, ZERO_SPAN, "STK005", f"nesting deeper than {MAX_DEPTH} levels")],
        )
    if composed is None:
        return Document(file, text, None)
    converter = _Converter(file)
    try:
        if "*" in text:  # without an alias nothing expands: the converter's count suffices
            _expanded_size(composed, {})
        root = converter.convert(composed, (), None, 0)
    except _Budget as exc:
        return Document(file, text, None, [_diag(file, exc.span, "STK005", str(exc))])
    return Document(file, text, root, converter.diagnostics)
