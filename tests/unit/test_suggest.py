"""suggest: completion candidates from the manifest schema, component schemas and variables.tf."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from stack_lsp import suggest
from stack_lsp.stacks import Stacks

from tests.conftest import TreeFactory, load_stacks, write_tree
from tests.lsp.trees import SMALL


@pytest.fixture
def small_stacks(tree: TreeFactory) -> Stacks:
    return tree(dict(SMALL))


def test_variables_from_the_terraform_module(small_stacks: Stacks) -> None:
    """Required variables first, each with its type (or default) and description."""
    prod = str(Path(small_stacks.ws.config.stacks_base) / "deployments/acme/prod.yaml")
    text = "components:\n  terraform:\n    vpc:\n      vars:\n        \n"
    found = suggest.complete(small_stacks, prod, text, 4, 8)
    assert [(s.label, s.detail, s.insert) for s in found.items] == [
        ("cidr_block", "string · required", "cidr_block: "),
        ("nat_gateway_count", "number · required", "nat_gateway_count: "),
        ("stage", "string · required", "stage: "),
        ("tenant", "string · required", "tenant: "),
        ("region", 'string = "us-east-1"', "region: "),
    ]
    assert found.items[0].documentation == (
        "The VPC address space\n\ndeclared in `components/terraform/vpc/variables.tf:1`"
    )


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
    # the module's variables first, then what only the schema names
    assert [s.label for s in found.items] == [
        "cidr_block",
        "nat_gateway_count",
        "stage",
        "tenant",
        "region",
        "az_count",
    ]
    assert found.items[-1].documentation == "AZs"
    text = text.replace("        \n", "        az_count: \n")
    found = suggest.complete(stacks, prod, text, 6, 18)
    assert [s.label for s in found.items] == ["2", "3"]


def imports(stacks: Stacks, path: str, typed: str) -> suggest.Suggestions:
    return suggest.complete(stacks, path, f"import:\n  - {typed}\n", 1, 4 + len(typed))


def test_import_completion_is_capped_and_marked_incomplete(tmp_path: Path) -> None:
    """A tree with thousands of importable files: the best MAX_IMPORTS, and a flag so the
    client asks again as the user types; typing a folder narrows to it."""
    files = {f"stacks/mixins/m{i:04d}.yaml": "vars: {}\n" for i in range(suggest.MAX_IMPORTS + 50)}
    files["stacks/catalog/only/x.yaml"] = "vars: {}\n"
    files["stacks/deploy/dev.yaml"] = "import:\n  - \n"
    stacks = load_stacks(write_tree(tmp_path, files))
    dev = str(tmp_path / "stacks/deploy/dev.yaml")
    found = imports(stacks, dev, "")
    assert len(found.items) == suggest.MAX_IMPORTS and found.incomplete
    assert found.items[0].label == "catalog/only/x"  # catalogs rank first
    narrowed = imports(stacks, dev, "catalog/")
    assert [i.label for i in narrowed.items] == ["catalog/only/x"] and not narrowed.incomplete


def test_capped_import_completion_offers_what_is_typed_first(tmp_path: Path) -> None:
    """Past MAX_IMPORTS, the names that start with the typed text come first: a file that ranks
    last (not a catalog, mixin or defaults) is offered as soon as its first letters are typed,
    relative names too."""
    files = {f"stacks/catalog/c{i:04d}.yaml": "vars: {}\n" for i in range(suggest.MAX_IMPORTS + 50)}
    files["stacks/_globals/globals.yaml"] = "vars: {}\n"
    files["stacks/deploy/_defaults.yaml"] = "vars: {}\n"
    files["stacks/deploy/dev.yaml"] = "import:\n  - \n"
    stacks = load_stacks(write_tree(tmp_path, files))
    dev = str(tmp_path / "stacks/deploy/dev.yaml")
    assert "_globals/globals" not in [i.label for i in imports(stacks, dev, "").items]
    found = imports(stacks, dev, "_g")
    assert found.items[0].label == "_globals/globals" and found.incomplete
    assert [i.sort for i in found.items[:2]] == ["03_globals/globals", "10catalog/c0000"]
    assert [i.label for i in imports(stacks, dev, "../_").items[:1]] == ["../_globals/globals"]
    assert [i.label for i in imports(stacks, dev, "./_").items[:1]] == ["./_defaults"]


def test_import_names_follow_created_and_deleted_files(tmp_path: Path) -> None:
    """The listing is kept until a file is created or deleted; the file being written is not
    offered, but a file of the same name with another extension is."""
    files = {
        "stacks/mixins/a.yaml": "vars: {}\n",
        "stacks/mixins/b.yaml": "vars: {}\n",
        "stacks/mixins/b.yml": "vars: {}\n",
        "stacks/deploy/dev.yaml": "import:\n  - \n",
    }
    stacks = load_stacks(write_tree(tmp_path, files))
    dev = str(tmp_path / "stacks/deploy/dev.yaml")
    b_yaml = str(tmp_path / "stacks/mixins/b.yaml")
    assert [(i.label, i.file) for i in imports(stacks, dev, "mixins/").items] == [
        ("mixins/a", str(tmp_path / "stacks/mixins/a.yaml")),
        ("mixins/b", b_yaml),
    ]
    found = imports(stacks, b_yaml, "mixins/").items
    assert [(i.label, i.file) for i in found][1:] == [
        ("mixins/b", str(tmp_path / "stacks/mixins/b.yml"))
    ]
    new = str(tmp_path / "stacks/mixins/c.yaml")
    stacks.ws.set_buffer(new, "vars: {}\n")
    assert [i.label for i in imports(stacks, dev, "mixins/").items] == [
        "mixins/a", "mixins/b", "mixins/c"]  # fmt: skip
    stacks.ws.close_buffer(new)
    (tmp_path / "stacks/mixins/a.yaml").unlink()
    stacks.ws.file_changed(str(tmp_path / "stacks/mixins/a.yaml"), created_or_deleted=True)
    assert [i.label for i in imports(stacks, dev, "mixins/").items] == ["mixins/b"]


def test_relative_import_names_are_relpaths(tmp_path: Path) -> None:
    """`./` and `../` names are what `os.path.relpath` gives, from any folder."""
    rels = ["a/b/c/_defaults.yaml", "a/b/x.yaml", "a/bb/y.yml", "z.yaml.tmpl", "a/b/c/d/e/f.yaml"]
    files = {f"stacks/{rel}": "vars: {}\n" for rel in rels}
    files["atmos.yaml"] = "stacks:\n  base_path: stacks\n  included_paths: ['none/**/*']\n"
    stacks = load_stacks(write_tree(tmp_path, files))
    for here in ("a/b/c", "a/b", "a/bb", "", "q"):
        writing = str(tmp_path / "stacks" / here / "stack.yaml")
        labels = {i.label for i in imports(stacks, writing, ".").items}
        expected = set()
        for rel in rels:
            name = os.path.relpath(tmp_path / "stacks" / rel, os.path.dirname(writing))
            name = name.removesuffix(".tmpl").removesuffix(".yaml").removesuffix(".yml")
            expected.add(name if name.startswith("../") else "./" + name)
        assert labels == expected, here


def test_import_documentation_is_the_file_head(small_stacks: Stacks) -> None:
    base = Path(small_stacks.ws.config.stacks_base)
    doc = suggest.file_documentation(small_stacks, str(base / "mixins/region.yaml"))
    assert doc == "```yaml\n# mixins/region.yaml\nvars:\n  region: us-east-1\n```"
    assert suggest.file_documentation(small_stacks, str(base.parent / "atmos.yaml")) == ""
