"""A bounded Go text/template evaluator for the templates Atmos puts in stack manifests.

It parses Go's template language (trim markers, comments, pipelines, variables, `if`/`with`/
`range`/`define`/`template`/`block`, `break`/`continue`) and evaluates it with Go's builtins and
the deterministic Sprig and Gomplate functions Atmos enables [internal/exec/template_utils.go,
template_funcs*.go]. Functions that reach the outside world (`env`, `exec`, `atmos.Component`,
data sources, clocks, randomness) are never run: the text stays as written and is reported as
unevaluated. `fail`/`required` become failures at their position. Evaluation is bounded in steps,
output size and depth; nothing is read or executed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .template_funcs import FUNCTIONS, OUTSIDE, FuncError, TemplateFail, go_kind, go_str, is_true

NO_VALUE = "<no value>"
MAX_STEPS = 200_000
MAX_OUTPUT = 1_000_000
MAX_DEPTH = 64


class TemplateSyntaxError(Exception):
    """The text is not a valid Go template (Atmos fails on it too)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(slots=True)
class Rendered:
    """The result of one render: the text, and what kept it from being exact."""

    text: str
    undefined: list[tuple[str, int]] = field(default_factory=list)
    """Fields the data does not hold (Go's `map has no entry for key`): they render as
    `<no value>`."""
    unsupported: list[tuple[str, int]] = field(default_factory=list)
    """Functions never run here (outside world, unknown): the whole text stays as written."""
    failed: list[tuple[str, int]] = field(default_factory=list)
    """`fail` / `required` messages: Atmos stops with them."""
    errors: list[tuple[str, int]] = field(default_factory=list)
    """Execution errors Go reports (wrong types, bad index)."""
    bound: str | None = None
    """Set when evaluation stopped at a step, output or depth bound."""

    @property
    def complete(self) -> bool:
        return not (self.unsupported or self.failed or self.errors or self.bound)


# ---- lexer ------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<str>"(?:[^"\\\n]|\\.)*"|`[^`]*`)
    | (?P<char>'(?:[^'\\]|\\.)+')
    | (?P<num>[-+]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+
                  |(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?)(?![A-Za-z0-9_.]))
    | (?P<decl>:=)
    | (?P<assign>=)
    | (?P<field>(?:\.[A-Za-z_][A-Za-z0-9_]*)+)
    | (?P<dot>\.)
    | (?P<var>\$[A-Za-z0-9_]*)
    | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<punct>[|(),])
    """,
    re.X,
)

Token = tuple[str, str, int, int]
"""kind, text, offset of its action (where findings point), position in the action."""
_VALUES = ("field", "var", "ident", "dot")


def _lex_action(body: str, base: int) -> list[Token]:
    toks: list[Token] = []
    pos = 0
    while pos < len(body):
        m = _TOKEN.match(body, pos)
        if m is None:
            raise TemplateSyntaxError(f"bad character {body[pos]!r} in action", base + pos)
        kind = m.lastgroup or ""
        if kind != "space":
            text = m.group(kind)
            signed_after_value = text[0] in "+-" and not body[pos - 1].isspace()
            if kind == "num" and toks and toks[-1][0] in _VALUES and signed_after_value:
                raise TemplateSyntaxError(f"bad character {text[0]!r} in action", base + pos)
            toks.append((kind, text, base, pos))
        pos = m.end()
    return toks


# ---- nodes ------------------------------------------------------------------------------


@dataclass(slots=True)
class Cmd:
    args: list[Any]
    offset: int


@dataclass(slots=True)
class Pipe:
    decl: list[str]
    assign: bool
    cmds: list[Cmd]
    offset: int


@dataclass(slots=True)
class Text:
    text: str


@dataclass(slots=True)
class Action:
    pipe: Pipe


@dataclass(slots=True)
class Branch:
    kind: str  # if | with | range
    pipe: Pipe
    body: list[Any]
    other: list[Any]


@dataclass(slots=True)
class Call:
    name: str
    pipe: Pipe | None
    offset: int


@dataclass(slots=True)
class Jump:
    kind: str  # break | continue
    offset: int


# Operand forms inside commands.
@dataclass(slots=True)
class Lit:
    value: Any


@dataclass(slots=True)
class Field:
    path: tuple[str, ...]
    offset: int


@dataclass(slots=True)
class Var:
    name: str
    path: tuple[str, ...]
    offset: int


@dataclass(slots=True)
class Func:
    name: str
    offset: int


@dataclass(slots=True)
class Chain:
    node: Any
    path: tuple[str, ...]
    offset: int


_DOT = Field((), 0)


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _Unsupported(Exception):
    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


class _Bound(Exception):
    pass


class _ExecError(Exception):
    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


# ---- parser -----------------------------------------------------------------------------

_ACTION_RE = re.compile(r"\{\{(-[ \t\r\n])?(.*?)([ \t\r\n]-)?\}\}", re.S)


@dataclass(slots=True)
class Template:
    root: list[Any]
    defines: dict[str, list[Any]]


def _items(text: str) -> list[tuple[str, Any, int]]:
    """Text and action pieces, with trim markers applied."""
    out: list[tuple[str, Any, int]] = []
    pos = 0
    trim_next = False
    while True:
        start = text.find("{{", pos)
        if start < 0:
            literal = text[pos:]
            if trim_next:
                literal = literal.lstrip(" \t\r\n")
            out.append(("text", literal, pos))
            return out
        m = _match_action(text, start)
        literal = text[pos:start]
        if trim_next:
            literal = literal.lstrip(" \t\r\n")
        if m[0]:
            literal = literal.rstrip(" \t\r\n")
        out.append(("text", literal, pos))
        _, body, trim_right, end, _ = m
        stripped = body.strip()
        if not (stripped.startswith("/*") and stripped.endswith("*/")):
            out.append(("action", body, start))
        trim_next = trim_right
        pos = end


def _match_action(text: str, start: int) -> tuple[bool, str, bool, int, int]:
    """The action at `start`: (trim left, body, trim right, end). Quoted strings may hold `}}`."""
    i = start + 2
    trim_left = text[i : i + 1] == "-" and text[i + 1 : i + 2] in (" ", "\t", "\r", "\n")
    if trim_left:
        i += 2
    body_start = i
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\n":
                    raise TemplateSyntaxError("unterminated quoted string", i)
                i += 2 if text[i] == "\\" else 1
            i += 1
            continue
        if c == "`":
            close = text.find("`", i + 1)
            if close < 0:
                raise TemplateSyntaxError("unterminated raw quoted string", i)
            i = close + 1
            continue
        if c == "/" and text.startswith("/*", i):
            close = text.find("*/", i + 2)
            if close < 0:
                raise TemplateSyntaxError("unclosed comment", i)
            i = close + 2
            continue
        if text.startswith("}}", i):
            body = text[body_start:i]
            trim_right = len(body) >= 2 and body[-1] == "-" and body[-2] in " \t\r\n"
            if trim_right:
                body = body[:-2]
            return trim_left, body, trim_right, i + 2, body_start
        i += 1
    raise TemplateSyntaxError("unclosed action", start)


class _Parser:
    def __init__(self, text: str) -> None:
        self.items = _items(text)
        self.pos = 0
        self.defines: dict[str, list[Any]] = {}

    def parse(self) -> Template:
        root, end = self.list_until(())
        if end is not None:
            raise TemplateSyntaxError(f"unexpected {{{{{end[0]}}}}}", end[1])
        return Template(root, self.defines)

    def list_until(
        self, stops: tuple[str, ...]
    ) -> tuple[list[Any], tuple[str, int, list[Token]] | None]:
        nodes: list[Any] = []
        while self.pos < len(self.items):
            kind, payload, offset = self.items[self.pos]
            self.pos += 1
            if kind == "text":
                if payload:
                    nodes.append(Text(payload))
                continue
            toks = _lex_action(payload, offset)
            if not toks:
                raise TemplateSyntaxError("missing value for command", offset)
            word = toks[0][1] if toks[0][0] == "ident" else ""
            if word in ("end", "else"):
                if word not in stops:
                    raise TemplateSyntaxError(f"unexpected {{{{{word}}}}}", offset)
                return nodes, (word, offset, toks[1:])
            nodes.append(self.action(word, toks, offset))
        if stops:
            raise TemplateSyntaxError("unexpected EOF", len(self.items) and self.items[-1][2])
        return nodes, None

    def action(self, word: str, toks: list[Token], offset: int) -> Any:
        if word in ("if", "with", "range"):
            return self.branch(word, toks[1:], offset)
        if word in ("break", "continue"):
            return Jump(word, offset)
        if word == "define":
            name = self.name_of(toks, offset)
            body, _ = self.list_until(("end",))
            self.defines[name] = body
            return Text("")
        if word in ("template", "block"):
            name = self.name_of(toks, offset)
            pipe = self.pipe(toks[2:], offset) if len(toks) > 2 else None
            if word == "block":
                body, _ = self.list_until(("end",))
                self.defines.setdefault(name, body)
            return Call(name, pipe, offset)
        return Action(self.pipe(toks, offset))

    def name_of(self, toks: list[Token], offset: int) -> str:
        if len(toks) < 2 or toks[1][0] != "str":
            raise TemplateSyntaxError(f"{toks[0][1]} needs a quoted template name", offset)
        return str(_literal(toks[1]))

    def branch(self, kind: str, toks: list[Token], offset: int) -> Branch:
        pipe = self.pipe(toks, offset, allow_two=kind == "range")
        body, end = self.list_until(("end", "else"))
        other: list[Any] = []
        assert end is not None
        if end[0] == "else":
            rest = end[2]
            if rest and rest[0][0] == "ident" and rest[0][1] in ("if", "with") and kind != "range":
                other = [self.branch(rest[0][1], rest[1:], end[1])]
                return Branch(kind, pipe, body, other)
            if rest:
                raise TemplateSyntaxError("unexpected tokens after else", end[1])
            other, _ = self.list_until(("end",))
        return Branch(kind, pipe, body, other)

    def pipe(self, toks: list[Token], offset: int, allow_two: bool = False) -> Pipe:
        decl: list[str] = []
        assign = False
        i = 0
        # `$x :=`, `$x =`, `$i, $v :=`
        if toks and toks[0][0] == "var":
            if len(toks) > 1 and toks[1][0] in ("decl", "assign"):
                decl, assign, i = [toks[0][1]], toks[1][0] == "assign", 2
            elif (
                allow_two
                and len(toks) > 3
                and toks[1][1] == ","
                and toks[2][0] == "var"
                and toks[3][0] in ("decl", "assign")
            ):
                decl, assign, i = [toks[0][1], toks[2][1]], toks[3][0] == "assign", 4
        cmds: list[Cmd] = []
        current: list[Token] = []
        depth = 0
        for tok in toks[i:]:
            if tok[1] == "(" and tok[0] == "punct":
                depth += 1
            elif tok[1] == ")" and tok[0] == "punct":
                depth -= 1
                if depth < 0:
                    raise TemplateSyntaxError("unexpected right paren", tok[2])
            if tok[0] == "punct" and tok[1] == "|" and depth == 0:
                cmds.append(self.command(current, offset))
                current = []
                continue
            current.append(tok)
        if depth:
            raise TemplateSyntaxError("unclosed left paren", offset)
        cmds.append(self.command(current, offset))
        return Pipe(decl, assign, cmds, offset)

    def command(self, toks: list[Token], offset: int) -> Cmd:
        if not toks:
            raise TemplateSyntaxError("missing value for command", offset)
        args: list[Any] = []
        i = 0
        while i < len(toks):
            node, i = self.operand(toks, i, offset)
            args.append(node)
        return Cmd(args, toks[0][2])

    def operand(self, toks: list[Token], i: int, offset: int) -> tuple[Any, int]:
        kind, text, where, _ = toks[i]
        node: Any
        if kind == "punct" and text == "(":
            depth, j = 1, i + 1
            while j < len(toks) and depth:
                if toks[j][0] == "punct":
                    depth += {"(": 1, ")": -1}.get(toks[j][1], 0)
                j += 1
            node = self.pipe(toks[i + 1 : j - 1], where)
            i = j
        elif kind == "field":
            node, i = Field(tuple(text[1:].split(".")), where), i + 1
        elif kind == "dot":
            node, i = Field((), where), i + 1
        elif kind == "var":
            node, i = Var(text, (), where), i + 1
        elif kind == "ident":
            if text in ("true", "false"):
                node = Lit(text == "true")
            elif text == "nil":
                node = Lit(None)
            else:
                name = text
                j = i + 1
                # A namespaced function such as `strings.ToUpper` or `atmos.Component`.
                while j < len(toks) and toks[j][0] == "field" and _adjacent(toks[j - 1], toks[j]):
                    name += toks[j][1]
                    j += 1
                return Func(name, where), j
            i += 1
        elif kind in ("str", "char", "num"):
            node, i = Lit(_literal(toks[i])), i + 1
        else:
            raise TemplateSyntaxError(f"unexpected {text!r} in command", where)
        # A field chained on a value: `(pipeline).Field`, `$x.Field`.
        if i < len(toks) and toks[i][0] == "field" and _adjacent(toks[i - 1], toks[i]):
            path = tuple(toks[i][1][1:].split("."))
            if isinstance(node, Var):
                node = Var(node.name, path, node.offset)
            else:
                node = Chain(node, path, toks[i][2])
            i += 1
        return node, i


def _adjacent(before: Token, after: Token) -> bool:
    return after[3] == before[3] + len(before[1])


def _literal(tok: Token) -> Any:
    kind, text, where, _ = tok
    if kind == "str":
        if text[0] == "`":
            return text[1:-1]
        try:
            return (
                bytes(text[1:-1], "utf-8")
                .decode("unicode_escape")
                .encode("latin-1")
                .decode("utf-8")
            )
        except (UnicodeDecodeError, UnicodeEncodeError):
            return text[1:-1]
    if kind == "char":
        inner = bytes(text[1:-1], "utf-8").decode("unicode_escape")
        return ord(inner[0]) if inner else 0
    clean = text.replace("_", "")
    try:
        if re.fullmatch(r"[-+]?0[xXbBoO].*", clean):
            return int(clean, 0)
        if re.fullmatch(r"[-+]?\d+", clean):
            return int(clean)
        return float(clean)
    except ValueError:
        raise TemplateSyntaxError(f"bad number syntax: {text!r}", where) from None


@lru_cache(maxsize=1024)
def parse(text: str) -> Template:
    """The parsed template (cached: the same text renders for many components)."""
    return _Parser(text).parse()


# ---- evaluation -------------------------------------------------------------------------


class _State:
    def __init__(self, data: Any, out: Rendered, defines: dict[str, list[Any]]) -> None:
        self.root = data
        self.out = out
        self.defines = defines
        self.vars: list[tuple[str, Any]] = [("$", data)]
        self.parts: list[str] = []
        self.size = 0
        self.steps = 0
        self.depth = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Bound(f"evaluation stopped after {MAX_STEPS} steps")

    def emit(self, text: str) -> None:
        self.size += len(text)
        if self.size > MAX_OUTPUT:
            raise _Bound(f"output larger than {MAX_OUTPUT} characters")
        self.parts.append(text)

    def walk(self, nodes: list[Any], dot: Any) -> None:
        for node in nodes:
            self.step()
            if isinstance(node, Text):
                self.emit(node.text)
            elif isinstance(node, Action):
                value = self.pipe(node.pipe, dot)
                if not node.pipe.decl:
                    self.emit(NO_VALUE if value is None else go_str(value))
            elif isinstance(node, Branch):
                self.branch(node, dot)
            elif isinstance(node, Call):
                self.call(node, dot)
            elif isinstance(node, Jump):
                raise _Break() if node.kind == "break" else _Continue()

    def scoped(self, nodes: list[Any], dot: Any) -> None:
        mark = len(self.vars)
        try:
            self.walk(nodes, dot)
        finally:
            del self.vars[mark:]

    def branch(self, node: Branch, dot: Any) -> None:
        if node.kind == "range":
            self.range(node, dot)
            return
        mark = len(self.vars)
        try:
            value = self.pipe(node.pipe, dot, declare_only=True)
            if is_true(value):
                self.walk(node.body, value if node.kind == "with" else dot)
                return
        finally:
            del self.vars[mark:]
        self.scoped(node.other, dot)

    def range(self, node: Branch, dot: Any) -> None:
        mark = len(self.vars)
        try:
            value = self.pipe(node.pipe, dot, declare_only=True, bind=False)
            if isinstance(value, Mapping):
                pairs: list[tuple[Any, Any]] = [(k, value[k]) for k in sorted(value, key=_sort_key)]
            elif isinstance(value, list | tuple):
                pairs = list(enumerate(value))
            elif isinstance(value, int) and not isinstance(value, bool):
                pairs = [(i, i) for i in range(max(value, 0))]
            elif value is None:
                pairs = []
            else:
                raise _ExecError(f"range can't iterate over {go_str(value)}")
            if not pairs:
                del self.vars[mark:]
                self.scoped(node.other, dot)
                return
            names = node.pipe.decl
            for key, item in pairs:
                inner = len(self.vars)
                if len(names) == 1:
                    self.bind(names[0], item, node.pipe.assign)
                elif len(names) == 2:
                    self.bind(names[0], key, node.pipe.assign)
                    self.bind(names[1], item, node.pipe.assign)
                try:
                    self.walk(node.body, item)
                except _Break:
                    break
                except _Continue:
                    continue
                finally:
                    del self.vars[inner:]
        finally:
            del self.vars[mark:]

    def bind(self, name: str, value: Any, assign: bool) -> None:
        if assign:
            for i in range(len(self.vars) - 1, -1, -1):
                if self.vars[i][0] == name:
                    self.vars[i] = (name, value)
                    return
            raise _ExecError(f"undefined variable: {name}")
        self.vars.append((name, value))

    def call(self, node: Call, dot: Any) -> None:
        body = self.defines.get(node.name)
        if body is None:
            raise _ExecError(f'no such template "{node.name}"')
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Bound(f"templates nested deeper than {MAX_DEPTH}")
        value = self.pipe(node.pipe, dot) if node.pipe is not None else None
        saved = self.vars
        self.vars = [("$", value)]
        try:
            self.walk(body, value)
        finally:
            self.vars = saved
            self.depth -= 1

    def pipe(self, pipe: Pipe, dot: Any, declare_only: bool = False, bind: bool = True) -> Any:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Bound(f"expression nested deeper than {MAX_DEPTH}")
        try:
            value: Any = None
            for i, cmd in enumerate(pipe.cmds):
                value = self.command(cmd, dot, [value] if i else [])
            if pipe.decl and bind:
                self.bind(pipe.decl[0], value, pipe.assign)
            return value
        finally:
            self.depth -= 1

    def command(self, cmd: Cmd, dot: Any, piped: list[Any]) -> Any:
        self.step()
        head = cmd.args[0]
        if isinstance(head, Func):
            return self.function(head, cmd.args[1:], dot, piped)
        if len(cmd.args) > 1 or piped:
            raise _ExecError(f"can't give argument to non-function {_describe(head)}")
        return self.value(head, dot)

    def function(self, head: Func, args: list[Any], dot: Any, piped: list[Any]) -> Any:
        name = head.name
        if name in ("and", "or"):
            values = [*args, *[Lit(p) for p in piped]]
            result: Any = None
            for arg in values:
                result = self.value(arg, dot)
                if is_true(result) != (name == "and"):
                    return result
            return result
        if name in OUTSIDE or name.split(".")[0] in OUTSIDE:
            raise _Unsupported(f"function '{name}' is not evaluated", head.offset)
        func = FUNCTIONS.get(name)
        if func is None:
            raise _Unsupported(f"function '{name}' is not evaluated", head.offset)
        values = [self.value(a, dot) for a in args] + piped
        try:
            return func(*values)
        except TemplateFail as exc:
            self.out.failed.append((str(exc), head.offset))
            raise _Stop() from None
        except (FuncError, TypeError, ValueError, IndexError, KeyError, ZeroDivisionError) as exc:
            raise _ExecError(f"error calling {name}: {exc}", head.offset) from None

    def value(self, node: Any, dot: Any) -> Any:
        if isinstance(node, Lit):
            return node.value
        if isinstance(node, Field):
            return self.fields(dot, node.path, node.offset, "")
        if isinstance(node, Var):
            for name, value in reversed(self.vars):
                if name == node.name:
                    return self.fields(value, node.path, node.offset, node.name)
            raise _ExecError(f"undefined variable: {node.name}")
        if isinstance(node, Pipe):
            return self.pipe(node, dot)
        if isinstance(node, Chain):
            return self.fields(self.value(node.node, dot), node.path, node.offset, "")
        if isinstance(node, Func):
            return self.function(node, [], dot, [])
        raise _ExecError(f"can't evaluate {node!r}")

    def fields(self, value: Any, path: tuple[str, ...], offset: int, prefix: str) -> Any:
        for i, key in enumerate(path):
            if isinstance(value, Mapping):
                try:
                    value = value[key]
                except KeyError:
                    self.out.undefined.append((prefix + "." + ".".join(path[: i + 1]), offset))
                    return None
            elif value is None:
                self.out.undefined.append((prefix + "." + ".".join(path[: i + 1]), offset))
                return None
            else:
                raise _ExecError(f"can't evaluate field {key} in type {go_kind(value)}", offset)
        return value


class _Stop(Exception):
    """`fail` stopped the execution (the message is already recorded)."""


def _sort_key(key: Any) -> tuple[int, Any]:
    return (0, key) if isinstance(key, int | float) and not isinstance(key, bool) else (1, str(key))


def _describe(node: Any) -> str:
    if isinstance(node, Field):
        return "." + ".".join(node.path)
    if isinstance(node, Var):
        return node.name
    if isinstance(node, Lit):
        return go_str(node.value)
    return "value"


# ---- entry points -----------------------------------------------------------------------

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


_BARE = re.compile(r"\{\{\s*((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\}\}")


@lru_cache(maxsize=256)
def _field_only(text: str) -> tuple[tuple[str, tuple[str, ...] | None, int], ...] | None:
    """`text` as (literal, field path, offset) pieces when every action is a bare field lookup
    such as `{{ .vars.stage }}` (the usual name_template); None otherwise."""
    pieces: list[tuple[str, tuple[str, ...] | None, int]] = []
    pos = 0
    for m in _BARE.finditer(text):
        if "{{" in text[pos : m.start()]:
            return None
        pieces.append((text[pos : m.start()], tuple(m.group(1)[1:].split(".")), m.start()))
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
        parts.append(NO_VALUE if value is None else go_str(value))
    out.text = "".join(parts)
    return out


def fields_read(text: str) -> tuple[tuple[str, ...], ...] | None:
    """The field paths `text` reads when it does nothing but bare field lookups; None when it
    does more (then what it reads is only known by rendering it)."""
    pieces = _field_only(text)
    if pieces is None:
        return None
    return tuple(path for _, path, _ in pieces if path is not None)


def render(text: str, data: Any) -> Rendered:
    """Render `text` over `data`; raises TemplateSyntaxError where Go's parser would fail.
    When a function is not evaluated, a `fail` fires or a bound is hit, the text stays as
    written and the result says why."""
    fields = _field_only(text)
    if fields is not None:
        fast = _render_fields(fields, data)
        if not fast.undefined:
            return fast  # otherwise the full evaluator tells a missing key from a wrong type
    template = parse(text)
    out = Rendered("")
    state = _State(data, out, template.defines)
    try:
        state.walk(template.root, data)
        out.text = "".join(state.parts)
        return out
    except _Unsupported as exc:
        out.unsupported.append((str(exc), exc.offset))
    except _Bound as exc:
        out.bound = str(exc)
    except _ExecError as exc:
        out.errors.append((str(exc), exc.offset))
    except (_Break, _Continue):
        out.errors.append(("break or continue outside range", 0))
    except _Stop:
        pass
    except RecursionError:
        out.bound = f"expression nested deeper than {MAX_DEPTH}"
    out.text = text
    return out


def is_template(text: str) -> bool:
    return "{{" in text
