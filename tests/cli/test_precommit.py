"""The pre-commit hooks (.pre-commit-hooks.yaml) run the way pre-commit runs them, and the GitLab
Code Quality conversion in examples/ci/gitlab-ci.yml.

pre-commit, for a `language: python` hook, installs this repository into a virtualenv, puts its
`bin/` first on PATH and runs `entry` (split like a shell would) plus `args`, from the root of the
user's repository, followed — when `pass_filenames` — by the staged files that match `files` and
not `exclude` (deleted files never); a hook with no matching files is skipped unless `always_run`.
Here the virtualenv is the test interpreter's (stack-lsp is installed there) and the user's
repository is a git copy of the example tree."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
STACK = "stacks/deployments/fnx/production/us-west-2/prod-01/_stack.yaml"
MIXIN = "stacks/mixins/compliance/pci-dss.yaml"


def hooks() -> dict[str, dict[str, Any]]:
    data = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text())
    return {hook["id"]: hook for hook in data}


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A user's repository: the example tree, committed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy2(REPO / "atmos.yaml", root / "atmos.yaml")
    shutil.copytree(REPO / "stacks", root / "stacks")
    shutil.copytree(REPO / "components", root / "components")
    (root / ".github").mkdir()
    (root / ".github" / "unrelated.yml").write_text("not: [a stack file\n")  # outside the tree
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "tree")
    return root


def run_hook(hook: dict[str, Any], root: Path, all_files: bool = False) -> tuple[int, str] | None:
    """Run `hook` as pre-commit would on the staged changes (or `--all-files`); None if
    pre-commit would skip it."""
    listing = ["ls-files"] if all_files else ["diff", "--staged", "--name-only", "--diff-filter=d"]
    staged = git(root, *listing).split()
    files = re.compile(hook.get("files", ""))
    exclude = re.compile(hook["exclude"]) if hook.get("exclude") else None
    matched = [f for f in staged if files.search(f) and not (exclude and exclude.search(f))]
    if not matched and not hook.get("always_run", False):
        return None
    argv = shlex.split(hook["entry"]) + list(hook.get("args", []))
    if hook.get("pass_filenames", True):
        argv += matched
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    for var in ("ATMOS_CLI_CONFIG_PATH", "ATMOS_BASE_PATH", "ATMOS_STACKS_BASE_PATH"):
        env.pop(var, None)
    proc = subprocess.run(
        argv, cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    return proc.returncode, proc.stdout + proc.stderr


def break_import(root: Path) -> int:
    """Point one import of the prod-01 stack at a missing mixin; its 1-based line."""
    path = root / STACK
    lines = path.read_text().splitlines()
    index = next(i for i, ln in enumerate(lines) if ln.strip() == "- mixins/compliance/pci-dss")
    lines[index] = lines[index].replace("pci-dss", "does-not-exist")
    path.write_text("\n".join(lines) + "\n")
    return index + 1


def test_hooks_are_declared_for_pre_commit() -> None:
    found = hooks()
    assert set(found) == {"stack-lsp", "stack-lsp-all"}
    for hook in found.values():
        assert hook["language"] == "python"  # pre-commit installs this repository for it
        assert shlex.split(hook["entry"])[:2] == ["stack-lsp", "--check"]
        assert re.compile(hook["files"]).search("stacks/x/_stack.yaml")
    assert found["stack-lsp"]["pass_filenames"] is True
    assert found["stack-lsp-all"]["pass_filenames"] is False


@pytest.mark.parametrize("hook_id", ["stack-lsp", "stack-lsp-all"])
def test_clean_tree_passes(repo: Path, hook_id: str) -> None:
    ran = run_hook(hooks()[hook_id], repo, all_files=True)
    assert ran is not None
    code, output = ran
    assert code == 0, output
    assert " error " not in output


def test_clean_change_passes(repo: Path) -> None:
    path = repo / STACK
    path.write_text(path.read_text().replace("app.prod-01.fnx", "www.prod-01.fnx"))
    git(repo, "add", STACK)
    ran = run_hook(hooks()["stack-lsp"], repo)
    assert ran is not None and ran[0] == 0, ran


@pytest.mark.parametrize("hook_id", ["stack-lsp", "stack-lsp-all"])
def test_broken_import_fails(repo: Path, hook_id: str) -> None:
    line = break_import(repo)
    git(repo, "add", STACK)
    ran = run_hook(hooks()[hook_id], repo)
    assert ran is not None
    code, output = ran
    assert code == 1, output
    assert f"{STACK}:{line}:" in output
    assert "STK101" in output and "mixins/compliance/does-not-exist" in output


def test_yaml_syntax_error_fails(repo: Path) -> None:
    path = repo / STACK
    path.write_text(path.read_text().replace("\nvars:\n", "\nvars: [oops\n", 1))
    git(repo, "add", STACK)
    ran = run_hook(hooks()["stack-lsp"], repo)
    assert ran is not None
    code, output = ran
    assert code == 1, output
    assert "STK001" in output and STACK in output


def test_unrelated_yaml_is_not_a_finding(repo: Path) -> None:
    (repo / ".github" / "unrelated.yml").write_text("still: [not a stack\n")
    git(repo, "add", ".github/unrelated.yml")
    ran = run_hook(hooks()["stack-lsp"], repo)
    assert ran is not None and ran[0] == 0, ran


def test_deleted_mixin_is_caught_by_the_whole_tree_hook(repo: Path) -> None:
    """pre-commit passes no deleted files: the changed-files hook is skipped, the whole-tree hook
    reports the imports the deletion broke."""
    git(repo, "rm", "-q", MIXIN)
    assert run_hook(hooks()["stack-lsp"], repo) is None
    ran = run_hook(hooks()["stack-lsp-all"], repo)
    assert ran is not None
    code, output = ran
    assert code == 1, output
    assert "STK101" in output and "mixins/compliance/pci-dss" in output


def gitlab_converter() -> str:
    """The Python step of examples/ci/gitlab-ci.yml's job."""
    job = YAML(typ="safe").load((REPO / "examples/ci/gitlab-ci.yml").read_text())["stack-lsp"]
    step = next(s for s in job["script"] if s.startswith("python - <<'PY'"))
    return step.split("<<'PY'\n", 1)[1].rsplit("PY", 1)[0]


def test_gitlab_code_quality_report(repo: Path) -> None:
    line = break_import(repo)
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    with (repo / "stack-lsp.json").open("w") as out:
        check = subprocess.run(
            ["stack-lsp", "--check", "--format", "json"], cwd=repo, env=env, stdout=out, check=False
        )
    assert check.returncode == 1
    subprocess.run([sys.executable, "-c", gitlab_converter()], cwd=repo, check=True)
    issues = json.loads((repo / "gl-code-quality-report.json").read_text())
    broken = [i for i in issues if i["check_name"] == "STK101"]
    assert broken, issues
    assert broken[0]["severity"] == "major"
    assert broken[0]["location"] == {"path": STACK, "lines": {"begin": line}}
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}
