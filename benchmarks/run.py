"""Benchmark harness: measures stack-lsp against a baseline in the same run, prints one table.

    python benchmarks/run.py --size S          # generate a tree in a temp dir and measure
    python benchmarks/run.py --tree DIR        # measure an existing tree (with its atmos.yaml)

Rows (each a separate process, timed wall-clock, with its peak RSS):
  parse      the bare C YAML parse (ruamel.yaml compose) of every manifest: the baseline
  check      cold `stack-lsp --check`
  check2     `stack-lsp --check` again (warm OS cache)
  list       `stack-lsp list stacks`
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import SIZES, generate  # noqa: E402

PARSE_ONLY = """
import sys
from pathlib import Path
from ruamel.yaml import YAML
yaml = YAML(typ="safe", pure=False)
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.compose(path.read_text())
"""


@dataclass
class Row:
    name: str
    seconds: float
    rss_mb: float
    exit_code: int


def measure(name: str, argv: list[str], cwd: Path) -> Row:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Row(name, elapsed, usage.ru_maxrss / 1024, proc.returncode)


def run(tree: Path) -> list[Row]:
    py = sys.executable
    stacks_dir = tree / "stacks"
    return [
        measure("parse (C composer, baseline)", [py, "-c", PARSE_ONLY, str(stacks_dir)], tree),
        measure("check (cold)", [py, "-m", "stack_lsp", "--check"], tree),
        measure("check (again)", [py, "-m", "stack_lsp", "--check"], tree),
        measure("list stacks", [py, "-m", "stack_lsp", "list", "stacks"], tree),
    ]


def table(rows: list[Row], files: int) -> str:
    base = rows[0].seconds
    lines = [f"{files} manifests", f"{'measure':32} {'seconds':>9} {'x parse':>8} {'peak RSS MB':>12} {'exit':>5}"]
    for row in rows:
        lines.append(
            f"{row.name:32} {row.seconds:9.2f} {row.seconds / base:8.1f} {row.rss_mb:12.0f} {row.exit_code:5d}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="stack-lsp benchmarks")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--size", choices=sorted(SIZES), default="S")
    group.add_argument("--tree", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stack-lsp-bench-") as tmp:
        tree = args.tree
        if tree is None:
            tree = Path(tmp)
            generate(tree, SIZES[args.size])
        files = sum(1 for _ in (tree / "stacks").rglob("*.yaml"))
        rows = run(tree)
        print(table(rows, files))
    failed = [r for r in rows if r.exit_code not in (0, 1)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
