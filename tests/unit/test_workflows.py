"""Workflow manifests (STK620-STK626): recognised under `workflows.base_path`, never taken for
stack manifests, and checked against the stack tree.

Atmos reference: pkg/schema/workflow.go (WorkflowManifest, WorkflowDefinition, WorkflowStep),
internal/exec/workflow_utils.go (an empty `type` is `atmos`; the step's `stack`, else the
workflow's, is appended as `-s`; no steps is ErrWorkflowNoSteps), pkg/runner/step (the step
types), internal/exec/describe_workflows.go (workflow files are the YAML files of the base).
"""

from __future__ import annotations

from pathlib import Path

from stack_lsp.validation.parallel import check_tree
from stack_lsp.config import load_config
from stack_lsp.stacks import Stacks
from stack_lsp.validation import check
from stack_lsp.workflows import read_command, read_manifest, split_words
from stack_lsp.workspace import Workspace

from tests.conftest import REPO, TreeFactory

ATMOS = """
base_path: "."
stacks:
  base_path: stacks
  included_paths: ["deploy/**/*"]
  name_pattern: "{stage}"
workflows:
  base_path: stacks/workflows
"""

DEV = """
vars:
  stage: dev
components:
  terraform:
    vpc:
      vars: {cidr: 10.0.0.0/16}
    eks:
      vars: {version: "1.29"}
"""


def seen(stacks: Stacks) -> list[tuple[int, int, str, str]]:
    return [
        (d.span.start_line + 1, d.span.start_col + 1, d.code, d.message)
        for d in check(stacks)
        if d.file.endswith("deploy.yaml")
    ]


def make(tree: TreeFactory, workflow: str) -> Stacks:
    return tree(
        {
            "atmos.yaml": ATMOS,
            "stacks/deploy/dev.yaml": DEV,
            "stacks/workflows/deploy.yaml": workflow,
        }
    )


def test_a_workflow_file_under_the_stacks_base_is_neither_a_manifest_nor_unused(
    tree: TreeFactory,
) -> None:
    stacks = make(
        tree,
        """
        workflows:
          up:
            steps:
              - command: terraform apply vpc -s dev
        """,
    )
    assert all("workflows" not in p for p in stacks.ws.manifest_files())
    assert [Path(p).name for p in stacks.ws.workflow_files()] == ["deploy.yaml"]
    assert check(stacks) == []


def test_each_finding_at_its_word(tree: TreeFactory) -> None:
    stacks = make(
        tree,
        """
        workflows:
          up:
            description: bring dev up
            stak: dev
            steps:
              - command: terraform apply vpcc -s dev
              - command: terraform plan vpc -s deve
              - command: terraform plan vpc --stack=prod
              - type: shel
                command: echo hi
              - command: terraformm plan vpc -s dev
              - name: in-step-stack
                stack: dev
                command: terraform plan ekss
              - command: workflow down -f deploy
              - command: workflow up -f nowhere
          empty:
            steps: []
        """,
    )
    assert seen(stacks) == [
        (4, 5, "STK626", "unknown key 'stak' (Atmos ignores it); did you mean 'stack'?"),
        (
            6,
            34,
            "STK624",
            "terraform component 'vpcc' is not in stack 'dev'; did you mean 'vpc'?",
        ),
        (7, 40, "STK623", "stack 'deve' is not a stack of this tree; did you mean 'dev'?"),
        (8, 45, "STK623", "stack 'prod' is not a stack of this tree"),
        (9, 15, "STK621", "unknown step type 'shel' (atmos, shell, …); did you mean 'shell'?"),
        (
            11,
            18,
            "STK622",
            "'terraformm' is not an Atmos command; did you mean 'terraform'?",
        ),
        (14, 33, "STK624", "terraform component 'ekss' is not in stack 'dev'; did you mean 'eks'?"),
        (15, 27, "STK625", "workflow 'down' is not in 'deploy'"),
        (16, 33, "STK625", "workflow file 'nowhere' not found"),
        (18, 12, "STK620", "workflow 'empty' has no steps; Atmos refuses to run it"),
    ]


def test_the_workflow_stack_wins_over_the_commands_flag(tree: TreeFactory) -> None:
    """Atmos appends `-s <workflow stack>` after the command, so the last `-s` counts."""
    stacks = make(
        tree,
        """
        workflows:
          up:
            stack: dev
            steps:
              - command: terraform plan eks -s nowhere
        """,
    )
    assert seen(stacks) == [
        (5, 40, "STK623", "stack 'nowhere' is not a stack of this tree"),
    ]


def test_a_stack_file_name_is_a_stack_too(tree: TreeFactory) -> None:
    stacks = make(
        tree,
        """
        workflows:
          up:
            steps:
              - command: terraform plan vpc -s deploy/dev
              - command: terraform plan vpc -s "{{ .stack }}"
        """,
    )
    assert seen(stacks) == []


def test_shapes_atmos_cannot_decode(tree: TreeFactory) -> None:
    stacks = make(
        tree,
        """
        workflows:
          up:
            steps:
              - just a string
              - command: [terraform, plan]
          other: 3
        """,
    )
    assert seen(stacks) == [
        (4, 9, "STK620", "step 1 must be a map with a 'command'"),
        (5, 18, "STK620", "'command' must be a string"),
        (6, 10, "STK620", "workflow 'other' must be a map with 'steps'"),
    ]


def test_a_file_without_workflows(tree: TreeFactory) -> None:
    stacks = make(tree, "vars: {stage: dev}\n")
    assert seen(stacks) == [
        (1, 1, "STK620", "a workflow manifest needs a 'workflows' map"),
        (1, 1, "STK626", "unknown key 'vars' (Atmos ignores it)"),
    ]


def test_words_with_quotes_keep_their_written_place() -> None:
    assert split_words("terraform plan 'my comp' -s \"a b\"") == [
        ("terraform", 0, 9),
        ("plan", 10, 14),
        ("my comp", 15, 24),
        ("-s", 25, 27),
        ("a b", 28, 33),
    ]


def test_block_scalar_commands_are_placed_on_their_line(tree: TreeFactory) -> None:
    stacks = make(
        tree,
        """
        workflows:
          up:
            steps:
              - command: >-
                  terraform plan
                  vpcc -s dev
        """,
    )
    assert seen(stacks) == [
        (6, 11, "STK624", "terraform component 'vpcc' is not in stack 'dev'; did you mean 'vpc'?"),
    ]


def test_generate_and_describe_name_their_component() -> None:
    from stack_lsp.tree import ZERO_SPAN
    from stack_lsp.workflows import Word

    def component(line: str) -> tuple[str | None, str | None]:
        found = read_command([Word(w, ZERO_SPAN) for w, _, _ in split_words(line)])
        return (found.component.text if found.component else None), found.component_kind

    assert component("terraform generate varfile vpc -s dev") == ("vpc", "terraform")
    assert component("terraform generate backends") == (None, None)
    assert component("describe component eks -s dev") == ("eks", "")
    assert component("helmfile sync nginx -s dev") == ("nginx", "helmfile")
    assert component("terraform plan -s dev vpc") == ("vpc", "terraform")
    assert component("describe stacks") == (None, None)


def test_broken_yaml_and_binary_files_are_reported_without_a_crash(tree: TreeFactory) -> None:
    stacks = make(tree, "workflows:\n  up: [\n")
    binary = Path(stacks.ws.workflows_base or "") / "blob.yaml"
    binary.write_bytes(b"workflows:\x00\x01")
    stacks.ws.file_changed(str(binary), created_or_deleted=True)
    found = [
        (Path(d.file).name, d.code, d.span.start_line + 1)
        for d in check(stacks)
        if stacks.ws.in_workflows(d.file)
    ]
    assert found == [("blob.yaml", "STK004", 1), ("deploy.yaml", "STK001", 3)]
    assert read_manifest(stacks.ws.document(str(binary))).workflows == []


def test_the_bundled_tree_workflows_are_clean() -> None:
    config = load_config(cwd=str(REPO))
    ws = Workspace(config)
    assert sorted(Path(p).name for p in ws.workflow_files()) == [
        "deploy-environment.yaml",
        "drift-detection.yaml",
    ]
    found = check_tree(config, jobs=1).findings
    assert [d for d in found if ws.in_workflows(d.file)] == []


def test_without_workflows_base_path_atmos_default_is_used(tree: TreeFactory) -> None:
    """pkg/config/default.go: workflows.base_path defaults to stacks/workflows."""
    stacks = tree(
        {
            "atmos.yaml": ATMOS.replace("workflows:\n  base_path: stacks/workflows\n", ""),
            "stacks/deploy/dev.yaml": DEV,
            "stacks/workflows/deploy.yaml": "workflows:\n  up:\n    steps:\n      - command: x\n",
        }
    )
    assert [Path(p).name for p in stacks.ws.workflow_files()] == ["deploy.yaml"]
    assert [(d.code, d.message) for d in check(stacks)] == [
        ("STK622", "'x' is not an Atmos command")
    ]


def test_custom_commands_and_aliases_are_atmos_commands(tree: TreeFactory) -> None:
    """atmos.yaml `commands:` and `aliases:` add commands (pkg/schema/schema.go Commands,
    CommandAliases)."""
    extra = "commands:\n  - name: deploy-all\naliases:\n  tp: terraform plan\n"
    stacks = tree(
        {
            "atmos.yaml": ATMOS + extra,
            "stacks/deploy/dev.yaml": DEV,
            "stacks/workflows/deploy.yaml": (
                "workflows:\n  up:\n    steps:\n      - command: deploy-all\n"
                "      - command: tp vpc -s dev\n      - command: deploy-al\n"
            ),
        }
    )
    assert [(d.code, d.message) for d in check(stacks)] == [
        ("STK622", "'deploy-al' is not an Atmos command; did you mean 'deploy-all'?")
    ]
