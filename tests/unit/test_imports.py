"""Import resolution and merge order, as Atmos does them, on small trees of their own."""

from __future__ import annotations

import os
from typing import Any

from stack_lsp.validation import check

from tests.conftest import TreeFactory


def vars_of(stacks: Any, stack: str, component: str = "c") -> dict[str, Any]:
    result: dict[str, Any] = stacks.find(stack, component).plain("vars")
    return result


def codes(stacks: Any) -> list[tuple[str, str, int]]:
    rel = stacks.ws.config.rel
    return sorted((d.code, rel(d.file), d.span.start_line + 1) for d in stacks.diagnostics())


COMPONENT = "components:\n  terraform:\n    c:\n      vars: {}\n"


def test_paths_relative_to_base_and_to_the_importing_file(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": "import: [./_defaults, catalog/c]\nvars: {stage: dev}\n",
        "stacks/deploy/_defaults.yaml": "import: [../mixins/region]\nvars: {a: defaults}\n",
        "stacks/mixins/region.yaml": "vars: {region: us-east-1}\n",
        "stacks/catalog/c.yaml": COMPONENT,
    })  # fmt: skip
    assert codes(stacks) == []
    assert vars_of(stacks, "dev") == {"region": "us-east-1", "a": "defaults", "stage": "dev"}


def test_extension_probing_order_and_tmpl_preference(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": "import: [m/a, m/b.yaml, catalog/c]\nvars: {stage: dev}\n",
        "stacks/m/a.yml": "vars: {a: yml}\n",
        "stacks/m/a.yaml.tmpl": "vars: {a: tmpl}\n",
        "stacks/m/b.yaml": "vars: {b: plain}\n",
        "stacks/m/b.yaml.tmpl": "vars: {b: tmpl}\n",
        "stacks/catalog/c.yaml": COMPONENT,
    })  # fmt: skip
    # No extension: .yaml, .yml, .yaml.tmpl, .yml.tmpl, first existing wins;
    # an explicit x.yaml is replaced by x.yaml.tmpl when that exists.
    assert vars_of(stacks, "dev") == {"a": "yml", "b": "tmpl", "stage": "dev"}


def test_globs_merge_in_sorted_order(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": "import: [mixins/*, deep/**/*, catalog/c]\nvars: {stage: dev}\n",
        "stacks/mixins/b.yaml": "vars: {who: b, b: 1}\n",
        "stacks/mixins/a.yaml": "vars: {who: a, a: 1}\n",
        "stacks/mixins/c.yml": "vars: {who: c-yml}\n",
        "stacks/deep/x/y/z.yaml": "vars: {deep: z}\n",
        "stacks/deep/top.yaml": "vars: {deep_top: 1}\n",
        "stacks/catalog/c.yaml": COMPONENT,
    })  # fmt: skip
    v = vars_of(stacks, "dev")
    assert v["who"] == "b"  # a then b; `mixins/*` means `mixins/*.yaml`, so c.yml is not matched
    assert (v["a"], v["b"], v["deep"], v["deep_top"]) == (1, 1, "z", 1)
    files = [stacks.ws.config.rel(f) for f in stacks.stack_file(str(stacks.ws.config.stacks_base) + "/deploy/dev.yaml").result.files]
    assert files == ["deploy/dev.yaml", "mixins/a.yaml", "mixins/b.yaml", "deep/top.yaml",
                     "deep/x/y/z.yaml", "catalog/c.yaml"]  # fmt: skip


def test_list_order_importing_file_last_and_no_dedup(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": "import: [m/one, m/two, m/one, catalog/c]\nvars: {stage: dev}\n",
        "stacks/deploy/prod.yaml": "import: [m/one, m/two, catalog/c]\nvars: {stage: prod, x: own}\n",
        "stacks/m/one.yaml": "vars: {x: one}\n",
        "stacks/m/two.yaml": "vars: {x: two}\n",
        "stacks/catalog/c.yaml": COMPONENT,
    })  # fmt: skip
    assert vars_of(stacks, "dev")["x"] == "one"  # imported twice: merges twice
    assert vars_of(stacks, "prod")["x"] == "own"  # the importing file merges last


def test_missing_import_names_file_line_and_closest_paths(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": "vars: {stage: dev}\nimport:\n  - catalog/c\n  - mixins/regions/us-east1\n",
        "stacks/mixins/regions/us-east-1.yaml": "vars: {}\n",
        "stacks/mixins/regions/us-east-2.yaml": "vars: {}\n",
        "stacks/catalog/c.yaml": COMPONENT,
    })  # fmt: skip
    [diag] = stacks.diagnostics()
    assert diag.code == "STK101"
    assert (diag.span.start_line, diag.span.start_col) == (3, 4)
    assert diag.message == (
        "import 'mixins/regions/us-east1' not found in deploy/dev.yaml; did you mean "
        "'mixins/regions/us-east-1', 'mixins/regions/us-east-2'?"
    )
    assert vars_of(stacks, "dev") == {"stage": "dev"}  # the rest of the stack still loads


def test_skip_if_missing_and_template_paths_are_silent(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": (
            "vars: {stage: dev}\nimport:\n  - catalog/c\n"
            "  - path: mixins/absent\n    skip_if_missing: true\n"
        ),
        "stacks/catalog/c.yaml": COMPONENT,
    })  # fmt: skip
    assert codes(stacks) == []


def test_cycle_reports_the_whole_cycle(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": "import: [m/a, catalog/c]\nvars: {stage: dev}\n",
        "stacks/m/a.yaml": "import: [m/b]\nvars: {a: 1}\n",
        "stacks/m/b.yaml": "import: [m/a]\nvars: {b: 1}\n",
        "stacks/catalog/c.yaml": COMPONENT,
    })  # fmt: skip
    [diag] = [d for d in stacks.diagnostics() if d.code == "STK102"]
    assert stacks.ws.config.rel(diag.file) == "m/b.yaml"
    assert diag.message == (
        "import cycle: m/a.yaml → m/b.yaml → m/a.yaml; break it by removing one of these imports"
    )
    assert vars_of(stacks, "dev") == {"a": 1, "b": 1, "stage": "dev"}


def test_self_import(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": "import: [deploy/dev, catalog/c]\nvars: {stage: dev}\n",
        "stacks/catalog/c.yaml": COMPONENT,
    })  # fmt: skip
    [diag] = stacks.diagnostics()
    assert (diag.code, diag.message) == ("STK102", "deploy/dev.yaml imports itself; remove this import")


def test_glob_matching_nothing_is_a_warning(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": "import: [catalog/c, mixins/none/*]\nvars: {stage: dev}\n",
        "stacks/catalog/c.yaml": COMPONENT,
    })  # fmt: skip
    [diag] = stacks.diagnostics()
    assert (diag.code, diag.severity.label) == ("STK103", "warning")
    assert diag.message == "import 'mixins/none/*' matches no file; fix the pattern or remove it"


def test_context_imports_render_templates(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": (
            "vars: {stage: dev}\nimport:\n"
            "  - path: catalog/templated\n    context: {name: api, size: 3}\n"
        ),
        "stacks/catalog/templated.yaml": (
            "components:\n  terraform:\n    c:\n      vars:\n"
            "        name: '{{ .name }}'\n        size: {{ .size }}\n        zone: '{{ .zone }}'\n"
        ),
    })  # fmt: skip
    assert vars_of(stacks, "dev") == {"stage": "dev", "name": "api", "size": 3, "zone": "<no value>"}
    [diag] = stacks.diagnostics()
    assert (diag.code, diag.span.start_line) == ("STK107", 6)
    assert "'.zone'" in diag.message


def test_import_path_templates_use_earlier_vars(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": "import:\n  - m/region\n  - 'm/{{ .vars.region }}'\n  - catalog/c\nvars: {stage: dev}\n",
        "stacks/m/region.yaml": "vars: {region: eu}\n",
        "stacks/m/eu.yaml": "vars: {eu: true}\n",
        "stacks/catalog/c.yaml": COMPONENT,
    })  # fmt: skip
    assert vars_of(stacks, "dev") == {"region": "eu", "eu": True, "stage": "dev"}


def test_invalid_import_entries(tree: TreeFactory) -> None:
    stacks = tree({
        "stacks/deploy/dev.yaml": (
            "vars: {stage: dev}\nimport:\n  - catalog/c\n  - ''\n  - {context: {}}\n"
            "  - {path: x, nested: 1}\n  - 42\n"
        ),
        "stacks/x.yaml": "vars: {}\n",
        "stacks/catalog/c.yaml": COMPONENT,
    })  # fmt: skip
    found = [(d.code, d.span.start_line, d.message) for d in stacks.diagnostics()]
    assert found == [
        ("STK104", 3, "empty import path; remove the entry or name a file"),
        ("STK104", 4, "import is missing its 'path'"),
        ("STK104", 5, "unknown import option 'nested'; did you mean 'nested_imports'? allowed: "
                      "context, ignore_missing_template_values, nested_imports, path, skip_if_missing, "
                      "skip_templates_processing, ttl"),
        ("STK104", 6, "an import must be a path or a map with 'path'"),
    ]  # fmt: skip


def test_import_outside_the_workspace_is_not_read(tree: TreeFactory, tmp_path: Any) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text("vars: {secret: leaked}\n")
    stacks = tree({
        "stacks/deploy/dev.yaml": f"import: [catalog/c, ../../../{outside.name}]\nvars: {{stage: dev}}\n",
        "stacks/catalog/c.yaml": COMPONENT,
    })  # fmt: skip
    assert "secret" not in vars_of(stacks, "dev")
    [diag] = stacks.diagnostics()
    assert diag.code == "STK105"
    os.unlink(outside)


def test_remote_import_options_are_known(tree: TreeFactory) -> None:
    # `nested_imports` (local | remote) and `ttl` are import options of the current schema
    # [pkg/datafetcher/schema/atmos/manifest/1.0.json `import`]; a value outside the enum is
    # still an error (conformance fixture invalid-stacks/invalid-import-enum.yaml).
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        import:
          - path: catalog/base
            nested_imports: local
            ttl: 1h
          - path: catalog/base
            nested_imports: everywhere
        vars:
          stage: dev
    """,
            "stacks/catalog/base.yaml": "vars: {a: 1}\n",
        }
    )
    found = [(d.code, d.span.start_line + 1, d.message) for d in check(stacks)]
    assert found == [("STK104", 6, "'nested_imports' must be one of: local, remote")]
