"""The on-disk `--check` cache: same output when nothing changed, recomputed on any change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_tree

TREE = {
    "stacks/deploy/dev.yaml": "import: [catalog/c]\nvars: {stage: dev}\n",
    "stacks/catalog/c.yaml": "components: {terraform: {c: {vars: {a: 1}}}}\n",
}


def check(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stack_lsp", "--check", *extra], cwd=root,
                          capture_output=True, text=True, check=False)  # fmt: skip


def body(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The output without the summary's timing."""
    return [line.rsplit(" in ", 1)[0] for line in result.stdout.splitlines()]


def test_warm_check_repeats_the_findings_and_notices_changes(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    cold = check(tmp_path)
    assert (cold.returncode, body(cold)) == (0, ["no problems in 2 files (1 stacks) checked"])
    assert any(p.name.startswith("check-") for p in Path(
        __import__("os").environ["STACK_LSP_CACHE_DIR"]).iterdir())
    warm = check(tmp_path)
    assert (warm.returncode, body(warm)) == (0, body(cold))
    (tmp_path / "stacks/catalog/c.yaml").write_text("components: {terraform: {c: {vars: {a: 1}}}}\nimport: [gone]\n")
    broken = check(tmp_path)
    assert broken.returncode == 1
    assert "STK101 import 'gone' not found" in broken.stdout
    again = check(tmp_path)
    assert (again.returncode, body(again)) == (1, body(broken))
    paths = check(tmp_path, "stacks/deploy")
    assert (paths.returncode, body(paths)) == (0, ["no problems in 1 files (1 stacks) checked"])


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    import os

    cache = Path(os.environ["STACK_LSP_CACHE_DIR"])
    assert check(tmp_path, "--no-cache").returncode == 0
    assert list(cache.iterdir()) == []


def test_unchanged_files_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key is recomputed from the stored digests of files whose size and mtime did not
    change; only a changed file is read."""
    import os

    from stack_lsp.cli import cache
    from stack_lsp.config import load_config
    from stack_lsp.workspace import Workspace

    write_tree(tmp_path, TREE)
    reads: list[str] = []
    original = cache._bounded

    def counting(path: str, limit: int) -> bytes:
        reads.append(os.path.relpath(path, tmp_path))
        return original(path, limit)

    monkeypatch.setattr(cache, "_bounded", counting)
    ws = Workspace(load_config(cwd=str(tmp_path)))
    first, stats = cache.inputs_key(ws, "")
    assert sorted(reads) == ["atmos.yaml", "stacks/catalog/c.yaml", "stacks/deploy/dev.yaml"]
    reads.clear()
    again, _ = cache.inputs_key(ws, "", stats)
    assert (again, reads) == (first, ["atmos.yaml"])  # the configuration is always read
    (tmp_path / "stacks/deploy/dev.yaml").write_text("import: [catalog/c]\nvars: {stage: qa}\n")
    reads.clear()
    changed, _ = cache.inputs_key(ws, "", stats)
    assert changed != first and sorted(reads) == ["atmos.yaml", "stacks/deploy/dev.yaml"]


def test_links_out_of_the_tree_are_not_read_to_hash_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stack_lsp.cli import cache
    from stack_lsp.config import load_config
    from stack_lsp.workspace import Workspace

    root = tmp_path / "repo"
    write_tree(root, TREE)
    secret = tmp_path / "secret.yaml"
    secret.write_text("vars: {password: hunter2}\n")
    (root / "stacks/catalog/link.yaml").symlink_to(secret)
    opened: list[str] = []
    original = cache._bounded
    monkeypatch.setattr(cache, "_bounded", lambda p, n: opened.append(p) or original(p, n))
    key, stats = cache.inputs_key(Workspace(load_config(cwd=str(root))), "")
    assert str(secret) not in opened and not any(p.endswith("link.yaml") for p in opened)
    assert not any(p.endswith("link.yaml") for p in stats)
    secret.write_text("vars: {password: changed}\n")
    assert cache.inputs_key(Workspace(load_config(cwd=str(root))), "")[0] == key
