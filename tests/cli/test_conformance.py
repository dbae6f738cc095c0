"""Atmos's own fixtures (../shared/conformance) give Atmos's results through `describe`/`list`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import conformance_dir

pytestmark = pytest.mark.slow

SCENARIOS = ("fixtures", "scenarios")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stack_lsp", *args], cwd=cwd, capture_output=True, text=True,
        check=False,
    )  # fmt: skip


def describe(cwd: Path, component: str, stack: str) -> dict[str, Any]:
    result = run(cwd, "describe", "component", component, "-s", stack, "--format", "json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_relative_paths_matches_atmos_describe_stacks() -> None:
    root = conformance_dir(*SCENARIOS, "relative-paths")
    golden_file = conformance_dir("snapshots", "TestCLICommands_atmos_stacks_with_relative_paths.stdout.golden")
    golden = YAML(typ="safe").load(golden_file.read_text())
    listed = run(root, "list", "stacks")
    assert listed.stdout.split() == ["acme-platform-dev", "acme-platform-prod", "acme-platform-staging"]
    ours = json.loads(run(root, "describe", "stacks", "--format", "json").stdout)
    assert sorted(ours) == sorted(golden)
    for stack, body in golden.items():
        for name, expected in body["components"]["terraform"].items():
            got = ours[stack]["components"]["terraform"][name]
            for key in ("vars", "settings", "env", "backend_type", "backend"):
                assert got[key] == expected[key], (stack, name, key)
            assert got["atmos_stack"] == expected["atmos_stack"]
            assert got["atmos_stack_file"] == expected["atmos_stack_file"]
            assert got["workspace"] == expected["workspace"]


def test_hierarchical_imports_merge_order() -> None:
    root = conformance_dir(*SCENARIOS, "hierarchical-imports")
    # name_pattern "{stage}-{environment}-{region}": Atmos drops {region}.
    assert run(root, "list", "stacks").stdout.split() == ["dev-dev", "prod-prod"]
    dev = describe(root, "test-component", "dev-dev")
    v = dev["vars"]
    assert (v["region"], v["stage"], v["vpc_cidr"]) == ("us-east-1", "dev", "10.1.0.0/16")
    assert (v["provider_priority"], v["provider_type"]) == ("c", "aws")
    assert v["import_order_test"] == "level-3-component-variants"
    assert (v["component_name"], v["enabled"], v["variant"], v["high_availability"]) == (
        "test-component", True, "standard", False,
    )  # fmt: skip
    tags = v["tags"]
    for key, value in {
        "ManagedBy": "Atmos", "CostCenter": "engineering", "Provider": "AWS", "Region": "us-east-1",
        "Stage": "dev", "Account": "acme-dev", "Stack": "dev-us-east-1", "ProviderPriority": "C",
        "Component": "test-component", "Variant": "standard",
    }.items():  # fmt: skip
        assert tags[key] == value, key
    assert dev["settings"]["import_order_test"] == "level-3-component-variants-settings"
    prod = describe(root, "test-component", "prod-prod")["vars"]
    assert (prod["region"], prod["stage"], prod["vpc_cidr"]) == ("us-west-2", "prod", "10.2.0.0/16")
    assert (prod["instance_type"], prod["min_size"], prod["max_size"]) == ("t3.large", 3, 10)
    assert (prod["tags"]["Stage"], prod["tags"]["Account"], prod["tags"]["Region"]) == (
        "prod", "acme-prod", "us-west-2",
    )  # fmt: skip


LIST_MERGE = {
    "append-component": ("tags", ["base-tag-1", "base-tag-2", "child-tag"]),
    "replace-component": ("tags", ["child-tag"]),
    "inherit-strategy-component": ("tags", ["base-tag-1", "base-tag-2", "child-tag"]),
    "mi-append": ("my_list", ["from_a", "from_b"]),
    "mi-replace": ("my_list", ["from_b"]),
    "mi-multi-level-append": ("my_list", ["from_a", "from_middle", "from_leaf"]),
    "mi-merge-strategy": ("my_list", ["from_a"]),
}


@pytest.mark.parametrize("component", sorted(LIST_MERGE))
def test_component_list_merge_strategy(component: str) -> None:
    root = conformance_dir(*SCENARIOS, "component-list-merge-strategy")
    key, expected = LIST_MERGE[component]
    assert describe(root, component, "dev")["vars"][key] == expected


OVERRIDES = {
    "prod": ("a-prod", "b-prod", "c-prod", "d"),
    "staging": ("a-staging", "b-team2", "c-team1", "d"),
    "dev": ("a-dev", "b-team2", "c-team1", "d"),
    "sandbox": ("a-team2", "b-team2", "c-team1", "d"),
    "test": ("a-test-2", "b-test", "c-team1", "d"),
    "test2": ("a", "b", "c", "d"),
    "test3": ("a-overridden", "b-overridden", "c", "d"),
}


@pytest.mark.parametrize("stack", sorted(OVERRIDES))
def test_overrides_section_scope(stack: str) -> None:
    root = conformance_dir(*SCENARIOS, "atmos-overrides-section")
    test = describe(root, "c1", stack)["vars"]["test"]
    assert (test["a"], test["b"], test["c"], test["d"]) == OVERRIDES[stack]


def test_append_function_test_case(tmp_path: Path) -> None:
    """`!append` concatenates lists whatever the list merge strategy."""
    case = conformance_dir("test-cases", "append-function")
    expected = YAML(typ="safe").load((case / "expected-result.yaml").read_text())
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    (tmp_path / "atmos.yaml").write_text("stacks:\n  base_path: stacks\n  included_paths: [override-with-append.yaml]\n")
    for name in ("base.yaml", "override-with-append.yaml"):
        (stacks / name).write_text((case / name).read_text())
    for name, body in expected["components"]["terraform"].items():
        got = describe(tmp_path, name, "override-with-append")
        assert got["vars"] == body["vars"], name
        for key, value in body.get("settings", {}).items():
            assert got["settings"][key] == value, (name, key)
