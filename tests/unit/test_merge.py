"""Atmos deep merge, component section order, inheritance and provenance."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from stack_lsp.merge import MergeConflict, conflicts_of, merge_all
from stack_lsp.parsing import parse
from stack_lsp.provenance import trace
from stack_lsp.tree import Value
from tests.conftest import TreeFactory


def val(text: str, name: str = "f.yaml") -> Value:
    root = parse(name, text).root
    assert root is not None
    return root


def test_maps_merge_recursively_and_later_wins_across_types() -> None:
    merged = merge_all([val("a: {x: 1, y: {p: 1}}\nb: [1]\n"), val("a: {y: {q: 2}, x: {now: map}}\nb: text\n")])
    assert merged is not None
    assert merged.plain() == {"a": {"x": {"now": "map"}, "y": {"p": 1, "q": 2}}, "b": "text"}


def test_empty_map_changes_nothing_and_unset_deletes() -> None:
    merged = merge_all([val("a: {x: 1, y: 2}\n"), val("a: {}\n"), val("a:\n  y: !unset\n")])
    assert merged is not None and merged.plain() == {"a": {"x": 1}}


def test_list_strategies() -> None:
    dst = val("l: [{n: a, v: 1}, {n: b}, z]\n")
    src = val("l: [{v: 2}, x, y, extra]\n")
    assert merge_all([dst, src], "replace").plain() == {"l": [{"v": 2}, "x", "y", "extra"]}  # type: ignore[union-attr]
    assert merge_all([dst, src], "append").plain()["l"] == [  # type: ignore[union-attr]
        {"n": "a", "v": 1}, {"n": "b"}, "z", {"v": 2}, "x", "y", "extra",
    ]  # fmt: skip
    # merge: element-wise, maps deep-merge, scalars keep the earlier value, the earlier length
    assert merge_all([dst, src], "merge").plain()["l"] == [{"n": "a", "v": 2}, {"n": "b"}, "z"]  # type: ignore[union-attr]


def test_append_tag_concatenates_whatever_the_strategy() -> None:
    merged = merge_all([val("l: [a]\n"), val("l: !append [b]\n")], "replace")
    assert merged is not None and merged.plain() == {"l": ["a", "b"]}


def test_list_overridden_by_scalar_is_reported(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": "import: [m]\nvars: {stage: dev, zones: none}\n"
                                  "components: {terraform: {c: {vars: {}}}}\n",
        "stacks/m.yaml": "vars: {zones: [a, b]}\n",
    })  # fmt: skip
    [diag] = stacks.diagnostics()
    assert diag.code == "STK204"
    assert (diag.span.start_line, diag.span.start_col) == (1, 26)
    assert diag.message.startswith("this value replaces the list at m.yaml:1 but is not a list")


def test_shadowed_values_newest_first() -> None:
    merged = merge_all([val("v: {x: 1}\n", "a.yaml"), val("v: {x: 2}\n", "b.yaml"), val("v: {x: 3}\n", "c.yaml")])
    assert merged is not None
    section = merged.get("v")
    assert section is not None
    assert [(s.source.file, s.data) for s in section.shadowed("x")] == [("b.yaml", 2), ("a.yaml", 1)]


SECTION_ORDER = {
    "atmos.yaml": (
        "base_path: .\nenv: {FROM: atmos, ATMOS_ONLY: 1}\n"
        "stacks: {base_path: stacks, included_paths: ['deploy/**/*'], name_pattern: '{stage}'}\n"
    ),
    "stacks/deploy/dev.yaml": """
        import: [catalog/c]
        vars: {stage: dev, level: global, g: 1}
        env: {FROM: global}
        terraform:
          vars: {level: type, t: 1}
          backend_type: s3
          backend: {s3: {bucket: global, region: us-east-1}}
        components:
          terraform:
            c:
              metadata: {inherits: [base-a, base-b]}
              vars: {own: 1}
              overrides: {}
        overrides:
          vars: {level: override}
    """,
    "stacks/catalog/c.yaml": """
        components:
          terraform:
            root: {metadata: {type: abstract}, vars: {level: root, root: 1}, backend_type: local}
            base-a:
              metadata: {type: abstract, inherits: [root], component: real-dir, custom: {a: 1}}
              vars: {level: base-a, a: 1}
            base-b:
              metadata: {type: abstract}
              vars: {level: base-b, b: 1}
              backend: {s3: {bucket: base-b}}
            c:
              vars: {level: own-in-catalog}
    """,
}


def test_component_section_order(tree: TreeFactory) -> None:
    stacks = tree(SECTION_ORDER)
    c = stacks.find("dev", "c")
    assert c.bases == ["root", "base-a", "base-b"]
    assert c.plain("vars") == {
        "stage": "dev", "level": "override", "g": 1, "t": 1, "root": 1, "a": 1, "b": 1, "own": 1,
    }  # fmt: skip
    assert c.plain("env") == {"FROM": "global", "ATMOS_ONLY": 1}
    # metadata is inherited except `type` and `inherits`; metadata.component picks the directory
    assert c.plain("metadata") == {"component": "real-dir", "custom": {"a": 1}, "inherits": ["base-a", "base-b"]}
    assert c.terraform_component == "real-dir" and not c.abstract
    # backend_type: component beats base beats global; backend is merged then chosen by type
    assert c.section("backend_type").data == "local"  # type: ignore[union-attr]
    assert stacks.find("dev", "root").abstract


def test_component_var_in_catalog_beats_global_var_of_the_stack(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": "import: [catalog/c]\nvars: {stage: dev, size: global}\n",
        "stacks/catalog/c.yaml": "components: {terraform: {c: {vars: {size: catalog}}}}\n",
    })  # fmt: skip
    assert stacks.find("dev", "c").plain("vars")["size"] == "catalog"  # type: ignore[index]


def test_provenance_layers_and_shadowed_chain(tree: TreeFactory) -> None:
    stacks = tree(SECTION_ORDER)
    c = stacks.find("dev", "c")
    config_file = stacks.ws.config.config_file
    rel = stacks.ws.config.rel

    def where(path: tuple[str, ...]) -> Any:
        t = trace(c, path, config_file)
        assert t is not None
        return (rel(t.final.file), t.final.line, t.final.layer), [
            (rel(s.file), s.line, s.layer, s.value.plain()) for s in t.shadowed
        ]

    assert where(("vars", "level")) == (
        ("deploy/dev.yaml", 15, "override"),
        [
            ("catalog/c.yaml", 12, "import", "own-in-catalog"),
            ("catalog/c.yaml", 9, "inherited", "base-b"),
            ("catalog/c.yaml", 6, "inherited", "base-a"),
            ("catalog/c.yaml", 3, "inherited", "root"),
            ("deploy/dev.yaml", 5, "inline", "type"),
            ("deploy/dev.yaml", 2, "inline", "global"),
        ],
    )
    assert where(("vars", "a")) == (("catalog/c.yaml", 6, "inherited"), [])
    assert where(("env", "ATMOS_ONLY"))[0][2] == "default"


def test_inheritance_cycle_and_unknown_base(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": """
            vars: {stage: dev}
            components:
              terraform:
                a: {metadata: {inherits: [b]}}
                b: {metadata: {inherits: [a]}}
                c: {metadata: {inherits: [vpc-default]}}
                vpc-defaults: {metadata: {type: abstract}}
        """,
    })  # fmt: skip
    found = sorted({(d.code, d.span.start_line, d.message) for d in stacks.diagnostics()})
    assert found == [
        ("STK202", 5, "'vpc-default' in inherits is not a terraform component of this stack; "
                      "did you mean 'vpc-defaults'?"),
        ("STK203", 3, "inheritance cycle: b → a → b; remove one of these inherits"),
        ("STK203", 4, "inheritance cycle: a → b → a; remove one of these inherits"),
    ]  # fmt: skip


def test_legacy_component_key_inherits(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": """
            vars: {stage: dev}
            components:
              terraform:
                base: {vars: {a: 1, b: 1}}
                child: {component: base, vars: {b: 2}}
        """,
    })  # fmt: skip
    child = stacks.find("dev", "child")
    assert child.plain("vars") == {"stage": "dev", "a": 1, "b": 2}
    assert child.terraform_component == "base"


def test_component_strategy_is_inherited_from_bases(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": """
            vars: {stage: dev}
            components:
              terraform:
                base: {settings: {list_merge_strategy: append}, vars: {l: [a]}}
                child: {metadata: {inherits: [base]}, vars: {l: [b]}}
                bad: {settings: {list_merge_strategy: concat}}
        """,
    })  # fmt: skip
    assert stacks.find("dev", "child").plain("vars")["l"] == ["a", "b"]  # type: ignore[index]
    [diag] = stacks.diagnostics()
    assert (diag.code, diag.span.start_line) == ("STK207", 5)


_KEYS = st.sampled_from(["a", "b", "c"])
_LEAF = st.one_of(
    st.integers(0, 3).map(str), st.just("[1]"), st.just("!append [2]"), st.just("!unset x"),
    st.just("{}"), st.just("!custom {x: 1}"),
)  # fmt: skip
_YAML = st.recursive(
    _LEAF,
    lambda inner: st.dictionaries(_KEYS, inner, max_size=3).map(
        lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
    )
    | st.lists(inner, max_size=2).map(lambda items: "[" + ", ".join(items) + "]"),
    max_leaves=8,
)


@given(st.lists(_YAML, min_size=1, max_size=5), st.sampled_from(["replace", "append"]))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_conflicts_found_without_merging_are_those_merging_finds(
    texts: list[str], strategy: str
) -> None:
    values = [val(f"s: {text}\n", f"f{i}.yaml").get("s") for i, text in enumerate(texts)]
    recorded: list[MergeConflict] = []
    merge_all(values, strategy, recorded)
    found = conflicts_of(values, strategy)
    assert found is not None
    def where(conflicts: list[MergeConflict]) -> list[tuple[str, int, str, int]]:
        return sorted(
            (c.earlier.source.file, c.earlier.source.span.start_col,
             c.later.source.file, c.later.source.span.start_col)
            for c in conflicts
        )  # fmt: skip

    assert where(found) == where(recorded)


def test_conflicts_of_leaves_the_merge_strategy_to_merging() -> None:
    assert conflicts_of([val("l: [1]\n"), val("l: x\n")], "merge") is None
    found = conflicts_of([val("l: [1]\n"), val("l: {x: 1}\n"), val("l: y\n")])
    assert found is not None and [c.later.source.span.start_line for c in found] == [0]
