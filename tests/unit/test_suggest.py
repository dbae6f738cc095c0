"""suggest: completion candidates from the manifest schema, component schemas and variables.tf."""

from __future__ import annotations

import textwrap
from pathlib import Path

from stack_lsp import suggest

from tests.conftest import TreeFactory
from tests.lsp.trees import SMALL


def test_terraform_variables_with_descriptions(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text(
        'variable "a" {\n  description = "first \\"one\\""\n}\nvariable "b" {}\n'
    )
    assert suggest.terraform_variables(str(tmp_path)) == {"a": 'first \\"one\\"', "b": ""}
    assert suggest.terraform_variables(str(tmp_path / "missing")) == {}


def test_manifest_schema_keys_and_enums() -> None:
    schema = suggest.manifest_schema()
    assert schema is not None
    top = suggest.schema_keys(suggest.schema_at(schema, ()))
    assert {"import", "vars", "components", "terraform"} <= top.keys()
    metadata = suggest.schema_at(schema, ("components", "terraform", "vpc", "metadata", "type"))
    assert suggest.schema_enums(metadata, schema) == ["abstract", "real"]


def test_component_schema_variables(tree: TreeFactory) -> None:
    files = dict(SMALL)
    files["atmos.yaml"] = textwrap.dedent(files["atmos.yaml"]) + (
        "schemas:\n  jsonschema:\n    base_path: schemas\n"
    )
    files["schemas/vpc.json"] = (
        '{"properties": {"vars": {"properties": {"az_count": {"description": "AZs", '
        '"enum": [2, 3]}}}}}'
    )
    files["stacks/catalog/vpc/defaults.yaml"] = textwrap.dedent(
        files["stacks/catalog/vpc/defaults.yaml"]
    ).replace(
        "      vars:\n",
        "      settings:\n        validation:\n          s:\n            schema_path: vpc.json\n"
        "      vars:\n",
        1,
    )
    stacks = tree(files)
    prod = str(Path(stacks.ws.config.stacks_base) / "deployments/acme/prod.yaml")
    text = (
        "import:\n  - catalog/vpc/production\n"
        "components:\n  terraform:\n    vpc:\n      vars:\n        \n"
    )
    found = suggest.complete(stacks, prod, text, 6, 8)
    assert [(s.label, s.documentation) for s in found.items] == [
        ("az_count", "AZs"),
        ("cidr_block", "The VPC address space"),
        ("nat_gateway_count", "How many NAT gateways"),
    ]
    text = text.replace("        \n", "        az_count: \n")
    found = suggest.complete(stacks, prod, text, 6, 18)
    assert [s.label for s in found.items] == ["2", "3"]
