"""The manifest schema (STK310-STK312): one finding per problem, on the exact key or value."""

from __future__ import annotations

from stack_lsp.stacks import Stacks
from stack_lsp.validation import check

from tests.conftest import TreeFactory, conformance_dir, load_stacks


def seen(stacks: Stacks) -> list[tuple[str, int, int, int, str, str]]:
    """(file, line, column, end column, code, message) as a user reads them (1-based)."""
    rel = stacks.ws.config.rel
    return [
        (
            rel(d.file),
            d.span.start_line + 1,
            d.span.start_col + 1,
            d.span.end_col + 1,
            d.code,
            d.message,
        )
        for d in check(stacks)
    ]


def test_wrong_type_lands_on_the_value(tree: TreeFactory) -> None:
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        vars:
          stage: dev
        components: vpc.yaml
    """
        }
    )
    assert seen(stacks) == [
        ("deploy/dev.yaml", 3, 13, 21, "STK310", 'components must be a map, not "vpc.yaml"'),
    ]


def test_unknown_key_lands_on_that_key_with_a_suggestion(tree: TreeFactory) -> None:
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        vars:
          stage: dev
        components:
          terraform:
            vpc:
              var:
                cidr: 10.0.0.0/16
    """
        }
    )
    assert seen(stacks) == [
        (
            "deploy/dev.yaml",
            6,
            7,
            10,
            "STK311",
            "unknown key 'var' in components.terraform.vpc; did you mean 'vars'? (allowed: auth, "
            "backend, backend_type, command, component, dependencies, env, flags, generate, "
            "hooks, locals, metadata, mocks, overrides, providers, provision, "
            "remote_state_backend, remote_state_backend_type, required_providers, "
            "required_version, retry, secrets, settings, source, test, vars)",
        ),
    ]


def test_enum_and_missing_required_key(tree: TreeFactory) -> None:
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        vars:
          stage: dev
        settings:
          validation:
            vpc:
              schema_type: cue
        components:
          terraform:
            vpc:
              metadata:
                type: abstrct
    """
        }
    )
    assert seen(stacks) == [
        (
            "deploy/dev.yaml",
            5,
            5,
            8,
            "STK312",
            "settings.validation.vpc: required key 'schema_path' is missing",
        ),
        (
            "deploy/dev.yaml",
            6,
            20,
            23,
            "STK310",
            'settings.validation.vpc.schema_type: "cue" is not one of jsonschema, opa',
        ),
        (
            "deploy/dev.yaml",
            11,
            15,
            22,
            "STK310",
            'components.terraform.vpc.metadata.type: "abstrct" is not one of abstract, real',
        ),
    ]


def test_global_metadata_keys_and_repeated_inherits(tree: TreeFactory) -> None:
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        vars:
          stage: dev
        metadata:
          component: vpc
        components:
          terraform:
            base: {metadata: {type: abstract}}
            vpc:
              metadata:
                inherits: [base, base]
    """
        }
    )
    found = seen(stacks)
    assert found[0][:5] == ("deploy/dev.yaml", 4, 3, 12, "STK311")
    assert found[0][5].startswith("unknown key 'component' in metadata (allowed: custom, enabled")
    assert found[1] == (
        "deploy/dev.yaml",
        10,
        26,
        30,
        "STK310",
        'components.terraform.vpc.metadata.inherits lists "base" twice; remove the repeat',
    )
    assert len(found) == 2


def test_no_cascade_under_a_wrong_type(tree: TreeFactory) -> None:
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        vars:
          stage: dev
        terraform:
          - vars: {a: 1}
            bogus: 2
    """
        }
    )
    assert [(f[4], f[1]) for f in seen(stacks)] == [("STK201", 4)]


def test_yaml_functions_and_templates_are_not_judged(tree: TreeFactory) -> None:
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
            vars:
              stage: dev
            components:
              terraform:
                vpc:
                  metadata:
                    enabled: "{{ .settings.on }}"
                  backend: !include ../catalog/backend.yaml
        """,
            "stacks/catalog/backend.yaml": "s3: {bucket: tfstate}\n",
        }
    )
    assert seen(stacks) == []


def test_the_engine_finding_is_not_repeated(tree: TreeFactory) -> None:
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        vars:
          stage: dev
        overrides: []
    """
        }
    )
    assert [(f[4], f[1], f[2]) for f in seen(stacks)] == [("STK201", 3, 12)]


def test_invalid_stacks_fixture_errors_where_atmos_does() -> None:
    root = conformance_dir("fixtures", "scenarios", "invalid-stacks")
    stacks = load_stacks(root)
    found = check(stacks)
    errors = {d.file for d in found if d.severity.label == "error"}
    by_stack = {stacks.ws.config.rel(s.path): s for s in stacks.all_files()}
    for name in (
        "missing-import",
        "invalid-template-import-path",
        "invalid",
        "invalid-import-template",
        "invalid-manifest-schema",
        "invalid-global-overrides",
        "invalid-import-enum",
        "invalid-import-missing-path",
        "invalid-helmfile-overrides",
        "invalid-helmfile-unknown-option",
    ):
        stack = by_stack[f"orgs/acme/platform/{name}.yaml"]
        assert errors & set(stack.result.files), f"{name}.yaml: no error in its import tree"
    assert not errors & set(by_stack["orgs/acme/platform/empty.yaml"].result.files)
    codes = {(stacks.ws.config.rel(d.file), d.code) for d in found}
    assert ("orgs/acme/platform/invalid-manifest-schema.yaml", "STK310") in codes
    assert ("orgs/acme/platform/invalid-helmfile-unknown-option.yaml", "STK311") in codes


def test_sections_of_the_current_atmos_schema_are_accepted(tree: TreeFactory) -> None:
    # Sections Atmos's stack processor reads for a component and the type-wide defaults
    # [pkg/config/const.go; internal/exec/stack_processor_unset.go unsettableComponentSections;
    # internal/exec/stack_processor_process_stacks_helpers_overrides.go reads
    # overrides.required_providers / required_version], the kinds of
    # pkg/datafetcher/schema/atmos/manifest/1.0.json (kubernetes, container, emulator) and of
    # pkg/config/const.go (ansible), every Terraform backend type (`http`), and
    # metadata.terraform_workspace_template (read by BuildTerraformWorkspace).
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        vars:
          stage: dev
        locals:
          region: us-east-1
        terraform:
          backend_type: http
          backend:
            http: {address: "https://state.example.com"}
          required_version: ">= 1.9"
          required_providers:
            aws: {source: hashicorp/aws, version: "~> 5.0"}
          dependencies:
            tools: {terraform: "1.9.0"}
          generate:
            versions.tf.json: {terraform: {}}
          retry: {max_attempts: 3}
          overrides:
            generate: {extra.tf.json: {}}
            required_version: ">= 1.10"
        kubernetes:
          vars: {namespace: apps}
          provider: kubectl
        components:
          terraform:
            vpc:
              source: github.com/cloudposse-terraform-components/aws-vpc//src?ref=v1.0.0
              provision:
                workdir: {enabled: true}
              mocks: {outputs: {vpc_id: vpc-123}}
              retry: {max_attempts: 2}
              remote_state_backend_type: http
              metadata:
                terraform_workspace_template: dev-vpc
          ansible:
            site:
              playbook: site.yml
              vars: {a: 1}
          container:
            db:
              image: postgres:16
              run: {ports: ["5432:5432"]}
          emulator:
            aws:
              driver: floci/aws
          kubernetes:
            app:
              manifests: []
          custom-kind:
            thing: {anything: [1, 2]}
    """
        }
    )
    assert [f for f in seen(stacks) if f[4].startswith("STK31")] == []


def test_new_sections_keep_types_and_suggestions(tree: TreeFactory) -> None:
    # The current schema still rejects these: a backend type Terraform does not have, a
    # misspelt section, a non-map where a map is required
    # [pkg/datafetcher/schema/atmos/manifest/1.0.json backend_type, terraform, vars].
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        vars:
          stage: dev
        terraform:
          backend_type: htp
          required_provider: {}
        components:
          ansible:
            site:
              vars: [1]
    """
        }
    )
    found = seen(stacks)
    assert found[0][:5] == ("deploy/dev.yaml", 4, 17, 20, "STK310")
    assert found[0][5].startswith('terraform.backend_type: "htp" is not one of local, s3')
    assert found[1][:5] == ("deploy/dev.yaml", 5, 3, 20, "STK311")
    assert found[1][5].startswith(
        "unknown key 'required_provider' in terraform; did you mean 'required_providers'?"
    )
    assert found[2] == (
        "deploy/dev.yaml",
        9,
        13,
        16,
        "STK310",
        "components.ansible.site.vars must be a map, not a list",
    )
    assert len(found) == 3
