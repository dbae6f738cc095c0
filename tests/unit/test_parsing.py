"""Text → positioned tree: positions, YAML 1.2, tags kept, every problem a diagnostic."""

from __future__ import annotations

from stack_lsp.parsing import decode, parse


def test_every_key_and_value_knows_its_range() -> None:
    doc = parse("f.yaml", "vars:\n  region: us-east-1\n  zones: [a, b]\n")
    assert doc.root is not None
    region = doc.root.find(("vars", "region"))
    assert region is not None
    assert region.source.path == ("vars", "region")
    assert region.source.key_span is not None
    assert (region.source.key_span.start_line, region.source.key_span.start_col) == (1, 2)
    assert (region.source.span.start_line, region.source.span.start_col, region.source.span.end_col) == (1, 10, 19)
    zone = doc.root.find(("vars", "zones", 1))
    assert zone is not None and zone.data == "b"
    assert (zone.source.span.start_line, zone.source.span.start_col) == (2, 13)


def test_yaml_1_2_scalars() -> None:
    doc = parse("f.yaml", "a: yes\nb: 0o17\nc: 0x1F\nd: ~\ne: true\nf: 1.5\ng: '010'\n")
    assert doc.root is not None
    assert doc.root.plain() == {"a": "yes", "b": 15, "c": 31, "d": None, "e": True, "f": 1.5, "g": "010"}


def test_atmos_tags_are_kept_never_evaluated() -> None:
    text = "a: !exec rm -rf /\nb: !terraform.output vpc .id\nc: !env HOME\nd: !include ../../etc/passwd\n"
    doc = parse("f.yaml", text)
    assert doc.diagnostics == []
    assert doc.root is not None
    assert doc.root.plain() == {
        "a": "!exec rm -rf /",
        "b": "!terraform.output vpc .id",
        "c": "!env HOME",
        "d": "!include ../../etc/passwd",
    }
    a = doc.root.get("a")
    assert a is not None and (a.tag, a.data) == ("!exec", "rm -rf /")


def test_unknown_tag_is_reported_on_the_tag() -> None:
    doc = parse("f.yaml", "vars:\n  x: !bogus 1\n")
    [diag] = doc.diagnostics
    assert diag.code == "STK003"
    assert (diag.span.start_line, diag.span.start_col, diag.span.end_col) == (1, 5, 11)
    assert "'!bogus'" in diag.message


def test_syntax_error_has_exact_position_and_no_tree() -> None:
    doc = parse("f.yaml", "vars:\n  a: 1\n b: [1, 2\n")
    assert doc.root is None
    [diag] = doc.diagnostics
    assert diag.code == "STK001"
    assert diag.message.startswith("YAML syntax error: ")
    assert diag.span.start_line == 2


def test_duplicate_key_points_at_the_second_and_names_the_first() -> None:
    doc = parse("f.yaml", "vars:\n  a: 1\n  b: 2\n  a: 3\n")
    [diag] = doc.diagnostics
    assert diag.code == "STK002"
    assert (diag.span.start_line, diag.span.start_col) == (3, 2)
    assert diag.message == "duplicate key 'a' (first defined on line 2); remove one of them"
    assert doc.root is not None and doc.root.plain() == {"vars": {"a": 3, "b": 2}}


def test_alias_expansion_is_bounded() -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    doc = parse("bomb.yaml", "\n".join(lines) + "\n")
    assert doc.root is None
    [diag] = doc.diagnostics
    assert diag.code == "STK005"
    assert "alias expansion" in diag.message


def test_binary_large_and_non_utf8_files_are_refused() -> None:
    assert decode("f", b"a: 1\x00\x01")[1][0].message == "binary file (contains NUL bytes); skipped"
    text, [big] = decode("f", b"a: 1\n" * 100, max_bytes=100)
    assert text is None and big.code == "STK004" and "over the 100-byte limit" in big.message
    text, [bad] = decode("f", b"a: 1\nb: \xff\n")
    assert text is None and bad.span.start_line == 1 and "not valid UTF-8" in bad.message
    assert decode("f", "a: é\n".encode()) == ("a: é\n", [])


def test_empty_document() -> None:
    doc = parse("f.yaml", "# only a comment\n")
    assert doc.root is None and doc.diagnostics == []
