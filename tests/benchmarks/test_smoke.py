"""The benchmark harness runs end to end on the S tree (a smoke test: no timing assertion)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def test_generated_tree_is_clean_and_named(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    generate(tmp_path, 30)
    listed = subprocess.run([sys.executable, "-m", "stack_lsp", "list", "stacks"], cwd=tmp_path,
                            capture_output=True, text=True, check=True).stdout.split()
    assert len(listed) == 30
    assert listed[0] == "t000-development-eu-central-1-env-00020"
    check = subprocess.run([sys.executable, "-m", "stack_lsp", "--check"], cwd=tmp_path,
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout


def test_seed_shaped_tree_is_clean_and_named(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate_seed

    generate_seed(tmp_path, 120)
    listed = subprocess.run([sys.executable, "-m", "stack_lsp", "list", "stacks"], cwd=tmp_path,
                            capture_output=True, text=True, check=True).stdout.split()
    assert len(listed) == 120  # two stacks in each of the first 60 of 100 regions
    assert listed[0] == "tenant0-dev-ap-southeast-2-s000"
    check = subprocess.run([sys.executable, "-m", "stack_lsp", "--check"], cwd=tmp_path,
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout


def test_benchmark_runs_on_s() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--size", "S", "--samples", "20",
         "--reps", "2"],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "217 manifests"
    assert [line.split("  ")[0] for line in lines[2:]] == [
        "parse (C composer, baseline)", "check (cold)", "check (again)", "list stacks",
        "diff, one mixin (cold)", "diff, one mixin (warm)",
        "push: initialize → first diagnostics", "push: initialize → whole tree checked",
        "push: hover p50 / p95", "push: completion p50 / p95", "push: definition p50 / p95",
        "push: stack edit → its diagnostics p50 / p95",
        "push: open a file (server up) → diagnostics",
        "push: mixin edit → open stack's diagnostics p50 / p95",
        "push: mixin edit → every stack published p50 / p95",
        "push: move catalogs/ → import edits", "push: server peak RSS",
        "pull: initialize → first diagnostics", "pull: initialize → whole tree checked",
        "pull: stack edit → a pull at once p50 / p95",
        "pull: mixin edit → refresh → open stack pulled p50 / p95",
        "pull: mixin edit → workspace pull answered p50 / p95", "pull: server peak RSS",
    ]  # fmt: skip
    assert "timeout" not in result.stdout
    assert ", 0 stale" in result.stdout
    diff_exits = [line.split()[-1] for line in lines if line.startswith("diff, one mixin")]
    assert diff_exits == ["1", "1"]  # --exit-code: the mixin change is found
