"""Atmos workflow manifests: which files they are (`workflows.base_path` in atmos.yaml) and what
they say — the workflows, their steps, and the command, stack and component each `atmos` step
names, with the position of every word so findings and navigation land on it.

Read as Atmos reads them (pkg/schema/workflow.go: WorkflowManifest → `workflows:` → name →
WorkflowDefinition with `steps`, `stack`; internal/exec/workflow_utils.go: a step without a
`type` is an `atmos` step, its command is split into words like a shell would and the step's
`stack`, else the workflow's, is passed as `-s`). Nothing here runs a step.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from .config import AtmosConfig
from .parsing import Document
from .tree import Span, Value

WORKFLOW_SUFFIXES = (".yaml", ".yml")

# pkg/runner/step/documentation_test.go lists every registered step type (and the aliases
# `assert` → require, `webhook` → http); `atmos` and `shell` are the classic two.
STEP_TYPES = frozenset(
    [
        "alert",
        "archive",
        "atmos",
        "aws/s3",
        "cancel",
        "cast",
        "choose",
        "clear",
        "confirm",
        "container",
        "emulator",
        "env",
        "exec",
        "exit",
        "file",
        "filter",
        "format",
        "hint",
        "http",
        "input",
        "join",
        "junit",
        "linebreak",
        "log",
        "markdown",
        "matrix",
        "pager",
        "parallel",
        "require",
        "say",
        "script",
        "shell",
        "sleep",
        "spin",
        "stage",
        "store",
        "style",
        "table",
        "test",
        "tflint",
        "title",
        "toast",
        "wait",
        "wait-all",
        "workdir",
        "write",
        "assert",
        "webhook",
    ]
)
DEFAULT_STEP_TYPE = "atmos"

# pkg/schema/workflow.go: WorkflowManifest and WorkflowDefinition fields.
MANIFEST_KEYS = frozenset({"name", "description", "workflows"})
WORKFLOW_KEYS = frozenset(
    {
        "description",
        "working_directory",
        "dependencies",
        "steps",
        "stack",
        "env",
        "container",
        "output",
        "viewport",
        "show",
    }
)

# Flags of Atmos commands that take the next word as their value (so it is not a component).
VALUE_FLAGS = frozenset(
    {
        "-s",
        "--stack",
        "-f",
        "--file",
        "-i",
        "--identity",
        "-q",
        "--query",
        "--format",
        "--components",
        "--from-step",
        "--skip",
        "--planfile",
        "--base-path",
        "--config",
        "--config-path",
        "--logs-level",
        "--logs-file",
        "--file-path",
        "-var",
        "-var-file",
        "-target",
        "-out",
    }
)
STACK_FLAGS = ("-s", "--stack")

# The commands whose first argument after the subcommand is a component, and its kind.
COMPONENT_COMMANDS = {
    "terraform": "terraform",
    "tf": "terraform",
    "helmfile": "helmfile",
    "packer": "packer",
    "ansible": "ansible",
}
# `describe component X`, `validate component X`: a component of any kind.
COMPONENT_SUBCOMMANDS = frozenset({"describe", "validate"})
NO_COMPONENT = frozenset({"version", "backends", "varfiles"})


# cmd/: Atmos's built-in commands (`tf` is the alias of `terraform`); custom commands from
# atmos.yaml `commands:` are added per project.
ATMOS_COMMANDS = frozenset(
    [
        "about",
        "ai",
        "ansible",
        "atlantis",
        "auth",
        "aws",
        "completion",
        "describe",
        "devcontainer",
        "docs",
        "env",
        "helmfile",
        "help",
        "lint",
        "list",
        "mcp",
        "packer",
        "pro",
        "support",
        "terraform",
        "tf",
        "theme",
        "toolchain",
        "validate",
        "vendor",
        "version",
        "workflow",
    ]
)


def custom_commands(raw: object) -> set[str]:
    """The commands atmos.yaml adds: custom `commands:` and command `aliases:`."""
    if not isinstance(raw, dict):
        return set()
    commands, aliases = raw.get("commands"), raw.get("aliases")
    out = {str(a) for a in aliases} if isinstance(aliases, dict) else set()
    if isinstance(commands, list):
        out |= {str(c["name"]) for c in commands if isinstance(c, dict) and c.get("name")}
    return out


DEFAULT_WORKFLOWS_BASE = "stacks/workflows"  # pkg/config/default.go


def workflows_base(config: AtmosConfig) -> str | None:
    """`workflows.base_path` of atmos.yaml, absolute (relative to `base_path`); Atmos's default
    `stacks/workflows` when unset; None when it is not a plain path (a YAML function)."""
    section = config.raw.get("workflows")
    value = section.get("base_path") if isinstance(section, Mapping) else None
    if value is None:
        value = DEFAULT_WORKFLOWS_BASE
    if not isinstance(value, str) or not value.strip():
        return None
    return os.path.normpath(os.path.join(config.base_path, value))


def in_base(base: str | None, path: str) -> bool:
    """Whether `path` is a workflow manifest under `base`."""
    return base is not None and path.startswith(base + os.sep) and path.endswith(WORKFLOW_SUFFIXES)


def workflow_name(base: str, path: str) -> str:
    """The name `atmos workflow -f` takes for a file: relative to the base, no extension."""
    rel = os.path.relpath(path, base).replace(os.sep, "/")
    return os.path.splitext(rel)[0]


# ---- the words of a command ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a command line: its text without quotes, and where it is written."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Command:
    """An `atmos` step's command line, read as Atmos reads it."""

    words: tuple[Word, ...]
    positionals: tuple[Word, ...]
    """Words that are neither flags nor flag values, before `--`."""
    stack: Word | None
    """The value of `-s`/`--stack` in the command."""
    component: Word | None
    component_kind: str | None
    """"terraform", "helmfile" … for `terraform plan X`; "" for `describe component X`."""


def split_words(text: str) -> list[tuple[str, int, int]]:
    """Words as a shell splits them (quotes group, backslash escapes): (text, start, end) with
    the offsets of the written word in `text`."""
    out: list[tuple[str, int, int]] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        start = i
        chars: list[str] = []
        while i < n and not text[i].isspace():
            c = text[i]
            if c in "'\"":
                close = text.find(c, i + 1)
                if close < 0:
                    close = n
                chars.append(text[i + 1 : close])
                i = close + 1
            elif c == "\\" and i + 1 < n:
                chars.append(text[i + 1])
                i += 2
            else:
                chars.append(c)
                i += 1
        out.append(("".join(chars), start, min(i, n)))
    return out


def _offsets(text: str) -> list[int]:
    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    return starts


def _position(starts: list[int], offset: int) -> tuple[int, int]:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo, offset - starts[lo]


class _Placer:
    """Finds where the words of a scalar are written in the document: at their offset when the
    scalar is written as it reads (plain or simply quoted), else by searching the written text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = _offsets(text)

    def words(self, value: Value) -> list[Word]:
        data = value.data if isinstance(value.data, str) else ""
        span = value.source.span
        if span.start_line >= len(self.starts):
            return []
        begin = self.starts[span.start_line] + span.start_col
        end = self.starts[min(span.end_line, len(self.starts) - 1)] + span.end_col
        written = self.text[begin:end]
        at = written.find(data) if data else -1
        out: list[Word] = []
        cursor = 0
        for word, start, stop in split_words(data):
            if at >= 0:
                a, b = begin + at + start, begin + at + stop
            else:
                raw = data[start:stop]
                found = written.find(raw, cursor)
                if found < 0:
                    found = written.find(word, cursor)
                    raw = word
                if found < 0:
                    out.append(Word(word, span))
                    continue
                cursor = found + len(raw)
                a, b = begin + found, begin + found + len(raw)
            sl, sc = _position(self.starts, a)
            el, ec = _position(self.starts, b)
            out.append(Word(word, Span(sl, sc, el, ec)))
        return out


def read_command(words: list[Word]) -> Command:
    """The positional words, the `-s` value and the component of an `atmos` command."""
    positionals: list[Word] = []
    stack: Word | None = None
    expect: str | None = None
    for word in words:
        if word.text == "--":
            break
        if expect is not None:
            if expect in STACK_FLAGS:
                stack = word
            expect = None
            continue
        if word.text.startswith("-") and len(word.text) > 1:
            flag, eq, rest = word.text.partition("=")
            if eq:
                if flag in STACK_FLAGS:
                    offset = len(flag) + 1
                    s = word.span
                    inner = Span(s.start_line, s.start_col + offset, s.end_line, s.end_col)
                    stack = Word(rest, inner if s.start_line == s.end_line else s)
            elif flag in VALUE_FLAGS:
                expect = flag
            continue
        positionals.append(word)
    component, kind = _component(positionals)
    return Command(tuple(words), tuple(positionals), stack, component, kind)


def _component(positionals: list[Word]) -> tuple[Word | None, str | None]:
    if len(positionals) < 3:
        return None, None
    verb, sub = positionals[0].text, positionals[1].text
    kind = COMPONENT_COMMANDS.get(verb)
    if kind is not None:
        if sub in NO_COMPONENT:
            return None, None
        if sub == "generate":
            if len(positionals) < 4 or positionals[2].text in NO_COMPONENT:
                return None, None
            return positionals[3], kind
        return positionals[2], kind
    if verb in COMPONENT_SUBCOMMANDS and sub == "component":
        return positionals[2], ""
    return None, None


# ---- the manifest -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    node: Value
    index: int
    name: str
    type: str
    type_node: Value | None
    command_node: Value | None
    command: Command | None
    """For `atmos` steps whose command is a string."""
    stack: Value | None


@dataclass(frozen=True, slots=True)
class Workflow:
    name: str
    node: Value
    stack: Value | None
    steps: tuple[Step, ...]

    @property
    def key_span(self) -> Span:
        return self.node.source.key_span or self.node.source.span


@dataclass(slots=True)
class Shape:
    """What does not fit Atmos's workflow schema: values of the wrong shape with why, and
    unknown keys (the value, the key, the keys allowed there)."""

    wrong: list[tuple[Value, str]] = field(default_factory=list)
    unknown_keys: list[tuple[Value, str, tuple[str, ...]]] = field(default_factory=list)


@dataclass(slots=True)
class Manifest:
    file: str
    root: Value | None
    workflows: list[Workflow]
    shape: Shape


def read_manifest(doc: Document) -> Manifest:
    """The workflows of a parsed workflow file, and what in it does not fit the schema."""
    shape = Shape()
    root = doc.root
    out = Manifest(doc.file, root, [], shape)
    if root is None:
        return out
    if not root.is_map:
        shape.wrong.append((root, "a workflow manifest must be a map with a 'workflows' key"))
        return out
    for key, value in root.data.items():
        if key not in MANIFEST_KEYS:
            shape.unknown_keys.append((value, key, tuple(sorted(MANIFEST_KEYS))))
    workflows = root.get("workflows")
    if workflows is None:
        shape.wrong.append((root, "a workflow manifest needs a 'workflows' map"))
        return out
    if not workflows.is_map:
        shape.wrong.append((workflows, "'workflows' must be a map of workflow names"))
        return out
    placer = _Placer(doc.text)
    for name, node in workflows.data.items():
        workflow = _workflow(name, node, placer, shape)
        if workflow is not None:
            out.workflows.append(workflow)
    return out


def _workflow(name: str, node: Value, placer: _Placer, shape: Shape) -> Workflow | None:
    if not node.is_map:
        shape.wrong.append((node, f"workflow '{name}' must be a map with 'steps'"))
        return None
    for key, value in node.data.items():
        if key not in WORKFLOW_KEYS:
            shape.unknown_keys.append((value, key, tuple(sorted(WORKFLOW_KEYS))))
    stack = _string(node.get("stack"), "stack", shape)
    steps_node = node.get("steps")
    steps: list[Step] = []
    if steps_node is None or (steps_node.is_list and not steps_node.data):
        # internal/exec/workflow_utils.go: ErrWorkflowNoSteps
        where = steps_node if steps_node is not None else node
        shape.wrong.append((where, f"workflow '{name}' has no steps; Atmos refuses to run it"))
    elif not steps_node.is_list:
        shape.wrong.append((steps_node, "'steps' must be a list of steps"))
    else:
        for index, item in enumerate(steps_node.data):
            step = _step(index, item, placer, shape)
            if step is not None:
                steps.append(step)
    return Workflow(name, node, stack, tuple(steps))


def _string(value: Value | None, key: str, shape: Shape) -> Value | None:
    if value is None or value.data is None:
        return None
    if not isinstance(value.data, str):
        shape.wrong.append((value, f"'{key}' must be a string"))
        return None
    return value


def _step(index: int, node: Value, placer: _Placer, shape: Shape) -> Step | None:
    if not node.is_map:
        shape.wrong.append((node, f"step {index + 1} must be a map with a 'command'"))
        return None
    type_node = _string(node.get("type"), "type", shape)
    kind = type_node.data.strip() if type_node is not None else ""
    kind = kind or DEFAULT_STEP_TYPE
    command_node = _string(node.get("command"), "command", shape)
    name_node = node.get("name")
    name = str(name_node.data) if name_node is not None and name_node.data is not None else ""
    command = None
    if kind == "atmos" and command_node is not None:
        command = read_command(placer.words(command_node))
    stack = _string(node.get("stack"), "stack", shape)
    # internal/exec/workflow_utils.go: unnamed steps are called step1, step2 …
    return Step(
        node, index, name or f"step{index + 1}", kind, type_node, command_node, command, stack
    )


def effective_stack(workflow: Workflow, step: Step) -> tuple[str, Value | Word] | None:
    """The stack an `atmos` step runs in and where it is written: the step's `stack`, else
    the workflow's, else the command's `-s` (Atmos appends `-s <stack>` after the command, so
    a `stack:` wins over a `-s` written in it)."""
    for value in (step.stack, workflow.stack):
        if value is not None and isinstance(value.data, str) and value.data.strip():
            return value.data.strip(), value
    if step.command is not None and step.command.stack is not None:
        return step.command.stack.text, step.command.stack
    return None


def is_templated(text: str) -> bool:
    return "{{" in text
