"""Every component kind Atmos knows (and custom ones) makes stacks, merges its type section,
lists and describes like terraform; atmos.yaml with YAML functions loads."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_describe import run
from tests.conftest import write_tree

# pkg/config/const.go: terraform, helmfile, packer, ansible, container, emulator, kubernetes,
# helm; pkg/component/custom/provider.go: a custom command's component type.
TREE = {
    "atmos.yaml": """
        base_path: !env ATMOS_TEST_ROOT .
        stacks:
          base_path: stacks
          included_paths: ["deploy/**/*"]
          name_template: "{{ .vars.stage }}"
        components:
          ansible: {base_path: playbooks}
          terraform: {command: !env TF_BIN terraform}
        commands:
          - name: lint
            component: {type: script}
    """,
    "stacks/deploy/dev.yaml": """
        vars: {stage: dev}
        ansible:
          vars: {become: true}
        helm:
          settings: {chart_repo: 'oci://registry'}
        components:
          ansible:
            site: {vars: {hosts: web}}
          helm:
            nginx: {vars: {replicas: 2}}
          kubernetes:
            app: {vars: {namespace: apps}}
          container:
            api: {vars: {image: api}}
          emulator:
            aws: {vars: {driver: floci/aws}}
          script:
            check: {command: bash}
    """,
}


def test_every_kind_makes_a_stack_and_lists(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    result = run(tmp_path, "list", "stacks")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "dev\n"
    listed = run(tmp_path, "list", "components", "-s", "dev").stdout.split()
    assert sorted(listed) == ["api", "app", "aws", "check", "nginx", "site"]


def test_describe_ansible_merges_its_type_section_and_base_path(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    result = run(tmp_path, "describe", "component", "site", "-s", "dev", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["vars"] == {"become": True, "hosts": "web", "stage": "dev"}
    assert data["component_info"] == {"component_path": "playbooks/site", "component_type": "ansible"}
    # stack_processor_merge.go: the command defaults to the kind; no backend or providers
    # outside terraform.
    assert data["command"] == "ansible"
    for key in ("backend", "backend_type", "providers", "hooks", "remote_state_backend"):
        assert key not in data


def test_describe_helm_and_custom_kind(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    helm = json.loads(run(tmp_path, "describe", "component", "nginx", "-s", "dev", "--format", "json").stdout)
    assert helm["settings"] == {"chart_repo": "oci://registry"}
    assert helm["component_info"]["component_path"] == "components/helm/nginx"
    script = json.loads(run(tmp_path, "describe", "component", "check", "-s", "dev", "--format", "json").stdout)
    assert script["command"] == "bash"
    assert script["component_info"] == {"component_path": "components/script/check", "component_type": "script"}


def test_terraform_command_from_atmos_yaml(tmp_path: Path) -> None:
    # stack_processor_merge.go: components.terraform.command, then the stack's `command`.
    write_tree(tmp_path, {**TREE, "stacks/deploy/dev.yaml": "vars: {stage: dev}\ncomponents: {terraform: {vpc: {vars: {a: 1}}, dns: {command: tofu}}}\n"})
    vpc = json.loads(run(tmp_path, "describe", "component", "vpc", "-s", "dev", "--format", "json").stdout)
    assert vpc["command"] == "terraform"
    assert vpc["component_info"]["component_path"] == "components/terraform/vpc"
    dns = json.loads(run(tmp_path, "describe", "component", "dns", "-s", "dev", "--format", "json").stdout)
    assert dns["command"] == "tofu"


def test_exec_in_atmos_yaml_is_a_warning_not_an_exit_2(tmp_path: Path) -> None:
    write_tree(tmp_path, {**TREE, "atmos.yaml": "stacks:\n  base_path: stacks\n  included_paths: ['deploy/**/*']\n  name_pattern: !exec echo stage\n"})
    result = run(tmp_path, "--check")
    assert result.returncode != 2, result.stderr
    assert "STK120" in result.stdout + result.stderr


def test_atmos_yaml_and_fragments_under_the_stacks_base_are_no_manifests(tmp_path: Path) -> None:
    # The configuration files are read as configuration only, even where stacks.base_path is
    # the project root and included_paths match everything.
    write_tree(tmp_path, {
        "atmos.yaml": "stacks: {base_path: ., included_paths: ['**/*'], name_template: '{{ .vars.stage }}'}\ncomponents: {terraform: {command: !env TF_BIN tofu}}\n",
        "atmos.d/extra.yaml": "settings: {list_merge_strategy: replace}\n",
        "dev.yaml": "vars: {stage: dev}\ncomponents: {terraform: {vpc: {vars: {a: 1}}}}\n",
    })
    check = run(tmp_path, "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert run(tmp_path, "list", "stacks").stdout == "dev\n"


def test_hover_and_completion_see_other_kinds(tmp_path: Path) -> None:
    # What the editor's hover (key_in_stack) and inherits completion (visible_components)
    # answer for a helm and an ansible component, as for terraform ones.
    from stack_lsp import queries
    from tests.conftest import load_stacks

    write_tree(tmp_path, {**TREE, "stacks/deploy/dev.yaml": """
        vars: {stage: dev}
        components:
          helm:
            nginx: {vars: {replicas: 2}}
          ansible:
            site/base: {metadata: {type: abstract}, vars: {hosts: all}}
            site: {metadata: {inherits: [site/base]}}
    """})
    stacks = load_stacks(tmp_path)
    dev = str(tmp_path / "stacks/deploy/dev.yaml")
    found = queries.key_in_stack(stacks, dev, ("components", "helm", "nginx", "vars", "replicas"))
    assert found is not None
    assert (found.stack, found.component.kind, found.trace.final.value.plain()) == ("dev", "helm", 2)
    assert found.trace.final.line == 4
    assert queries.visible_components(stacks, dev, "ansible") == [("site/base", True), ("site", False)]
    hosts = queries.key_in_stack(stacks, dev, ("components", "ansible", "site/base", "vars", "hosts"))
    assert hosts is not None and hosts.component.name == "site/base"
