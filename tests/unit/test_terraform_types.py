"""Terraform's type language and conversion rules, as tables: what converts to a declared type
and what does not. The primitive rules are go-cty's (cty/convert/conversion_primitive.go: a
number or bool is a valid string; a string that `big.ParseFloat` reads in base 10 is a valid
number, as is a bool; "true", "false", "1" and "0" are valid bools); collections and structural
types convert element by element (cty/convert/conversion_collection.go,
conversion_object.go, conversion_tuple.go)."""

from __future__ import annotations

import pytest
from stack_lsp.parsing import parse
from stack_lsp.terraform import (
    EXTRA_ATTRIBUTE,
    MISMATCH,
    MISSING_ATTRIBUTE,
    TypeSyntaxError,
    conform,
    parse_type,
    plainly_conforms,
)
from stack_lsp.tree import Value


def value(yaml: str) -> Value:
    root = parse("/t.yaml", f"v: {yaml}\n").mapping()
    assert root is not None
    found = root.get("v")
    assert found is not None
    return found


CONVERTS = [
    ("hello", "string"),
    ("3", "string"),
    ("true", "string"),
    ("1.5", "string"),
    ("null", "string"),
    ('"3"', "number"),
    ('"-2.5e3"', "number"),
    ('"+7"', "number"),
    ("42", "number"),
    ("true", "number"),
    ('"true"', "bool"),
    ('"false"', "bool"),
    ('"1"', "bool"),
    ('"0"', "bool"),
    ("false", "bool"),
    ("[a, b]", "list(string)"),
    ("[1, '2']", "list(number)"),
    ("[a, a]", "set(string)"),
    ("{a: 1, b: true}", "map(string)"),
    ("{}", "map(number)"),
    ("[x, 2]", "tuple([string, number])"),
    ("{a: x}", "object({ a = string, b = optional(number) })"),
    ("{a: {b: [1]}}", "object({ a = object({ b = list(number) }) })"),
    ("[{n: x}, {n: y, s: '24'}]", "list(object({ n = string, s = optional(number, 24) }))"),
    ("{x: [1, 2]}", "map(list(number))"),
    ("{x: anything, y: [1]}", "any"),
    ("[1, [2]]", "any"),
    ("!env NUMBER", "number"),
    ("'{{ .vars.size }}'", "number"),
    ("!terraform.output vpc id", "list(string)"),
    ("[null]", "list(string)"),
]


@pytest.mark.parametrize(("yaml", "type_text"), CONVERTS)
def test_converts(yaml: str, type_text: str) -> None:
    assert list(conform(value(yaml), parse_type(type_text))) == []


REFUSED = [
    ("abc", "number", MISMATCH, (), 'the string "abc" is not a number'),
    ('"3 apples"', "number", MISMATCH, (), 'the string "3 apples" is not a number'),
    ('"0x10"', "number", MISMATCH, (), 'the string "0x10" is not a number'),
    ("[1]", "number", MISMATCH, (), "a list is not a number"),
    ('"yes"', "bool", MISMATCH, (), 'the string "yes" is not a bool'),
    ("1", "bool", MISMATCH, (), "the number 1 is not a bool"),
    ('"TRUE"', "bool", MISMATCH, (), 'the string "TRUE" is not a bool'),
    ("{a: 1}", "string", MISMATCH, (), "a map is not a string"),
    ("[a]", "string", MISMATCH, (), "a list is not a string"),
    ("{a: 1}", "list(string)", MISMATCH, (), "a map is not a list (list(string))"),
    ("a", "set(string)", MISMATCH, (), 'the string "a" is not a list (set(string))'),
    ("[a]", "map(string)", MISMATCH, (), "a list is not a map (map(string))"),
    ("[1, x]", "list(number)", MISMATCH, (1,), 'the string "x" is not a number'),
    ("{a: [1]}", "map(string)", MISMATCH, ("a",), "a list is not a string"),
    (
        "[x]",
        "tuple([string, number])",
        MISMATCH,
        (),
        "a list of 1 items is not a tuple([string, number]) (2 items)",
    ),
    ("[x, y]", "tuple([string, number])", MISMATCH, (1,), 'the string "y" is not a number'),
    (
        "{b: 1}",
        "object({ a = string, b = optional(number) })",
        MISSING_ATTRIBUTE,
        (),
        "required attribute 'a' (string) is missing",
    ),
    (
        "{a: x, c: 1}",
        "object({ a = string })",
        EXTRA_ATTRIBUTE,
        ("c",),
        "attribute 'c' is not part of object({ a = string }); Terraform drops it",
    ),
    (
        "{a: {b: x}}",
        "object({ a = object({ b = list(number) }) })",
        MISMATCH,
        ("a", "b"),
        'the string "x" is not a list (list(number))',
    ),
    (
        "[{n: x, s: big}]",
        "list(object({ n = string, s = optional(number, 24) }))",
        MISMATCH,
        (0, "s"),
        'the string "big" is not a number',
    ),
]


@pytest.mark.parametrize(("yaml", "type_text", "kind", "path", "message"), REFUSED)
def test_does_not_convert(
    yaml: str, type_text: str, kind: str, path: tuple[str | int, ...], message: str
) -> None:
    found = [(m.kind, m.path, m.message) for m in conform(value(yaml), parse_type(type_text))]
    assert found == [(kind, path, message)]


TYPES = [
    ("string", "string"),
    ('"string"', "string"),  # Terraform 0.11 quoted types
    ("list", "list(any)"),
    ("map", "map(any)"),
    ("${map(string)}", "map(string)"),
    (
        "object({a=string, b=optional(list(number), [1, 2])})",
        "object({ a = string, b = optional(list(number), [1, 2]) })",
    ),
    # python-hcl2's rendering: attributes as JSON-like text, nested `${...}` left unescaped
    (
        '${object({"a": "string", "b": "${optional(list(object({"x": "bool"})))}"})}',
        "object({ a = string, b = optional(list(object({ x = bool }))) })",
    ),
    ('${object({"name": "${optional(string, "x")}"})}', 'object({ name = optional(string, "x") })'),
    ("tuple([string, set(number)])", "tuple([string, set(number)])"),
]


@pytest.mark.parametrize(("text", "shown"), TYPES)
def test_type_expressions(text: str, shown: str) -> None:
    assert str(parse_type(text)) == shown


@pytest.mark.parametrize(
    "text",
    ["list(foo)", "object({a string})", "map(string", "tuple([)", "list(" * 5000 + "string"],
)
def test_what_is_not_a_type(text: str) -> None:
    with pytest.raises(TypeSyntaxError):
        parse_type(text)


@pytest.mark.parametrize(("yaml", "type_text", "kind", "path", "message"), REFUSED)
def test_the_quick_check_never_passes_what_does_not_convert(
    yaml: str, type_text: str, kind: str, path: tuple[str | int, ...], message: str
) -> None:
    assert not plainly_conforms(value(yaml), parse_type(type_text))


def test_the_quick_check_passes_the_common_shapes() -> None:
    quick = [(y, t) for y, t in CONVERTS if plainly_conforms(value(y), parse_type(t))]
    assert len(quick) >= 20  # scalars and lists/maps of scalars; the rest is walked by conform
