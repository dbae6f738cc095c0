"""The Go template subset: lookups and pure pipelines evaluate; the rest stays verbatim."""

from __future__ import annotations

import pytest

from stack_lsp.templates import TemplateSyntaxError, render


def test_lookups_and_pipelines() -> None:
    data = {"vars": {"tenant": "fnx", "stage": "dev"}}
    assert render("{{ .vars.tenant }}-{{.vars.stage}}", data).text == "fnx-dev"
    assert render('{{ .vars.missing | default "x" }}', data).text == "x"
    assert render('{{ printf "%s-%s" .vars.tenant .vars.stage }}', data).text == "fnx-dev"
    assert render("{{ .vars.tenant | upper }}", data).text == "FNX"
    assert render("{{- .vars.tenant -}} \n x", data).text == "fnxx"


def test_undefined_value_renders_no_value_and_is_reported() -> None:
    result = render("a-{{ .vars.nope }}", {"vars": {}})
    assert result.text == "a-<no value>"
    assert result.undefined == [(".vars.nope", 2)]


def test_unsupported_constructs_stay_verbatim() -> None:
    result = render('{{ env "HOME" }} {{ if .a }}x{{ end }}', {"a": 1})
    assert result.text == '{{ env "HOME" }} {{ if .a }}x{{ end }}'
    assert [m for m, _ in result.unsupported][0] == "function 'env' is not evaluated"


@pytest.mark.parametrize("text", ["{{ unclosed", "foo: {{ .not-exist }}"])
def test_go_syntax_errors(text: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        render(text, {})
