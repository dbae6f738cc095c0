"""Questions an editor asks about a workflow file: which stack or component a word of a step
names (for hover and go to definition, answered with what the stack files answer), what may be
written at a cursor in a `command:` or `stack:` value, and the file's workflows and steps.
Editor-agnostic, like `queries`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import queries, suggest
from .imports import import_name
from .stacks import ComponentKey, Stacks
from .tree import ZERO_SPAN, Span, Value
from .workflows import (
    ATMOS_COMMANDS,
    STACK_FLAGS,
    Manifest,
    Step,
    Word,
    Workflow,
    custom_commands,
    effective_stack,
    read_command,
    read_manifest,
    split_words,
)


@dataclass(frozen=True, slots=True)
class Reference:
    """A stack or component named in a workflow file."""

    kind: str  # "stack" or "component"
    text: str
    span: Span
    stack: str | None = None
    """For a component: the stack its step runs in, when the file says."""
    component_kind: str = ""
    """For a component: "terraform", "helmfile" …; "" when the command does not say."""


@dataclass(frozen=True, slots=True)
class StackInfo:
    """A stack named in a workflow: the files that make it and its components."""

    name: str
    files: tuple[str, ...]
    components: tuple[ComponentKey, ...]


def manifest(stacks: Stacks, path: str) -> Manifest:
    return read_manifest(stacks.ws.document(path))


def _inside(span: Span, line: int, col: int) -> bool:
    return span.contains(line, col)


def reference_at(stacks: Stacks, path: str, line: int, col: int) -> Reference | None:
    for workflow in manifest(stacks, path).workflows:
        if workflow.stack is not None and _inside(workflow.stack.source.span, line, col):
            return Reference("stack", workflow.stack.data.strip(), workflow.stack.source.span)
        for step in workflow.steps:
            found = _in_step(workflow, step, line, col)
            if found is not None:
                return found
    return None


def _in_step(workflow: Workflow, step: Step, line: int, col: int) -> Reference | None:
    if step.stack is not None and _inside(step.stack.source.span, line, col):
        return Reference("stack", step.stack.data.strip(), step.stack.source.span)
    command = step.command
    if command is None:
        return None
    if command.stack is not None and _inside(command.stack.span, line, col):
        return Reference("stack", command.stack.text, command.stack.span)
    word = command.component
    if word is not None and _inside(word.span, line, col):
        chosen = effective_stack(workflow, step)
        stack = chosen[0] if chosen is not None else None
        return Reference("component", word.text, word.span, stack, command.component_kind or "")
    return None


def _stack_files(stacks: Stacks, name: str) -> list[str]:
    """The stack files that make stack `name` (or whose file name it is)."""
    out = []
    for path in stacks.ws.stack_files():
        stack = stacks.stack_file(path)
        if name in stack.names.values() or import_name(path, stacks.ws.config.stacks_base) == name:
            out.append(path)
    return out


def stack_info(stacks: Stacks, name: str) -> StackInfo | None:
    files = _stack_files(stacks, name)
    if not files:
        return None
    keys = {k for f in files for k in stacks.stack_file(f).keys()}
    ordered = sorted(keys, key=lambda k: (k.kind, k.name))
    return StackInfo(name, tuple(files), tuple(ordered))


def component_info(stacks: Stacks, ref: Reference) -> queries.BaseInfo | None:
    """What hovering the component in a stack file shows: the component as merged in the
    step's stack (else the first stack that has it) and where it is written."""
    candidates = _stack_files(stacks, ref.stack) if ref.stack else stacks.ws.stack_files()
    for path in candidates:
        stack = stacks.stack_file(path)
        for key in stack.keys():
            if key.name == ref.text and (not ref.component_kind or key.kind == ref.component_kind):
                places = queries.component_definitions(stacks, path, key.kind, key.name)
                name = stack.names.get(key) or queries.stack_label(stacks, path)
                return queries.BaseInfo(name, stack.component(key), tuple(places))
    return None


HoverAnswer = StackInfo | queries.BaseInfo


def hover(stacks: Stacks, path: str, line: int, col: int) -> tuple[HoverAnswer, Span] | None:
    ref = reference_at(stacks, path, line, col)
    if ref is None:
        return None
    answer = stack_info(stacks, ref.text) if ref.kind == "stack" else component_info(stacks, ref)
    return (answer, ref.span) if answer is not None else None


def definition(stacks: Stacks, path: str, line: int, col: int) -> list[queries.Place]:
    """A stack → its stack files; a component → where it is written for the step's stack."""
    ref = reference_at(stacks, path, line, col)
    if ref is None:
        return []
    if ref.kind == "stack":
        return [queries.Place(f, ZERO_SPAN) for f in _stack_files(stacks, ref.text)]
    info = component_info(stacks, ref)
    return list(info.defined_at) if info is not None else []


# ---- completion ---------------------------------------------------------------------------

_VALUE_LINE = re.compile(r"^(\s*(?:-\s+)?)(command|stack)(\s*:\s*)(['\"]?)")


def complete(stacks: Stacks, path: str, text: str, line: int, col: int) -> suggest.Suggestions:
    """Stack names in `stack:` values and after `-s`/`--stack`; Atmos commands first in a
    `command:`; component names where a command takes one (those of the step's stack when
    known)."""
    lines = text.split("\n")
    current = lines[line] if 0 <= line < len(lines) else ""
    found = _VALUE_LINE.match(current)
    if found is None or col < found.end():
        return suggest.Suggestions([], col)
    before = current[found.end() : col]
    if found.group(2) == "stack":
        return suggest.Suggestions(_stacks(stacks), col - len(before))
    words = split_words(before)
    ends_open = not before or before[-1].isspace()
    typed = "" if ends_open else words[-1][0]
    done = [w for w, _, _ in (words if ends_open else words[:-1])]
    start = col - len(typed)
    if typed.startswith("--stack="):
        return suggest.Suggestions(_stacks(stacks), start + len("--stack="))
    if done and done[-1] in STACK_FLAGS:
        return suggest.Suggestions(_stacks(stacks), start)
    if typed.startswith("-"):
        return suggest.Suggestions([], start)
    # the command as typed, with a stand-in for the word at the cursor: is it the component?
    here = Word("\0", ZERO_SPAN)
    command = read_command([*(Word(w, ZERO_SPAN) for w in done), here])
    if command.positionals[:1] == (here,):
        names = sorted(ATMOS_COMMANDS | custom_commands(stacks.ws.config.raw))
        items = [suggest.Suggestion(n, suggest.KEY, "Atmos command") for n in names]
        return suggest.Suggestions(items, start)
    if command.component is not here:
        return suggest.Suggestions([], start)
    stack = command.stack.text if command.stack else _step_stack(stacks, path, line)
    kind = command.component_kind or ""
    return suggest.Suggestions(_components(stacks, kind, stack), start)


def _step_stack(stacks: Stacks, path: str, line: int) -> str | None:
    """The `stack:` of the step or workflow around `line` (from the last parse of the file)."""
    for workflow in manifest(stacks, path).workflows:
        for step in workflow.steps:
            span = step.node.source.span
            if span.start_line <= line <= span.end_line:
                for value in (step.stack, workflow.stack):
                    if _named(value):
                        assert value is not None
                        return str(value.data).strip()
        span = workflow.node.source.span
        if span.start_line <= line <= span.end_line and _named(workflow.stack):
            assert workflow.stack is not None
            return str(workflow.stack.data).strip()
    return None


def _named(value: Value | None) -> bool:
    return value is not None and isinstance(value.data, str) and bool(value.data.strip())


def _stacks(stacks: Stacks) -> list[suggest.Suggestion]:
    return [suggest.Suggestion(n, suggest.VALUE, "stack") for n in stacks.names()]


def _components(stacks: Stacks, kind: str, stack: str | None) -> list[suggest.Suggestion]:
    index = stacks.index()
    pools = [index[stack]] if stack is not None and stack in index else list(index.values())
    names = sorted({k.name for pool in pools for k in pool if not kind or k.kind == kind})
    where = f" in {stack}" if stack is not None and stack in index else ""
    detail = f"{kind or 'Atmos'} component{where}"
    return [suggest.Suggestion(n, suggest.COMPONENT, detail) for n in names]


# ---- symbols ------------------------------------------------------------------------------


def document_symbols(stacks: Stacks, path: str) -> list[queries.Symbol]:
    """The workflows of the file, each with its steps."""
    out = []
    for workflow in manifest(stacks, path).workflows:
        steps = tuple(
            queries.Symbol(
                step.name,
                "step",
                str(step.command_node.data) if step.command_node is not None else step.type,
                queries.Place(path, step.node.source.span),
            )
            for step in workflow.steps
        )
        description = workflow.node.get("description")
        detail = str(description.data) if description is not None else ""
        key, body = workflow.key_span, workflow.node.source.span
        whole = Span(key.start_line, key.start_col, body.end_line, body.end_col)
        out.append(
            queries.Symbol(workflow.name, "workflow", detail, queries.Place(path, whole), steps)
        )
    return out
