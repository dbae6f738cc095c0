"""Findings in workflow manifests (STK620-STK627): the shape Atmos decodes, step types, the
commands of `atmos` steps, and the stacks, components and workflows they name — checked
against the stack tree's names, never by running anything.

`Deployed` maps each stack name (and each stack file's name, which `-s` also takes) to the
components in it; `analyze` collects it share by share, so `--check -j N` needs no merge here.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Collection

from ..codes import severity_of
from ..diagnostics import Diagnostic
from ..tree import Span, Value
from ..workflows import (
    ATMOS_COMMANDS,
    STEP_TYPES,
    Manifest,
    Step,
    Word,
    Workflow,
    custom_commands,
    effective_stack,
    is_templated,
    read_manifest,
    workflow_name,
)
from ..workspace import Workspace

Deployed = dict[str, set[tuple[str, str]]]
"""stack name → {(component kind, component name)}."""


def _span(value: Value) -> Span:
    return value.source.span


def _diag(file: str, span: Span, code: str, message: str) -> Diagnostic:
    return Diagnostic(file, span, severity_of(code), code, message)


def _hint(word: str, candidates: Collection[str]) -> str:
    close = difflib.get_close_matches(word, sorted(candidates), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def check_workflows(ws: Workspace, deployed: Deployed) -> list[Diagnostic]:
    """Every finding in every workflow file, its YAML problems included."""
    manifests = {path: read_manifest(ws.document(path)) for path in ws.workflow_files()}
    known = {
        workflow_name(ws.workflows_base or "", path): {w.name for w in m.workflows}
        for path, m in manifests.items()
    }
    commands = ATMOS_COMMANDS | custom_commands(ws.config.raw)
    out: list[Diagnostic] = []
    for path, manifest in manifests.items():
        out.extend(ws.document(path).diagnostics)  # unreadable, YAML syntax, duplicate keys
        out.extend(_check(manifest, deployed, known, commands))
    return out


def _check(
    manifest: Manifest, deployed: Deployed, known: dict[str, set[str]], commands: frozenset[str]
) -> list[Diagnostic]:
    file = manifest.file
    out = [_diag(file, _span(v), "STK620", message) for v, message in manifest.shape.wrong]
    for value, key, allowed in manifest.shape.unknown_keys:
        span = value.source.key_span or _span(value)
        out.append(
            _diag(
                file, span, "STK626", f"unknown key '{key}' (Atmos ignores it){_hint(key, allowed)}"
            )
        )
    for workflow in manifest.workflows:
        if workflow.stack is not None:
            out.extend(_stack(file, workflow.stack.data.strip(), _span(workflow.stack), deployed))
        for step in workflow.steps:
            out.extend(_step(file, workflow, step, deployed, known, commands))
    return out


def _stack(file: str, name: str, span: Span, deployed: Deployed) -> list[Diagnostic]:
    if not name or is_templated(name) or name in deployed:
        return []
    message = f"stack '{name}' is not a stack of this tree{_hint(name, set(deployed))}"
    return [_diag(file, span, "STK623", message)]


def _step(
    file: str,
    workflow: Workflow,
    step: Step,
    deployed: Deployed,
    known: dict[str, set[str]],
    commands: frozenset[str],
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if step.type_node is not None and step.type not in STEP_TYPES:
        message = f"unknown step type '{step.type}' (atmos, shell, …){_hint(step.type, STEP_TYPES)}"
        out.append(_diag(file, _span(step.type_node), "STK621", message))
    if step.stack is not None:
        out.extend(_stack(file, step.stack.data.strip(), _span(step.stack), deployed))
    command = step.command
    if command is None or not command.positionals:
        return out
    verb = command.positionals[0]
    if is_templated(verb.text):
        return out
    if verb.text not in commands:
        message = f"'{verb.text}' is not an Atmos command{_hint(verb.text, commands)}"
        out.append(_diag(file, verb.span, "STK622", message))
        return out
    if command.stack is not None:
        out.extend(_stack(file, command.stack.text, command.stack.span, deployed))
    if command.component is not None:
        out.extend(_component(file, workflow, step, command.component, deployed))
    if verb.text == "workflow":
        out.extend(_workflow_step(file, step, known))
    return out


def _component(
    file: str, workflow: Workflow, step: Step, word: Word, deployed: Deployed
) -> list[Diagnostic]:
    assert step.command is not None
    name = word.text
    if is_templated(name):
        return []
    kind = step.command.component_kind or ""
    chosen = effective_stack(workflow, step)
    if chosen is not None:
        stack = chosen[0]
        if is_templated(stack) or stack not in deployed:
            return []
        here = {n for k, n in deployed[stack] if not kind or k == kind}
        if name in here:
            return []
        what = f"{kind} component" if kind else "component"
        message = f"{what} '{name}' is not in stack '{stack}'{_hint(name, here)}"
        return [_diag(file, word.span, "STK624", message)]
    anywhere = {n for comps in deployed.values() for k, n in comps if not kind or k == kind}
    if name in anywhere or not deployed:
        return []
    what = f"{kind} component" if kind else "component"
    message = f"{what} '{name}' is in no stack of this tree{_hint(name, anywhere)}"
    return [_diag(file, word.span, "STK624", message)]


def _workflow_step(file: str, step: Step, known: dict[str, set[str]]) -> list[Diagnostic]:
    """`atmos workflow NAME [-f FILE]`: NAME must be a workflow of FILE, or of some file when
    no file is given (internal/exec/workflow.go looks the name up in every file then)."""
    assert step.command is not None
    words = step.command.words
    positionals = step.command.positionals
    if len(positionals) < 2 or is_templated(positionals[1].text):
        return []
    name = positionals[1]
    chosen: Word | None = None
    for i, word in enumerate(words):
        if word.text in ("-f", "--file") and i + 1 < len(words):
            chosen = words[i + 1]
        elif word.text.startswith(("--file=", "-f=")):
            chosen = Word(word.text.partition("=")[2], word.span)
    if chosen is not None:
        target = os.path.splitext(chosen.text)[0]
        if is_templated(target):
            return []
        if target not in known:
            message = f"workflow file '{chosen.text}' not found{_hint(target, set(known))}"
            return [_diag(file, chosen.span, "STK625", message)]
        names = known[target]
        if name.text in names:
            return []
        message = f"workflow '{name.text}' is not in '{chosen.text}'{_hint(name.text, names)}"
        return [_diag(file, name.span, "STK625", message)]
    every = {n for names in known.values() for n in names}
    if name.text in every:
        return []
    message = f"no workflow file has a workflow '{name.text}'{_hint(name.text, every)}"
    return [_diag(file, name.span, "STK625", message)]
