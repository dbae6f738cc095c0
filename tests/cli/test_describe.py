"""`describe` and `list` on the command line: names, shapes, provenance, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import write_tree

TREE = {
    "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['deploy/**/*'], name_template: '{{ .vars.tenant }}-{{ .vars.stage }}'}\n",
    "stacks/deploy/dev.yaml": """
        import: [catalog/vpc]
        vars: {tenant: fnx, stage: dev}
        components:
          terraform:
            vpc:
              metadata: {inherits: [vpc/defaults]}
              vars: {nat_gateway_count: 1}
    """,
    "stacks/deploy/prod.yaml": "import: [catalog/vpc]\nvars: {tenant: fnx, stage: prod}\ncomponents: {terraform: {vpc: {metadata: {inherits: [vpc/defaults]}}}}\n",
    "stacks/catalog/vpc.yaml": """
        components:
          terraform:
            vpc/defaults:
              metadata: {type: abstract, component: vpc}
              vars:
                nat_gateway_count: 3
                cidr: 10.0.0.0/16
    """,
}


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stack_lsp", *args], cwd=root,
                          capture_output=True, text=True, check=False)  # fmt: skip


def test_list_stacks_and_components(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    assert run(tmp_path, "list", "stacks").stdout == "fnx-dev\nfnx-prod\n"
    assert json.loads(run(tmp_path, "list", "stacks", "--format", "json").stdout) == ["fnx-dev", "fnx-prod"]
    assert run(tmp_path, "list", "components", "-s", "fnx-dev").stdout == "vpc\nvpc/defaults  (abstract)\n"


def test_describe_component_json_with_provenance(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    result = run(tmp_path, "describe", "component", "vpc", "-s", "fnx-dev", "--format", "json", "--provenance")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["atmos_component"] == "vpc" and data["atmos_stack"] == "fnx-dev"
    assert data["component"] == "vpc" and data["inheritance"] == ["vpc/defaults"]
    assert data["vars"] == {"cidr": "10.0.0.0/16", "nat_gateway_count": 1, "stage": "dev", "tenant": "fnx"}
    assert data["imports"] == ["catalog/vpc"]
    assert data["workspace"] == "fnx-dev"
    for key in ("settings", "env", "backend_type", "backend", "metadata", "providers", "overrides", "deps"):
        assert key in data
    assert data["provenance"]["vars.nat_gateway_count"] == {
        "file": "deploy/dev.yaml", "line": 7, "column": 14, "layer": "inline",
        "shadowed": [{"file": "catalog/vpc.yaml", "line": 6, "column": 9, "layer": "inherited", "value": 3}],
    }  # fmt: skip
    assert data["provenance"]["vars.cidr"]["layer"] == "inherited"


def test_describe_component_yaml_marks_each_line(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    out = run(tmp_path, "describe", "component", "vpc", "-s", "fnx-prod", "--provenance").stdout
    assert "  nat_gateway_count: 3  # catalog/vpc.yaml:6 (inherited)\n" in out
    assert "  tenant: fnx  # deploy/prod.yaml:2 (inline)\n" in out


def test_describe_stacks_filter(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    data = json.loads(run(tmp_path, "describe", "stacks", "--format", "json", "--filter", "stage=prod").stdout)
    assert list(data) == ["fnx-prod"]
    assert sorted(data["fnx-prod"]["components"]["terraform"]) == ["vpc", "vpc/defaults"]


def test_unknown_stack_or_component_exits_2_with_suggestions(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    result = run(tmp_path, "describe", "component", "vpc", "-s", "fnx-dve")
    assert result.returncode == 2
    assert result.stderr.startswith("stack-lsp: stack 'fnx-dve' not found\ndid you mean: fnx-dev")
    result = run(tmp_path, "describe", "component", "vcp", "-s", "fnx-dev")
    assert result.returncode == 2
    assert "component 'vcp' not found in stack 'fnx-dev'" in result.stderr
    assert "did you mean: vpc" in result.stderr


def test_config_flag_and_env(tmp_path: Path) -> None:
    write_tree(tmp_path / "repo", TREE)
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert run(other, "--config", str(tmp_path / "repo"), "list", "stacks").stdout == "fnx-dev\nfnx-prod\n"
    bad = run(other, "--config", str(tmp_path / "nope"), "list", "stacks")
    assert bad.returncode == 2 and "configuration not found" in bad.stderr
