"""Property-based: random text, random bytes, random documents and random small trees (imports
among each other, cycles, globs, missing files, broken YAML, functions, templates) never crash
parsing, `Stacks(...).diagnostics()` or `validation.check(...)`, and every finding points into
a file of the tree."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stack_lsp import validation
from stack_lsp.parsing import decode, parse

from tests.conftest import load_stacks, write_tree

FAST = settings(
    max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
TREES = settings(
    max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)

YAMLISH = st.text(
    alphabet=st.sampled_from(
        [*list("abc:-[]{}&*!?|>'\"#%@` ,.\n\t0123456789"), "\x00", "é", "\ufeff"]
    ),
    max_size=300,
)


def _check_parse(text: str) -> None:
    doc = parse("f.yaml", text)
    for d in doc.diagnostics:
        assert d.code.startswith("STK") and d.span.start_line >= 0
    if doc.root is not None:
        doc.root.plain()


@FAST
@given(YAMLISH)
def test_random_yamlish_text_never_crashes_the_parser(text: str) -> None:
    _check_parse(text)


@FAST
@given(st.text(max_size=300))
def test_random_unicode_never_crashes_the_parser(text: str) -> None:
    _check_parse(text)


@FAST
@given(st.binary(max_size=300), st.integers(min_value=1, max_value=400))
def test_random_bytes_are_decoded_or_refused(raw: bytes, limit: int) -> None:
    text, problems = decode("f.yaml", raw, limit)
    assert (text is None) == bool(problems)
    assert all(p.code == "STK004" for p in problems)
    if text is not None:
        _check_parse(text)


# JSON is YAML, except for escaped surrogate pairs and raw line separators: leave those out
PRINTABLE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), PRINTABLE)
DOCS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(PRINTABLE, inner, max_size=4)
    ),
    max_leaves=30,
)


@FAST
@given(DOCS, st.sampled_from(["json", "tagged", "anchored"]))
def test_random_documents_parse_back(data: Any, style: str) -> None:
    text = json.dumps(data, ensure_ascii=False)
    if style == "tagged":
        text = text.replace(": ", ": !exec ", 1).replace("[", "!custom [", 1)
    elif style == "anchored" and text.startswith("{") and len(text) > 2:
        text = '{"_base": &b ' + text + ', "_copy": *b, "_more": [*b, *b]}'
    doc = parse("f.yaml", text)
    if style == "json":
        assert doc.diagnostics == []
        assert (doc.root is not None and doc.root.plain() == data) or (
            data is None and not doc.root
        )
    else:
        _check_parse(text)


NAMES = ["deploy/a", "deploy/b", "mixins/m1", "mixins/m2", "catalog/c"]
IMPORTS = st.sampled_from(
    [
        *NAMES,
        "mixins/*",
        "catalog/**/*",
        "deploy/*",
        "missing/x",
        "./m1",
        "../mixins/m2",
        "../../../../etc/passwd",
        "/etc/hostname",
        "{{ .vars.stage }}/x",
        "",
    ]
)
VALUES = st.sampled_from(
    [
        "1",
        "[1, 2]",
        "{a: 1}",
        "!exec echo hi",
        "!include ../../../etc/passwd",
        "'{{ .vars.stage }}'",
        "'{{ broken'",
        "null",
        "!unknown x",
    ]
)


@st.composite
def manifest(draw: st.DrawFn, stage: str) -> str:
    lines = []
    imports = draw(st.lists(IMPORTS, max_size=4))
    if imports:
        lines.append("import:")
        lines += [f"  - {json.dumps(i)}" if draw(st.booleans()) else f"  - path: {json.dumps(i)}"
                  for i in imports]  # fmt: skip
    lines.append("vars:")
    lines.append(f"  stage: {stage}")
    for key in draw(st.lists(st.sampled_from(["x", "y", "z", "tags"]), max_size=3)):
        lines.append(f"  {key}: {draw(VALUES)}")
    if draw(st.booleans()):
        base = draw(st.sampled_from(["vpc", "vpc/base", "eks", "nope"]))
        lines += [
            "components:",
            "  terraform:",
            f"    {draw(st.sampled_from(['vpc', 'eks', 'vpc/base']))}:",
            "      metadata:",
            f"        inherits: [{base}]",
            f"        type: {draw(st.sampled_from(['real', 'abstract', 'bogus']))}",
            "      vars:",
            f"        w: {draw(VALUES)}",
            f"    settings: {draw(VALUES)}",
        ]
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["overrides: {vars: {x: 2}}", "terraform: 3", "  bad"])))
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        cut = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:cut]  # half-typed
    return text


@st.composite
def trees(draw: st.DrawFn) -> dict[str, str]:
    files: dict[str, str] = {}
    for name in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True)):
        files[f"stacks/{name}.yaml"] = draw(manifest(name.rsplit("/", 1)[-1]))
    return files


@TREES
@given(trees())
def test_random_trees_never_crash_the_engine_or_validation(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_tree(Path(tmp), files)
        stacks = load_stacks(root)
        engine = stacks.diagnostics()
        found = validation.check(stacks)
        stacks.names()
        for d in [*engine, *found]:
            assert d.file.startswith(str(root)), d
            assert d.code.startswith("STK")
        assert all(d in found for d in engine if d.code in ("STK101", "STK102", "STK105"))
