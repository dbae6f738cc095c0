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
Then the language server, driven over stdio by `lsp_client.Client`, once as a push client and
once as a pull client (VS Code's capabilities), on either shape of tree (`generate.py --shape`):
  push: initialize → first diagnostics of one opened stack file, and → the whole tree checked
  (that file published again); hover, completion and definition p50/p95 over random positions;
  `--reps` edits of the stack file that set a scalar where a catalog has a list, and undo it →
  its first publish at the edited version showing the change (STK204 or its absence); `--reps`
  such edits of the mixin every stack imports → the open stack file's first publish showing
  it, and → every stack file published showing it (or cleared); workspace/willRenameFiles for
  moving the catalogs folder (the edit to every file importing from it); the server's peak RSS.
  pull: the same tree and edits; after a stack edit a pull sent at once (counting any answer
  from before the edit as stale); after a mixin edit the server's `workspace/diagnostic/refresh`
  then a pull of the open stack (what VS Code does), and the workspace pull in flight across
  the edit (VS Code's Problems panel) → its answer, with how many stacks it shows the error in.
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
from generate import SHAPES, SIZES  # noqa: E402
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


@dataclass
class Probe:
    """What the language-server rows open and edit in a tree of either shape: a stack file, a
    mixin every stack imports, and for each an edit after which it shows STK204 (a scalar where
    a list was: a catalog's `labels`, the stacks' `environment` or `stage`)."""

    stack: Path
    mixin: Path
    mixin_list: str
    stacks: set[str]

    def stack_edit(self, text: str) -> str:
        return text.replace("      vars:\n", "      vars:\n        labels: none\n", 1)

    def mixin_edit(self, text: str) -> str:
        return text.replace("vars:\n", f"vars:\n  {self.mixin_list}: [bench]\n", 1)


def probe(tree: Path) -> Probe:
    stacks = tree / "stacks"
    if (stacks / "_globals" / "globals.yaml").is_file():  # the `bench` shape
        found = sorted((stacks / "deployments").rglob("_stack.yaml"))
        return Probe(found[0], stacks / "_globals" / "globals.yaml", "environment", uris(found))
    found = sorted((stacks / "orgs").rglob("stage*.yaml"))  # the `seed` shape
    return Probe(found[0], stacks / "mixins" / "base.yaml", "stage", uris(found))


def uris(paths: list[Path]) -> set[str]:
    return {path.as_uri() for path in paths}


HOVER = {"contentFormat": ["markdown"]}
PUSH = {"textDocument": {"publishDiagnostics": {}, "hover": HOVER}}
PULL = {  # what VS Code's language client declares (vscode-languageclient DiagnosticFeature)
    "textDocument": {"publishDiagnostics": {}, "hover": HOVER,
                     "diagnostic": {"dynamicRegistration": True, "relatedDocumentSupport": False}},
    "workspace": {"diagnostics": {"refreshSupport": True}},
}  # fmt: skip


def p50_p95(name: str, values: list[float], unit: float = 1000) -> str:
    text = f"{_percentile(values, 0.5) * unit:9.1f} / {_percentile(values, 0.95) * unit:.1f} ms"
    return f"{name + ' p50 / p95':56} {text}  (n={len(values)})"


def start(tree: Path, caps: dict[str, Any], stack: Path) -> tuple[Client, float, dict[str, Any]]:
    client = Client([sys.executable, "-m", "stack_lsp"], tree)
    start = time.perf_counter()
    init = client.request("initialize", {
        "processId": os.getpid(), "rootUri": tree.as_uri(),
        "workspaceFolders": [{"uri": tree.as_uri(), "name": "bench"}], "capabilities": caps,
    })  # fmt: skip
    client.notify("initialized", {})
    opened(client, stack)
    return client, start, init["capabilities"]


def opened(client: Client, path: Path) -> None:
    client.notify("textDocument/didOpen", {"textDocument": {"uri": path.as_uri(), "languageId": "yaml",
                                                            "version": 1, "text": path.read_text()}})  # fmt: skip


def change(client: Client, path: Path, version: int, text: str) -> float:
    t0 = time.perf_counter()
    client.notify("textDocument/didChange", {"textDocument": {"uri": path.as_uri(), "version": version},
                                             "contentChanges": [{"text": text}]})  # fmt: skip
    return t0


def lsp(tree: Path, samples: int, reps: int, seed: int = 1) -> list[str]:
    """Language-server timings with a push client, as table lines."""
    import random

    rnd = random.Random(seed)
    p = probe(tree)
    uri, text = p.stack.as_uri(), p.stack.read_text()
    client, start_at, _ = start(tree, PUSH, p.stack)
    out: list[str] = []
    try:
        first = client.wait_for("textDocument/publishDiagnostics", uri) - start_at
        out.append(f"{'push: initialize → first diagnostics':56} {first * 1000:9.0f} ms")
        # The server publishes again once the whole tree is indexed and checked.
        complete = client.wait_for("textDocument/publishDiagnostics", uri, timeout=1800) - start_at
        out.append(f"{'push: initialize → whole tree checked':56} {complete * 1000:9.0f} ms")
        lines = text.splitlines()
        for method in ("textDocument/hover", "textDocument/completion", "textDocument/definition"):
            times = []
            for _ in range(samples):
                line = rnd.randrange(len(lines))
                col = rnd.randrange(len(lines[line]) + 1)
                t0 = time.perf_counter()
                client.request(method, {"textDocument": {"uri": uri}, "position": {"line": line, "character": col}})
                times.append(time.perf_counter() - t0)
            out.append(p50_p95("push: " + method.split("/")[1], times))
        # Each edit changes what the open stack file shows, and a publish counts only once it
        # shows that change (for the edited document, at the edited version): a publish left
        # over from the cycle before the edit cannot pass for it.
        client.quiet(idle=1.0)
        edits = []
        for version in range(2, 2 + reps):
            broken = version % 2 == 0
            shows = has_code("STK204") if broken else lacks_code("STK204")
            t0 = change(client, p.stack, version, p.stack_edit(text) if broken else text)
            at = at_version(version, shows)
            edits.append(client.wait_for("textDocument/publishDiagnostics", uri, until=at) - t0)
            # Published again once the whole tree is re-checked: the next step starts at rest.
            client.wait_for("textDocument/publishDiagnostics", uri, 1800, until=at)
        out.append(p50_p95("push: stack edit → its diagnostics", edits))
        if reps % 2:
            change(client, p.stack, 2 + reps, text)
        client.quiet(idle=1.0)
        g_uri, g_text = p.mixin.as_uri(), p.mixin.read_text()
        t0 = time.perf_counter()
        opened(client, p.mixin)
        # Published twice: what the file alone shows, then the whole tree's findings.
        opened_alone = client.wait_for("textDocument/publishDiagnostics", g_uri, 1800) - t0
        out.append(f"{'push: open a file (server up) → diagnostics':56} {opened_alone * 1000:9.0f} ms")
        client.wait_for("textDocument/publishDiagnostics", g_uri, 1800)
        client.quiet(idle=1.0)
        # A list in the mixin that every stack's scalar replaces: STK204 in every stack file.
        to_open, to_all = [], []
        for version in range(2, 2 + reps):
            broken = version % 2 == 0
            shows = has_code("STK204") if broken else lacks_code("STK204")
            t0 = change(client, p.mixin, version, p.mixin_edit(g_text) if broken else g_text)
            to_open.append(client.wait_for("textDocument/publishDiagnostics", uri, 60, shows) - t0)
            to_all.append(every_stack(client, uri, p.stacks, broken) - t0)
        out.append(p50_p95("push: mixin edit → open stack's diagnostics", to_open))
        if all(t == t for t in to_all):  # NaN when the server does not publish closed files
            out.append(p50_p95("push: mixin edit → every stack published", to_all))
        catalogs = tree / "stacks" / "catalogs"
        if catalogs.is_dir():  # moving the catalogs folder in the explorer: every import of it
            client.quiet(idle=1.0)  # after the edits' whole-tree re-checks, as a user would
            moved = {"files": [{"oldUri": catalogs.as_uri(), "newUri": (catalogs.parent / "library").as_uri()}]}
            t0 = time.perf_counter()
            edit = client.request("workspace/willRenameFiles", moved, timeout=120) or {}
            took = (time.perf_counter() - t0) * 1000
            files = len(edit.get("changes") or {}) + len(edit.get("documentChanges") or [])
            out.append(f"{'push: move catalogs/ → import edits':56} {took:9.0f} ms ({files} files)")
        out.append(f"{'push: server peak RSS':56} {client.peak_rss_mb():9.0f} MB")
    finally:
        client.close()
    return out


def every_stack(client: Client, uri: str, stacks: set[str], broken: bool) -> float:
    """When the last stack file other than the open one (`uri`, whose first publish after the
    edit is already read) was published showing STK204 (`broken`) or without it. The open file
    is published again with them, once the whole tree is checked: a server that publishes for
    open files only has then said all it will (NaN)."""
    pending = stacks - {uri}
    whole = False
    while True:
        try:
            at, body = client.notifications.get(timeout=2.0 if whole else 1800)
        except queue.Empty:
            return float("nan")
        if body.get("method") != "textDocument/publishDiagnostics":
            continue
        params = body["params"]
        whole = whole or params["uri"] == uri
        if has_code("STK204")(params) == broken:
            pending.discard(params["uri"])
        if not pending:
            return at


def lsp_pull(tree: Path, reps: int) -> list[str]:
    """Language-server timings with a pull client (VS Code's capabilities), as table lines.
    Edits are pulled for as VS Code does: the edited stack at once, the open stack after the
    server's `workspace/diagnostic/refresh`; the Problems panel's workspace pull is in flight
    (long-poll) across each edit."""
    p = probe(tree)
    uri, text = p.stack.as_uri(), p.stack.read_text()
    doc = {"textDocument": {"uri": uri}}
    client, start_at, caps = start(tree, PULL, p.stack)
    workspace = bool((caps.get("diagnosticProvider") or {}).get("workspaceDiagnostics"))
    out: list[str] = []
    known: dict[str, str] = {}

    def workspace_pull() -> int | None:
        ids = [{"uri": u, "value": v} for u, v in known.items()]
        return client.send("workspace/diagnostic", {"previousResultIds": ids}) if workspace else None

    def settled(ident: int | None) -> tuple[float, int]:
        """When the workspace pull was answered, and how many files show STK204 in it."""
        if ident is None:
            return client.quiet(idle=2.0, timeout=1800), -1
        at, result = client.response(ident, 1800)
        showing = 0
        for item in result["items"]:
            known[item["uri"]] = item["resultId"]
            showing += any(d.get("code") == "STK204" for d in item.get("items", []))
        return at, showing

    try:
        at, _ = client.response(client.send("textDocument/diagnostic", doc))
        out.append(f"{'pull: initialize → first diagnostics':56} {(at - start_at) * 1000:9.0f} ms")
        at, _ = settled(workspace_pull() if workspace else None)
        out.append(f"{'pull: initialize → whole tree checked':56} {(at - start_at) * 1000:9.0f} ms")
        edits, stale = [], 0
        for version in range(2, 2 + reps):
            broken = version % 2 == 0
            pending = workspace_pull()
            t0 = change(client, p.stack, version, p.stack_edit(text) if broken else text)
            at, report = client.response(client.send("textDocument/diagnostic", doc))
            stale += shows_code(report, "STK204") != broken
            edits.append(at - t0)
            settled(pending)
        out.append(p50_p95("pull: stack edit → a pull at once", edits) + f", {stale} stale")
        if reps % 2:
            change(client, p.stack, 2 + reps, text)
            settled(workspace_pull())
        g_text = p.mixin.read_text()
        opened(client, p.mixin)  # changes no finding: the workspace pull would wait
        client.quiet(idle=2.0, timeout=1800)
        to_open, to_all, showing = [], [], []
        for version in range(2, 2 + reps):
            broken = version % 2 == 0
            pending = workspace_pull()
            t0 = change(client, p.mixin, version, p.mixin_edit(g_text) if broken else g_text)
            while True:  # VS Code pulls its open documents again when asked to
                client.wait_for("workspace/diagnostic/refresh", None, 1800)
                at, report = client.response(client.send("textDocument/diagnostic", doc))
                if shows_code(report, "STK204") == broken:
                    break
            to_open.append(at - t0)
            at, count = settled(pending)
            to_all.append(at - t0)
            showing.append(count)
        out.append(p50_p95("pull: mixin edit → refresh → open stack pulled", to_open))
        if workspace:
            out.append(p50_p95("pull: mixin edit → workspace pull answered", to_all)
                       + f", stacks showing it: {max(showing)}")  # fmt: skip
        out.append(f"{'pull: server peak RSS':56} {client.peak_rss_mb():9.0f} MB")
    finally:
        client.close()
    return out


def shows_code(report: dict[str, Any], code: str) -> bool:
    return any(d.get("code") == code for d in report.get("items", []))


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
    parser.add_argument("--reps", type=int, default=10, help="edits per edit row (p50/p95)")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="bench", help="with --size")
    parser.add_argument("--clients", choices=["push", "pull", "both"], default="both")
    rows_wanted = parser.add_mutually_exclusive_group()
    rows_wanted.add_argument("--no-lsp", action="store_true", help="skip the language-server rows")
    rows_wanted.add_argument("--lsp-only", action="store_true", help="only the language-server rows")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stack-lsp-bench-") as tmp:
        tree = args.tree
        if tree is None:
            tree = Path(tmp)
            SHAPES[args.shape](tree, SIZES[args.size])
        files = sum(1 for _ in (tree / "stacks").rglob("*.yaml"))
        rows = [] if args.lsp_only else run(tree)
        if rows:
            print(table(rows, files))
        if not args.no_lsp and args.clients in ("push", "both"):
            print("\n".join(lsp(tree, args.samples, args.reps)), flush=True)
        if not args.no_lsp and args.clients in ("pull", "both"):
            print("\n".join(lsp_pull(tree, args.reps)), flush=True)
    failed = [r for r in rows if r.exit_code not in (0, 1)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
