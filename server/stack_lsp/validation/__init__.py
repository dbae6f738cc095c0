"""Validation: every finding about a stack tree, for the language server and `--check` alike.

The engine's own findings (`Stacks.diagnostics()`: parse, imports, templates, naming,
inheritance, merge conflicts, collisions) plus:

- the manifest schema, per file (STK310-STK312, `manifest.py`), and `!include` paths that
  leave the workspace (STK105, `includes.py`);
- component and compliance schemas from `settings.validation` (STK301-STK303,
  `component_schemas.py`), each finding once for all the stacks it breaks;
- semantic rules (STK401-STK403, `rules.py`);
- the Terraform contract: vars against the module's variables (STK501-STK506, `contract.py`);

then the user's policy (`policy.py`: `# stack-lsp: ignore[CODE]` comments, and severities from
atmos.yaml `settings.stack_lsp.severity`). `analyze` is the per-file part that `parallel.py`
spreads over processes; `finish` is the whole-tree part; `check` runs both in-process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..components import MISSING
from ..diagnostics import Diagnostic
from ..includes import outside_includes
from ..stacks import Definition, StackFile, Stacks
from . import catalogue as _catalogue  # noqa: F401  (registers the STK3xx/STK4xx codes)
from .component_schemas import Finding, Schemas, check_component, group
from .contract import contract_findings
from .manifest import CODE_OF, check_document
from .policy import Policy
from .rules import abstract_deployed, missing_directories, unused_files

_SCHEMAS = Schemas()
_MANIFEST_CODES = frozenset(CODE_OF.values())


@dataclass(slots=True)
class Partial:
    """What `analyze` found in a share of the tree: the engine's findings and ours, and what
    the whole-tree rules need from the share (definitions for collisions, the files its stacks
    reach for unused files, its stack names)."""

    plain: list[Diagnostic] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    engine: list[Diagnostic] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)


def analyze(stacks: Stacks, stack_paths: list[str], manifest_paths: list[str]) -> Partial:
    """Manifest schema for `manifest_paths`; rules and component schemas for `stack_paths`.
    Results are kept with the document and the stack file they came from, so after an edit
    only what the edit reached is analysed again."""
    out = Partial()
    out.engine += stacks.document_findings(manifest_paths)
    for path in manifest_paths:
        out.plain.extend(_document_findings(stacks, path))
    for path in stack_paths:
        stack = stacks.stack_file(path)
        part = _stack_partial(stacks, stack)
        out.plain.extend(part.plain)
        out.findings.extend(part.findings)
        out.findings.extend(contract_findings(stacks, stack))
        out.engine += stacks.stack_findings(stack)
        out.definitions += stacks.definitions(stack)
        out.reached.update(stack.result.files)
        out.names.update(stack.names.values())
    return out


def prepare(stacks: Stacks, stack_paths: list[str], manifest_paths: list[str]) -> None:
    """Do and keep the per-file part of `check` for these files, so that a later `check` is
    quick: the language server calls this in small jobs while indexing."""
    for path in manifest_paths:
        _document_findings(stacks, path)
    for path in stack_paths:
        stack = stacks.stack_file(path)
        _stack_partial(stacks, stack)
        contract_findings(stacks, stack)
        stacks.stack_findings(stack)


def _document_findings(stacks: Stacks, path: str) -> list[Diagnostic]:
    doc = stacks.ws.document(path)
    cached = stacks.documents_memo.get(path)
    if cached is not None and cached[0] is doc:
        found: list[Diagnostic] = cached[1]
        return found
    found = [*check_document(doc), *outside_includes(stacks.ws, doc)]
    stacks.documents_memo[path] = (doc, found)
    return found


def _stack_partial(stacks: Stacks, stack: StackFile) -> Partial:
    cached = stack.memo.get("validation")
    if isinstance(cached, Partial):
        return cached
    out = Partial()
    out.plain.extend(abstract_deployed(stacks, stack))
    out.plain.extend(missing_directories(stacks, stack))
    for key in stack.keys():
        if stack.outline(key).abstract:
            continue
        name = stack.names.get(key)
        no_schemas = stack.assembler.lookup(key.kind, key.name, ("settings", "validation"))
        if name is None or no_schemas is MISSING:
            continue
        found, broken = check_component(stack.component(key), name, stacks.ws.config, _SCHEMAS)
        out.findings.extend(found)
        out.plain.extend(broken)
    stack.memo["validation"] = out
    return out


def finish(
    stacks: Stacks,
    partials: list[Partial],
    files: set[str] | None = None,
    whole_tree: bool = True,
) -> list[Diagnostic]:
    """The engine's findings and the partial results, once each, after the user's policy,
    sorted by file and position; only those in `files` when given. Without `whole_tree` the
    partials cover only part of the tree, so unused files are not judged."""
    engine = list(dict.fromkeys(d for p in partials for d in p.engine))
    engine += stacks.collisions([d for p in partials for d in p.definitions])
    taken = {(d.file, d.span.start_line, d.span.start_col) for d in engine}
    mine: list[Diagnostic] = [d for p in partials for d in p.plain]
    mine += group([f for p in partials for f in p.findings])
    if whole_tree:
        mine += unused_files(stacks, set().union(*(p.reached for p in partials)))
    # The engine already reports a malformed section on its value (STK201, STK207 …).
    mine = [
        d
        for d in mine
        if d.code not in _MANIFEST_CODES
        or (d.file, d.span.start_line, d.span.start_col) not in taken
    ]
    unique = list(dict.fromkeys([*engine, *mine]))
    if files is not None:
        unique = [d for d in unique if d.file in files]
    policy = Policy.from_config(stacks.ws.config, strict=False)
    kept = policy.apply(unique, lambda path: stacks.ws.document(path).text)
    return sorted(kept, key=sort_key)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.file, d.span.start_line, d.span.start_col, d.code, d.message)


def check_stacks(stacks: Stacks, stack_paths: list[str]) -> list[Diagnostic]:
    """The findings placed in these stack files that their own stacks produce: what the
    server shows right after an edit, before the whole tree is checked again (collisions are
    looked for among these files only; grouped schema findings count these stacks only)."""
    chosen = set(stack_paths)
    return finish(stacks, [analyze(stacks, stack_paths, stack_paths)], chosen, whole_tree=False)


def check(stacks: Stacks, files: set[str] | None = None) -> list[Diagnostic]:
    """All findings for the tree, or only those placed in `files` (absolute paths)."""
    ws = stacks.ws
    return finish(stacks, [analyze(stacks, ws.stack_files(), ws.manifest_files())], files)
