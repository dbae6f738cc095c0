"""Shared test helpers: small stack trees written into tmp_path, and the conformance fixtures."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from stack_lsp.config import load_config
from stack_lsp.stacks import Stacks
from stack_lsp.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CONFORMANCE = SHARED / "conformance" / "atmos" / "tests"

DEFAULT_ATMOS = """
base_path: "."
stacks:
  base_path: stacks
  included_paths: ["deploy/**/*"]
  excluded_paths: ["**/_defaults.yaml"]
  name_pattern: "{stage}"
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (path → YAML text, dedented) under `root`; an atmos.yaml is added unless given."""
    if "atmos.yaml" not in files:
        files = {"atmos.yaml": DEFAULT_ATMOS, **files}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def load_stacks(root: Path) -> Stacks:
    return Stacks(Workspace(load_config(cwd=str(root))))


TreeFactory = Callable[[dict[str, str]], Stacks]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own `--check` result cache, so no test reads another's results."""
    monkeypatch.setenv("STACK_LSP_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def tree(tmp_path: Path) -> TreeFactory:
    """`tree({...})` writes a stack tree into tmp_path and returns its `Stacks`."""

    def make(files: dict[str, str]) -> Stacks:
        return load_stacks(write_tree(tmp_path, files))

    return make


def conformance_dir(*parts: str) -> Path:
    path = CONFORMANCE.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"conformance fixtures not available at {path} (../shared is absent)")
    return path
