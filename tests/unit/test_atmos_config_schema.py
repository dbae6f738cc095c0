"""atmos.yaml findings (STK601-STK605) at the key or value they are about.

Atmos reference: pkg/schema/schema.go (AtmosConfiguration: the keys Atmos reads),
pkg/config/config.go (paths relative to base_path; ATMOS_BASE_PATH …), pkg/config/utils.go
(included_paths/excluded_paths globs under stacks.base_path), internal/exec/template_utils.go
(stacks.name_template is a Go template).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from stack_lsp.config import from_mapping, load_config
from stack_lsp.validation.atmos_config import check_config
from stack_lsp.workspace import Workspace

from tests.conftest import REPO, write_tree

BROKEN = """
base_path: "."
components:
  terraform:
    base_path: components/terraform
  helmfile:
    base_path: helmfiles
stacks:
  base_path: stacks
  included_paths: ["deploy/**/*", "orgs/**/*"]
  name_template: "{{ .vars.tenant }-{{ .vars.stage }}"
workflow:
  base_path: stacks/workflows
schemas:
  opa:
    base_path: policies
settings:
  list_merge_strategy: replace-all
logs:
  level: Verbose
"""


def findings(root: Path) -> list[tuple[int, int, str, str]]:
    ws = Workspace(load_config(cwd=str(root)))
    return [
        (d.span.start_line + 1, d.span.start_col + 1, d.code, d.message)
        for d in sorted(check_config(ws), key=lambda d: (d.span.start_line, d.span.start_col))
    ]


def test_a_broken_atmos_yaml_gives_findings_at_exact_lines(tmp_path: Path) -> None:
    (tmp_path / "components/terraform").mkdir(parents=True)
    root = write_tree(tmp_path, {"atmos.yaml": BROKEN, "stacks/deploy/dev.yaml": "vars: {}\n"})
    assert findings(root) == [
        (6, 16, "STK603", "components.helmfile.base_path: directory helmfiles does not exist"),
        (
            9,
            35,
            "STK604",
            "included_paths: 'orgs/**/*' matches no manifest under stacks.base_path",
        ),
        (10, 18, "STK605", "stacks.name_template does not parse: bad character '}' in action"),
        (
            11,
            1,
            "STK602",
            "unknown key 'workflow' in the top level; did you mean 'workflows'?",
        ),
        (15, 16, "STK603", "schemas.opa.base_path: directory policies does not exist"),
        (
            17,
            24,
            "STK601",
            'settings.list_merge_strategy: "replace-all" is not one of replace, append, merge',
        ),
        (
            19,
            10,
            "STK601",
            'logs.level: "Verbose" is not one of Trace, Debug, Info, Warning, Error, Off',
        ),
    ]


def test_yaml_functions_are_valid_values_and_never_run(tmp_path: Path) -> None:
    """`!env`, `!exec` and `!include` are read as written; none is evaluated (a `!exec` that
    would create a file leaves none)."""
    text = """
    base_path: "."
    stacks:
      base_path: stacks
      included_paths: !include included.yaml
    components:
      terraform:
        base_path: !env TF_DIR
    settings:
      list_merge_strategy: !exec touch ran
    """
    root = write_tree(tmp_path, {"atmos.yaml": text, "stacks/deploy/dev.yaml": "vars: {}\n"})
    data = {"base_path": ".", "stacks": {"base_path": "stacks"}}
    config = from_mapping(data, str(root), str(root / "atmos.yaml"), {})
    assert check_config(Workspace(config)) == []
    assert not (root / "ran").exists()


def test_settings_keys_are_atmos_s_own_and_stack_lsp_s(tmp_path: Path) -> None:
    text = """
    stacks:
      base_path: stacks
      included_paths: ["deploy/**/*"]
    settings:
      list_merge_strategy: append
      stack_lsp:
        severity: {STK403: off}
      terminall: {}
    """
    root = write_tree(tmp_path, {"atmos.yaml": text, "stacks/deploy/dev.yaml": "vars: {}\n"})
    assert findings(root) == [
        (8, 3, "STK602", "unknown key 'terminall' in settings; did you mean 'terminal'?"),
    ]


def test_base_paths_that_do_not_exist(tmp_path: Path) -> None:
    text = """
    base_path: infra
    stacks:
      base_path: stacks
    """
    (tmp_path / "atmos.yaml").write_text(textwrap.dedent(text).lstrip())
    assert findings(tmp_path) == [
        (1, 12, "STK603", "base_path: directory infra does not exist"),
        (3, 14, "STK603", "stacks.base_path: directory infra/stacks does not exist"),
    ]


def test_the_bundled_atmos_yaml_is_clean() -> None:
    assert findings(REPO) == []


def test_hover_says_what_a_key_means_and_its_effective_value(tmp_path: Path) -> None:
    from stack_lsp.atmos_config_queries import hover

    text = "base_path: .\nstacks:\n  base_path: stacks\n  included_paths: [deploy/**/*]\n"
    root = write_tree(tmp_path, {"atmos.yaml": text, "stacks/deploy/dev.yaml": "vars: {}\n"})
    config = load_config(cwd=str(root), environ={"ATMOS_STACKS_BASE_PATH": "deploy-stacks"})
    found = hover(Workspace(config), str(root / "atmos.yaml"), 2, 4)
    assert found is not None
    assert found.key == "stacks.base_path"
    assert found.description.startswith("Directory of the stack manifests")
    assert (found.written, found.effective) == ("stacks", str(root / "deploy-stacks"))
    assert (found.span.start_line, found.span.start_col) == (2, 2)


def test_completion_of_keys_and_enums() -> None:
    from stack_lsp.atmos_config_queries import complete

    text = "stacks:\n  \nsettings:\n  list_merge_strategy: \n"
    keys = [s.label for s in complete(text, 1, 2).items]
    assert keys == [
        "base_path",
        "excluded_paths",
        "included_paths",
        "inherit",
        "name_pattern",
        "name_template",
    ]
    assert [s.label for s in complete(text, 3, 23).items] == ["replace", "append", "merge"]
