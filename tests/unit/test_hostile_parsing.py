"""Hostile text for the parser: nesting that would blow the C composer's stack, alias bombs,
recursive aliases, tags that other loaders execute. Each is a diagnostic, quickly, never a
crash. The deepest inputs run in a child process so that a regression fails one test instead
of killing the whole run with a segfault."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from stack_lsp import parsing
from stack_lsp.parsing import MAX_DEPTH, parse

DEEP = {
    "flow sequences": "[" * 100_000 + "]" * 100_000,
    "flow maps": "{a: " * 100_000 + "1" + "}" * 100_000,
    "compact block sequences": "- " * 100_000 + "x\n",
    "complex keys": "? " * 100_000 + "x\n",
    "indented maps": "".join(" " * i + "a:\n" for i in range(2_000)),
    "flow inside block": "a:\n  b: " + "[" * 50_000 + "]" * 50_000 + "\n",
}


def _parse_in_child(text: str) -> tuple[int, list[tuple[str, str, int, int]]]:
    script = (
        "import json, sys\n"
        "from stack_lsp.parsing import parse\n"
        "doc = parse('deep.yaml', sys.stdin.read())\n"
        "print(json.dumps({'root': doc.root is not None, 'diags': [(d.code, d.message, "
        "d.span.start_line, d.span.start_col) for d in doc.diagnostics]}))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], input=text, capture_output=True, text=True, timeout=60
    )
    if run.returncode != 0:
        return run.returncode, []
    out = json.loads(run.stdout)
    assert out["root"] is False
    return 0, [tuple(d) for d in out["diags"]]


@pytest.mark.parametrize("kind", list(DEEP))
def test_deep_nesting_is_a_diagnostic_not_a_crash(kind: str) -> None:
    started = time.perf_counter()
    code, diags = _parse_in_child(DEEP[kind])
    assert code == 0, f"the parser process died with {code} on {kind}"
    assert [(c, m) for c, m, _, _ in diags] == [
        ("STK005", f"nesting deeper than {MAX_DEPTH} levels")
    ]
    assert time.perf_counter() - started < 10


def test_deep_flow_nesting_points_at_the_first_level_too_deep(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "a: " + "[" * 201 + "]" * 201 + "\n"
    [diag] = parse("f.yaml", text).diagnostics
    assert diag.code == "STK005"
    assert (diag.span.start_line, diag.span.start_col) == (0, 3 + MAX_DEPTH)
    # the converter, without the pre-scan, draws the line at the same level
    monkeypatch.setattr(parsing, "_too_deep", lambda yaml, text: None)
    [same] = parse("f.yaml", text).diagnostics
    assert (same.code, same.message, same.span.start_col) == (
        diag.code,
        diag.message,
        3 + MAX_DEPTH,
    )


def test_nesting_up_to_the_limit_parses() -> None:
    depth = MAX_DEPTH
    doc = parse("f.yaml", "a: " + "[" * depth + "]" * depth + "\n")
    assert doc.diagnostics == [] and doc.root is not None


def test_many_balanced_brackets_are_not_mistaken_for_depth() -> None:
    text = "".join(f"k{i}: [a, {{b: [c]}}]\n" for i in range(500))
    doc = parse("f.yaml", text)
    assert doc.diagnostics == [] and doc.root is not None
    assert doc.root.plain()["k499"] == ["a", {"b": ["c"]}]


def test_a_billion_laughs_is_refused_at_once_on_the_line_that_explodes() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    started = time.perf_counter()
    doc = parse("bomb.yaml", "\n".join(lines) + "\n")
    elapsed = time.perf_counter() - started
    assert doc.root is None
    [diag] = doc.diagnostics
    assert (diag.code, diag.message) == ("STK005", "more than 200,000 values after alias expansion")
    assert diag.span.start_line == 5  # f: 9**6 values, the first anchor over the budget
    assert elapsed < 0.5


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: {c: *a}}\n"])
def test_a_recursive_alias_is_a_diagnostic(text: str) -> None:
    [diag] = parse("f.yaml", text).diagnostics
    assert diag.code == "STK005"
    assert diag.message == "recursive alias: an anchor contains an alias to itself"
    assert (diag.span.start_line, diag.span.start_col) == (0, 3)


def test_shared_anchors_within_budget_still_parse() -> None:
    text = "base: &b {x: 1, y: [1, 2]}\nc1: {<<: *b, z: 3}\nc2: *b\n"
    doc = parse("f.yaml", text)
    assert doc.diagnostics == []
    assert doc.root is not None
    assert doc.root.plain() == {
        "base": {"x": 1, "y": [1, 2]},
        "c1": {"z": 3, "x": 1, "y": [1, 2]},
        "c2": {"x": 1, "y": [1, 2]},
    }


def test_python_tags_are_never_constructed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "pwned"
    text = (
        f"a: !!python/object/apply:os.system ['touch {target}']\n"
        f"b: !!python/object/new:subprocess.Popen [['touch', '{target}']]\n"
        "c: !!python/name:os.system\n"
    )
    doc = parse("f.yaml", text)
    assert doc.diagnostics == []
    assert doc.root is not None
    assert doc.root.plain() == {
        "a": [f"touch {target}"],
        "b": [["touch", str(target)]],
        "c": "",
    }
    assert not target.exists()
