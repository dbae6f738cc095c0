"""A small, side-effect-free evaluator for the Go templates Atmos puts in stack manifests.

It covers what import paths, `context` imports and `name_template` use in practice: field lookups
(`{{ .vars.stage }}`), literals and pipelines through a few pure functions (`default`, `printf`,
`upper`, `lower`, `trim`, `replace`, `quote`, `index` …). Anything else (`if`, `range`, `env`,
`exec`, datasources) is left verbatim and reported; nothing is executed or read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

NO_VALUE = "<no value>"


class TemplateSyntaxError(Exception):
    """The text is not a valid Go template (Atmos fails on it too)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class _Unsupported(Exception):
    pass


@dataclass(slots=True)
class Rendered:
    text: str
    undefined: list[tuple[str, int]] = field(default_factory=list)
    unsupported: list[tuple[str, int]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.unsupported


_ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.S)
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>"(?:[^"\\]|\\.)*"|`[^`]*`)
      | (?P<num>-?\d+(?:\.\d+)?)
      | (?P<field>(?:\.[A-Za-z_][A-Za-z0-9_]*)+|\.)
      | (?P<var>\$[A-Za-z0-9_]*)
      | (?P<ident>[A-Za-z_][A-Za-z0-9_.]*)
      | (?P<punct>[|()])
    )""",
    re.X,
)


def _is_true(value: Any) -> bool:
    return value not in (None, "", 0, False, NO_VALUE) and value != [] and value != {}


def _to_str(value: Any) -> str:
    if value is None:
        return NO_VALUE
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "map[" + " ".join(f"{k}:{_to_str(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(_to_str(v) for v in value) + "]"
    return str(value)


def _printf(fmt: str, *args: Any) -> str:
    out = re.sub(r"%[-+ #0]*\d*(?:\.\d+)?[vsdqtf]", "{}", fmt)
    return out.format(*(_to_str(a) for a in args))


def _index(container: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(container, Mapping):
            container = container.get(key)
        elif isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container):
            container = container[key]
        else:
            return None
    return container


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "default": lambda default, value=None: value if _is_true(value) else default,
    "printf": _printf,
    "print": lambda *a: "".join(_to_str(x) for x in a),
    "upper": lambda s: _to_str(s).upper(),
    "lower": lambda s: _to_str(s).lower(),
    "title": lambda s: _to_str(s).title(),
    "trim": lambda s: _to_str(s).strip(),
    "trimSuffix": lambda suffix, s: _to_str(s).removesuffix(suffix),
    "trimPrefix": lambda prefix, s: _to_str(s).removeprefix(prefix),
    "replace": lambda old, new, s: _to_str(s).replace(old, new),
    "quote": lambda s: '"' + _to_str(s) + '"',
    "squote": lambda s: "'" + _to_str(s) + "'",
    "toString": _to_str,
    "index": _index,
    "join": lambda sep, items: sep.join(_to_str(i) for i in items or []),
    "coalesce": lambda *a: next((x for x in a if _is_true(x)), None),
}


class _BadCharacter(Exception):
    pass


@lru_cache(maxsize=512)
def _tokenize(text: str) -> tuple[tuple[str, str], ...]:
    """The tokens of one action body (cached: name templates render once per component)."""
    pos, toks = 0, []
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise _BadCharacter(text[pos:].lstrip()[:1])
        kind = m.lastgroup or ""
        toks.append((kind, m.group(kind)))
        pos = m.end()
    return tuple(toks)


class _Evaluator:
    def __init__(self, data: Mapping[str, Any], out: Rendered, offset: int) -> None:
        self.data = data
        self.out = out
        self.offset = offset

    def tokens(self, text: str) -> list[tuple[str, str]]:
        try:
            return list(_tokenize(text))
        except _BadCharacter as exc:
            raise TemplateSyntaxError(
                f"bad character {exc.args[0]!r} in action", self.offset
            ) from None

    def pipeline(self, toks: list[tuple[str, str]]) -> Any:
        commands: list[list[tuple[str, str]]] = [[]]
        depth = 0
        for tok in toks:
            if tok == ("punct", "|") and depth == 0:
                commands.append([])
                continue
            if tok == ("punct", "("):
                depth += 1
            elif tok == ("punct", ")"):
                depth -= 1
            commands[-1].append(tok)
        if depth != 0 or any(not c for c in commands):
            raise TemplateSyntaxError("unbalanced pipeline", self.offset)
        result: Any = None
        for i, command in enumerate(commands):
            result = self.command(command, [result] if i else [])
        return result

    def command(self, toks: list[tuple[str, str]], piped: list[Any]) -> Any:
        kind, text = toks[0]
        if kind == "ident" and text not in ("true", "false", "nil"):
            if text in ("if", "else", "end", "range", "with", "define", "template", "block"):
                raise _Unsupported(f"'{text}' blocks are not evaluated")
            func = FUNCTIONS.get(text)
            if func is None:
                raise _Unsupported(f"function '{text}' is not evaluated")
            args = [self.operand(t) for t in self.split_operands(toks[1:])] + piped
            try:
                return func(*args)
            except (TypeError, ValueError, IndexError) as exc:
                raise _Unsupported(f"'{text}' failed: {exc}") from exc
        if len(toks) > 1 and not (toks[0] == ("punct", "(")):
            raise _Unsupported("arguments after a value are not evaluated")
        return self.operand(toks)

    def split_operands(self, toks: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
        groups: list[list[tuple[str, str]]] = []
        depth = 0
        for tok in toks:
            if depth == 0:
                groups.append([])
            groups[-1].append(tok)
            if tok == ("punct", "("):
                depth += 1
            elif tok == ("punct", ")"):
                depth -= 1
        return groups

    def operand(self, toks: list[tuple[str, str]]) -> Any:
        kind, text = toks[0]
        if kind == "punct" and text == "(":
            return self.pipeline(toks[1:-1])
        if kind == "str":
            return (
                text[1:-1]
                if text[0] == "`"
                else bytes(text[1:-1], "utf-8").decode("unicode_escape")
            )
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "ident":
            return {"true": True, "false": False, "nil": None}.get(text)
        if kind == "field":
            return self.lookup(text)
        if kind == "var" and text == "$":
            return self.data
        raise _Unsupported(f"'{text}' is not evaluated")

    def lookup(self, dotted: str) -> Any:
        if dotted == ".":
            return self.data
        value = _field(self.data, dotted.strip(".").split("."))
        if value is _ABSENT:
            self.out.undefined.append((dotted, self.offset))
            return None
        return value


_ABSENT = object()


def _field(data: Any, path: Sequence[str]) -> Any:
    """The value at a field path such as ("vars", "stage"); _ABSENT when a step is missing or
    not a map."""
    value = data
    for key in path:
        if not isinstance(value, Mapping):
            return _ABSENT
        try:
            value = value[key]
        except KeyError:
            return _ABSENT
    return value


@lru_cache(maxsize=256)
def _field_only(text: str) -> tuple[tuple[str, tuple[str, ...] | None, int], ...] | None:
    """`text` as (literal, field path, offset) pieces when every action is a bare field lookup
    such as `{{ .vars.stage }}` (the usual name_template); None otherwise."""
    pieces: list[tuple[str, tuple[str, ...] | None, int]] = []
    pos = 0
    for m in _ACTION.finditer(text):
        if m.group(1) or m.group(3):
            return None
        body = m.group(2).strip()
        if not re.fullmatch(r"(?:\.[A-Za-z_][A-Za-z0-9_]*)+", body):
            return None
        pieces.append((text[pos : m.start()], tuple(body[1:].split(".")), m.start()))
        pos = m.end()
    if "{{" in text[pos:]:
        return None
    pieces.append((text[pos:], None, len(text)))
    return tuple(pieces)


def _render_fields(
    pieces: tuple[tuple[str, tuple[str, ...] | None, int], ...], data: Mapping[str, Any]
) -> Rendered:
    out = Rendered("")
    parts: list[str] = []
    for literal, path, offset in pieces:
        parts.append(literal)
        if path is None:
            continue
        value = _field(data, path)
        if value is _ABSENT:
            out.undefined.append(("." + ".".join(path), offset))
            value = None
        parts.append(_to_str(value))
    out.text = "".join(parts)
    return out


def fields_read(text: str) -> tuple[tuple[str, ...], ...] | None:
    """The field paths `text` reads when it does nothing but bare field lookups; None when it
    does more (then what it reads is only known by rendering it)."""
    pieces = _field_only(text)
    if pieces is None:
        return None
    return tuple(path for _, path, _ in pieces if path is not None)


def render(text: str, data: Mapping[str, Any]) -> Rendered:
    """Render `text`; raises TemplateSyntaxError where Go's parser would fail."""
    fields = _field_only(text)
    if fields is not None:
        return _render_fields(fields, data)
    out = Rendered("")
    pieces: list[str] = []
    pos = 0
    for m in _ACTION.finditer(text):
        before = text[pos : m.start()]
        if m.group(1):
            before = before.rstrip()
        pieces.append(before)
        body = m.group(2).strip()
        if body.startswith("/*") and body.endswith("*/"):
            pos = m.end()
            continue
        evaluator = _Evaluator(data, out, m.start())
        try:
            toks = evaluator.tokens(body)
            if not toks:
                raise TemplateSyntaxError("missing value for command", m.start())
            value = evaluator.pipeline(toks)
            pieces.append(_to_str(value))
        except _Unsupported as exc:
            out.unsupported.append((str(exc), m.start()))
            pieces.append(m.group(0))
        pos = m.end()
        if m.group(3):
            rest = text[pos:]
            pos += len(rest) - len(rest.lstrip())
    tail = text[pos:]
    if "{{" in tail:
        raise TemplateSyntaxError("unclosed action", pos + tail.index("{{"))
    pieces.append(tail)
    out.text = "".join(pieces)
    return out


def is_template(text: str) -> bool:
    return "{{" in text
