"""Component and compliance schemas (STK301-STK303): checked on the final configuration, placed
on the value in the file that wrote it, reported once for every stack it breaks."""

from __future__ import annotations

import json

from stack_lsp.stacks import Stacks
from stack_lsp.validation import check

from tests.conftest import TreeFactory

ATMOS = """
base_path: "."
stacks:
  base_path: stacks
  included_paths: ["deploy/**/*"]
  name_pattern: "{stage}"
schemas:
  jsonschema:
    base_path: schemas
"""

VPC_SCHEMA = json.dumps(
    {
        "type": "object",
        "properties": {
            "vars": {
                "type": "object",
                "required": ["cidr_block"],
                "properties": {
                    "cidr_block": {
                        "type": "string",
                        "pattern": r"^\d+\.\d+\.\d+\.\d+/(1[6-9]|2[0-8])$",
                        "description": "an IPv4 CIDR between /16 and /28",
                    },
                    "nat_gateway_count": {"type": "integer", "maximum": 3},
                },
            }
        },
    }
)

CATALOG = """
components:
  terraform:
    vpc:
      settings:
        validation:
          vpc:
            schema_type: jsonschema
            schema_path: vpc.json
      vars:
        cidr_block: 10.0.0.0/33
"""


def stack(stage: str, extra: str = "") -> str:
    return f"import: [catalog/vpc]\nvars:\n  stage: {stage}\n{extra}"


def seen(stacks: Stacks) -> list[tuple[str, int, int, str, str]]:
    rel = stacks.ws.config.rel
    return [
        (rel(d.file), d.span.start_line + 1, d.span.start_col + 1, d.code, d.message)
        for d in check(stacks)
    ]


def test_finding_lands_in_the_catalog_once_for_all_stacks(tree: TreeFactory) -> None:
    stacks = tree(
        {
            "atmos.yaml": ATMOS,
            "schemas/vpc.json": VPC_SCHEMA,
            "stacks/catalog/vpc.yaml": CATALOG,
            **{f"stacks/deploy/{s}.yaml": stack(s) for s in ("dev", "prod", "qa", "stage")},
        }
    )
    found = check(stacks)
    assert seen(stacks) == [
        (
            "catalog/vpc.yaml",
            10,
            21,
            "STK301",
            'vars.cidr_block: "10.0.0.0/33" is not valid: an IPv4 CIDR between /16 and /28 '
            "(component vpc, schema vpc, 4 stacks: dev, prod, qa, …)",
        ),
    ]
    assert [r.message for r in found[0].related] == [
        "breaks stack dev",
        "breaks stack prod",
        "breaks stack qa",
        "breaks stack stage",
    ]
    assert stacks.ws.config.rel(found[0].related[0].file) == "deploy/dev.yaml"


def test_the_stack_that_overrides_the_value_is_named_alone(tree: TreeFactory) -> None:
    fix = "components:\n  terraform:\n    vpc:\n      vars:\n        cidr_block: 10.1.0.0/16\n"
    bad = "components:\n  terraform:\n    vpc:\n      vars:\n        nat_gateway_count: '2'\n"
    stacks = tree(
        {
            "atmos.yaml": ATMOS,
            "schemas/vpc.json": VPC_SCHEMA,
            "stacks/catalog/vpc.yaml": CATALOG,
            "stacks/deploy/dev.yaml": stack("dev", fix + bad[bad.index("        nat") :]),
            "stacks/deploy/prod.yaml": stack("prod"),
        }
    )
    assert seen(stacks) == [
        (
            "catalog/vpc.yaml",
            10,
            21,
            "STK301",
            'vars.cidr_block: "10.0.0.0/33" is not valid: an IPv4 CIDR between /16 and /28 '
            "(component vpc, schema vpc, stack prod)",
        ),
        (
            "deploy/dev.yaml",
            9,
            28,
            "STK301",
            'vars.nat_gateway_count must be an integer, not "2" (component vpc, schema vpc, '
            "stack dev)",
        ),
    ]


def test_missing_required_value_lands_on_the_parent_key(tree: TreeFactory) -> None:
    catalog = CATALOG.replace("        cidr_block: 10.0.0.0/33\n", "        name: x\n")
    stacks = tree(
        {
            "atmos.yaml": ATMOS,
            "schemas/vpc.json": VPC_SCHEMA,
            "stacks/catalog/vpc.yaml": catalog,
            "stacks/deploy/dev.yaml": stack("dev"),
        }
    )
    assert seen(stacks) == [
        (
            "catalog/vpc.yaml",
            9,
            7,
            "STK301",
            "vars: required key 'cidr_block' is missing (component vpc, schema vpc, stack dev)",
        ),
    ]


def test_compliance_schema_by_file_stem(tree: TreeFactory) -> None:
    soc2 = json.dumps({"properties": {"vars": {"required": ["audit_logging"]}}})
    mixin = """
        settings:
          validation:
            controls:
              schema_type: jsonschema
              schema_path: compliance/soc2.schema.json
    """
    stacks = tree(
        {
            "atmos.yaml": ATMOS,
            "schemas/compliance/soc2.schema.json": soc2,
            "stacks/mixins/soc2.yaml": mixin,
            "stacks/deploy/dev.yaml": """
            import: [mixins/soc2]
            vars:
              stage: dev
            components:
              terraform:
                vpc:
                  vars: {}
        """,
        }
    )
    # `vars: {}` changes nothing: the final vars map is the stack's global one (line 2).
    assert seen(stacks) == [
        (
            "deploy/dev.yaml",
            2,
            1,
            "STK302",
            "vars: required key 'audit_logging' is missing "
            "(component vpc, schema controls, stack dev)",
        ),
    ]


def test_unusable_schema_and_late_values(tree: TreeFactory) -> None:
    catalog = CATALOG.replace("vpc.json", "missing.json").replace(
        "10.0.0.0/33", "!terraform.output net cidr"
    )
    stacks = tree(
        {
            "atmos.yaml": ATMOS,
            "schemas/vpc.json": VPC_SCHEMA,
            "stacks/catalog/vpc.yaml": catalog,
            "stacks/catalog/late.yaml": CATALOG.replace(
                "vpc:\n      settings", "late:\n      settings"
            ).replace("10.0.0.0/33", "'{{ .settings.cidr }}'"),
            "stacks/deploy/dev.yaml": "import: [catalog/vpc, catalog/late]\nvars:\n  stage: dev\n",
        }
    )
    assert seen(stacks) == [
        (
            "catalog/vpc.yaml",
            8,
            26,
            "STK303",
            "schema 'missing.json' of validation 'vpc' not found "
            "(looked up as schemas/missing.json)",
        ),
    ]


def test_abstract_components_are_not_checked(tree: TreeFactory) -> None:
    abstract = "      metadata:\n        type: abstract\n      settings:"
    catalog = CATALOG.replace("      settings:", abstract)
    stacks = tree(
        {
            "atmos.yaml": ATMOS,
            "schemas/vpc.json": VPC_SCHEMA,
            "stacks/catalog/vpc.yaml": catalog,
            "stacks/deploy/dev.yaml": stack("dev"),
        }
    )
    assert seen(stacks) == []
