"""The Terraform contract (STK501-STK506): each deployed component's final vars against the
`variable` blocks of its module, on real Terraform modules (HCL and `.tf.json`), each finding at
its exact line; none on a valid tree. Conversion rules follow go-cty's
cty/convert/conversion_primitive.go (see tests/unit/test_terraform_types.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from stack_lsp.codes import CODES
from stack_lsp.stacks import Stacks
from stack_lsp.terraform import contract_of
from stack_lsp.validation import check

from tests.conftest import REPO, TreeFactory, load_stacks

ATMOS = """
base_path: "."
components:
  terraform:
    base_path: components/terraform
stacks:
  base_path: stacks
  included_paths: ["deploy/**/*"]
  name_pattern: "{stage}"
"""

VARIABLES_TF = """
variable "stage" {
  type = string
}

variable "replicas" {
  type    = number
  default = 1
}

variable "enabled" {
  type    = bool
  default = true
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "zones" {
  type    = list(string)
  default = []
}

variable "network" {
  type = object({
    cidr    = string
    subnets = optional(list(object({
      name = string
      size = optional(number, 24)
    })), [])
  })
  description = "Where the app runs"
}

variable "tier" {
  type     = string
  nullable = false
  validation {
    condition     = contains(["small", "large"], var.tier)
    error_message = "tier is small or large"
  }
}

variable "pair" {
  type    = tuple([string, number])
  default = ["a", 1]
}

variable "password" {
  type      = string
  default   = null
  sensitive = true
}
"""

OWNER_TF_JSON = """
{
  "variable": {
    "owner": {
      "type": "string",
      "description": "Who owns it"
    }
  }
}
"""

MODULES = {
    "atmos.yaml": ATMOS,
    "components/terraform/app/variables.tf": VARIABLES_TF,
    "components/terraform/app/owner.tf.json": OWNER_TF_JSON,
    "components/terraform/app/main.tf": "# resources are out of scope\n",
}

CATALOG = """
components:
  terraform:
    app/defaults:
      metadata:
        type: abstract
        component: app
      vars:
        replicas: "3"
        enabled: "true"
        zones: [a, b]
        network:
          cidr: 10.0.0.0/16
          subnets:
            - name: a
              size: "26"
"""


def contract(stacks: Stacks) -> list[tuple[str, int, int, str, str, str]]:
    rel = stacks.ws.config.rel
    return [
        (
            rel(d.file),
            d.span.start_line + 1,
            d.span.start_col + 1,
            d.severity.label,
            d.code,
            d.message,
        )
        for d in check(stacks)
        if d.code.startswith("STK5")
    ]


def test_the_contract_reads_hcl_and_json_variables(tree: TreeFactory) -> None:
    stacks = tree(MODULES)
    found = contract_of(stacks.ws, "app")
    assert found is not None and not found.broken
    variables = found.variables
    assert sorted(variables) == [
        "enabled",
        "network",
        "owner",
        "pair",
        "password",
        "replicas",
        "stage",
        "tags",
        "tier",
        "zones",
    ]
    network = variables["network"]
    assert network.line + 1 == 25 and network.file.endswith("variables.tf")
    assert str(network.type) == (
        "object({ cidr = string, subnets = optional(list(object({ name = string, "
        "size = optional(number, 24) })), []) })"
    )
    assert network.required and network.description == "Where the app runs"
    assert variables["tier"].nullable is False
    assert variables["tier"].validations[0].condition == 'contains(["small", "large"], var.tier)'
    assert variables["tier"].allowed_values() == ["small", "large"]
    assert variables["password"].sensitive and not variables["password"].required
    assert str(variables["pair"].type) == "tuple([string, number])"
    owner = variables["owner"]
    assert (owner.line + 1, owner.file.endswith("owner.tf.json"), owner.type_text) == (
        3,
        True,
        "string",
    )


def test_a_valid_tree_has_no_contract_finding(tree: TreeFactory) -> None:
    stacks = tree(
        {
            **MODULES,
            "stacks/catalog/app.yaml": CATALOG,
            "stacks/deploy/dev.yaml": """
            import: [catalog/app]
            vars:
              stage: dev
            components:
              terraform:
                app:
                  metadata:
                    inherits: [app/defaults]
                  vars:
                    tier: small
                    owner: "{{ .vars.stage }}-team"
                    pair: [x, "2"]
                    tags: {a: 1, b: true}
                    password: !env APP_PASSWORD
        """,
        }
    )
    assert contract(stacks) == []


BAD_STACK = """
vars:
  stage: bad
components:
  terraform:
    app:
      vars:
        replicas: many
        enabled: "yes"
        zones: {a: 1}
        tier: null
        network:
          subnets:
            - name: x
              size: [1]
              mask: 24
        pair: [x, 2, 3]
        tagz: {}
"""


APP_TF = "components/terraform/app/variables.tf"


def test_each_finding_at_the_line_that_wrote_it(tree: TreeFactory) -> None:
    stacks = tree({**MODULES, "stacks/deploy/bad.yaml": BAD_STACK})
    scope = "(component app, stack bad)"
    at = "written in stack " + scope
    network = (
        "object({ cidr = string, subnets = optional(list(object({ name = string, "
        "size = optional(number, 24) })), []) })"
    )
    assert contract(stacks) == [
        (
            "deploy/bad.yaml",
            5,
            5,
            "error",
            "STK503",
            "required variable 'owner' (string) of components/terraform/app is not set in vars; "
            f"declared at components/terraform/app/owner.tf.json:3 {scope}",
        ),
        (
            "deploy/bad.yaml",
            7,
            19,
            "error",
            "STK504",
            f"replicas: the string \"many\" is not a number; variable 'replicas' is number "
            f"({APP_TF}:5); {at}",
        ),
        (
            "deploy/bad.yaml",
            8,
            18,
            "error",
            "STK504",
            f"enabled: the string \"yes\" is not a bool; variable 'enabled' is bool ({APP_TF}:10); "
            f"{at}",
        ),
        (
            "deploy/bad.yaml",
            9,
            16,
            "error",
            "STK504",
            "zones: a map is not a list (list(string)); variable 'zones' is list(string) "
            f"({APP_TF}:20); {at}",
        ),
        (
            "deploy/bad.yaml",
            10,
            15,
            "error",
            "STK506",
            f"variable 'tier' is null, but {APP_TF}:36 declares it with nullable = false and no "
            f"default {scope}",
        ),
        (
            "deploy/bad.yaml",
            11,
            9,
            "error",
            "STK504",
            f"network: required attribute 'cidr' (string) is missing; variable 'network' is "
            f"{network} ({APP_TF}:25); {at}",
        ),
        (
            "deploy/bad.yaml",
            14,
            21,
            "error",
            "STK504",
            f"network.subnets[0].size: a list is not a number; variable 'network' is {network} "
            f"({APP_TF}:25); {at}",
        ),
        (
            "deploy/bad.yaml",
            15,
            15,
            "warning",
            "STK505",
            "network.subnets[0].mask: attribute 'mask' is not part of object({ name = string, "
            f"size = optional(number, 24) }}); Terraform drops it {scope}",
        ),
        (
            "deploy/bad.yaml",
            16,
            15,
            "error",
            "STK504",
            "pair: a list of 3 items is not a tuple([string, number]) (2 items); variable 'pair' "
            f"is tuple([string, number]) ({APP_TF}:45); {at}",
        ),
        (
            "deploy/bad.yaml",
            17,
            9,
            "warning",
            "STK502",
            "variable 'tagz' is not declared by components/terraform/app; did you mean 'tags', "
            f"'stage'? {scope}",
        ),
    ]


def test_a_value_from_a_catalog_names_its_layer_once_for_all_stacks(tree: TreeFactory) -> None:
    stacks = tree(
        {
            **MODULES,
            "stacks/catalog/app.yaml": CATALOG.replace('replicas: "3"', "replicas: three"),
            **{
                f"stacks/deploy/{stage}.yaml": f"""
                import: [catalog/app]
                vars:
                  stage: {stage}
                components:
                  terraform:
                    app:
                      metadata:
                        inherits: [app/defaults]
                      vars: {{tier: small, owner: me}}
            """
                for stage in ("dev", "prod")
            },
        }
    )
    assert contract(stacks) == [
        (
            "catalog/app.yaml",
            8,
            19,
            "error",
            "STK504",
            f"replicas: the string \"three\" is not a number; variable 'replicas' is number "
            f"({APP_TF}:5); written in catalog: app (inherited from app/defaults) "
            "(component app, 2 stacks: dev, prod)",
        ),
    ]


def test_a_broken_module_is_one_finding_and_its_vars_are_not_checked(tree: TreeFactory) -> None:
    stacks = tree(
        {
            **MODULES,
            "components/terraform/app/broken.tf": 'variable "x" {\n  type =\n}\n',
            "stacks/deploy/dev.yaml": """
            vars:
              stage: dev
            components:
              terraform:
                app:
                  vars:
                    replicas: many
        """,
        }
    )
    found = contract(stacks)
    # lark stops at the end of line 2, where `type =` lacks its value
    assert [
        (row[0].endswith("/components/terraform/app/broken.tf"), *row[1:5]) for row in found
    ] == [
        (True, 2, 9, "error", "STK501"),
    ]
    assert found[0][5].startswith("components/terraform/app/broken.tf does not parse (")


def test_abstract_disabled_and_remote_components_are_not_checked(tree: TreeFactory) -> None:
    stacks = tree(
        {
            **MODULES,
            "stacks/deploy/dev.yaml": """
            vars:
              stage: dev
            components:
              terraform:
                app/base:
                  metadata: {type: abstract, component: app}
                  vars: {replicas: many}
                app/off:
                  metadata: {enabled: false, component: app}
                  vars: {replicas: many}
                remote:
                  vars: {anything: 1}
        """,
        }
    )
    assert contract(stacks) == []


def test_severity_and_suppression_work_like_every_other_code(tree: TreeFactory) -> None:
    stacks = tree(
        {
            **MODULES,
            "atmos.yaml": ATMOS + "settings:\n  stack_lsp:\n    severity:\n      STK503: off\n"
            "      STK502: error\n",
            "stacks/deploy/dev.yaml": """
            vars:
              stage: dev
            components:
              terraform:
                app:
                  vars:
                    tier: small
                    replicas: many  # stack-lsp: ignore[STK504]
                    extra: 1
        """,
        }
    )
    assert [row[1:5] for row in contract(stacks)] == [(9, 9, "error", "STK502")]


def test_the_codes_are_in_the_catalogue_and_documented() -> None:
    documented = (REPO / "docs" / "ci.md").read_text()
    ours = sorted(c for c in CODES if c.startswith("STK5"))
    assert ours == ["STK501", "STK502", "STK503", "STK504", "STK505", "STK506"]
    for code in ours:
        assert f"| {code} | {CODES[code].severity.label} |" in documented


def test_the_bundled_components_are_real_modules() -> None:
    """Every component of stacks/ declares, with a type, what its stacks set (`--check stacks`
    is clean with the contract on: tests/cli/test_stacks_tree.py)."""
    stacks = load_stacks(REPO)
    base = Path(stacks.ws.config.terraform_base)
    for directory in sorted(p for p in base.iterdir() if p.is_dir()):
        found = contract_of(stacks.ws, directory.name)
        assert found is not None and not found.broken, directory
        untyped = [v.name for v in found.variables.values() if v.type_text == "any"]
        assert untyped == [], directory


def test_hostile_modules_never_crash_and_nothing_outside_is_read(
    tree: TreeFactory, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.tf"
    outside.write_text('variable "secret" {\n  type = string\n}\n')
    deep = "list(" * 5000 + "string" + ")" * 5000
    stacks = tree(
        {
            **MODULES,
            "components/terraform/app/deep.tf": f'variable "deep" {{\n  type = {deep}\n}}\n',
            "components/terraform/bin/variables.tf": "",
            "components/terraform/nested/variables.tf.json": "[" * 100_000 + "]" * 100_000,
            "stacks/deploy/dev.yaml": """
            vars:
              stage: dev
            components:
              terraform:
                app: {vars: {tier: small, owner: me}}
                bin: {vars: {x: 1}}
                nested: {vars: {x: 1}}
                linked: {vars: {x: 1}}
        """,
        }
    )
    root = Path(stacks.ws.config.base_path)
    (root / "components/terraform/bin/variables.tf").write_bytes(b"\x00\xff\xfe binary")
    (root / "components/terraform/linked").mkdir()
    (root / "components/terraform/linked/secret.tf").symlink_to(outside)
    found = {(Path(row[0]).name, row[4]) for row in contract(stacks)}
    assert found == {
        ("deep.tf", "STK501"),  # too deep for the HCL parser
        ("variables.tf", "STK501"),  # bin: not UTF-8
        ("variables.tf.json", "STK501"),  # nested: too deep
        ("secret.tf", "STK501"),  # linked: outside the workspace
    }
    linked = contract_of(stacks.ws, "linked")
    assert linked is not None and linked.variables == {}
    assert linked.broken[0].message == "cannot be read: it lies outside the workspace"
