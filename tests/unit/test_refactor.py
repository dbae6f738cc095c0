"""Refactoring edits (stack_lsp.refactor): moving manifests rewrites the imports that name them,
renaming a component or a key renames every place that names it; each edit changes one span."""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stack_lsp import locate, refactor
from stack_lsp.stacks import Stacks
from tests.conftest import TreeFactory, load_stacks, write_tree


def apply(refactoring: refactor.Refactoring) -> None:
    """Apply the edits to the files on disk, last position first."""
    by_file: dict[str, list[refactor.Edit]] = {}
    for edit in refactoring.edits:
        by_file.setdefault(edit.file, []).append(edit)
    for file, edits in by_file.items():
        lines = Path(file).read_text().split("\n")
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)
        text = "\n".join(lines)
        for edit in sorted(
            edits, key=lambda e: (e.span.start_line, e.span.start_col), reverse=True
        ):
            start = offsets[edit.span.start_line] + edit.span.start_col
            end = offsets[edit.span.end_line] + edit.span.end_col
            text = text[:start] + edit.text + text[end:]
        Path(file).write_text(text)


def move(root: Path, old: str, new: str) -> None:
    (root / new).parent.mkdir(parents=True, exist_ok=True)
    shutil.move(root / old, root / new)


def merged(stacks: Stacks) -> dict[str, Any]:
    """Every stack's components with their vars, settings, env and metadata."""
    out: dict[str, Any] = {}
    for path in stacks.ws.stack_files():
        stack = stacks.stack_file(path)
        for key in stack.keys():
            component = stack.component(key)
            name = stack.names.get(key, "?")
            out[f"{name}/{key.kind}/{key.name}"] = {
                section: value.plain() if value is not None else None
                for section, value in component.sections.items()
                if section in ("vars", "settings", "env", "metadata")
            }
    return out


TREE = {
    "stacks/catalog/vpc/defaults.yaml": """
        components:
          terraform:
            vpc/defaults:
              metadata:
                type: abstract
              vars:
                cidr: 10.0.0.0/16
        """,
    "stacks/catalog/vpc/prod.yaml": """
        import:
          - "catalog/vpc/defaults"
        components:
          terraform:
            vpc:
              metadata:
                inherits: [vpc/defaults]
              vars:
                nat: 2
        """,
    "stacks/deploy/prod.yaml": """
        import:
          - catalog/vpc/prod.yaml
          - path: ./_mixin
          - mixins/*
        vars:
          stage: prod
        """,
    "stacks/deploy/_mixin.yaml": """
        vars:
          region: us-east-1
        """,
    "stacks/mixins/tags.yaml": """
        vars:
          team: core
        """,
}


def test_moving_a_catalog_rewrites_each_import_in_its_own_style(tree: TreeFactory) -> None:
    stacks = tree(TREE)
    base = stacks.ws.config.stacks_base
    found = refactor.moves(
        stacks,
        [(f"{base}/catalog/vpc/defaults.yaml", f"{base}/catalog/network/vpc-defaults.yaml")],
    )
    assert [(os.path.relpath(e.file, base), e.span.start_line, e.text) for e in found.edits] == [
        # quoted and without extension before: quoted and without extension after
        ("catalog/vpc/prod.yaml", 1, '"catalog/network/vpc-defaults"'),
    ]
    assert found.notes == []


def test_moving_a_folder_rewrites_imports_into_it_and_relative_imports_out_of_it(
    tree: TreeFactory,
) -> None:
    stacks = tree(
        {
            **TREE,
            "stacks/catalog/vpc/prod.yaml": TREE["stacks/catalog/vpc/prod.yaml"].replace(
                '"catalog/vpc/defaults"', "./defaults"
            ),
            "stacks/shared/base.yaml": "vars: {x: 1}\n",
            "stacks/catalog/vpc/extra.yaml": "import:\n  - ../../shared/base\n",
        }
    )
    base = stacks.ws.config.stacks_base
    before = merged(stacks)
    found = refactor.moves(stacks, [(f"{base}/catalog/vpc", f"{base}/lib/net/vpc")])
    edits = sorted((os.path.relpath(e.file, base), e.text) for e in found.edits)
    assert edits == [
        # a relative import between two moved files stays as it is; one out of the folder
        # climbs one more level; the stack's import with extension keeps it
        ("catalog/vpc/extra.yaml", "../../../shared/base"),
        ("deploy/prod.yaml", "lib/net/vpc/prod.yaml"),
    ]
    apply(found)
    move(Path(base), "catalog/vpc", "lib/net/vpc")
    assert merged(load_stacks(Path(base).parent)) == before


def test_object_form_path_and_a_glob_that_stops_matching(tree: TreeFactory) -> None:
    stacks = tree(TREE)
    base = stacks.ws.config.stacks_base
    found = refactor.moves(
        stacks,
        [
            (f"{base}/deploy/_mixin.yaml", f"{base}/mixins/region/_mixin.yaml"),
            (f"{base}/mixins/tags.yaml", f"{base}/labels/tags.yaml"),
        ],
    )
    assert [(os.path.relpath(e.file, base), e.span.start_line, e.text) for e in found.edits] == [
        ("deploy/prod.yaml", 2, "../mixins/region/_mixin")
    ]
    assert found.notes == [
        "deploy/prod.yaml: the glob import 'mixins/*' stops matching labels/tags.yaml"
    ]


def _spot(stacks: Stacks, rel: str, line: int, col: int) -> tuple[str, locate.Spot | None, str]:
    path = os.path.join(stacks.ws.config.stacks_base, rel)
    text = Path(path).read_text()
    return path, locate.at(stacks.ws.document(path).mapping(), line, col), text


def test_renaming_a_component_renames_its_key_inherits_and_dependencies(
    tree: TreeFactory,
) -> None:
    stacks = tree(
        {
            **TREE,
            "stacks/catalog/app.yaml": """
                components:
                  terraform:
                    app:
                      settings:
                        depends_on:
                          1:
                            component: "vpc/defaults"
                      vars: {}
                """,
        }
    )
    path, spot, text = _spot(stacks, "catalog/vpc/defaults.yaml", 2, 6)
    target = refactor.target_at(spot, text)
    assert target is not None and (target.kind, target.component, target.key) == (
        "terraform",
        "vpc/defaults",
        None,
    )
    found = refactor.rename(stacks, path, target, "vpc/base")
    base = stacks.ws.config.stacks_base
    assert sorted(
        (os.path.relpath(e.file, base), e.span.start_line, e.span.start_col, e.text)
        for e in found.edits
    ) == [
        ("catalog/app.yaml", 6, 24, "vpc/base"),  # inside the quotes
        ("catalog/vpc/defaults.yaml", 2, 4, "vpc/base"),
        ("catalog/vpc/prod.yaml", 6, 19, "vpc/base"),
    ]
    assert "had no metadata.component" in found.notes[0]


def test_a_rename_onto_a_taken_name_is_refused(tree: TreeFactory) -> None:
    stacks = tree(TREE)
    path, spot, text = _spot(stacks, "catalog/vpc/prod.yaml", 4, 5)
    target = refactor.target_at(spot, text)
    assert target is not None and target.component == "vpc"
    with pytest.raises(refactor.RenameRefused, match="'vpc/defaults' already exists at catalog/"):
        refactor.rename(stacks, path, target, "vpc/defaults")
    with pytest.raises(refactor.RenameRefused, match="not a valid name"):
        refactor.rename(stacks, path, target, "a: b")


def test_renaming_a_var_renames_it_in_every_layer_of_the_component(tree: TreeFactory) -> None:
    stacks = tree(
        {
            **TREE,
            "stacks/deploy/prod.yaml": TREE["stacks/deploy/prod.yaml"]
            + """
        components:
          terraform:
            vpc:
              vars:
                cidr: 10.1.0.0/16
        """,
        }
    )
    path, spot, text = _spot(stacks, "deploy/prod.yaml", 11, 9)
    target = refactor.target_at(spot, text)
    assert target is not None and target.key == ("vars", "cidr")
    found = refactor.rename(stacks, path, target, "cidr_block")
    base = stacks.ws.config.stacks_base
    assert sorted((os.path.relpath(e.file, base), e.span.start_line) for e in found.edits) == [
        ("catalog/vpc/defaults.yaml", 6),  # the inherited base's layer
        ("deploy/prod.yaml", 11),
    ]
    apply(found)
    vpc = merged(load_stacks(Path(base).parent))["prod/terraform/vpc"]["vars"]
    assert vpc["cidr_block"] == "10.1.0.0/16" and "cidr" not in vpc


# ---- property: a move with its edits keeps every stack's merge ------------------------------

FILES = ["mixins/m1", "mixins/deep/m2", "catalog/c1", "catalog/sub/c2", "globals"]
DESTINATIONS = ["lib/m", "mixins/x/y/z", "catalog/moved", "top", "catalog/sub/deeper/q"]


def _spelling(draw: st.DrawFn, importer: str, target: str) -> str:
    """One way `importer` (a stacks-relative name) can import `target`."""
    style = draw(st.sampled_from(["base", "base-ext", "relative", "object"]))
    if style == "relative":
        rel = posixpath.relpath(target, posixpath.dirname(importer))
        return rel if rel.startswith("../") else "./" + rel
    name = target + ".yaml" if style == "base-ext" else target
    return f"path: {name}" if style == "object" else name


@st.composite
def movable_trees(draw: st.DrawFn) -> tuple[dict[str, str], str, str]:
    files: dict[str, str] = {}
    names = list(FILES)
    for index, name in enumerate(names):
        imports = draw(st.lists(st.sampled_from(names[:index]), unique=True)) if index else []
        lines = (
            ["import:", *(f"  - {_spelling(draw, name, t)}" for t in imports)] if imports else []
        )
        lines += ["vars:", f"  x: {name}", f"  {name.replace('/', '_')}: {index}"]
        files[f"stacks/{name}.yaml"] = "\n".join(lines) + "\n"
    for stage in ("a", "b"):
        importer = f"deploy/{stage}"
        imports = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        lines = ["import:", *(f"  - {_spelling(draw, importer, t)}" for t in imports)]
        lines += [
            "vars:",
            f"  stage: {stage}",
            "components:",
            "  terraform:",
            "    vpc:",
            "      vars: {}",
        ]
        files[f"stacks/{importer}.yaml"] = "\n".join(lines) + "\n"
    moved = draw(st.sampled_from([*names, "mixins", "catalog"]))
    destination = draw(st.sampled_from(DESTINATIONS))
    assume(not destination.startswith(moved + "/"))  # a folder cannot move into itself
    return files, moved, destination


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(movable_trees())
def test_moving_with_the_edits_keeps_every_merged_value(
    case: tuple[dict[str, str], str, str],
) -> None:
    files, moved, destination = case
    with tempfile.TemporaryDirectory() as tmp:
        root = write_tree(Path(tmp), files)
        stacks = load_stacks(root)
        before = merged(stacks)
        base = Path(stacks.ws.config.stacks_base)
        is_dir = (base / moved).is_dir()
        old = base / (moved if is_dir else moved + ".yaml")
        new = base / (destination if is_dir else destination + ".yaml")
        found = refactor.moves(stacks, [(str(old), str(new))])
        assert found.notes == []
        apply(found)
        move(base, str(old.relative_to(base)), str(new.relative_to(base)))
        after = load_stacks(root)
        assert after.diagnostics() == []
        assert merged(after) == before
