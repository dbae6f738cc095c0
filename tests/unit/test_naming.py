"""Which files are stacks, and what they are called (Atmos's name precedence)."""

from __future__ import annotations

from tests.conftest import TreeFactory

C = "components: {terraform: {c: {vars: {}}}}\n"


def test_manifest_name_beats_template(tree: TreeFactory) -> None:
    stacks = tree({
        "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['**/*'], name_template: '{{ .vars.stage }}'}\n",
        "stacks/a.yaml": "name: custom-name\nvars: {stage: dev}\n" + C,
        "stacks/b.yaml": "vars: {stage: prod}\n" + C,
    })  # fmt: skip
    assert stacks.names() == ["custom-name", "prod"]


def test_name_pattern_keeps_only_atmos_tokens(tree: TreeFactory) -> None:
    stacks = tree({
        "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['**/*'], name_pattern: '{tenant}-{region}-{stage}'}\n",
        "stacks/a.yaml": "vars: {tenant: t1, region: us-east-1, stage: dev}\n" + C,
    })  # fmt: skip
    assert stacks.names() == ["t1-dev"]


def test_missing_name_var_is_an_error_on_the_stack_file(tree: TreeFactory) -> None:
    stacks = tree({
        "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['**/*'], name_pattern: '{tenant}-{stage}'}\n",
        "stacks/a.yaml": "vars: {stage: dev}\n" + C,
    })  # fmt: skip
    assert stacks.names() == []
    [diag] = stacks.diagnostics()
    assert diag.code == "STK206"
    assert diag.message == (
        "stack name for component 'c' cannot be computed: name_pattern needs var 'tenant', "
        "which this stack does not define"
    )


def test_template_with_undefined_var(tree: TreeFactory) -> None:
    stacks = tree({
        "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['**/*'], name_template: '{{ .vars.tenant }}-{{ .vars.stage }}'}\n",
        "stacks/a.yaml": "vars: {stage: dev}\n" + C,
    })  # fmt: skip
    [diag] = stacks.diagnostics()
    assert diag.code == "STK206" and "uses .vars.tenant" in diag.message


def test_path_is_the_name_without_pattern_or_template(tree: TreeFactory) -> None:
    stacks = tree({
        "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['orgs/**/*'], excluded_paths: ['**/_defaults.yaml']}\n",
        "stacks/orgs/acme/dev/us-east-1.yaml": "import: [orgs/acme/_defaults]\n" + C,
        "stacks/orgs/acme/_defaults.yaml": C,
        "stacks/orgs/acme/empty.yaml": "vars: {a: 1}\n",
        "stacks/catalog/not-a-stack.yaml": C,
    })  # fmt: skip
    # _defaults is excluded, catalog is not included, a stack without components is not listed
    assert stacks.names() == ["orgs/acme/dev/us-east-1"]


def test_same_name_same_component_defined_differently(tree: TreeFactory) -> None:
    stacks = tree({
        "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['**/*'], name_pattern: '{stage}'}\n",
        "stacks/a.yaml": "vars: {stage: dev}\ncomponents: {terraform: {c: {vars: {x: 1}}, d: {vars: {}}}}\n",
        "stacks/b.yaml": "vars: {stage: dev}\ncomponents: {terraform: {c: {vars: {x: 2}}, d: {vars: {}}}}\n",
    })  # fmt: skip
    assert stacks.names() == ["dev"]
    [diag] = stacks.diagnostics()
    assert diag.code == "STK205"
    assert diag.message == (
        "component 'c' in stack 'dev' is defined differently in a.yaml and b.yaml; give the "
        "files different stack names or make the definitions agree"
    )
    assert stacks.ws.config.rel(diag.file) == "b.yaml" and diag.span.start_line == 1


def test_default_configuration_fits_the_seed_layout(tree: TreeFactory, tmp_path: object) -> None:
    stacks = tree({
        "atmos.yaml": "",
        "stacks/deployments/fnx/dev/_stack.yaml": (
            "import: [./_defaults]\nvars: {tenant: fnx, account: dev, region: us-west-2, environment: e1}\n" + C
        ),
        "stacks/deployments/fnx/dev/_defaults.yaml": "vars: {x: 1}\n",
    })  # fmt: skip
    assert stacks.ws.config.included_paths == ()  # an empty atmos.yaml is a file: Atmos defaults
    from stack_lsp.config import from_mapping

    default = from_mapping({}, str(tmp_path), None, {})
    assert default.included_paths == ("deployments/**/*",)
    assert default.name_template is not None and "{{ .vars.tenant }}" in default.name_template
