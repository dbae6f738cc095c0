"""recover: half-typed buffers made parseable by blanking lines, syntax errors kept."""

from __future__ import annotations

from stack_lsp.parsing import parse
from stack_lsp.recover import recover


def test_a_valid_buffer_is_left_alone() -> None:
    assert recover("f.yaml", "vars:\n  a: 1\n") == ("vars:\n  a: 1\n", [])


def test_a_word_being_typed_is_blanked_not_the_next_key() -> None:
    text = "components:\n  terraform:\n    vpc:\n      vars:\n        na\n        cidr: x\n"
    analysed, syntax = recover("f.yaml", text)
    assert analysed.split("\n")[4] == ""
    assert analysed.split("\n")[5] == "        cidr: x"
    assert [d.code for d in syntax] == ["STK001"]
    assert parse("f.yaml", analysed).root is not None


def test_an_unclosed_flow_list_is_blanked_and_lines_keep_their_numbers() -> None:
    text = "import:\n  - a\nvars:\n  bad: [unclosed\n"
    analysed, syntax = recover("f.yaml", text)
    assert analysed == "import:\n  - a\nvars:\n\n"
    assert syntax and syntax[0].span.start_line == 4


def test_beyond_repair_the_text_is_kept() -> None:
    text = 'import:\n  - "cat\nvars:\n  a: 1\n'
    analysed, syntax = recover("f.yaml", text)
    assert analysed == text and syntax
