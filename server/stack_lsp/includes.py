"""`!include` and `!include.raw`, evaluated as Atmos evaluates them when it loads a manifest
[pkg/utils/yaml_include_by_extension.go, website/docs/functions/yaml/include.mdx].

The argument is `path [yq-expression]`. A local path is tried relative to the manifest's
directory, then to the Atmos base path (an absolute path as is). The file is parsed by its
extension: `.yaml`/`.yml`/`.json` as YAML (so included values keep their file:line), `.hcl`,
`.tf`, `.tfvars` as HCL, anything else as text; `!include.raw` always as text. Of the yq
language only plain paths are evaluated (`.a.b`, `.a[0]`, `."a b"`).

What stack-lsp does not read stays as written, said so: a remote source (`https://…`, `git::…`,
`github.com/…` — never fetched), a local path that leads out of the workspace (STK105: Atmos
would read a file the repository does not hold), a yq expression beyond plain paths.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hcl2.api import loads as hcl_loads

from .codes import severity_of
from .diagnostics import Diagnostic
from .imports import is_remote
from .parsing import Document
from .tree import ZERO_SPAN, Source, Value
from .workspace import Workspace

INCLUDE_TAGS = frozenset(["!include", "!include.raw"])
_YAML = (".yaml", ".yml", ".json")
_HCL = (".hcl", ".tf", ".tfvars")
_STEP = re.compile(r'\.([A-Za-z_][\w-]*)|\[(-?\d+)\]|\."([^"]*)"|\.\[(-?\d+)\]')


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one `!include` gives: the value it stands for (None: kept as written), the file it
    read, and a finding `(code, message)` when there is something to say."""

    value: Value | None
    file: str | None = None
    finding: tuple[str, str] | None = None


def split_argument(argument: str) -> list[str]:
    """`path [yq-expression]`, split on spaces outside quotes (Atmos's SplitStringByDelimiter)."""
    try:
        return shlex.split(argument)
    except ValueError:
        return argument.split()


def _candidates(ws: Workspace, manifest: str, path: str) -> list[str]:
    if os.path.isabs(path):
        return [os.path.normpath(path)]
    return [
        os.path.normpath(os.path.join(os.path.dirname(manifest), path)),
        os.path.normpath(os.path.join(ws.config.base_path, path)),
    ]


def _local_file(ws: Workspace, manifest: str, path: str) -> tuple[str | None, bool]:
    """(the file Atmos reads for `path`, whether the search left the workspace): the first
    candidate that is outside or exists decides (existence is only asked inside)."""
    for full in _candidates(ws, manifest, path):
        if not ws.in_workspace(full):
            return None, True
        if ws.exists(full):
            return full, False
    return None, False


def evaluate(ws: Workspace, manifest: str, value: Value) -> Outcome:
    """The value one `!include`/`!include.raw` stands for, read from the workspace."""
    argument = value.data if isinstance(value.data, str) else ""
    words = split_argument(argument)
    if not 1 <= len(words) <= 2:
        return Outcome(None, None, ("STK133", f"{value.tag} needs 'path [yq-expression]'"))
    path, query = words[0], (words[1] if len(words) == 2 else None)
    full, outside = _local_file(ws, manifest, path)
    if outside:
        outside_message = f"{value.tag} '{path}' resolves outside the workspace; it is not read"
        return _kept("STK105", outside_message)
    if full is None:
        if is_remote(path):
            return _kept("STK131", f"{value.tag} '{path}' is remote: not fetched, kept as written")
        return _kept(
            "STK132",
            f"{value.tag}: file '{path}' not found (looked relative to this manifest and to the "
            "base path)",
        )
    content = _read(ws, full, value.tag == "!include.raw")
    if isinstance(content, str):
        return Outcome(None, full, ("STK133", f"{value.tag} '{path}': {content}"))
    if query is None:
        return Outcome(content, full)
    found = _query(content, query)
    if found is None:
        message = (
            f"{value.tag} '{path}': yq expression '{query}' is not evaluated here (only paths "
            "such as .a.b or .a[0]); the value is kept as written"
        )
        return Outcome(None, full, ("STK134", message))
    return Outcome(found, full)


def _kept(code: str, message: str) -> Outcome:
    return Outcome(None, None, (code, message))


def _read(ws: Workspace, full: str, raw: bool) -> Value | str:
    """The file's content as a value, or why it cannot be read."""
    whole = Source(full, (), None, ZERO_SPAN)
    ext = os.path.splitext(full)[1].lower()
    if not raw and ext in _YAML:
        doc = ws.document(full)
        if doc.diagnostics or doc.root is None:
            problem = doc.diagnostics[0].message if doc.diagnostics else "empty document"
            return f"cannot be parsed: {problem}"
        return doc.root
    text, problems = ws.text(full)
    if text is None:
        return problems[0].message if problems else "cannot be read"
    if raw or ext not in _HCL:
        return Value(text, whole)
    try:
        data = hcl_loads(text)
    except Exception as exc:  # the parser raises many kinds of error on bad input
        return f"cannot be parsed as HCL: {str(exc).splitlines()[0] if str(exc) else exc}"
    return from_plain(data, whole)


def from_plain(data: Any, source: Source) -> Value:
    """A value tree for plain data read from a file without positions (HCL): every node is
    placed on the file as a whole, with its key path."""
    if isinstance(data, dict):
        return Value(
            {str(k): from_plain(v, _child(source, str(k))) for k, v in data.items()}, source
        )
    if isinstance(data, list):
        return Value([from_plain(v, _child(source, i)) for i, v in enumerate(data)], source)
    return Value(data, source)


def _child(source: Source, key: str | int) -> Source:
    return Source(source.file, (*source.path, key), None, source.span)


def _query(root: Value, query: str) -> Value | None:
    """`root` at a yq path; a key or index that is not there gives null, as yq does. None when
    the expression is more than a path."""
    text = query.strip()
    if text == ".":
        return root
    steps: list[str | int] = []
    at = 0
    for match in _STEP.finditer(text):
        if match.start() != at:
            return None
        name, index, quoted, dotted = match.groups()
        steps.append(int(index or dotted) if (index or dotted) else (name or quoted or ""))
        at = match.end()
    if at != len(text) or not steps:
        return None
    node: Value | None = root
    for step in steps:
        if node is None:
            break
        if isinstance(step, int) and isinstance(node.data, list) and step < 0:
            step += len(node.data)
        node = node.find((step,))
    return node if node is not None else Value(None, Source(root.source.file, (), None, ZERO_SPAN))


def _walk(value: Value) -> Iterator[Value]:
    todo = [value]
    while todo:
        node = todo.pop()
        if isinstance(node.data, dict):
            todo.extend(node.data.values())
        elif isinstance(node.data, list):
            todo.extend(node.data)
        elif node.tag in INCLUDE_TAGS:
            yield node


def has_includes(doc: Document) -> bool:
    return "!include" in doc.text


def expand(ws: Workspace, manifest: str, root: Value) -> tuple[Value, list[str]]:
    """`root` with each local `!include` replaced by what it stands for, and the files read;
    `root` itself when nothing changed."""
    read: list[str] = []

    def visit(node: Value) -> Value:
        if isinstance(node.data, dict):
            items = {k: visit(v) for k, v in node.data.items()}
            if all(items[k] is v for k, v in node.data.items()):
                return node
            return Value(items, node.source, node.tag, node.history)
        if isinstance(node.data, list):
            elements = [visit(v) for v in node.data]
            if all(a is b for a, b in zip(elements, node.data, strict=True)):
                return node
            return Value(elements, node.source, node.tag, node.history)
        if node.tag not in INCLUDE_TAGS:
            return node
        outcome = evaluate(ws, manifest, node)
        if outcome.file is not None:
            read.append(outcome.file)
        return outcome.value if outcome.value is not None else node

    return visit(root), read


def include_findings(ws: Workspace, doc: Document) -> list[Diagnostic]:
    """A finding on each `!include` of `doc` that is not read: outside the workspace (STK105),
    remote (STK131), missing (STK132), unreadable (STK133), a yq expression left as is (STK134)."""
    if doc.root is None or not has_includes(doc):
        return []
    out: list[Diagnostic] = []
    for value in _walk(doc.root):
        finding = evaluate(ws, doc.file, value).finding
        if finding is not None:
            code, message = finding
            out.append(Diagnostic(doc.file, value.source.span, severity_of(code), code, message))
    out.sort(key=lambda d: (d.span.start_line, d.span.start_col))
    return out
