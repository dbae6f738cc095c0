"""Go templates end to end on the command line: stack names, `describe` values and `--check`
findings, on trees built from Atmos's examples and docs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import write_tree

# cloudposse/atmos examples/quick-start-advanced/atmos.yaml (current): templates on, and a
# name_template with $vars, if/else and fail.
ATMOS = """
base_path: "."
stacks:
  base_path: stacks
  included_paths: ["orgs/**/*"]
  excluded_paths: ["**/_defaults.yaml"]
  name_template: |-
    {{- $vars := .vars -}}
    {{- if and (hasKey $vars "tenant") (hasKey $vars "environment") (hasKey $vars "stage") -}}
    {{- printf "%s-%s-%s" $vars.tenant $vars.environment $vars.stage -}}
    {{- else -}}
    {{- fail "stacks need vars tenant, environment and stage" -}}
    {{- end -}}
templates:
  settings:
    enabled: true
    evaluations: 1
    sprig: {enabled: true}
    gomplate: {enabled: true}
"""

TREE = {
    "atmos.yaml": ATMOS,
    # Atmos website/docs/stacks/templates.mdx: backend and vars templated on the component's
    # own section (`.vars`, `.atmos_component`, `.atmos_stack`, `.workspace`).
    "stacks/catalog/vpc.yaml": """
        terraform:
          backend_type: s3
          backend:
            s3:
              bucket: "{{ .vars.stage }}-tfstate"
              key: "{{ .atmos_component }}/{{ .workspace }}.tfstate"
        components:
          terraform:
            vpc:
              vars:
                name: "{{ .vars.tenant }}-{{ .vars.environment }}-{{ .vars.stage }}-vpc"
                label: '{{ .atmos_stack | upper }}'
                zones: '{{ range $i, $z := .settings.zones }}{{ if $i }},{{ end }}{{ $z }}{{ end }}'
                home: '{{ env "HOME" }}'
                literal: '{{`{{ .vars.stage }}`}}'
              settings:
                zones: [a, b]
    """,
    "stacks/orgs/acme/plat/nonprod.yaml": """
        import: [catalog/vpc]
        vars: {tenant: plat, environment: ue2, stage: nonprod}
    """,
    "stacks/orgs/acme/plat/broken.yaml": """
        import: [catalog/vpc]
        vars: {tenant: plat, stage: broken}
        components: {terraform: {other: {vars: {x: 1}}}}
    """,
}


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stack_lsp", *args], cwd=root,
                          capture_output=True, text=True, check=False)  # fmt: skip


def describe(root: Path, component: str, stack: str) -> dict[str, Any]:
    result = run(root, "describe", "component", component, "-s", stack, "--format", "json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_rendered_values_in_describe_component_and_stacks(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    assert run(tmp_path, "list", "stacks").stdout == "plat-ue2-nonprod\n"
    data = describe(tmp_path, "vpc", "plat-ue2-nonprod")
    # workspace_key_prefix: what Atmos derives for s3 [internal/exec/stack_processor_merge.go]
    assert data["backend"] == {
        "bucket": "nonprod-tfstate",
        "key": "vpc/plat-ue2-nonprod.tfstate",
        "workspace_key_prefix": "vpc",
    }
    assert data["vars"]["name"] == "plat-ue2-nonprod-vpc"
    assert data["vars"]["label"] == "PLAT-UE2-NONPROD"
    assert data["vars"]["zones"] == "a,b"
    assert data["vars"]["home"] == '{{ env "HOME" }}'  # never run: as written
    assert data["vars"]["literal"] == "{{ .vars.stage }}"  # escaped: rendered once
    stacks = json.loads(run(tmp_path, "describe", "stacks", "--format", "json").stdout)
    assert stacks["plat-ue2-nonprod"]["components"]["terraform"]["vpc"]["backend"]["bucket"] == "nonprod-tfstate"


def test_check_reports_one_naming_error_per_stack_and_the_unevaluated_template(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    result = run(tmp_path, "--check", ".", "--format", "json")
    assert result.returncode == 1
    found = [(d["file"], d["range"]["start"]["line"], d["code"], d["message"]) for d in json.loads(result.stdout)["diagnostics"]]
    naming = [f for f in found if f[2] == "STK206"]
    assert naming == [(
        "stacks/orgs/acme/plat/broken.yaml", 1, "STK206",
        "stack name for component 'vpc' cannot be computed: name_template fails: "
        "stacks need vars tenant, environment and stage",
    )]  # fmt: skip
    assert [(f[0], f[1], f[2]) for f in found if f[2] != "STK206"] == [
        ("stacks/catalog/vpc.yaml", 14, "STK112")
    ]


def test_templates_stay_as_written_when_disabled(tmp_path: Path) -> None:
    # Atmos internal/exec/template_utils.go ProcessTmplWithDatasources returns the value
    # unchanged when templates.settings.enabled is false.
    write_tree(tmp_path, {**TREE, "atmos.yaml": ATMOS.replace("enabled: true\n    evaluations", "enabled: false\n    evaluations")})
    data = describe(tmp_path, "vpc", "plat-ue2-nonprod")
    assert data["backend"]["bucket"] == "{{ .vars.stage }}-tfstate"


def test_nested_templated_import_reads_settings_of_an_earlier_import(tmp_path: Path) -> None:
    # An import path templated on settings that an earlier import of the same stack set, two
    # levels down (Atmos website/docs/stacks/imports.mdx "Go templates in imports").
    write_tree(tmp_path, {
        "atmos.yaml": ATMOS,
        "stacks/orgs/acme/dev.yaml": """
            import: [catalog/defaults, catalog/app]
            vars: {tenant: acme, environment: ue1, stage: dev}
        """,
        "stacks/catalog/defaults.yaml": "settings: {region: use1}\n",
        "stacks/catalog/app.yaml": "import: [catalog/nested]\n",
        "stacks/catalog/nested.yaml": """
            import: ['mixins/region/{{ .settings.region }}']
            components: {terraform: {app: {vars: {a: 1}}}}
        """,
        "stacks/mixins/region/use1.yaml": "vars: {region: us-east-1}\n",
    })  # fmt: skip
    assert describe(tmp_path, "app", "acme-ue1-dev")["vars"]["region"] == "us-east-1"
    assert run(tmp_path, "--check", ".").returncode == 0


def test_fail_and_bounds_are_findings_at_the_value(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "atmos.yaml": ATMOS,
        "stacks/orgs/acme/dev.yaml": """
            vars: {tenant: acme, environment: ue1, stage: dev}
            components:
              terraform:
                app:
                  vars:
                    size: '{{ if not .vars.size_override }}{{ fail "set size_override" }}{{ end }}'
                    size_override: ""
                    huge: '{{ range until 100000 }}{{ range until 100000 }}x{{ end }}{{ end }}'
        """,
    })  # fmt: skip
    result = run(tmp_path, "--check", ".", "--format", "json")
    found = sorted(
        (d["range"]["start"]["line"], d["code"], d["severity"], d["message"])
        for d in json.loads(result.stdout)["diagnostics"]
    )
    assert [f[:3] for f in found] == [(6, "STK108", "error"), (8, "STK109", "warning")]
    assert found[0][3] == "template fails: set size_override"
    assert result.returncode == 1
    values = describe(tmp_path, "app", "acme-ue1-dev")["vars"]
    assert values["size"].startswith("{{ if not")  # as written: Atmos stops here
