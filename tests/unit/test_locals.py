"""File-scoped `locals` as Atmos resolves them, on trees built from Atmos's own fixtures and docs."""

from __future__ import annotations

from typing import Any

from stack_lsp.locals import file_locals
from stack_lsp.parsing import parse
from stack_lsp.queries import key_in_stack
from tests.conftest import TreeFactory

TEMPLATES_ON = """
stacks:
  base_path: stacks
  included_paths: ["deploy/**/*"]
  excluded_paths: ["**/_defaults.yaml", "**/mixins/**"]
  name_template: "{{ .vars.environment }}-{{ .vars.stage }}"
templates:
  settings:
    enabled: true
    evaluations: 1
"""

# cloudposse/atmos tests/fixtures/scenarios/locals (atmos.yaml above, stacks/deploy/dev.yaml,
# stacks/mixins/region.yaml); values asserted in Atmos's tests/locals_test.go
# TestLocalsResolutionDev.
SCENARIO = {
    "atmos.yaml": TEMPLATES_ON,
    "stacks/mixins/region.yaml": """
        locals:
          mixin_region: "us-west-2"
          mixin_prefix: "mixin"
        vars:
          region: "us-west-2"
    """,
    "stacks/deploy/dev.yaml": """
        import:
          - mixins/region
        locals:
          namespace: "acme"
          environment: "dev"
          stage: "us-east-1"
          name_prefix: "{{ .locals.namespace }}-{{ .locals.environment }}"
          full_name: "{{ .locals.name_prefix }}-{{ .locals.stage }}"
          tags:
            Environment: "{{ .locals.environment }}"
            Namespace: "{{ .locals.namespace }}"
        vars:
          environment: "{{ .locals.environment }}"
          stage: "{{ .locals.stage }}"
        terraform:
          locals:
            tf_specific: "terraform-only"
            backend_bucket: "{{ .locals.namespace }}-{{ .locals.environment }}-tfstate"
          backend_type: s3
          backend:
            s3:
              encrypt: true
              bucket: "{{ .locals.backend_bucket }}"
              key: "terraform.tfstate"
              region: "us-east-1"
        components:
          terraform:
            mock/instance-1:
              metadata:
                component: mock
              vars:
                app_name: "{{ .locals.name_prefix }}-mock-instance-1"
                bar: "{{ .locals.environment }}"
                bucket: "{{ .locals.backend_bucket }}"
                tags: "{{ .locals.tags }}"
    """,
}


def _vars(stacks: Any, stack: str, component: str) -> dict[str, Any]:
    result: dict[str, Any] = stacks.find(stack, component).plain("vars")
    return result


def test_atmos_locals_scenario(tree: TreeFactory) -> None:
    stacks = tree(SCENARIO)
    assert stacks.names() == ["dev-us-east-1"]
    component = stacks.find("dev-us-east-1", "mock/instance-1")
    values = component.plain("vars")
    assert values["app_name"] == "acme-dev-mock-instance-1"
    assert values["bar"] == "dev"
    assert values["bucket"] == "acme-dev-tfstate"
    assert values["region"] == "us-west-2"  # from the mixin: vars inherit, locals do not
    assert values["tags"] == "map[Environment:dev Namespace:acme]"  # Go's %v of a map
    assert component.plain("backend")["bucket"] == "acme-dev-tfstate"
    assert component.section("locals") is None  # the stack's locals stay out of the output
    assert stacks.diagnostics() == []


def test_locals_are_file_scoped(tree: TreeFactory) -> None:
    files = dict(SCENARIO)
    files["stacks/deploy/dev.yaml"] += "            leak: '{{ .locals.mixin_region }}'\n"
    stacks = tree(files)
    assert _vars(stacks, "dev-us-east-1", "mock/instance-1")["leak"] == "{{ .locals.mixin_region }}"
    [diag] = stacks.diagnostics()
    assert diag.code == "STK107" and ".locals.mixin_region" in diag.message
    assert (stacks.ws.config.rel(diag.file), diag.span.start_line + 1) == ("deploy/dev.yaml", 36)


def test_locals_resolve_in_dependency_order_per_scope() -> None:
    # Atmos internal/exec/stack_processor_locals_test.go TestProcessStackLocals_AllScopes, and
    # website/docs/stacks/locals.mdx "Dependency Resolution" (any order in the file).
    doc = parse("f.yaml", """
locals:
  full_name: "{{ .locals.name_prefix }}-{{ .locals.component }}"
  name_prefix: "{{ .locals.namespace }}-{{ .locals.environment }}"
  namespace: acme
  environment: prod
  component: vpc
  global_var: global-value
terraform:
  locals:
    tf_var: "{{ .locals.global_var }}-terraform"
helmfile:
  locals:
    hf_var: "{{ .locals.global_var }}-helmfile"
packer:
  locals:
    pk_var: "{{ .locals.global_var }}-packer"
""")  # fmt: skip
    assert doc.root is not None
    found = file_locals(doc.root)
    assert found.diagnostics == []
    assert found.by_scope[""]["full_name"] == "acme-prod-vpc"
    assert found.by_scope["terraform"]["tf_var"] == "global-value-terraform"
    assert found.by_scope["terraform"]["global_var"] == "global-value"
    assert found.by_scope["helmfile"]["hf_var"] == "global-value-helmfile"
    assert found.by_scope["packer"]["pk_var"] == "global-value-packer"


def test_locals_see_settings_and_vars_of_the_same_file() -> None:
    # website/docs/stacks/locals.mdx "Accessing Other Sections".
    doc = parse("f.yaml", """
settings: {version: v1}
vars: {stage: dev}
locals:
  namespace: acme
  label: "{{ .locals.namespace }}-{{ .vars.stage }}-{{ .settings.version }}"
  log_level: '{{ if eq .locals.namespace "acme" }}warn{{ else }}debug{{ end }}'
""")  # fmt: skip
    assert doc.root is not None
    found = file_locals(doc.root).by_scope[""]
    assert (found["label"], found["log_level"]) == ("acme-dev-v1", "warn")


def test_local_cycle_is_one_error_at_the_local(tree: TreeFactory) -> None:
    # Atmos internal/exec/stack_processor_locals_test.go TestExtractAndResolveLocals_CycleDetection
    # ("circular dependency"); pkg/locals/resolver.go formats the cycle as "a → b → a".
    stacks = tree({
        "atmos.yaml": TEMPLATES_ON,
        "stacks/deploy/dev.yaml": """
            locals:
              a: "{{ .locals.b }}"
              b: "{{ .locals.a }}"
            vars: {environment: ue2, stage: dev}
            components: {terraform: {c: {vars: {x: 1}}}}
        """,
    })  # fmt: skip
    [diag] = stacks.diagnostics()
    assert (diag.code, diag.span.start_line + 1) == ("STK110", 2)
    assert "a → b → a" in diag.message


def test_component_locals_inherit_from_bases(tree: TreeFactory) -> None:
    # website/docs/stacks/locals.mdx "Component-Level Locals": Global → Section → Base → Component.
    stacks = tree({
        "atmos.yaml": TEMPLATES_ON,
        "stacks/deploy/prod.yaml": """
            locals:
              environment: ue2
            vars: {environment: ue2, stage: prod}
            components:
              terraform:
                vpc/base:
                  metadata: {type: abstract}
                  locals:
                    vpc_type: standard
                    enable_nat: false
                vpc/production:
                  metadata:
                    inherits: [vpc/base]
                  locals:
                    vpc_type: production
                    enable_nat: true
                  vars:
                    name: "{{ .locals.vpc_type }}-vpc"
                    nat_enabled: "{{ .locals.enable_nat }}"
                    where: "{{ .locals.environment }}"
        """,
    })  # fmt: skip
    values = _vars(stacks, "ue2-prod", "vpc/production")
    assert (values["name"], values["nat_enabled"], values["where"]) == ("production-vpc", "true", "ue2")
    # Component-level locals show in the output, resolved (Atmos docs/fixes/locals: issue #2032).
    assert stacks.find("ue2-prod", "vpc/production").plain("locals") == {
        "vpc_type": "production",
        "enable_nat": True,
    }
    assert stacks.diagnostics() == []


def test_manifest_name_from_locals(tree: TreeFactory) -> None:
    stacks = tree({
        "atmos.yaml": TEMPLATES_ON,
        "stacks/deploy/dev.yaml": """
            name: "{{ .locals.environment }}-{{ .locals.stage }}"
            locals: {environment: nonprod, stage: dev}
            components: {terraform: {c: {vars: {x: 1}}}}
        """,
    })  # fmt: skip
    assert stacks.names() == ["nonprod-dev"]


def test_hover_shows_the_rendered_value_where_it_was_written(tree: TreeFactory) -> None:
    stacks = tree(SCENARIO)
    path = str(stacks.ws.config.stacks_base) + "/deploy/dev.yaml"
    found = key_in_stack(stacks, path, ("components", "terraform", "mock/instance-1", "vars", "app_name"))
    assert found is not None and found.stack == "dev-us-east-1"
    assert found.trace.final.value.plain() == "acme-dev-mock-instance-1"
    assert (found.trace.final.line, found.trace.final.layer) == (32, "inline")
