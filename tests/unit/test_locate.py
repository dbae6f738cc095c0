"""locate: the value at a position (parsed tree) and the key path by indentation (half-typed)."""

from __future__ import annotations

from stack_lsp import locate
from stack_lsp.parsing import parse

TEXT = """import:
  - catalog/vpc
  - path: mixins/a
components:
  terraform:
    vpc:
      metadata:
        component: vpc
        inherits:
          - vpc/defaults
      vars:
        cidr_block: 10.0.0.0/16
"""


def spot(line: int, col: int) -> locate.Spot | None:
    return locate.at(parse("f.yaml", TEXT).root, line, col)


def test_keys_values_and_list_items() -> None:
    found = spot(11, 10)
    assert found is not None and found.on_key
    assert found.path == ("components", "terraform", "vpc", "vars", "cidr_block")
    found = spot(11, 22)
    assert found is not None and not found.on_key and found.node.data == "10.0.0.0/16"
    found = spot(1, 6)
    assert found is not None and found.path == ("import", 0)
    assert locate.import_index(found.path) == 0
    found = spot(2, 12)
    assert found is not None and found.path == ("import", 1, "path")
    assert locate.import_index(found.path) == 1


def test_meanings_under_a_component() -> None:
    inherits = spot(9, 14)
    assert inherits is not None
    ref = locate.component_ref(inherits.path)
    assert ref == locate.ComponentRef("terraform", "vpc", ("metadata", "inherits", 0))
    assert locate.is_inherits_entry(ref)
    component = spot(7, 20)
    assert component is not None
    assert locate.is_metadata_component(locate.component_ref(component.path))


def test_section_paths() -> None:
    ref = locate.ComponentRef("terraform", "vpc", ("vars", "x"))
    assert locate.section_path(("components", "terraform", "vpc", "vars", "x")) == (
        ref,
        ("vars", "x"),
    )
    assert locate.section_path(("vars", "x")) == (None, ("vars", "x"))
    assert locate.section_path(("terraform", "vars", "x")) == (None, ("vars", "x"))
    assert locate.section_path(("overrides", "vars", "x")) == (None, ("vars", "x"))
    backend = locate.section_path(("components", "terraform", "vpc", "backend", "s3", "bucket"))
    assert backend is not None and backend[1] == ("backend", "bucket")
    assert locate.section_path(("import", 0)) is None


def test_outside_everything() -> None:
    assert spot(40, 0) is None
    assert locate.at(None, 0, 0) is None


def test_text_path_on_half_typed_lines() -> None:
    text = "import:\n  - cat\ncomponents:\n  terraform:\n    vpc:\n      vars:\n        na\n"
    ctx = locate.text_path(text, 1, 7)
    assert (ctx.parents, ctx.in_item, ctx.key, ctx.prefix) == (("import",), True, None, "cat")
    ctx = locate.text_path(text, 6, 10)
    assert ctx.parents == ("components", "terraform", "vpc", "vars")
    assert (ctx.in_item, ctx.key, ctx.prefix) == (False, None, "na")
    ctx = locate.text_path("a:\n  metadata:\n    component: v\n", 2, 16)
    assert (ctx.parents, ctx.key, ctx.prefix, ctx.value_start) == (
        ("a", "metadata"),
        "component",
        "v",
        15,
    )
    ctx = locate.text_path("hooks:\n- events:\n    - x\n", 2, 7)
    assert ctx.parents == ("hooks", "events")
