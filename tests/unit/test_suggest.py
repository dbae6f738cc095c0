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


def test_import_completion_is_capped_and_marked_incomplete(tmp_path: Path) -> None:
    """A tree with thousands of importable files: the best MAX_IMPORTS, and a flag so the
    client asks again as the user types; typing a folder narrows to it."""
    from stack_lsp import suggest
    from tests.conftest import load_stacks, write_tree

    files = {f"stacks/mixins/m{i:04d}.yaml": "vars: {}\n" for i in range(suggest.MAX_IMPORTS + 50)}
    files["stacks/catalog/only/x.yaml"] = "vars: {}\n"
    files["stacks/deploy/dev.yaml"] = "import:\n  - \n"
    stacks = load_stacks(write_tree(tmp_path, files))
    dev = str(tmp_path / "stacks/deploy/dev.yaml")
    found = suggest.complete(stacks, dev, "import:\n  - \n", 1, 4)
    assert len(found.items) == suggest.MAX_IMPORTS and found.incomplete
    assert found.items[0].label == "catalog/only/x"  # catalogs rank first
    narrowed = suggest.complete(stacks, dev, "import:\n  - catalog/\n", 1, 12)
    assert [i.label for i in narrowed.items] == ["catalog/only/x"] and not narrowed.incomplete
