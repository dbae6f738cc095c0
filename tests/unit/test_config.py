"""atmos.yaml read as Atmos reads it: YAML functions, fragments, imports, profiles, ATMOS_*
overrides, component kinds and their base paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stack_lsp.config import ConfigError, load_config
from tests.conftest import write_tree


def load(root: Path, env: dict[str, str] | None = None, profiles: list[str] | None = None):  # type: ignore[no-untyped-def]
    return load_config(str(root), str(root), env or {}, profiles)


def test_env_function_reads_the_environment_with_its_default(tmp_path: Path) -> None:
    # pkg/utils/yaml_func_env.go: `!env NAME default`; the variable wins, else the default.
    write_tree(tmp_path, {"atmos.yaml": """
        base_path: !env PROJECT_ROOT .
        stacks:
          base_path: !env STACKS_DIR stacks
          name_template: "{{ .vars.stage }}"
        components:
          terraform:
            command: !env TF_BIN
    """})
    config = load(tmp_path, {"STACKS_DIR": "live", "TF_BIN": "tofu"})
    assert config.stacks_base == str(tmp_path / "live")
    assert config.base_path == str(tmp_path)
    assert config.commands == {"terraform": "tofu"}
    assert config.diagnostics == []


def test_exec_is_never_run_and_is_said_so(tmp_path: Path) -> None:
    # pkg/config/process_yaml.go handleExec runs the command; we never do (STK120 at the tag).
    marker = tmp_path / "ran"
    write_tree(tmp_path, {"atmos.yaml": f"""
        stacks:
          base_path: stacks
          name_pattern: !exec touch {marker}
    """})
    config = load(tmp_path)
    assert not marker.exists()
    assert config.name_pattern is None
    [note] = config.diagnostics
    assert (note.code, note.span.start_line, note.span.start_col) == ("STK120", 2, 16)
    assert "is not run here" in note.message


def test_include_repo_root_random_and_unsupported_tag(tmp_path: Path) -> None:
    # process_yaml.go: !include of a local file, !repo-root (the .git directory above),
    # !random (lower bound as a stable stand-in); any other tag fails the load as in Atmos.
    (tmp_path / ".git").mkdir()
    write_tree(tmp_path, {
        "config/stacks.yaml": "base_path: stacks\nincluded_paths: ['deploy/**/*']\n",
        "atmos.yaml": """
            stacks: !include config/stacks.yaml
            settings:
              port: !random 1024 65535
              root: !repo-root
        """,
    })
    config = load(tmp_path)
    assert config.stacks_base == str(tmp_path / "stacks")
    assert config.included_paths == ("deploy/**/*",)
    assert config.raw["settings"] == {"port": 1024, "root": str(tmp_path)}
    write_tree(tmp_path, {"atmos.yaml": "stacks: !terraform.output vpc id\n"})
    with pytest.raises(ConfigError, match="unsupported YAML tag '!terraform.output'"):
        load(tmp_path)


def test_include_outside_the_repository_is_not_read(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write_tree(tmp_path, {"secret.yaml": "a: 1\n", "repo/atmos.yaml": "settings: !include ../secret.yaml\n"})
    config = load(repo)
    assert "settings" not in config.raw or config.raw["settings"] is None
    [note] = config.diagnostics
    assert note.code == "STK121" and "outside the repository" in note.message


def test_fragments_imports_and_the_file_itself_in_atmos_order(tmp_path: Path) -> None:
    # pkg/config/load.go processConfigImportsAndReapply: atmos.d fragments, then the file,
    # then its imports, then the file again (its own values win over both).
    write_tree(tmp_path, {
        "atmos.d/10-stacks.yaml": "stacks: {base_path: from-fragment, name_pattern: '{stage}'}\n",
        "atmos.d/nested/20-tf.yaml": "components: {terraform: {base_path: tf-fragment}}\n",
        ".atmos.d/helm.yaml": "components: {helmfile: {base_path: hf-dotdir}}\n",
        # pkg/config/imports.go processLocalImport: a nested import is relative to the base
        # path, not to the importing file.
        "conf/base.yaml": "components: {terraform: {base_path: tf-import, command: tofu}}\nimport: [conf/more]\n",
        "conf/more.yml": "settings: {list_merge_strategy: append}\n",
        "atmos.yaml": "import: [conf/base]\nstacks: {base_path: stacks}\n",
    })
    config = load(tmp_path)
    assert config.stacks_base == str(tmp_path / "stacks")
    assert config.name_pattern == "{stage}"
    assert config.terraform_base == str(tmp_path / "tf-import")
    assert config.helmfile_base == str(tmp_path / "hf-dotdir")
    assert config.commands["terraform"] == "tofu"
    assert config.list_merge_strategy == "append"
    files = {os.path.relpath(f, tmp_path) for f in config.config_files}
    assert files == {"atmos.d/10-stacks.yaml", "atmos.d/nested/20-tf.yaml", ".atmos.d/helm.yaml",
                     "conf/base.yaml", "conf/more.yml", "atmos.yaml"}


def test_remote_import_is_not_fetched(tmp_path: Path) -> None:
    write_tree(tmp_path, {"atmos.yaml": "import: ['https://example.com/atmos.yaml']\n"})
    [note] = load(tmp_path).diagnostics
    assert note.code == "STK121" and "remote" in note.message


def test_profiles_from_argument_environment_and_default(tmp_path: Path) -> None:
    # pkg/config/profiles.go: profiles.base_path, .atmos/profiles, profiles/; left to right.
    write_tree(tmp_path, {
        "atmos.yaml": "stacks: {base_path: stacks}\nprofiles: {default: dev}\n",
        "profiles/dev/atmos.yaml": "stacks: {name_pattern: '{stage}'}\n",
        ".atmos/profiles/ci/stacks.yaml": "stacks: {name_pattern: '{tenant}-{stage}'}\n",
    })
    assert load(tmp_path).name_pattern == "{stage}"
    assert load(tmp_path, {"ATMOS_PROFILE": "ci"}).name_pattern == "{tenant}-{stage}"
    assert load(tmp_path, profiles=["ci", "dev"]).name_pattern == "{stage}"
    with pytest.raises(ConfigError, match="profile 'prod' not found"):
        load(tmp_path, profiles=["prod"])


def test_environment_overrides(tmp_path: Path) -> None:
    # pkg/config/utils.go processEnvVars.
    write_tree(tmp_path, {"atmos.yaml": "stacks: {base_path: stacks, included_paths: ['a/**/*']}\n"})
    config = load(tmp_path, {
        "ATMOS_COMPONENTS_TERRAFORM_COMMAND": "tofu",
        "ATMOS_COMPONENTS_TERRAFORM_BASE_PATH": "infra/tf",
        "ATMOS_COMPONENTS_HELMFILE_BASE_PATH": "infra/hf",
        "ATMOS_STACKS_INCLUDED_PATHS": "orgs/**/*,live/**/*",
        "ATMOS_STACKS_NAME_TEMPLATE": "{{ .vars.stage }}",
    })
    assert config.commands == {"terraform": "tofu"}
    assert config.terraform_base == str(tmp_path / "infra/tf")
    assert config.helmfile_base == str(tmp_path / "infra/hf")
    assert config.included_paths == ("orgs/**/*", "live/**/*")
    assert config.name_template == "{{ .vars.stage }}"


def test_every_kind_has_a_base_path_and_custom_kinds_come_from_commands(tmp_path: Path) -> None:
    # pkg/config/const.go kinds; pkg/component/*/ default components/<kind>;
    # pkg/component/custom/provider.go: a custom command's component type and base path.
    write_tree(tmp_path, {"atmos.yaml": """
        components:
          ansible: {base_path: playbooks}
        commands:
          - name: scripts
            commands:
              - name: run
                component: {type: script, base_path: components/scripts}
    """})
    config = load(tmp_path)
    assert config.kinds[:8] == ("terraform", "helmfile", "packer", "ansible", "container",
                                "emulator", "kubernetes", "helm")
    assert config.bases["ansible"] == str(tmp_path / "playbooks")
    assert config.bases["helm"] == str(tmp_path / "components/helm")
    assert config.bases["script"] == str(tmp_path / "components/scripts")


def test_included_path_without_extension_matches_yaml_files(tmp_path: Path) -> None:
    # pkg/config/utils.go FindAllStackConfigsInPaths: no extension → .yaml, .yml, .yaml.tmpl, .yml.tmpl.
    write_tree(tmp_path, {"atmos.yaml": "stacks: {base_path: stacks, included_paths: ['orgs/acme/dev', 'orgs/**/prod*']}\n"})
    config = load(tmp_path)
    stacks = tmp_path / "stacks"
    assert config.is_stack(str(stacks / "orgs/acme/dev.yaml"))
    assert config.is_stack(str(stacks / "orgs/acme/dev.yml.tmpl"))
    assert config.is_stack(str(stacks / "orgs/x/prod-us.yaml"))
    assert not config.is_stack(str(stacks / "orgs/acme/dev/extra.yaml"))


def test_atmos_variables_in_the_env_section_apply_unless_the_process_sets_them(tmp_path: Path) -> None:
    # pkg/config/load.go promoteAtmosEnvFromConfig: ATMOS_* keys of `env:` reach Atmos itself
    # (ATMOS_PROFILE included); a real environment variable always wins.
    write_tree(tmp_path, {
        "atmos.yaml": "env: {ATMOS_PROFILE: ci, ATMOS_COMPONENTS_TERRAFORM_COMMAND: tofu, AWS_REGION: x}\nstacks: {base_path: stacks}\n",
        "profiles/ci/stacks.yaml": "stacks: {name_pattern: '{stage}'}\n",
    })
    config = load(tmp_path)
    assert config.name_pattern == "{stage}"
    assert config.commands == {"terraform": "tofu"}
    assert load(tmp_path, {"ATMOS_COMPONENTS_TERRAFORM_COMMAND": "terraform"}).commands == {"terraform": "terraform"}


def test_the_editor_shows_what_atmos_yaml_could_not_compute_on_atmos_yaml(tmp_path: Path) -> None:
    from stack_lsp.lsp.projects import Projects

    write_tree(tmp_path, {"atmos.yaml": "stacks:\n  base_path: stacks\n  name_pattern: !exec ./name.sh\n"})
    (tmp_path / "stacks").mkdir()
    projects = Projects()
    [project] = projects.add_folder(str(tmp_path))
    config = str(tmp_path / "atmos.yaml")
    [note] = project.findings_for({config})[config]
    assert (note.code, note.span.start_line) == ("STK120", 2)


def test_imports_outside_the_repository_are_not_read(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write_tree(tmp_path, {
        "outside.yaml": "stacks: {name_pattern: '{stage}'}\n",
        "repo/atmos.yaml": "import: [../outside, /]\nstacks: {base_path: stacks}\n",
    })
    config = load(repo)
    assert config.name_pattern is None
    assert [n.message for n in config.diagnostics] == [
        "import '../outside' is outside the repository; it is not read",
        "import '/' is outside the repository; it is not read",
    ]
