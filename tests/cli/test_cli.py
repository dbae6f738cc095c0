"""The command line as a new user meets it: one parser (`-h` lists every command), `--version`,
the `--check` alias, `--filter-by`, and a tree that is not there refused with exit 2 and one line
saying what was looked for, where, and how to pass --config."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from stack_lsp.cli import main

from tests.conftest import REPO, write_tree

PASS_CONFIG = "pass --config PATH (an atmos.yaml or its directory)"
DEV = {"stacks/deploy/dev.yaml": "vars: {stage: dev, tenant: fnx}\n"}
Result = tuple[int, str, str]
Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    monkeypatch.chdir(tmp_path)
    for name in ("ATMOS_CLI_CONFIG_PATH", "ATMOS_BASE_PATH", "ATMOS_STACKS_BASE_PATH"):
        monkeypatch.delenv(name, raising=False)

    def call(*args: str) -> Result:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return call


def test_help_lists_every_command(run: Run) -> None:
    code, out, _ = run("-h")
    commands = re.findall(r"^    (\w+) ", out.split("commands:")[1], re.M)
    assert (code, commands) == (0, ["serve", "check", "validate", "describe", "list", "diff"])
    code, out, _ = run("validate", "-h")
    assert code == 0 and "component" in out


def test_version_is_the_package_version(run: Run) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert run("--version") == (0, f"stack-lsp {project['version']}\n", "")


def test_unknown_command_and_option_are_usage_errors(run: Run) -> None:
    code, _, err = run("chek")
    assert code == 2 and "invalid choice: 'chek'" in err
    code, _, err = run("check", "--frmat", "json")
    assert code == 2 and "unrecognized arguments: --frmat" in err


def test_check_alias_and_command_agree(run: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {**DEV, "stacks/deploy/prod.yaml": "components: 3\n"})
    alias = run("--check", "--format", "json", "--jobs", "1")
    command = run("check", "--format", "json", "--jobs", "1")
    assert alias[0] == command[0] == 1
    assert json.loads(alias[1])["diagnostics"] == json.loads(command[1])["diagnostics"] != []
    # `--check` after other options and with PATHS, as the pre-commit hook calls it
    code, out, _ = run("--config", str(tmp_path), "--check", "stacks/deploy/dev.yaml")
    assert code == 0 and out.startswith("no problems in 1 files")


@pytest.mark.parametrize(
    "args",
    [
        ("--check",),
        ("check", "--format", "json"),
        ("list", "stacks"),
        ("describe", "stacks"),
        ("list", "components", "-s", "dev"),
        ("validate", "component", "vpc", "-s", "dev"),
    ],
)
def test_no_configuration_and_no_stacks_is_refused(
    run: Run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    (tmp_path / "notes.yaml").write_text("a: 1\n")  # YAML, but no stack of the default layout
    assert run(*args) == (
        2,
        "",
        f"stack-lsp: no atmos.yaml in {tmp_path} or its parents, and no stacks "
        f"(deployments/**/*) under {tmp_path}; {PASS_CONFIG}\n",
    )


def test_missing_stacks_base_is_refused(run: Run, tmp_path: Path) -> None:
    (tmp_path / "atmos.yaml").write_text("stacks: {base_path: stack}\n")
    for args in (("--check",), ("list", "stacks")):
        assert run(*args) == (
            2,
            "",
            f"stack-lsp: stacks base path {tmp_path / 'stack'} (stacks.base_path in "
            f"{tmp_path / 'atmos.yaml'}) does not exist; {PASS_CONFIG}\n",
        )


def test_stacks_base_without_manifests_is_refused(run: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"stacks/README.md": "no stacks yet\n"})
    assert run("--check") == (
        2,
        "",
        f"stack-lsp: no stack manifests (*.yaml, *.yml, *.yaml.tmpl, *.yml.tmpl) under "
        f"{tmp_path / 'stacks'} (stacks.base_path in {tmp_path / 'atmos.yaml'}); {PASS_CONFIG}\n",
    )


def test_default_layout_without_atmos_yaml_still_works(run: Run, tmp_path: Path) -> None:
    """README's fallback: no atmos.yaml, stacks under stacks/deployments."""
    (tmp_path / "stacks/deployments/fnx").mkdir(parents=True)
    (tmp_path / "stacks/deployments/fnx/dev.yaml").write_text(
        "vars: {tenant: fnx, account: dev, region: us-east-1, environment: ue1}\n"
        "components: {terraform: {vpc: {vars: {cidr: 10.0.0.0/16}}}}\n"
    )
    assert run("list", "stacks") == (0, "fnx-dev-us-east-1-ue1\n", "")
    code, out, _ = run("--check", "--jobs", "1")
    assert code == 0 and out.startswith("no problems in 1 files (1 stacks)")


def test_filter_by_is_an_alias_of_filter(run: Run, tmp_path: Path) -> None:
    """The seed's `atmos describe stacks --filter-by tenant=fnx` (stacks-architecture.md).
    Atmos's own describe stacks filters with -s/--stack, --components, --sections
    (website/docs/cli/commands/describe/describe-stacks.mdx); --filter-by is the seed's."""
    vpc = "components: {terraform: {vpc: {}}}\n"
    write_tree(tmp_path, {
        "stacks/deploy/dev.yaml": "vars: {stage: dev, tenant: fnx}\n" + vpc,
        "stacks/deploy/prod.yaml": "vars: {stage: prod, tenant: acme}\n" + vpc,
    })  # fmt: skip
    by = run("describe", "stacks", "--format", "json", "--filter-by", "tenant=fnx")
    plain = run("describe", "stacks", "--format", "json", "--filter", "tenant=fnx")
    assert by[0] == 0 and list(json.loads(by[1])) == ["dev"]
    assert by == plain
    assert run("describe", "stacks", "--filter-by", "tenant") == (
        2,
        "",
        "stack-lsp: --filter takes KEY=VALUE, not 'tenant'\n",
    )
