"""`describe` and `list` on the command line: names, shapes, provenance, exit codes."""

from __future__ import annotations

import json
import os
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


# internal/exec/stack_processor_merge.go mergeComponentConfigurations: auth (atmos.yaml → global
# → type → bases → component → overrides, atmos.yaml's only for terraform), command
# (components.terraform.command / ATMOS_COMPONENTS_TERRAFORM_COMMAND, then the stack),
# required_providers and required_version (type → bases → component → overrides), source and
# provision (type → bases → component), dependencies (global → type → bases → component) and
# retry (bases → component → overrides) only when written, generate.
SECTIONS_TREE = {
    "atmos.yaml": """
        stacks: {base_path: stacks, included_paths: ['deploy/**/*'], name_template: '{{ .vars.stage }}'}
        components: {terraform: {command: terraform}}
        auth:
          providers: {sso: {kind: aws/iam-identity-center, region: us-east-1}}
    """,
    "stacks/deploy/dev.yaml": """
        vars: {stage: dev}
        dependencies: {components: [{component: dns}]}
        terraform:
          required_version: ">= 1.9"
          required_providers: {aws: {source: hashicorp/aws, version: "~> 5.0"}}
          source: {type: git}
          generate: {locals.tf: {locals: {a: 1}}}
        components:
          terraform:
            base:
              metadata: {type: abstract}
              retry: {max_attempts: 3}
              auth: {identities: {dev: {kind: aws/permission-set}}}
            vpc:
              metadata: {inherits: [base]}
              provision: {workdir: {enabled: true}}
              retry: {backoff_strategy: exponential}
              overrides: {required_version: "= 1.9.5"}
          helmfile:
            nginx: {vars: {a: 1}}
    """,
}


def test_describe_component_has_every_section_atmos_emits(tmp_path: Path) -> None:
    write_tree(tmp_path, SECTIONS_TREE)
    result = subprocess.run([sys.executable, "-m", "stack_lsp", "describe", "component", "vpc", "-s", "dev", "--format", "json"],
                            cwd=tmp_path, capture_output=True, text=True, check=False,
                            env={**os.environ, "ATMOS_COMPONENTS_TERRAFORM_COMMAND": "tofu"})  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["command"] == "tofu"
    assert data["auth"] == {
        "identities": {"dev": {"kind": "aws/permission-set"}},
        "providers": {"sso": {"kind": "aws/iam-identity-center", "region": "us-east-1"}},
    }
    assert data["required_version"] == "= 1.9.5"
    assert data["required_providers"] == {"aws": {"source": "hashicorp/aws", "version": "~> 5.0"}}
    assert data["source"] == {"type": "git"}
    assert data["provision"] == {"workdir": {"enabled": True}}
    assert data["dependencies"] == {"components": [{"component": "dns"}]}
    assert data["retry"] == {"backoff_strategy": "exponential", "max_attempts": 3}
    assert data["generate"] == {"locals.tf": {"locals": {"a": 1}}}
    helmfile = json.loads(run(tmp_path, "describe", "component", "nginx", "-s", "dev", "--format", "json").stdout)
    assert helmfile["command"] == "helmfile" and "auth" in helmfile and helmfile["auth"] == {}
    for key in ("backend", "providers", "required_version", "source", "generate", "retry"):
        assert key not in helmfile
    assert helmfile["dependencies"] == {"components": [{"component": "dns"}]}


PATH_TREE = {
    "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['deploy/**/*'], name_template: '{{ .vars.stage }}'}\n",
    "components/terraform/vpc/main.tf": "",
    "components/terraform/dns/main.tf": "",
    "components/terraform/legacy-dir/main.tf": "",
    "stacks/deploy/dev.yaml": """
        vars: {stage: dev}
        components:
          terraform:
            vpc: {vars: {a: 1}}
            dns-primary: {metadata: {component: dns}, vars: {b: 2}}
            old: {component: legacy-dir, vars: {c: 3}}
            lb-1: {metadata: {component: lb}}
            lb-2: {metadata: {component: lb}}
    """,
}


def test_describe_component_by_path(tmp_path: Path) -> None:
    # pkg/component/path.go IsExplicitComponentPath (".", "./…", "../…", absolute) and
    # pkg/component/resolver.go: the stack key of that name, else the one component whose
    # `component` / `metadata.component` is the directory; several → ambiguous.
    write_tree(tmp_path, PATH_TREE)
    (tmp_path / "components/terraform/lb").mkdir()
    vpc = run(tmp_path / "components/terraform/vpc", "describe", "component", ".", "-s", "dev", "--format", "json")
    assert vpc.returncode == 0, vpc.stderr
    assert json.loads(vpc.stdout)["atmos_component"] == "vpc"
    dns = json.loads(run(tmp_path, "describe", "component", "./components/terraform/dns", "-s", "dev", "--format", "json").stdout)
    assert (dns["atmos_component"], dns["component"], dns["vars"]["b"]) == ("dns-primary", "dns", 2)
    ambiguous = run(tmp_path, "describe", "component", "./components/terraform/lb", "-s", "dev")
    assert ambiguous.returncode == 2 and "lb-1, lb-2" in ambiguous.stderr


def test_legacy_component_naming_a_directory_is_no_error(tmp_path: Path) -> None:
    # internal/exec/stack_processor_utils.go ProcessBaseComponentConfig: a legacy `component:`
    # that is no component of the stack but an existing component directory is accepted.
    write_tree(tmp_path, PATH_TREE)
    old = json.loads(run(tmp_path, "describe", "component", "old", "-s", "dev", "--format", "json").stdout)
    assert old["component"] == "legacy-dir"
    assert old["component_info"]["component_path"] == "components/terraform/legacy-dir"
    check = run(tmp_path, "--check")
    assert "STK202" not in check.stdout, check.stdout


def test_backend_keys_atmos_derives(tmp_path: Path) -> None:
    # internal/exec/stack_processor_merge.go processTerraformBackend: s3 workspace_key_prefix,
    # gcs prefix, azurerm key from the component directory ("/" → "-"); a global azurerm key
    # becomes the key's prefix. processTerraformRemoteStateBackend: the type defaults to the
    # backend's, and the section is the backend merged with remote_state_backend.
    write_tree(tmp_path, {
        "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['deploy/**/*'], name_template: '{{ .vars.stage }}'}\n",
        "stacks/deploy/dev.yaml": """
            vars: {stage: dev}
            terraform:
              backend_type: s3
              backend: {s3: {bucket: tfstate}, azurerm: {key: global}}
              remote_state_backend: {s3: {role_arn: reader}}
            components:
              terraform:
                eks/cluster: {vars: {a: 1}}
                vpc-1: {metadata: {component: infra/vpc}}
                kept: {backend: {s3: {workspace_key_prefix: mine}}}
                blob: {backend_type: azurerm}
                bucket: {backend_type: gcs, backend: {gcs: {bucket: g}}}
        """,
    })

    def describe(name: str) -> dict[str, object]:
        result = run(tmp_path, "describe", "component", name, "-s", "dev", "--format", "json")
        assert result.returncode == 0, result.stderr
        data: dict[str, object] = json.loads(result.stdout)
        return data

    eks = describe("eks/cluster")
    assert eks["backend"] == {"bucket": "tfstate", "workspace_key_prefix": "eks-cluster"}
    assert eks["remote_state_backend_type"] == "s3"
    assert eks["remote_state_backend"] == {"bucket": "tfstate", "role_arn": "reader", "workspace_key_prefix": "eks-cluster"}
    assert describe("vpc-1")["backend"] == {"bucket": "tfstate", "workspace_key_prefix": "infra-vpc"}
    assert describe("kept")["backend"] == {"bucket": "tfstate", "workspace_key_prefix": "mine"}
    assert describe("blob")["backend"] == {"key": "global/blob.terraform.tfstate"}
    assert describe("bucket")["backend"] == {"bucket": "g", "prefix": "bucket"}
