"""Semantic rules (STK401-STK403), suppression comments and the severity policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from stack_lsp.config import load_config
from stack_lsp.diagnostics import Severity
from stack_lsp.stacks import Stacks
from stack_lsp.validation import check
from stack_lsp.validation.policy import Policy, PolicyError

from tests.conftest import DEFAULT_ATMOS, TreeFactory


def seen(stacks: Stacks) -> list[tuple[str, int, int, str, str, str]]:
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
    ]


ABSTRACT_CATALOG = """
components:
  terraform:
    vpc:
      metadata:
        type: abstract
"""


def test_abstract_component_configured_but_never_deployed(tree: TreeFactory) -> None:
    stacks = tree(
        {
            "stacks/catalog/vpc.yaml": ABSTRACT_CATALOG,
            "stacks/deploy/dev.yaml": """
            import: [catalog/vpc]
            vars:
              stage: dev
            components:
              terraform:
                vpc:
                  vars:
                    cidr_block: 10.0.0.0/16
        """,
            "stacks/deploy/prod.yaml": """
            import: [catalog/vpc]
            vars:
              stage: prod
            components:
              terraform:
                vpc:
                  vars:
                    cidr_block: 10.1.0.0/16
                vpc-main:
                  metadata:
                    inherits: [vpc]
        """,
        }
    )
    assert seen(stacks) == [
        (
            "deploy/dev.yaml",
            6,
            5,
            "warning",
            "STK401",
            "component 'vpc' is abstract (catalog/vpc.yaml:5) and nothing in stack 'dev' inherits "
            "it, so this configuration is never deployed; set metadata.type: real here or add a "
            "component that inherits it",
        ),
    ]


def test_missing_component_directory_only_when_the_base_exists(tree: TreeFactory) -> None:
    files = {
        "stacks/deploy/dev.yaml": """
            vars:
              stage: dev
            components:
              terraform:
                vpc:
                  metadata:
                    component: network/vpc
                eks: {}
        """,
    }
    assert seen(tree(files)) == []
    stacks = tree({**files, "components/terraform/eks/main.tf": ""})
    assert seen(stacks) == [
        (
            "deploy/dev.yaml",
            7,
            20,
            "warning",
            "STK402",
            "terraform component 'vpc' points at components/terraform/network/vpc, which does not "
            "exist; create the directory or set metadata.component to an existing one",
        ),
    ]


def test_file_that_no_stack_imports_is_a_hint(tree: TreeFactory) -> None:
    stacks = tree(
        {
            "stacks/catalog/used.yaml": "vars: {a: 1}\n",
            "stacks/catalog/unused.yaml": "vars: {b: 2}\n",
            "stacks/deploy/dev.yaml": "import: [catalog/used]\nvars:\n  stage: dev\n",
        }
    )
    assert seen(stacks) == [
        (
            "catalog/unused.yaml",
            1,
            1,
            "hint",
            "STK403",
            "catalog/unused.yaml is not a stack and no stack imports it; import it from a stack or "
            "delete it",
        ),
    ]


def test_suppression_on_the_line_or_the_line_above(tree: TreeFactory) -> None:
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
            vars:
              stage: dev
            terraform:
              # stack-lsp: ignore[STK311]
              bogus: 1
              other: 2  # stack-lsp: ignore[STK403,STK311]
              third: 3  # stack-lsp: ignore[STK310]
            components:
              terraform:
                vpc:
                  vars: {}  # stack-lsp: ignore[STK311]
                  var: {}
        """,
        }
    )
    assert [(f[1], f[4]) for f in seen(stacks)] == [(7, "STK311"), (12, "STK311")]


def test_severity_from_atmos_yaml(tree: TreeFactory) -> None:
    policy = "settings:\n  stack_lsp:\n    severity:\n      STK403: off\n      STK311: warning\n"
    atmos = DEFAULT_ATMOS + policy
    stacks = tree(
        {
            "atmos.yaml": atmos,
            "stacks/catalog/unused.yaml": "vars: {b: 2}\n",
            "stacks/deploy/dev.yaml": "vars:\n  stage: dev\nterraform:\n  bogus: 1\n",
        }
    )
    assert [(f[3], f[4]) for f in seen(stacks)] == [("warning", "STK311")]


def test_bad_severity_settings_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "atmos.yaml"
    path.write_text("settings:\n  stack_lsp:\n    severity:\n      STK999: error\n")
    config = load_config(str(path))
    with pytest.raises(PolicyError, match="STK999"):
        Policy.from_config(config)
    assert Policy.from_config(config, strict=False).severity == {}
    path.write_text("settings:\n  stack_lsp:\n    severity:\n      STK001: loud\n")
    with pytest.raises(PolicyError, match="loud"):
        Policy.from_config(load_config(str(path)))
    path.write_text("settings:\n  stack_lsp:\n    severity:\n      STK001: hint\n")
    assert Policy.from_config(load_config(str(path))).severity == {"STK001": Severity.HINT}
