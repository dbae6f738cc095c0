"""What may be written at a cursor: import paths, base components, Terraform component
directories, manifest keys from the manifest JSON Schema, variable names from a component's
Terraform module (`terraform.py`) and JSON Schema, and values (enums, bools, the list of a
`contains([...], var.x)` validation). Editor-agnostic; reads half-typed text by
indentation (`locate.text_path`)."""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import os
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from . import locate, queries
from .components import Component
from .stacks import ComponentKey, Stacks
from .terraform import Variable, contract_of, shown
from .workspace import Workspace

KEY, VALUE, FILE, COMPONENT, FOLDER, VARIABLE, ENUM = (
    "key", "value", "file", "component", "folder", "variable", "enum",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Suggestion:
    label: str
    kind: str
    detail: str = ""
    documentation: str = ""
    insert: str | None = None
    sort: str = ""
    file: str = ""
    """A manifest whose head documents this item, read only when the client shows it
    (`file_documentation`): a list of hundreds of files must not read them all."""


@dataclass(frozen=True, slots=True)
class Suggestions:
    """Candidates and the column where the text they replace starts (on the cursor's line)."""

    items: list[Suggestion]
    start: int
    incomplete: bool = False
    """More candidates exist than `items` holds: the client should ask again as the user types."""


# ---- the manifest schema ------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def manifest_schema() -> dict[str, Any] | None:
    try:
        text = (
            resources.files("stack_lsp").joinpath("schemas/manifest.schema.json").read_text("utf-8")
        )
        data = json.loads(text)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _resolve(schema: Any, root: dict[str, Any]) -> list[dict[str, Any]]:
    """A schema with its `$ref` and `allOf`/`anyOf`/`oneOf` branches expanded."""
    if not isinstance(schema, dict):
        return []
    out: list[dict[str, Any]] = []
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        node: Any = root
        for part in ref[2:].split("/"):
            node = node.get(part) if isinstance(node, dict) else None
        out.extend(_resolve(node, root))
    out.append(schema)
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key, ()) or ():
            out.extend(_resolve(branch, root))
    return out


def schema_at(root: dict[str, Any], path: tuple[str, ...]) -> list[dict[str, Any]]:
    """The subschemas that describe the value at `path` (map keys only)."""
    current = _resolve(root, root)
    for key in path:
        following: list[dict[str, Any]] = []
        for schema in current:
            props = schema.get("properties")
            if isinstance(props, dict) and key in props:
                following.extend(_resolve(props[key], root))
                continue
            for pattern, sub in (schema.get("patternProperties") or {}).items():
                if re.search(pattern, key):
                    following.extend(_resolve(sub, root))
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                following.extend(_resolve(extra, root))
        current = following
        if not current:
            break
    return current


def schema_keys(schemas: list[dict[str, Any]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for schema in schemas:
        for name, sub in (schema.get("properties") or {}).items():
            description = sub.get("description", "") if isinstance(sub, dict) else ""
            out.setdefault(name, description if isinstance(description, str) else "")
    return out


def schema_enums(schemas: list[dict[str, Any]], root: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    for schema in schemas:
        for value in schema.get("enum", ()) or ():
            if value not in out:
                out.append(value)
        if "const" in schema and schema["const"] not in out:
            out.append(schema["const"])
        types = schema.get("type")
        if types == "boolean" or (isinstance(types, list) and "boolean" in types):
            out.extend(v for v in (True, False) if v not in out)
    return out


# ---- component variables ------------------------------------------------------------------


def component_of(stacks: Stacks, path: str, ref: locate.ComponentRef) -> Component | None:
    """The component `ref` as merged in the stack `path` is, else in the first of the stacks
    reaching the file that defines it; looked up once per request, as finding the stacks that
    reach a shared file walks the import graph."""
    key = ComponentKey(ref.kind, ref.name)
    own = [path] if stacks.ws.is_stack_file(path) else []
    for stack_path in itertools.chain(own, _first_reaching(stacks, path)):
        stack = stacks.stack_file(stack_path)
        if key in stack.keys():
            return stack.component(key)
    return None


def _first_reaching(stacks: Stacks, path: str, count: int = 5) -> Iterator[str]:
    yield from queries.stack_files_reaching(stacks, path)[:count]


def component_schemas(stacks: Stacks, component: Component | None) -> list[dict[str, Any]]:
    """The JSON Schemas named by the component's `settings.validation`, loaded from the
    jsonschema base path."""
    config = stacks.ws.config
    if component is None or config.jsonschema_base is None:
        return []
    settings = component.plain("settings")
    validation = settings.get("validation") if isinstance(settings, dict) else None
    out: list[dict[str, Any]] = []
    if not isinstance(validation, dict):
        return out
    for entry in validation.values():
        if not isinstance(entry, dict) or entry.get("schema_type", "jsonschema") != "jsonschema":
            continue
        schema_path = entry.get("schema_path")
        if not isinstance(schema_path, str):
            continue
        full = os.path.join(config.jsonschema_base, schema_path)
        try:
            with open(full, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            out.append(data)
    return out


def declarations(stacks: Stacks, path: str, ref: locate.ComponentRef) -> dict[str, Variable]:
    """The `variable` blocks of the component's Terraform module (none for a remote module)."""
    if ref.kind != "terraform":
        return {}
    component = component_of(stacks, path, ref)
    directory = component.terraform_component if component is not None else ref.name
    contract = contract_of(stacks.ws, directory)
    return dict(contract.variables) if contract is not None else {}


def variable_item(stacks: Stacks, variable: Variable) -> Suggestion:
    """A var key to complete: required ones first and marked, with type, default and
    description."""
    if variable.required:
        detail = f"{variable.type_text} · required"
    else:
        detail = f"{variable.type_text} = {json.dumps(variable.default, default=str)}"
    lines = [variable.description] if variable.description else []
    if variable.sensitive:
        lines.append("*sensitive*")
    lines.append(f"declared in `{shown(stacks.ws, variable.file)}:{variable.line + 1}`")
    return Suggestion(
        variable.name,
        VARIABLE,
        detail,
        "\n\n".join(lines),
        f"{variable.name}: ",
        sort=("0" if variable.required else "1") + variable.name,
    )


def variables(stacks: Stacks, path: str, ref: locate.ComponentRef) -> list[Suggestion]:
    """Variable names for a component: its module's `variable` blocks, then the names its
    JSON Schemas give `vars`."""
    out = {v.name: variable_item(stacks, v) for v in declarations(stacks, path, ref).values()}
    component = component_of(stacks, path, ref)
    for schema in component_schemas(stacks, component):
        for name, description in schema_keys(schema_at(schema, ("vars",))).items():
            if name not in out:
                out[name] = Suggestion(
                    name, VARIABLE, f"variable of {ref.name}", description, f"{name}: ", "2" + name
                )
    return sorted(out.values(), key=lambda s: s.sort)


# ---- the entry point ----------------------------------------------------------------------


def complete(stacks: Stacks, path: str, text: str, line: int, col: int) -> Suggestions:
    ctx = locate.text_path(text, line, col)
    start = col - len(ctx.prefix)
    parents = ctx.parents
    full: tuple[str, ...] = (*parents, ctx.key) if ctx.key is not None else parents
    ref = locate.component_ref(full if ctx.key is not None else parents)
    if parents == ("import",) and (ctx.in_item and ctx.key in (None, "path")):
        items, more = _imports(stacks, path, ctx.prefix)
        return Suggestions(items, start, more)
    if ref is not None and ref.rest[:2] == ("metadata", "inherits") and ctx.in_item:
        return Suggestions(_bases(stacks, path, ref), start)
    if ref is not None and ctx.key is not None and ref.rest == ("component",):
        return Suggestions(_bases(stacks, path, ref), start)
    if ref is not None and ctx.key is not None and ref.rest == ("metadata", "component"):
        dirs = queries.component_dirs(stacks, ref.kind)
        return Suggestions([Suggestion(d, FOLDER, f"{ref.kind} component") for d in dirs], start)
    if ctx.key is None and not ctx.in_item:
        return Suggestions(_keys(stacks, path, parents), start)
    if ctx.key is not None:
        return Suggestions(_values(stacks, path, full), start)
    return Suggestions([], start)


MAX_IMPORTS = 200
_RANKS = {"catalog": "0", "variant": "0", "mixin": "1", "defaults": "2"}


def _imports(stacks: Stacks, path: str, prefix: str) -> tuple[list[Suggestion], bool]:
    """Importable files under the typed folder, the best MAX_IMPORTS of them (a large tree has
    thousands; the client asks again as the user types), and whether some were left out. Those
    that start with what is typed come first, then catalogs and variants, mixins, defaults,
    the rest, each by name. Relative (`./`, `../`) names when the typed text starts with a dot."""
    folder = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
    index = _import_index(stacks.ws)
    listing = index.relative(os.path.dirname(path)) if prefix.startswith(".") else index.listing
    found = list(itertools.islice(listing.ordered(prefix, folder, path), MAX_IMPORTS + 1))
    out = [
        Suggestion(entry.name, FILE, entry.kind, sort=order, file=file)
        for order, entry, file in found[:MAX_IMPORTS]
    ]
    return out, len(found) > MAX_IMPORTS


def file_documentation(stacks: Stacks, file: str) -> str:
    """A manifest's path and first lines, for an import candidate (nothing for a file that is
    not a manifest of this tree)."""
    if not stacks.ws.in_stacks(file):
        return ""
    rel = stacks.ws.config.rel(file)
    return f"```yaml\n# {rel}\n{queries.preview(stacks, file)}\n```"


@dataclass(frozen=True, slots=True)
class _Importable:
    """A name an import entry may use, the files it names (one per extension, in path order:
    the first that is not the file being written is offered) and their layer kind."""

    name: str
    files: tuple[str, ...]
    kind: str


class _Listing:
    """Importable names by rank, each rank sorted by name, so that the names under a typed
    folder are a bisect away however many files the tree holds."""

    def __init__(self, entries: list[_Importable]) -> None:
        by_rank: dict[str, list[_Importable]] = {}
        for entry in entries:
            by_rank.setdefault(_RANKS.get(entry.kind, "3"), []).append(entry)
        self.ranks = [
            (rank, sorted(items, key=lambda e: e.name)) for rank, items in sorted(by_rank.items())
        ]
        self.names = [[e.name for e in items] for _, items in self.ranks]

    def ordered(
        self, prefix: str, folder: str, exclude: str
    ) -> Iterator[tuple[str, _Importable, str]]:
        """(sort text, entry, file) for every name under `folder` except `exclude`'s: those
        starting with `prefix` first, then the rest, each by rank and name."""
        for typed in (True, False):
            for (rank, items), names in zip(self.ranks, self.names, strict=True):
                lo, hi = _starting(names, folder, 0)
                tlo, thi = _starting(names, prefix, lo)
                indices = (
                    range(tlo, thi) if typed else itertools.chain(range(lo, tlo), range(thi, hi))
                )
                for i in indices:
                    entry = items[i]
                    file = next((f for f in entry.files if f != exclude), None)
                    if file is not None:
                        yield ("0" if typed else "1") + rank + entry.name, entry, file


def _starting(names: list[str], start: str, lo: int) -> tuple[int, int]:
    """The range of the sorted `names` (from `lo`) that start with `start`."""
    first = bisect.bisect_left(names, start, lo)
    end = bisect.bisect_left(names, True, first, key=lambda n: not n.startswith(start))
    return first, end


class _ImportIndex:
    """What files may be imported, by base-relative name and, per importing folder, by
    relative name; built once per set of files (`Workspace.structure`)."""

    RELATIVE_FOLDERS = 32

    def __init__(self, ws: Workspace) -> None:
        self.structure = ws.structure
        self.base = base = ws.config.stacks_base
        files: dict[str, list[str]] = {}
        kinds: dict[str, str] = {}
        stack_files = set(ws.stack_files())
        for file in ws.manifest_files():
            if file in stack_files:
                continue
            rel = file[len(base) + 1 :].replace(os.sep, "/")  # every manifest is under the base
            name = queries.stem(rel)
            files.setdefault(name, []).append(file)
            kinds.setdefault(name, queries.manifest_kind(rel))
        self.entries = [_Importable(n, tuple(fs), kinds[n]) for n, fs in files.items()]
        self.listing = _Listing(self.entries)
        self._relative: dict[str, _Listing] = {}

    def relative(self, folder: str) -> _Listing:
        """The names as `./` and `../` paths from `folder` (the last few folders are kept)."""
        found = self._relative.pop(folder, None)
        if found is None:
            found = _Listing(_relative(self.entries, self.base, folder))
        self._relative[folder] = found
        while len(self._relative) > self.RELATIVE_FOLDERS:
            del self._relative[next(iter(self._relative))]
        return found


def _relative(entries: list[_Importable], base: str, folder: str) -> list[_Importable]:
    """`entries` named from `folder` (`./x`, `../../x`) as `os.path.relpath` would, by string
    prefixes: a relpath per file costs more than the rest of a completion."""
    ancestors = [folder]
    while os.path.dirname(ancestors[-1]) != ancestors[-1]:
        ancestors.append(os.path.dirname(ancestors[-1]))
    starts = [a.replace(os.sep, "/").rstrip("/") + "/" for a in ancestors]
    root = base.replace(os.sep, "/") + "/"
    out: list[_Importable] = []
    for entry in entries:
        target = root + entry.name
        up = next(i for i, start in enumerate(starts) if target.startswith(start))
        rest = target[len(starts[up]) :]
        out.append(_Importable("../" * up + rest if up else "./" + rest, entry.files, entry.kind))
    return out


_IMPORT_INDEXES: weakref.WeakKeyDictionary[Workspace, _ImportIndex] = weakref.WeakKeyDictionary()


def _import_index(ws: Workspace) -> _ImportIndex:
    found = _IMPORT_INDEXES.get(ws)
    if found is None or found.structure != ws.structure:
        found = _IMPORT_INDEXES[ws] = _ImportIndex(ws)
    return found


def _bases(stacks: Stacks, path: str, ref: locate.ComponentRef) -> list[Suggestion]:
    """Components the one being written may inherit from (not itself)."""
    out: list[Suggestion] = []
    kind = ref.kind
    visible = [c for c in queries.visible_components(stacks, path, kind) if c[0] != ref.name]
    for i, (name, abstract) in enumerate(visible):
        detail = f"abstract {kind} component" if abstract else f"{kind} component"
        out.append(Suggestion(name, COMPONENT, detail, sort=f"{i:05d}"))
    return out


def _keys(stacks: Stacks, path: str, parents: tuple[str, ...]) -> list[Suggestion]:
    ref = locate.component_ref(parents)
    if ref is not None and ref.rest == ("vars",):
        return variables(stacks, path, ref)
    schema = manifest_schema()
    if schema is None:
        return []
    keys = schema_keys(schema_at(schema, parents))
    return [
        Suggestion(name, KEY, "", description, f"{name}: ") for name, description in keys.items()
    ]


def _values(stacks: Stacks, path: str, full: tuple[str, ...]) -> list[Suggestion]:
    values: list[Any] = []
    ref = locate.component_ref(full)
    if ref is not None and len(ref.rest) == 2 and ref.rest[0] == "vars":
        for schema in component_schemas(stacks, component_of(stacks, path, ref)):
            values.extend(schema_enums(schema_at(schema, tuple(map(str, ref.rest))), schema))
        declared = declarations(stacks, path, ref).get(str(ref.rest[1]))
        if declared is not None:
            allowed = declared.allowed_values()
            if declared.type.kind == "bool":
                allowed += [True, False]
            values.extend(v for v in allowed if v not in values)
    manifest = manifest_schema()
    if manifest is not None:
        values.extend(
            v for v in schema_enums(schema_at(manifest, full), manifest) if v not in values
        )
    return [Suggestion(value_text(v), ENUM, "allowed value") for v in values]


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if not isinstance(value, dict | list) else json.dumps(value)
