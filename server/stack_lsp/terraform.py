"""The Terraform contract of a component directory: every `variable` block of its `.tf` and
`.tf.json` files (name, type, default, nullable, sensitive, description, validations, file:line),
and whether a YAML value conforms to a variable's type under Terraform's conversion rules.

HCL is read with python-hcl2 (imported on first use: most requests never need it). It renders
type expressions as strings (`${map(string)}`, objects as JSON-like text with nested quoted
types), so `parse_type` reads the type language from either that form or plain HCL (as
`.tf.json` files write it). Contracts are read once per directory and kept while the stamps of
the directory's Terraform files stay the same (`Contracts`). Nothing in a module is evaluated.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .components import Component
from .globs import inside
from .parsing import DEFAULT_MAX_BYTES
from .tree import Value
from .workspace import Workspace, stamp

TF_SUFFIXES = (".tf", ".tf.json")
PRIMITIVES = ("string", "number", "bool")
COLLECTIONS = ("list", "set", "map")


# ---- the type language ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attribute:
    """An attribute of an `object({...})` type; `optional(type, default)` ones may be left out."""

    name: str
    type: TfType
    optional: bool = False
    default: Any = None


@dataclass(frozen=True, slots=True)
class TfType:
    """A Terraform type: a primitive, `any`, a collection of `element`, an object of
    `attributes` or a tuple of `elements`."""

    kind: str
    element: TfType | None = None
    attributes: tuple[Attribute, ...] = ()
    elements: tuple[TfType, ...] = ()

    def __str__(self) -> str:
        if self.kind in COLLECTIONS:
            return f"{self.kind}({self.element})"
        if self.kind == "tuple":
            return f"tuple([{', '.join(map(str, self.elements))}])"
        if self.kind == "object":
            parts = []
            for a in self.attributes:
                shown = str(a.type)
                if a.optional:
                    extra = "" if a.default is None else f", {json.dumps(a.default)}"
                    shown = f"optional({shown}{extra})"
                parts.append(f"{a.name} = {shown}")
            return "object({ " + ", ".join(parts) + " })" if parts else "object({})"
        return self.kind

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)


ANY = TfType("any")


class TypeSyntaxError(ValueError):
    """A type expression that is not Terraform's type language."""


_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)'
    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_-]*)|(?P<punct>\$\{|[(){}\[\],:=]))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    """Tokens of a type expression; python-hcl2's nested `"${...}"` (whose inner quotes it
    does not escape) is one `string` token holding the JSON-quoted inner expression."""
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if text.startswith('"${', pos):
            end = _closing(text, pos + 2)
            out.append(("string", json.dumps(text[pos + 1 : end + 1])))
            pos = end + 2
            continue
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            if text[pos:].strip() == "":
                break
            raise TypeSyntaxError(f"unexpected {text[pos : pos + 10]!r}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


def _closing(text: str, start: int) -> int:
    """The index of the `}` closing the `{` at `start`, which a `"` must follow."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                if not text.startswith('"', i + 1):
                    break
                return i
    raise TypeSyntaxError("unbalanced ${ in a type expression")


def _unwrap(text: str) -> str:
    """`${expr}` → `expr` (python-hcl2 wraps every expression so)."""
    text = text.strip()
    if text.startswith("${") and text.endswith("}"):
        return text[2:-1].strip()
    return text


class _Reader:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(_unwrap(text))
        self.pos = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token[0] == "end" or (value is not None and token[1] != value):
            raise TypeSyntaxError(f"expected {value or 'more'}, found {token[1] or 'the end'}")
        self.pos += 1
        return token

    def done(self) -> None:
        if self.peek()[0] != "end":
            raise TypeSyntaxError(f"unexpected {self.peek()[1]!r}")


def parse_type(text: str) -> TfType:
    """A type expression (`list(object({ a = optional(string, "x") }))`) as a `TfType`."""
    try:
        reader = _Reader(text)
        found = _type(reader)
        reader.done()
    except RecursionError:
        raise TypeSyntaxError("type expression nested too deeply") from None
    return found


def _type(r: _Reader) -> TfType:
    kind, text = r.take()
    if kind == "string":
        return parse_type(json.loads(text))
    if kind != "ident":
        raise TypeSyntaxError(f"a type cannot start with {text!r}")
    if text in (*PRIMITIVES, "any"):
        return TfType(text)
    if text in COLLECTIONS:
        if r.peek()[1] != "(":
            return TfType(text, ANY)  # legacy `list`, `map`
        r.take("(")
        element = _type(r)
        r.take(")")
        return TfType(text, element)
    if text == "tuple":
        r.take("(")
        r.take("[")
        elements: list[TfType] = []
        while r.peek()[1] != "]":
            elements.append(_type(r))
            if r.peek()[1] == ",":
                r.take(",")
        r.take("]")
        r.take(")")
        return TfType("tuple", elements=tuple(elements))
    if text == "object":
        r.take("(")
        r.take("{")
        attributes: list[Attribute] = []
        while r.peek()[1] != "}":
            kind, name = r.take()
            if kind not in ("ident", "string"):
                raise TypeSyntaxError(f"an attribute name cannot be {name!r}")
            if r.peek()[1] not in ("=", ":"):
                raise TypeSyntaxError(f"expected = after {name}")
            r.take()
            attributes.append(_attribute(json.loads(name) if kind == "string" else name, r))
            if r.peek()[1] == ",":
                r.take(",")
        r.take("}")
        r.take(")")
        return TfType("object", attributes=tuple(attributes))
    raise TypeSyntaxError(f"unknown type {text!r}")


def _attribute(name: str, r: _Reader) -> Attribute:
    kind, text = r.peek()
    if kind == "string":
        r.take()
        inner = _Reader(json.loads(text))
        found = _attribute(name, inner)
        inner.done()
        return found
    if text != "optional":
        return Attribute(name, _type(r))
    r.take()
    r.take("(")
    chosen = _type(r)
    default: Any = None
    if r.peek()[1] == ",":
        r.take(",")
        default = _literal(r)
    r.take(")")
    return Attribute(name, chosen, True, default)


def _literal(r: _Reader) -> Any:
    """A constant default of `optional(type, default)`."""
    kind, text = r.take()
    if kind == "string":
        decoded = json.loads(text)
        return decoded if not decoded.startswith("${") else _literal(_Reader(decoded))
    if kind == "number":
        return json.loads(text)
    if kind == "ident":
        return {"true": True, "false": False, "null": None}.get(text, text)
    if text in ("[", "{"):
        closing = "]" if text == "[" else "}"
        items: list[Any] = []
        pairs: dict[str, Any] = {}
        while r.peek()[1] != closing:
            if text == "{":
                key = _literal(r)
                r.take()
                pairs[str(key)] = _literal(r)
            else:
                items.append(_literal(r))
            if r.peek()[1] == ",":
                r.take(",")
        r.take(closing)
        return items if text == "[" else pairs
    raise TypeSyntaxError(f"unexpected {text!r} in a default")


# ---- conversion ---------------------------------------------------------------------------------

# cty's ParseNumberVal: big.ParseFloat in base 10 (sign, digits, fraction, exponent, Inf).
_NUMBER = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eEpP][+-]?\d+)?|[Ii]nf)")


def converts(data: Any, kind: str) -> bool:
    """Whether a plain scalar converts to a primitive type, as go-cty's `convert` does
    (cty/convert/conversion_primitive.go): numbers and bools are valid strings; a string that
    parses as a decimal number is a valid number, as is a bool (true → 1); "true", "false",
    "1" and "0" are valid bools; nothing else converts."""
    if isinstance(data, dict | list):
        return False
    if kind == "string":
        return True
    if kind == "number":
        if isinstance(data, bool | int | float):
            return True
        return isinstance(data, str) and _NUMBER.fullmatch(data) is not None
    if kind == "bool":
        return isinstance(data, bool) or data in ("true", "false", "1", "0")
    return True


MISMATCH, MISSING_ATTRIBUTE, EXTRA_ATTRIBUTE = "mismatch", "missing", "extra"


@dataclass(frozen=True, slots=True)
class Mismatch:
    """Where a value breaks its type: `value` is the offending value (for a missing attribute,
    the object that lacks it), `path` its keys below the variable."""

    kind: str
    value: Value
    path: tuple[str | int, ...]
    expected: TfType
    message: str


def evaluated_late(value: Value) -> bool:
    """A YAML function or a Go template: Atmos fills it in later, so its type is unknown."""
    return value.tag is not None or (isinstance(value.data, str) and "{{" in value.data)


def describe(data: Any) -> str:
    if isinstance(data, bool):
        return f"the bool {'true' if data else 'false'}"
    if isinstance(data, int | float):
        return f"the number {data}"
    if isinstance(data, str):
        return f"the string {json.dumps(data)}"
    if isinstance(data, dict):
        return "a map"
    if isinstance(data, list):
        return "a list"
    return "null"


def plainly_conforms(value: Value, expected: TfType) -> bool:
    """A quick yes for the shapes most vars have (a scalar, or a list or map of scalars, of a
    primitive type), without `conform`'s walk; False means: ask `conform`."""
    kind = expected.kind
    data = value.data
    if kind == "any" or value.tag is not None:
        return True
    if kind in PRIMITIVES:
        return isinstance(data, str | int | float) and (converts(data, kind) or "{{" in str(data))
    element = expected.element
    if element is None or element.kind not in PRIMITIVES:
        return False
    items: Iterable[Value] | None
    if kind == "map":
        items = data.values() if isinstance(data, dict) else None
    else:
        items = data if isinstance(data, list) and kind in COLLECTIONS else None
    if items is None:
        return False
    wanted = element.kind
    return all(
        i.tag is not None or (isinstance(i.data, str | int | float) and converts(i.data, wanted))
        for i in items
    )


def conform(value: Value, expected: TfType, path: tuple[str | int, ...] = ()) -> Iterator[Mismatch]:
    """Every place `value` does not convert to `expected`. Null conforms to every type here
    (Terraform's `nullable` is the caller's question); late values are not judged."""
    data = value.data
    if data is None or expected.kind == "any" or evaluated_late(value):
        return
    kind = expected.kind
    if kind in PRIMITIVES:
        if not converts(data, kind):
            yield Mismatch(MISMATCH, value, path, expected, f"{describe(data)} is not a {kind}")
        return
    wants_list = kind in ("list", "set", "tuple")
    if wants_list != isinstance(data, list) or (not wants_list and not isinstance(data, dict)):
        what = "a list" if wants_list else "a map"
        yield Mismatch(
            MISMATCH, value, path, expected, f"{describe(data)} is not {what} ({expected})"
        )
        return
    if kind == "tuple":
        if len(data) != len(expected.elements):
            yield Mismatch(
                MISMATCH,
                value,
                path,
                expected,
                f"a list of {len(data)} items is not a {expected} ({len(expected.elements)} items)",
            )
            return
        for i, (item, element) in enumerate(zip(data, expected.elements, strict=True)):
            yield from conform(item, element, (*path, i))
        return
    if kind in COLLECTIONS:
        assert expected.element is not None
        items = enumerate(data) if isinstance(data, list) else data.items()
        for key, item in items:
            yield from conform(item, expected.element, (*path, key))
        return
    for attribute in expected.attributes:
        child = data.get(attribute.name)
        if child is None:
            if not attribute.optional:
                yield Mismatch(
                    MISSING_ATTRIBUTE,
                    value,
                    path,
                    attribute.type,
                    f"required attribute '{attribute.name}' ({attribute.type}) is missing",
                )
            continue
        yield from conform(child, attribute.type, (*path, attribute.name))
    declared = {a.name for a in expected.attributes}
    for key, child in data.items():
        if key not in declared:
            yield Mismatch(
                EXTRA_ATTRIBUTE,
                child,
                (*path, key),
                expected,
                f"attribute '{key}' is not part of {expected}; Terraform drops it",
            )


# ---- variables and contracts --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Validation:
    condition: str
    error_message: str
    line: int


@dataclass(frozen=True, slots=True)
class Variable:
    """One `variable` block; `line` is 0-based, `type_text` the type as written."""

    name: str
    type: TfType
    type_text: str
    file: str
    line: int
    has_default: bool = False
    default: Any = None
    nullable: bool = True
    sensitive: bool = False
    description: str = ""
    validations: tuple[Validation, ...] = ()

    @property
    def required(self) -> bool:
        return not self.has_default

    def allowed_values(self) -> list[Any]:
        """The values of a `contains([...], var.<name>)` validation, if any."""
        out: list[Any] = []
        for validation in self.validations:
            match = re.search(
                r"contains\(\s*\[(.*?)\]\s*,\s*var\." + re.escape(self.name) + r"\s*\)",
                validation.condition,
                re.DOTALL,
            )
            if match is None:
                continue
            try:
                items = json.loads(f"[{match.group(1).rstrip().rstrip(',')}]")
            except ValueError:
                continue
            out.extend(i for i in items if i not in out and not isinstance(i, dict | list))
        return out


@dataclass(frozen=True, slots=True)
class Broken:
    """A Terraform file that cannot be read; `line`/`col` 0-based."""

    file: str
    line: int
    col: int
    message: str


@dataclass(frozen=True, slots=True)
class Contract:
    directory: str
    variables: dict[str, Variable] = field(default_factory=dict)
    broken: tuple[Broken, ...] = ()

    def closest(self, name: str) -> list[str]:
        """Declared names close to a misspelt one, best first."""
        return difflib.get_close_matches(name, list(self.variables), n=3, cutoff=0.6)

    def required(self) -> list[Variable]:
        return [v for v in self.variables.values() if v.required]


def _files(directory: str) -> list[str]:
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [os.path.join(directory, n) for n in names if n.endswith(TF_SUFFIXES)]


def _read(path: str, root: str | None) -> str:
    if root is not None and not inside(path, root):
        raise OSError("it lies outside the workspace")
    if not os.path.isfile(path):
        raise OSError("is not a regular file")
    with open(path, "rb") as handle:
        raw = handle.read(DEFAULT_MAX_BYTES + 1)
    if len(raw) > DEFAULT_MAX_BYTES:
        raise OSError(f"is over the {DEFAULT_MAX_BYTES:,}-byte limit")
    return raw.decode("utf-8")


def read_contract(directory: str, root: str | None = None) -> Contract | None:
    """The contract of a directory, or None when its Terraform files declare no variable (no
    module there, or a stub). Files that resolve outside `root` (a symbolic link out of the
    workspace) are not read."""
    files = _files(directory)
    if not files:
        return None
    variables: dict[str, Variable] = {}
    broken: list[Broken] = []
    for path in files:
        try:
            text = _read(path, root)
            found = _json_variables(path, text) if path.endswith(".json") else _hcl(path, text)
        except (OSError, UnicodeDecodeError, RecursionError) as exc:
            broken.append(Broken(path, 0, 0, f"cannot be read: {exc}"))
            continue
        if isinstance(found, Broken):
            broken.append(found)
            continue
        for variable in found:
            variables.setdefault(variable.name, variable)
    if not variables and not broken:
        return None  # a stub (an empty main.tf): nothing to check against
    return Contract(directory, variables, tuple(broken))


def _hcl(path: str, text: str) -> list[Variable] | Broken:
    # imported here: a quarter of a second, paid only when a module is read
    from hcl2.api import loads
    from lark.exceptions import UnexpectedInput

    try:
        data = loads(text, with_meta=True)
    except UnexpectedInput as exc:
        first = str(exc).strip().split("\n", 1)[0]
        return Broken(path, max(exc.line - 1, 0), max(exc.column - 1, 0), first)
    except Exception as exc:  # the parser's transformer refuses some odd input
        return Broken(path, 0, 0, str(exc).split("\n", 1)[0])
    lines = text.split("\n")
    out: list[Variable] = []
    for block in data.get("variable", []) or []:
        if not isinstance(block, dict):
            continue
        for name, body in block.items():
            if isinstance(body, dict):
                out.append(_variable(path, name, body, lines))
    return out


def _variable(path: str, name: str, body: dict[str, Any], lines: list[str]) -> Variable:
    start = int(body.get("__start_line__", 1)) - 1
    raw = body.get("type")
    type_text = _unwrap(raw) if isinstance(raw, str) else "any"
    try:
        chosen = parse_type(raw) if isinstance(raw, str) else ANY
    except (TypeSyntaxError, ValueError):
        chosen = ANY
    else:
        type_text = str(chosen)
    validations: list[Validation] = []
    for item in body.get("validation", []) or []:
        if isinstance(item, dict):
            validations.append(_validation(item, lines))
    nullable = body.get("nullable", True)
    return Variable(
        name,
        chosen,
        type_text,
        path,
        start,
        "default" in body,
        body.get("default"),
        nullable is not False,
        body.get("sensitive") is True,
        str(body.get("description", "") or ""),
        tuple(validations),
    )


def _validation(item: dict[str, Any], lines: list[str]) -> Validation:
    """A validation block with its condition as written (python-hcl2 drops the quotes of
    strings inside expressions, so the text is taken from the file)."""
    first = int(item.get("__start_line__", 1)) - 1
    last = int(item.get("__end_line__", first + 1))
    condition = _unwrap(str(item.get("condition", "")))
    block = "\n".join(lines[first:last])
    match = re.search(r"\bcondition\s*=\s*(.*?)\s*(?:\n\s*\w+\s*=|\n\s*\}\s*$)", block, re.DOTALL)
    if match is not None:
        condition = match.group(1).strip()
    return Validation(condition, str(item.get("error_message", "")), first)


def _json_variables(path: str, text: str) -> list[Variable] | Broken:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Broken(path, exc.lineno - 1, exc.colno - 1, exc.msg)
    section = data.get("variable") if isinstance(data, dict) else None
    blocks = section if isinstance(section, list) else [section]
    out: list[Variable] = []
    lines = text.split("\n")
    for block in blocks:
        if not isinstance(block, dict):
            continue
        for name, body in block.items():
            if not isinstance(body, dict):
                continue
            line = _json_line(lines, name)
            validations = body.get("validation")
            items = validations if isinstance(validations, list) else [validations]
            shaped = dict(body, __start_line__=line + 1)
            shaped["validation"] = [
                dict(v, __start_line__=line + 1, __end_line__=line + 1)
                for v in items
                if isinstance(v, dict)
            ]
            out.append(_variable(path, name, shaped, []))
    return out


def _json_line(lines: list[str], name: str) -> int:
    """The line of `"name": {` after the `"variable"` key (the JSON decoder keeps no lines)."""
    after = next((i for i, line in enumerate(lines) if '"variable"' in line), 0)
    wanted = re.compile(r'"' + re.escape(name) + r'"\s*:')
    return next((i for i in range(after, len(lines)) if wanted.search(lines[i])), after)


# ---- the cache ----------------------------------------------------------------------------------


class Contracts:
    """Contracts by directory, read again only when one of its Terraform files changes, is
    added or goes; the files are looked at once per workspace generation."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[int, tuple[object, ...], Contract | None]] = {}
        self.directories: dict[str, str] = {}
        """Module directories by `metadata.component` (every stack asks for the same few)."""

    def get(self, directory: str, generation: int, root: str | None = None) -> Contract | None:
        cached = self._cache.get(directory)
        if cached is not None and cached[0] == generation:
            return cached[2]
        key = tuple((path, stamp(path)) for path in _files(directory))
        if cached is not None and cached[1] == key:
            self._cache[directory] = (generation, key, cached[2])
            return cached[2]
        contract = read_contract(directory, root) if key else None
        self._cache[directory] = (generation, key, contract)
        return contract


_CONTRACTS: weakref.WeakKeyDictionary[Workspace, Contracts] = weakref.WeakKeyDictionary()


def module_directory(ws: Workspace, terraform_component: str) -> str:
    return os.path.normpath(os.path.join(ws.config.terraform_base, terraform_component))


def shown(ws: Workspace, path: str) -> str:
    """A module path as users see it: relative to the base path (Terraform files lie outside
    the stacks base that `AtmosConfig.rel` counts from)."""
    return os.path.relpath(path, ws.config.base_path).replace(os.sep, "/")


def contract_of(ws: Workspace, terraform_component: str) -> Contract | None:
    """The contract of a Terraform component directory (`metadata.component`), or None when
    there is no local module there (a remote source, a missing directory)."""
    contracts = _CONTRACTS.get(ws)
    if contracts is None:
        contracts = _CONTRACTS[ws] = Contracts()
    directory = contracts.directories.get(terraform_component)
    if directory is None:
        directory = module_directory(ws, terraform_component)
        contracts.directories[terraform_component] = directory
    if not directory or not ws.in_workspace(directory):
        return None
    return contracts.get(directory, ws.generation, ws.root)


def component_contract(ws: Workspace, component: Component) -> Contract | None:
    """The contract of a component's module; None for Helmfile components, remote modules and
    modules that do not parse."""
    if component.kind != "terraform":
        return None
    contract = contract_of(ws, component.terraform_component)
    return contract if contract is not None and not contract.broken else None


def placeholder(chosen: TfType) -> str:
    """A YAML value of the type, for a variable the user has yet to fill in."""
    if chosen.kind == "string":
        return '""'
    if chosen.kind == "number":
        return "0"
    if chosen.kind == "bool":
        return "false"
    if chosen.kind in ("list", "set", "tuple"):
        return "[]"
    if chosen.kind == "object":
        needed = [f"{a.name}: {placeholder(a.type)}" for a in chosen.attributes if not a.optional]
        return "{" + ", ".join(needed) + "}"
    return "{}" if chosen.kind == "map" else "null"
