"""Validation: every finding about a stack tree, for the language server and `--check` alike.

The engine's own findings (`Stacks.diagnostics()`: parse, imports, templates, naming,
inheritance, merge conflicts, collisions) plus:

- the manifest schema, per file (STK310-STK312, `manifest.py`), and the `!include`s that are
  not read: outside the workspace (STK105), remote, missing or unreadable (STK131-STK134,
  `includes.py`);
- component and compliance schemas from `settings.validation` (STK301-STK303,
  `component_schemas.py`), each finding once for all the stacks it breaks;
- semantic rules (STK401-STK403, `rules.py`);
- workflow manifests (STK620-STK626, `workflows.py`), against the stacks the partials saw;
- atmos.yaml (STK601-STK605, `atmos_config.py`); vendor manifests (STK640-STK642,
  `vendoring.py`);
- the Terraform contract: vars against the module's variables (STK501-STK506, `contract.py`);

then the user's policy (`policy.py`: `# stack-lsp: ignore[CODE]` comments, and severities from
atmos.yaml `settings.stack_lsp.severity`). `analyze` is the per-file part that `parallel.py`
spreads over processes; `finish` is the whole-tree part; `check` runs both in-process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..components import MISSING
from ..diagnostics import Diagnostic
from ..imports import import_name
from ..includes import has_includes, include_findings
from ..stacks import Definition, StackFile, Stacks
from . import catalogue as _catalogue  # noqa: F401  (registers the STK3xx/STK4xx codes)
from .atmos_config import check_config
from .component_schemas import Finding, Schemas, check_component, group
from .contract import contract_findings
from .manifest import CODE_OF, check_document
from .policy import Policy
from .rules import abstract_deployed, missing_directories, top_level_findings, unused_files
from .vendoring import check_vendoring
from .workflows import Deployed, check_workflows

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
    deployed: Deployed = field(default_factory=dict)
    """stack name, and stack file name → its components (for workflow steps)."""


def analyze(stacks: Stacks, stack_paths: list[str], manifest_paths: list[str]) -> Partial:
    """Manifest schema for `manifest_paths`; rules and component schemas for `stack_paths`.
    Results are kept with the document and the stack file they came from, so after an edit
    only what the edit reached is analysed again."""
    out = Partial()
    plain_yaml = _plain_yaml(manifest_paths)
    out.engine += stacks.document_findings(plain_yaml)
    for path in plain_yaml:
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
        file_name = import_name(path, stacks.ws.config.stacks_base)
        for key, name in stack.names.items():
            for label in (name, file_name):
                out.deployed.setdefault(label, set()).add((key.kind, key.name))
    return out


def prepare(stacks: Stacks, stack_paths: list[str], manifest_paths: list[str]) -> None:
    """Do and keep the per-file part of `check` for these files, so that a later `check` is
    quick: the language server calls this in small jobs while indexing."""
    for path in _plain_yaml(manifest_paths):
        _document_findings(stacks, path)
    for path in stack_paths:
        stack = stacks.stack_file(path)
        _stack_partial(stacks, stack)
        contract_findings(stacks, stack)
        stacks.stack_findings(stack)


def _plain_yaml(paths: list[str]) -> list[str]:
    """The manifests judged as written: templates are judged as rendered, where imported
    [internal/exec/validate_stacks.go excludes `*.tmpl`: they may not be YAML before rendering]."""
    return [path for path in paths if not path.endswith(".tmpl")]


def _document_findings(stacks: Stacks, path: str) -> list[Diagnostic]:
    """Kept with the document; with the workspace generation too when it has `!include`s,
    whose findings depend on other files."""
    doc = stacks.ws.document(path)
    stamp = stacks.ws.generation if has_includes(doc) else None
    cached = stacks.documents_memo.get(path)
    if cached is not None and cached[0] is doc and cached[1][0] == stamp:
        found: list[Diagnostic] = cached[1][1]
        return found
    found = [*check_document(doc), *include_findings(stacks.ws, doc)]
    stacks.documents_memo[path] = (doc, (stamp, found))
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
    partials cover only part of the tree, so unused files are not judged, nor are the manifests
    no stack imports merged."""
    engine = list(dict.fromkeys(d for p in partials for d in p.engine))
    engine += stacks.collisions([d for p in partials for d in p.definitions])
    mine: list[Diagnostic] = [d for p in partials for d in p.plain]
    mine += group([f for p in partials for f in p.findings])
    if whole_tree:
        reached: set[str] = set().union(*(p.reached for p in partials))
        engine += top_level_findings(stacks, reached)
        mine += unused_files(stacks, reached)
        deployed: Deployed = {}
        for p in partials:
            for name, comps in p.deployed.items():
                deployed.setdefault(name, set()).update(comps)
        mine += check_workflows(stacks.ws, deployed)
        mine += check_config(stacks.ws)
        mine += check_vendoring(stacks.ws)
    taken = {(d.file, d.span.start_line, d.span.start_col) for d in engine}
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
