"""Benchmark harness: measures stack-lsp against a baseline in the same run, prints one table.

    python benchmarks/run.py --size S          # generate a tree in a temp dir and measure
    python benchmarks/run.py --tree DIR        # measure an existing tree (with its atmos.yaml)

Rows (each a separate process, timed wall-clock, with its peak RSS):
  parse      the bare C YAML parse (ruamel.yaml compose) of every manifest: the baseline
  check      cold `stack-lsp --check`
  check2     `stack-lsp --check` again (warm OS cache)
  list       `stack-lsp list stacks`
  diff       `stack-lsp diff` in a git copy of the tree after a one-line change to a region mixin
             (a seventh of the stacks import it): cold (no import cache), then warm
Then the language server, driven over stdio by `lsp_client.Client`:
  initialize → first diagnostics of one opened stack file, and → the whole tree indexed and
  checked (its diagnostics published again); then hover, completion and definition
  p50/p95 over random positions of that file; a stack-file edit that sets a scalar where a
  catalog has a list → its first publish at the edited version that shows it (STK204); an
  edit to the globals file every stack imports that every stack file shows (STK204) → the
  open stack file's first diagnostics showing it, and its diagnostics again once the whole
  tree is re-checked; workspace/willRenameFiles for moving the catalogs folder (the edit to every
  file that imports from it); the server's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import SIZES, generate  # noqa: E402
from lsp_client import Client  # noqa: E402

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


def measure(name: str, argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> Row:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
        *diff_rows(tree),
    ]


def diff_rows(tree: Path) -> list[Row]:
    """`stack-lsp diff` against HEAD of a git copy of the tree with one region mixin changed."""
    if not (tree / "stacks/mixins/regions/us-east-1.yaml").is_file():
        return []
    with tempfile.TemporaryDirectory(prefix="stack-lsp-bench-diff-") as tmp:
        repo = Path(tmp) / "tree"
        shutil.copytree(tree, repo, ignore=shutil.ignore_patterns(".git"))
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "bench"]):
            subprocess.run([*git, *args], cwd=repo, check=True)
        mixin = repo / "stacks/mixins/regions/us-east-1.yaml"
        mixin.write_text(mixin.read_text().replace("vars:\n", "vars:\n  bench_marker: 1\n", 1))
        env = {**os.environ, "STACK_LSP_CACHE_DIR": str(Path(tmp) / "cache")}
        argv = [sys.executable, "-m", "stack_lsp", "diff", "--exit-code"]
        return [
            measure("diff, one mixin (cold)", argv, repo, env),
            measure("diff, one mixin (warm)", argv, repo, env),
        ]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def has_code(code: str) -> Callable[[dict[str, Any]], bool]:
    return lambda params: any(d.get("code") == code for d in params["diagnostics"])


def lacks_code(code: str) -> Callable[[dict[str, Any]], bool]:
    return lambda params: not has_code(code)(params)


def at_version(version: int, shows: Callable[[dict[str, Any]], bool]) -> Callable[[dict[str, Any]], bool]:
    return lambda params: params.get("version") == version and shows(params)


def lsp(tree: Path, samples: int, seed: int = 1) -> list[str]:
    """Language-server timings, as table lines."""
    import random

    rnd = random.Random(seed)
    stack = sorted((tree / "stacks" / "deployments").rglob("_stack.yaml"))[0]
    globals_file = tree / "stacks" / "_globals" / "globals.yaml"
    uri, text = stack.as_uri(), stack.read_text()
    client = Client([sys.executable, "-m", "stack_lsp"], tree)
    out: list[str] = []
    try:
        start = time.perf_counter()
        client.request("initialize", {
            "processId": os.getpid(), "rootUri": tree.as_uri(),
            "workspaceFolders": [{"uri": tree.as_uri(), "name": "bench"}],
            "capabilities": {"textDocument": {"publishDiagnostics": {}, "hover": {"contentFormat": ["markdown"]}}},
        })  # fmt: skip
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        first = client.wait_for("textDocument/publishDiagnostics", uri) - start
        out.append(f"{'lsp: initialize → first diagnostics':40} {first * 1000:9.0f} ms")
        # The server publishes again once the whole tree is indexed and checked.
        complete = client.wait_for("textDocument/publishDiagnostics", uri, timeout=1800) - start
        out.append(f"{'lsp: initialize → whole tree checked':40} {complete * 1000:9.0f} ms")
        lines = text.splitlines()
        for method in ("textDocument/hover", "textDocument/completion", "textDocument/definition"):
            times = []
            for _ in range(samples):
                line = rnd.randrange(len(lines))
                col = rnd.randrange(len(lines[line]) + 1)
                t0 = time.perf_counter()
                client.request(method, {"textDocument": {"uri": uri}, "position": {"line": line, "character": col}})
                times.append(time.perf_counter() - t0)
            name = method.split("/")[1]
            out.append(f"{'lsp: ' + name + ' p50 / p95':40} {_percentile(times, 0.5) * 1000:9.1f} / {_percentile(times, 0.95) * 1000:.1f} ms")
        # Each edit changes what the open stack file shows, and a publish counts only once it
        # shows that change (for the edited document, at the edited version): a publish left
        # over from the cycle before the edit cannot pass for it.
        client.quiet(idle=1.0)
        # A scalar for a list the catalog sets: STK204 in the stack file.
        scalar = text.replace("      vars:\n", "      vars:\n        labels: none\n", 1)
        for version, changed in ((2, scalar), (3, text)):  # the edit, then its undoing
            shows = has_code("STK204") if version == 2 else lacks_code("STK204")
            t0 = time.perf_counter()
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                     "contentChanges": [{"text": changed}]})  # fmt: skip
            at = at_version(version, shows)
            after = client.wait_for("textDocument/publishDiagnostics", uri, until=at) - t0
            if version == 2:
                out.append(f"{'lsp: stack edit → its diagnostics':40} {after * 1000:9.0f} ms")
            # Published again once the whole tree is re-checked: the next step starts at rest.
            client.wait_for("textDocument/publishDiagnostics", uri, 1800, until=at)
        client.quiet(idle=1.0)
        g_uri, g_text = globals_file.as_uri(), globals_file.read_text()
        t0 = time.perf_counter()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": g_uri, "languageId": "yaml", "version": 1, "text": g_text}})
        # Published twice: what the file alone shows, then (checking the whole tree for it, over
        # a second on L) the whole tree's findings; the edit waits for the second.
        opened_alone = client.wait_for("textDocument/publishDiagnostics", g_uri, 1800) - t0
        out.append(f"{'lsp: open a file (server up) → diagnostics':40} {opened_alone * 1000:9.0f} ms")
        client.wait_for("textDocument/publishDiagnostics", g_uri, 1800)
        client.quiet(idle=1.0)
        # A list in the globals that the stack file's scalar replaces: STK204 in every stack file.
        listed = g_text.replace("vars:\n", "vars:\n  environment: [bench]\n", 1)
        t0 = time.perf_counter()
        client.notify("textDocument/didChange", {"textDocument": {"uri": g_uri, "version": 2},
                                                 "contentChanges": [{"text": listed}]})  # fmt: skip
        try:
            opened = client.wait_for("textDocument/publishDiagnostics", uri, 60, has_code("STK204")) - t0
            out.append(f"{'lsp: mixin edit → open file diagnostics':40} {opened * 1000:9.0f} ms")
            # The open file is published again once every importer has been checked again.
            whole = client.wait_for("textDocument/publishDiagnostics", uri, 1800, has_code("STK204")) - t0
            out.append(f"{'lsp: mixin edit → whole tree re-checked':40} {whole * 1000:9.0f} ms")
        except (TimeoutError, queue.Empty):
            out.append(f"{'lsp: mixin edit → open file diagnostics':40} {'timeout':>9}")
        # Moving the catalogs folder in the explorer: the edit to every import of it.
        catalogs = tree / "stacks" / "catalogs"
        moved = {"files": [{"oldUri": catalogs.as_uri(), "newUri": (catalogs.parent / "library").as_uri()}]}
        t0 = time.perf_counter()
        edit = client.request("workspace/willRenameFiles", moved, timeout=120) or {}
        files = len(edit.get("changes") or {}) + len(edit.get("documentChanges") or [])
        label = f"lsp: move catalogs/ → edits ({files} files)"
        out.append(f"{label:40} {(time.perf_counter() - t0) * 1000:9.0f} ms")
        out.append(f"{'lsp: server peak RSS':40} {client.peak_rss_mb():9.0f} MB")
    finally:
        client.close()
    return out


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
    parser.add_argument("--samples", type=int, default=200, help="positions per LSP request kind")
    rows_wanted = parser.add_mutually_exclusive_group()
    rows_wanted.add_argument("--no-lsp", action="store_true", help="skip the language-server rows")
    rows_wanted.add_argument("--lsp-only", action="store_true", help="only the language-server rows")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stack-lsp-bench-") as tmp:
        tree = args.tree
        if tree is None:
            tree = Path(tmp)
            generate(tree, SIZES[args.size])
        files = sum(1 for _ in (tree / "stacks").rglob("*.yaml"))
        rows = [] if args.lsp_only else run(tree)
        if rows:
            print(table(rows, files))
        if not args.no_lsp:
            print("\n".join(lsp(tree, args.samples)))
    failed = [r for r in rows if r.exit_code not in (0, 1)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
