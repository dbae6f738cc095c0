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


# ---- The full language, as Go's text/template evaluates it (pkg.go.dev/text/template) with the
# functions Atmos adds [cloudposse/atmos internal/exec/template_utils.go: Gomplate, then
# sprig.HermeticTxtFuncMap, then Atmos's own]. Expected values are what Go prints.

DATA = {
    "vars": {"tenant": "plat", "environment": "ue2", "stage": "dev", "count": 3,
             "zones": ["a", "b"], "tags": {"b": 2, "a": "x"}, "ratio": 2.5, "on": True,
             "nothing": [], "blank": ""},
    "settings": {"region": "us-east-2"},
    "atmos_component": "vpc",
    "atmos_stack": "plat-ue2-dev",
}  # fmt: skip

# Atmos's examples/quick-start-advanced atmos.yaml (current): the name_template uses $vars,
# if/else and fail.
QUICK_START_NAME = (
    '{{- $ns := "" -}}{{- $vars := .vars -}}'
    '{{- if and (hasKey $vars "tenant") (hasKey $vars "environment") (hasKey $vars "stage") -}}'
    '{{- printf "%s-%s-%s" $vars.tenant $vars.environment $vars.stage -}}'
    '{{- else -}}{{- fail "tenant, environment and stage are required" -}}{{- end -}}'
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (QUICK_START_NAME, "plat-ue2-dev"),
        ("{{ if eq .vars.stage \"prod\" }}p{{ else if eq .vars.stage \"dev\" }}d{{ else }}x{{ end }}", "d"),
        ("{{ with .settings.region }}{{ . }}{{ else }}none{{ end }}", "us-east-2"),
        ("{{ range .vars.zones }}[{{ . }}]{{ end }}", "[a][b]"),
        ("{{ range $i, $z := .vars.zones }}{{ $i }}={{ $z }} {{ end }}", "0=a 1=b "),
        # Maps range in sorted key order.
        ("{{ range $k, $v := .vars.tags }}{{ $k }}:{{ $v }};{{ end }}", "a:x;b:2;"),
        ("{{ range .vars.nothing }}x{{ else }}empty{{ end }}", "empty"),
        ("{{ range $i, $v := list 1 2 3 4 }}{{ if eq $v 2 }}{{ continue }}{{ end }}"
         "{{ if eq $v 4 }}{{ break }}{{ end }}{{ $v }}{{ end }}", "13"),
        ("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "2"),
        ("{{ $.vars.stage }}", "dev"),
        ("{{- /* a comment */ -}}  a  {{- \" b\" }}", "a b"),
        ('{{ define "n" }}<{{ . }}>{{ end }}{{ template "n" .vars.stage }}', "<dev>"),
        ('{{ block "b" .vars.tenant }}[{{ . }}]{{ end }}', "[plat]"),
        # Go's %v: maps as map[k:v] with sorted keys, lists as [a b], floats shortest.
        ("{{ .vars.tags }}", "map[a:x b:2]"),
        ("{{ .vars.zones }}", "[a b]"),
        ('{{ printf "%v|%d|%s|%q|%t|%.1f|%5s|%-3d|" .vars.tags .vars.count .vars.stage .vars.stage .vars.on .vars.ratio "ab" 7 }}',
         'map[a:x b:2]|3|dev|"dev"|true|2.5|   ab|7  |'),
        ("{{ 1000000.0 }} {{ 2.5 }} {{ 0.0001 }}", "1e+06 2.5 0.0001"),
        ('{{ print "a" 1 2 "b" }}', "a1 2b"),
        ('{{ println "a" 1 }}', "a 1\n"),
        ("{{ len .vars.zones }} {{ index .vars.zones 1 }} {{ index .vars.tags \"a\" }}", "2 b x"),
        ("{{ slice \"abcdef\" 1 3 }}", "bc"),
        ("{{ and 1 0 2 }} {{ or 0 \"\" \"z\" }} {{ not .vars.on }}", "0 z false"),
        ("{{ lt 1 2 }} {{ ge \"b\" \"a\" }} {{ ne .vars.stage \"dev\" }} {{ eq 2 1 2 }}", "true true false true"),
        ('{{ html "<a href=\'x\'>" }} {{ js "it\'s" }} {{ urlquery "a b&c" }}',
         "&lt;a href=&#39;x&#39;&gt; it\\'s a+b%26c"),
        # Escaped templates render once, to the template text (Atmos docs: templates/#escaping).
        ("{{`{{ .vars.stage }}`}}", "{{ .vars.stage }}"),
        # Sprig.
        ('{{ .vars.blank | default "fallback" }} {{ index .vars "missing" | default 1 }}', "fallback 1"),
        ("{{ empty .vars.zones }} {{ empty \"\" }}", "false true"),
        ('{{ coalesce "" .vars.stage "x" }} {{ ternary "y" "n" .vars.on }}', "dev y"),
        ('{{ "Hello World" | lower }} {{ "ab" | upper }} {{ title "hello world" }}', "hello world AB Hello World"),
        ('{{ trim "  x " }}|{{ trimSuffix "-z" "a-z" }}|{{ trimPrefix "a-" "a-z" }}|{{ trimAll "$" "$5$" }}', "x|a|z|5"),
        ('{{ replace "-" "_" "a-b-c" }} {{ "a,b" | splitList "," | join "+" }}', "a_b_c a+b"),
        ('{{ $p := split "." "a.b.c" }}{{ $p._1 }}', "b"),
        ('{{ contains "ue" .vars.environment }} {{ hasPrefix "pl" .vars.tenant }} {{ hasSuffix "v" .vars.stage }}', "true true true"),
        ('{{ quote .vars.stage }} {{ squote .vars.stage }}', "\"dev\" 'dev'"),
        ('{{ toJson .vars.tags }} {{ (fromJson "{\\"k\\": [1]}").k }}', '{"a":"x","b":2} [1]'),
        ('{{ $d := dict "a" 1 "b" 2 }}{{ get $d "b" }} {{ hasKey $d "c" }} {{ keys $d | sortAlpha }}', "2 false [a b]"),
        ('{{ $d := dict "a" 1 }}{{ $_ := set $d "z" 9 }}{{ $d }}', "map[a:1 z:9]"),
        ('{{ pick .vars.tags "a" }} {{ omit .vars.tags "a" }}', "map[a:x] map[b:2]"),
        ('{{ merge (dict "a" 1) (dict "a" 2 "b" 3) }}', "map[a:1 b:3]"),
        ("{{ add 1 2 3 }} {{ sub 5 2 }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 3 }} {{ max 1 5 2 }} {{ min 4 2 }}", "6 3 6 3 1 5 2"),
        ('{{ atoi "42" }} {{ int "7" }} {{ float64 "1.5" }} {{ toString 5 }}', "42 7 1.5 5"),
        ('{{ regexMatch "^u[a-z]+$" "ue" }} {{ regexReplaceAll "(a)(b)" "xaby" "${2}$1" }}', "true xbay"),
        ('{{ b64enc "atmos" }} {{ b64dec "YXRtb3M=" }}', "YXRtb3M= atmos"),
        ('{{ sha256sum "atmos" }}', "e680b99fc74f2cf2f3f64c1c637fc40dffb069545fe5f8a183c75510ca77ca5a"),
        ("{{ list 1 2 | first }} {{ list 1 2 | last }} {{ list 1 1 2 | uniq }} {{ list 1 2 | reverse }}", "1 2 [1 2] [2 1]"),
        # Gomplate's deterministic namespaces.
        ('{{ strings.ToUpper "ab" }} {{ conv.ToString 5 }} {{ "x" | strings.TrimSuffix "x" }}', "AB 5 "),
    ],
)
def test_go_template_language(text: str, expected: str) -> None:
    result = render(text, DATA)
    assert result.complete and not result.undefined, result
    assert result.text == expected


def test_fail_and_required_are_failures_at_their_position() -> None:
    result = render(QUICK_START_NAME, {"vars": {"stage": "dev"}})
    fail_action = QUICK_START_NAME.index('{{- fail')
    assert result.failed == [("tenant, environment and stage are required", fail_action)]
    assert result.text == QUICK_START_NAME  # as written: Atmos stops here
    assert render('{{ required "set the stage" .vars.stage }}', {"vars": {}}).failed[0][0] == "set the stage"


@pytest.mark.parametrize(
    "text",
    ['{{ env "HOME" }}', '{{ exec "ls" (list) }}', '{{ (atmos.Component "vpc" .stack).outputs.id }}',
     '{{ (datasource "ip").ip }}', "{{ now }}", '{{ atmos.Store "ssm" .stack "vpc" "id" }}', "{{ uuidv4 }}"],
)  # fmt: skip
def test_outside_world_functions_are_never_run(text: str) -> None:
    result = render(f"a-{text}-b", DATA)
    assert result.text == f"a-{text}-b"
    assert result.unsupported and "is not evaluated" in result.unsupported[0][0]
    assert not result.complete


def test_execution_errors_and_bounds() -> None:
    assert render("{{ .vars.stage.x }}", DATA).errors == [("can't evaluate field x in type string", 0)]
    assert render("{{ index .vars.zones 5 }}", DATA).errors[0][0].startswith("error calling index")
    looping = '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}'
    assert "nested deeper than 64" in (render(looping, {}).bound or "")
    big = "{{ range until 100000 }}{{ range until 100000 }}x{{ end }}{{ end }}"
    assert render(big, {}).bound is not None


@pytest.mark.parametrize(
    "text", ["{{ if .a }}x", "{{ end }}", "{{ else }}", "{{ .a | }}", "{{ (.a }}", '{{ "x }}', "{{ $x = }}"]
)
def test_more_syntax_errors(text: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        render(text, {"a": 1})
