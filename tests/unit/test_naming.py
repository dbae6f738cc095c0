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


def test_missing_name_var_names_the_stack_after_its_file(tree: TreeFactory) -> None:
    # `describe stacks` falls back to the file name when name_pattern cannot be filled
    # [internal/exec/describe_stacks_component_processor.go resolveStackName]; a var that is
    # not a string does not count [pkg/config/utils.go GetContextFromVars].
    stacks = tree({
        "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['**/*'], name_pattern: '{tenant}-{stage}'}\n",
        "stacks/a.yaml": "vars: {stage: dev}\n" + C,
        "stacks/catalog/b.yaml": "vars: {tenant: 1, stage: dev}\n" + C,
        "stacks/c.yaml": "vars: {tenant: t, stage: dev}\n" + C,
    })  # fmt: skip
    assert stacks.names() == ["a", "catalog/b", "t-dev"]
    found = sorted((d.severity.label, d.code, d.message) for d in stacks.diagnostics())
    assert found == [
        (
            "info",
            "STK135",
            "name_pattern needs var 'tenant', which component 'c' does not have: Atmos names its "
            "stack after the file, 'a'",
        ),
        (
            "info",
            "STK135",
            "name_pattern needs var 'tenant', which component 'c' does not have: Atmos names its "
            "stack after the file, 'catalog/b'",
        ),
    ]


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
