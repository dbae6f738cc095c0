"""`stack-lsp diff`: a git repository built here (commit, branch, change), every format checked
value by value against `describe` of both trees; renames and deletes; exit codes; a folder
layout migration; a hostile .git/config that must run nothing.

Affected records follow Atmos's [pkg/schema/schema.go Affected,
internal/exec/describe_affected_components.go (reasons in the order metadata, component, vars,
env, settings), internal/exec/describe_affected_deleted.go (deleted, deleted.stack)].
"""

from __future__ import annotations

import argparse

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from stack_lsp.config import load_config
from stack_lsp.describe import describe_component
from stack_lsp.stacks import Stacks
from stack_lsp.workspace import Workspace

from tests.conftest import REPO, write_tree

ATMOS = """
base_path: "."
components: {terraform: {base_path: components/terraform}}
stacks:
  base_path: stacks
  included_paths: ["deploy/**/*"]
  excluded_paths: ["**/_defaults.yaml"]
  name_template: "{{ .vars.tenant }}-{{ .vars.stage }}"
env:
  TF_IN_AUTOMATION: "true"
"""

TREE = {
    "atmos.yaml": ATMOS,
    "components/terraform/vpc/main.tf": "variable \"cidr\" {}\n",
    "components/terraform/eks/main.tf": "variable \"size\" {}\n",
    "stacks/mixins/region/east.yaml": "vars:\n  region: us-east-1\n  zones: [a, b]\n",
    "stacks/mixins/region/west.yaml": "vars:\n  region: us-west-2\n  zones: [a, b, c]\n",
    "stacks/catalog/vpc.yaml": """
        components:
          terraform:
            vpc/defaults:
              metadata: {type: abstract, component: vpc}
              vars:
                cidr: 10.0.0.0/16
                nat: 1
                flow_logs: {enabled: true, retention: 30}
    """,
    "stacks/catalog/eks.yaml": """
        components:
          terraform:
            eks:
              vars: {size: 3}
              settings: {team: platform}
    """,
    "stacks/deploy/dev.yaml": """
        import: [mixins/region/east, catalog/vpc, catalog/eks]
        vars: {tenant: acme, stage: dev}
        components:
          terraform:
            vpc:
              metadata: {inherits: [vpc/defaults]}
              vars: {nat: 2}
    """,
    "stacks/deploy/prod.yaml": """
        import: [mixins/region/west, catalog/vpc]
        vars: {tenant: acme, stage: prod}
        components:
          terraform:
            vpc:
              metadata: {inherits: [vpc/defaults]}
    """,
    "stacks/deploy/staging.yaml": """
        import: [mixins/region/east]
        vars: {tenant: acme, stage: staging}
        components:
          terraform:
            eks:
              vars: {size: 1}
    """,
}


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def repo(root: Path, files: dict[str, str] = TREE) -> Path:
    write_tree(root, dict(files))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "server")}
    return subprocess.run([sys.executable, "-m", "stack_lsp", "diff", *args], cwd=root, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new))


# ---- the reference: describe both trees and compare every leaf -------------------------------

SECTIONS = ("vars", "settings", "env", "providers", "hooks", "metadata", "backend",
            "backend_type", "remote_state_backend", "remote_state_backend_type", "overrides",
            "command")  # fmt: skip


def flatten(data: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(data, dict) and data:
        for key, value in data.items():
            flatten(value, f"{prefix}.{key}" if prefix else key, out)
    else:
        out[prefix] = data


def described(root: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """(stack, component) → dotted path → final value, for every deployable component."""
    stacks = Stacks(Workspace(load_config(cwd=str(root))))
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for name, component in stacks.iter_components():
        if component.abstract:
            continue
        desc = describe_component(stacks, component)
        leaves: dict[str, Any] = {}
        for section in SECTIONS:
            if section in desc and desc[section] not in ({}, ""):
                flatten(desc[section], section, leaves)
        out[(name, component.name)] = leaves
    return out


def expected_changes(before: Path, after: Path) -> dict[tuple[str, str], dict[str, tuple[Any, Any]]]:
    old, new = described(before), described(after)
    out: dict[tuple[str, str], dict[str, tuple[Any, Any]]] = {}
    for key in old.keys() & new.keys():
        paths = old[key].keys() | new[key].keys()
        diff = {p: (old[key].get(p, "<absent>"), new[key].get(p, "<absent>")) for p in paths
                if old[key].get(p, "<absent>") != new[key].get(p, "<absent>")}  # fmt: skip
        if diff:
            out[key] = diff
    return out


def reported_changes(data: dict[str, Any]) -> dict[tuple[str, str], dict[str, tuple[Any, Any]]]:
    out: dict[tuple[str, str], dict[str, tuple[Any, Any]]] = {}
    for stack in data["stacks"]:
        for comp in stack["components"]:
            if comp["status"] != "changed" or not comp["changes"]:
                continue
            out[(stack["stack"], comp["component"])] = {
                c["path"]: (c.get("old", "<absent>"), c.get("new", "<absent>")) for c in comp["changes"]
            }
    return out


def snapshot(root: Path, dest: Path) -> Path:
    """A copy of the tree as committed now (for describing the base side)."""
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns(".git"))
    return dest


# ---- the tests ----------------------------------------------------------------------------


def test_mixin_catalog_and_stack_changes_match_describe_in_every_format(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    base_copy = snapshot(root, tmp_path / "base")
    git(root, "checkout", "-q", "-b", "feature")
    edit(root, "stacks/mixins/region/east.yaml", "zones: [a, b]", "zones: [a, b, d]")
    edit(root, "stacks/catalog/vpc.yaml", "retention: 30", "retention: 90")
    edit(root, "stacks/deploy/prod.yaml", "inherits: [vpc/defaults]}", "inherits: [vpc/defaults]}\n      vars: {nat: 4}")
    git(root, "commit", "-qam", "change")
    edit(root, "stacks/catalog/eks.yaml", "team: platform", "team: core")  # uncommitted

    result = run(root, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    want = expected_changes(base_copy, root)
    assert reported_changes(data) == want
    assert want[("acme-dev", "vpc")]["vars.flow_logs.retention"] == (30, 90)
    assert want[("acme-prod", "vpc")]["vars.nat"] == (1, 4)
    assert want[("acme-staging", "eks")] == {"vars.zones": (["a", "b"], ["a", "b", "d"])}
    assert data["base"]["label"] == "merge-base of HEAD and main"
    assert data["base"]["commit"] == git(root, "rev-parse", "main").strip()
    assert data["head"] == {"label": "working tree", "commit": None}
    prod = next(s for s in data["stacks"] if s["stack"] == "acme-prod")["components"][0]
    nat = next(c for c in prod["changes"] if c["path"] == "vars.nat")
    assert nat == {"path": "vars.nat", "kind": "changed", "old": 1, "new": 4,
                   "old_source": "stacks/catalog/vpc.yaml:7",
                   "new_source": "stacks/deploy/prod.yaml:7"}  # fmt: skip
    assert prod["stack_file"] == "stacks/deploy/prod.yaml"
    assert prod["affected"] == ["stack.vars"]

    text = run(root).stdout
    for (stack, component), changes in want.items():
        block = text.split(f"stack {stack}\n", 1)[1].split("\nstack ", 1)[0]
        assert f"  terraform/{component}\n" in block
        for path, (old, new) in changes.items():
            assert f"~ {path}: {json.dumps(old)} → {json.dumps(new)}" in block
    assert "~ vars.nat: 1 → 4  (stacks/catalog/vpc.yaml:7 → stacks/deploy/prod.yaml:7)" in text
    assert text.endswith("7 values changed, 4 components, 3 stacks\n")

    md = run(root, "--format", "markdown").stdout
    assert "| `acme-prod` | changed | vpc | 2 |" in md
    assert "<details><summary><code>acme-dev</code> — changed</summary>" in md
    assert "| `vars.nat` | `1` | `4` | `stacks/deploy/prod.yaml:7` |" in md

    records = json.loads(run(root, "--format", "affected").stdout)
    assert {(r["stack"], r["component"]) for r in records} == set(want)
    eks = {r["stack"]: r for r in records if r["component"] == "eks"}
    assert eks["acme-dev"]["affected"] == "stack.vars"
    assert eks["acme-dev"]["affected_all"] == ["stack.vars", "stack.settings"]
    assert eks["acme-dev"]["settings"] == {"team": "core"}
    assert eks["acme-staging"]["affected_all"] == ["stack.vars"]
    assert eks["acme-staging"]["stack_slug"] == "acme-staging-eks"
    assert eks["acme-staging"]["component_path"] == "components/terraform/eks"
    assert eks["acme-staging"]["component_type"] == "terraform"
    assert eks["acme-staging"]["tenant"] == "acme" and eks["acme-staging"]["stage"] == "staging"


def test_exit_code_and_unchanged_tree(tmp_path: Path) -> None:
    root = repo(tmp_path)
    quiet = run(root, "--exit-code")
    assert quiet.returncode == 0 and "no final value differs" in quiet.stdout
    edit(root, "stacks/mixins/region/west.yaml", "us-west-2", "us-west-1")
    assert run(root).returncode == 0
    gate = run(root, "--exit-code")
    assert gate.returncode == 1
    assert '~ vars.region: "us-west-2" → "us-west-1"  (stacks/mixins/region/west.yaml:2)' in gate.stdout


def test_only_stacks_that_import_the_changed_file_are_merged(tmp_path: Path) -> None:
    root = repo(tmp_path)
    edit(root, "stacks/mixins/region/west.yaml", "[a, b, c]", "[a, b]")
    data = json.loads(run(root, "--format", "json").stdout)
    assert [s["stack"] for s in data["stacks"]] == ["acme-prod"]
    assert data["changed_files"] == ["mixins/region/west.yaml"]


def test_atmos_yaml_change_reaches_every_stack_and_renames(tmp_path: Path) -> None:
    root = repo(tmp_path)
    edit(root, "atmos.yaml", 'TF_IN_AUTOMATION: "true"', 'TF_IN_AUTOMATION: "false"')
    edit(root, "atmos.yaml", "{{ .vars.tenant }}-{{ .vars.stage }}", "{{ .vars.stage }}-{{ .vars.tenant }}")
    data = json.loads(run(root, "--format", "json").stdout)
    assert {(s["stack"], s["status"], s["old_name"]) for s in data["stacks"]} == {
        ("dev-acme", "renamed", "acme-dev"), ("prod-acme", "renamed", "acme-prod"),
        ("staging-acme", "renamed", "acme-staging"),
    }  # fmt: skip
    for stack in data["stacks"]:
        for comp in stack["components"]:
            assert comp["changes"] == [{"path": "env.TF_IN_AUTOMATION", "kind": "changed",
                                        "old": "true", "new": "false",
                                        "old_source": "atmos.yaml:9", "new_source": "atmos.yaml:9"}]  # fmt: skip
    assert "stack dev-acme (renamed from acme-dev)" in run(root).stdout


def test_component_directory_change_is_reported_for_its_stacks(tmp_path: Path) -> None:
    root = repo(tmp_path)
    (root / "components/terraform/eks/outputs.tf").write_text("output \"x\" { value = 1 }\n")
    data = json.loads(run(root, "--format", "json").stdout)
    got = {(s["stack"], c["component"]): c["component_files_changed"] for s in data["stacks"] for c in s["components"]}
    assert got == {("acme-dev", "eks"): ["components/terraform/eks/outputs.tf"],
                   ("acme-staging", "eks"): ["components/terraform/eks/outputs.tf"]}  # fmt: skip
    records = json.loads(run(root, "--format", "affected").stdout)
    assert {r["affected"] for r in records} == {"component"}


def test_renamed_stack_file_name_and_deleted_stack_and_component(tmp_path: Path) -> None:
    root = repo(tmp_path)
    base = git(root, "rev-parse", "HEAD").strip()
    edit(root, "stacks/deploy/prod.yaml", "vars: {tenant: acme, stage: prod}", "name: production\nvars: {tenant: acme, stage: prod}")
    (root / "stacks/deploy/staging.yaml").unlink()
    edit(root, "stacks/catalog/eks.yaml", "    eks:", "    eks-old:\n      metadata: {type: abstract}\n    eks-unused:")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "rename and delete")
    result = run(root, "--base", base, "--head", "HEAD", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    stacks = {s["stack"]: s for s in data["stacks"]}
    assert stacks["production"]["status"] == "renamed" and stacks["production"]["old_name"] == "acme-prod"
    assert stacks["production"]["components"] == []
    assert stacks["acme-staging"]["status"] == "removed"
    assert [(c["component"], c["status"]) for c in stacks["acme-dev"]["components"]] == [
        ("eks", "removed"), ("eks-unused", "added")]  # fmt: skip
    records = json.loads(run(root, "--base", base, "--head", "HEAD", "--format", "affected").stdout)
    deleted = {(r["stack"], r["component"]): (r["affected"], r.get("deletion_type")) for r in records if r.get("deleted")}
    assert deleted == {("acme-staging", "eks"): ("deleted.stack", "stack"),
                       ("acme-dev", "eks"): ("deleted", "component")}  # fmt: skip
    assert "stack production (renamed from acme-prod)" in run(root, "--base", base, "--head", "HEAD").stdout


def test_paths_narrow_the_report(tmp_path: Path) -> None:
    root = repo(tmp_path)
    edit(root, "stacks/mixins/region/east.yaml", "us-east-1", "us-east-2")
    data = json.loads(run(root, "stacks/deploy/dev.yaml", "--format", "json").stdout)
    assert [s["stack"] for s in data["stacks"]] == ["acme-dev"]


def test_not_a_repository_and_bad_ref_exit_2(tmp_path: Path) -> None:
    write_tree(tmp_path / "plain", dict(TREE))
    outside = run(tmp_path / "plain")
    assert outside.returncode == 2
    assert re.search(r"^stack-lsp: .*plain is not in a git repository", outside.stderr)
    root = repo(tmp_path / "repo")
    bad = run(root, "--base", "no-such-branch", "--exit-code")
    assert bad.returncode == 2
    assert bad.stderr.startswith("stack-lsp: 'no-such-branch' is not a commit in ")
    assert run(root, "--base", "--upload-pack=touch").returncode == 2


def test_default_base_is_the_merge_base_with_main(tmp_path: Path) -> None:
    root = repo(tmp_path)
    git(root, "checkout", "-q", "-b", "feature")
    edit(root, "stacks/catalog/eks.yaml", "size: 3", "size: 5")
    git(root, "commit", "-qam", "feature")
    git(root, "checkout", "-q", "main")
    edit(root, "stacks/catalog/vpc.yaml", "nat: 1", "nat: 7")
    git(root, "commit", "-qam", "main moves on")
    git(root, "checkout", "-q", "feature")
    data = json.loads(run(root, "--format", "json").stdout)
    paths = {c["path"] for s in data["stacks"] for comp in s["components"] for c in comp["changes"]}
    assert paths == {"vars.size"}  # main's own change after the fork is not this branch's


# ---- migrations: another layout, the same stacks ----------------------------------------------


def rearranged(dest: Path) -> Path:
    """The bundled tree moved to config/stacks/, catalogs/ → catalog/, deployments/ → envs/."""
    stacks = dest / "config" / "stacks"
    shutil.copytree(REPO / "stacks", stacks)
    shutil.copytree(REPO / "components", dest / "components")
    (stacks / "catalogs").rename(stacks / "catalog")
    (stacks / "deployments").rename(stacks / "envs")
    for path in stacks.rglob("*.yaml"):
        text = path.read_text()
        text = re.sub(r"(?m)^(\s*-\s+(?:path:\s+)?)catalogs/", r"\1catalog/", text)
        text = re.sub(r"(?m)^(\s*path:\s+)catalogs/", r"\1catalog/", text)
        path.write_text(text)
    atmos = (REPO / "atmos.yaml").read_text()
    atmos = atmos.replace("base_path: stacks", "base_path: config/stacks")
    atmos = atmos.replace("deployments/**", "envs/**").replace("stacks/_globals", "config/stacks/_globals")
    (dest / "atmos.yaml").write_text(atmos)
    return dest


def test_bundled_tree_in_another_layout_compares_equal(tmp_path: Path) -> None:
    new = rearranged(tmp_path / "new")
    result = run(tmp_path, "--base", str(REPO / "atmos.yaml"), "--head", str(new), "--exit-code")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no final value differs" in result.stdout


def test_layout_that_loses_a_value_is_caught(tmp_path: Path) -> None:
    new = rearranged(tmp_path / "new")
    mixin = new / "config/stacks/mixins/regions/us-west-2.yaml"
    mixin.write_text(mixin.read_text().replace("    short_name: usw2\n", ""))
    result = run(tmp_path, "--base", str(REPO), "--head", str(new), "--exit-code", "--format", "json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    lost = {(c["path"], c["kind"], c["old"], c["old_source"]) for s in data["stacks"]
            for comp in s["components"] for c in comp["changes"]}  # fmt: skip
    assert lost == {("settings.region.short_name", "removed", "usw2", "stacks/mixins/regions/us-west-2.yaml:7")}
    assert all(s["status"] == "changed" for s in data["stacks"])


# ---- a hostile repository ---------------------------------------------------------------------


def test_hostile_git_config_runs_nothing(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\necho \"$0 $*\" >> {marker}\ncat\n")
    script.chmod(0o755)
    (root / ".gitattributes").write_text("*.yaml filter=x diff=x\n*.tf filter=x diff=x\n")
    git(root, "add", ".gitattributes")
    git(root, "commit", "-qm", "attributes")
    hooks = root / ".git" / "hooks"
    for hook in ("post-checkout", "pre-commit", "reference-transaction", "post-index-change"):
        (hooks / hook).write_text(script.read_text())
        (hooks / hook).chmod(0o755)
    with open(root / ".git" / "config", "a") as config:
        config.write(
            f"[core]\n\tfsmonitor = {script}\n\thooksPath = {hooks}\n\tsshCommand = {script}\n"
            f"\tpager = {script}\n\taskPass = {script}\n"
            f"[filter \"x\"]\n\tsmudge = {script}\n\tclean = {script}\n\tprocess = {script}\n"
            f"[diff]\n\texternal = {script}\n[diff \"x\"]\n\ttextconv = {script}\n"
            f"[credential]\n\thelper = {script}\n"
            f"[remote \"origin\"]\n\turl = ext::{script}\n\tpromisor = true\n"
            f"\tuploadpack = {script}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n"
        )
    edit(root, "stacks/catalog/eks.yaml", "size: 3", "size: 4")
    (root / "components/terraform/vpc/main.tf").write_text("# changed\n")
    for args in ((), ("--base", "HEAD~1"), ("--base", "main", "--head", "HEAD")):
        result = run(root, *args, "--format", "json")
        assert result.returncode == 0, result.stderr
        assert not marker.exists(), marker.read_text()
    assert json.loads(run(root, "--format", "json").stdout)["summary"]["values"] == 1
    subprocess.run(["git", "status"], cwd=root, capture_output=True, check=False)
    assert marker.exists()  # the trap is armed: an ordinary git command runs the repository's programs


def test_git_environment_is_not_inherited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = repo(tmp_path / "repo")
    other = repo(tmp_path / "other", {**TREE, "stacks/catalog/eks.yaml": "components: {terraform: {eks: {vars: {size: 9}}}}\n"})
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    edit(root, "stacks/catalog/eks.yaml", "size: 3", "size: 4")
    data = json.loads(run(root, "--format", "json").stdout)
    sizes = {(c["old"], c["new"]) for s in data["stacks"] for comp in s["components"] for c in comp["changes"]}
    assert sizes == {(3, 4)}


def test_relative_import_of_a_yml_file_resolves_in_the_commit(tmp_path: Path) -> None:
    root = repo(tmp_path, {**TREE, "stacks/shared/common.yml": "vars:\n  owner: team-a\n",
                           "stacks/deploy/dev.yaml": TREE["stacks/deploy/dev.yaml"].replace(
                               "import: [", "import: [../shared/common, ")})  # fmt: skip
    edit(root, "stacks/shared/common.yml", "team-a", "team-b")
    data = json.loads(run(root, "--format", "json").stdout)
    changes = [c for s in data["stacks"] for comp in s["components"] for c in comp["changes"]]
    assert {(c["kind"], c["old"], c["new"], c["old_source"]) for c in changes} == {
        ("changed", "team-a", "team-b", "stacks/shared/common.yml:2")}  # fmt: skip


@pytest.mark.parametrize("example", ["github-actions-diff.yml", "gitlab-ci-diff.yml"])
def test_ci_examples_call_diff_with_options_it_takes(example: str) -> None:
    from stack_lsp.cli.diff import options

    text = (REPO / "examples" / "ci" / example).read_text()
    calls = re.findall(r"stack-lsp diff ([^>\n]*)", text)
    assert len(calls) == 2
    for call in calls:
        parser = argparse.ArgumentParser()
        options(parser)
        args = parser.parse_args(call.replace('"$(cat base.txt)"', "x").replace('"$BASE"', "x").split())
        assert args.base == "x" and args.format in ("markdown", "affected")
