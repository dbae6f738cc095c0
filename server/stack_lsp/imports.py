"""The `import:` section: reading its entries and resolving each to files, as Atmos does
[internal/exec/stack_processor_utils.go]: relative to the stacks base path, or to the importing
file when the first segment is `.` or `..`; extension probing; doublestar globs."""

from __future__ import annotations

import difflib
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .codes import severity_of
from .diagnostics import Diagnostic
from .globs import MANIFEST_SUFFIXES, has_magic, matches
from .tree import Value

EXTENSIONS = (".yaml", ".yml", ".yaml.tmpl", ".yml.tmpl")
# The keys of an import object [pkg/datafetcher/schema/atmos/manifest/1.0.json `import`]:
# `nested_imports` and `ttl` steer remote imports, which stack-lsp does not fetch.
IMPORT_KEYS = frozenset(
    [
        "path",
        "context",
        "skip_templates_processing",
        "ignore_missing_template_values",
        "skip_if_missing",
        "nested_imports",
        "ttl",
    ]
)
NESTED_IMPORTS = ("local", "remote")


@dataclass(frozen=True, slots=True)
class ImportEntry:
    path: str
    value: Value
    context: Value | None = None
    skip_templates: bool = False
    ignore_missing_template_values: bool = False
    skip_if_missing: bool = False

    @property
    def path_value(self) -> Value:
        """The value holding the path string (the item itself, or its `path:` key)."""
        if self.value.is_map:
            return self.value.get("path") or self.value
        return self.value

    def context_data(self) -> dict[str, Any]:
        plain = self.context.plain() if self.context is not None else None
        return plain if isinstance(plain, dict) else {}


def _diag(value: Value, message: str) -> Diagnostic:
    return Diagnostic(
        value.source.file, value.source.span, severity_of("STK104"), "STK104", message
    )


def read_entries(root: Value) -> tuple[list[ImportEntry], list[Diagnostic]]:
    """The import entries of a manifest, and a finding for each malformed one."""
    section = root.get("import")
    if section is None or section.data is None or section.tag is not None:
        # A tagged section is an `!include` that was not read (reported where it is written).
        return [], []
    if not section.is_list:
        return [], [_diag(section, "'import' must be a list of paths or {path: …} objects")]
    entries: list[ImportEntry] = []
    problems: list[Diagnostic] = []
    for item in section.data:
        if isinstance(item.data, str) and item.tag is None:
            if item.data.strip():
                entries.append(ImportEntry(item.data, item))
            else:
                problems.append(_diag(item, "empty import path; remove the entry or name a file"))
            continue
        if not item.is_map:
            problems.append(_diag(item, "an import must be a path or a map with 'path'"))
            continue
        unknown = [k for k in item.data if k not in IMPORT_KEYS]
        for key in unknown:
            hints = difflib.get_close_matches(key, sorted(IMPORT_KEYS), n=1, cutoff=0.6)
            hint = f" did you mean '{hints[0]}'?" if hints else ""
            problems.append(
                _diag(
                    item.data[key],
                    f"unknown import option '{key}';{hint} allowed: "
                    + ", ".join(sorted(IMPORT_KEYS)),
                )
            )
        nested = item.get("nested_imports")
        if nested is not None and nested.tag is None and nested.data not in NESTED_IMPORTS:
            problems.append(_diag(nested, "'nested_imports' must be one of: local, remote"))
        path = item.get("path")
        if path is None or not isinstance(path.data, str) or not path.data.strip():
            problems.append(_diag(path or item, "import is missing its 'path'"))
            continue
        context = item.get("context")
        if context is not None and context.data is not None and not context.is_map:
            problems.append(_diag(context, "import 'context' must be a map"))
            context = None
        entries.append(
            ImportEntry(
                path.data,
                item,
                context,
                _flag(item, "skip_templates_processing"),
                _flag(item, "ignore_missing_template_values"),
                _flag(item, "skip_if_missing"),
            )
        )
    return entries, problems


def _flag(item: Value, key: str) -> bool:
    value = item.get(key)
    return bool(value is not None and value.data is True)


_SCP = re.compile(r"^([\w.-]+@)?[\w.-]+\.[\w.-]+:[\w./-]+")
_GIT_HOSTS = ("github.com/", "gitlab.com/", "bitbucket.org/")


def is_remote(path: str) -> bool:
    """Whether Atmos fetches `path` with go-getter instead of reading a local file
    [pkg/stack/imports/uri.go IsLocalPath, pkg/utils/yaml_include_by_extension.go]: a scheme
    (`https://`, `git::`, `s3::` …), an SCP-style Git address, a known Git host, or go-getter's
    `//` subdirectory delimiter. Local prefixes (`/`, `./`, `../`) are never remote."""
    if path.startswith(("/", "./", "../")):
        return False
    if "://" in path or "::" in path:
        return True
    return "//" in path or path.lower().startswith(_GIT_HOSTS) or bool(_SCP.match(path))


def is_relative(path: str) -> bool:
    first = path.replace("\\", "/").split("/", 1)[0]
    return first in (".", "..")


def _go_ext(path: str) -> str:
    """filepath.Ext: the suffix from the last dot of the last segment."""
    base = posixpath.basename(path)
    dot = base.rfind(".")
    return base[dot:] if dot > 0 or (dot == 0 and len(base) > 1) else ""


@dataclass(frozen=True, slots=True)
class Resolution:
    pattern: str
    targets: tuple[str, ...]
    is_glob: bool


def resolve(
    path: str,
    importer: str,
    stacks_base: str,
    exists: Callable[[str], bool],
    glob: Callable[[str], list[str]],
) -> Resolution:
    """The files `path` names, in merge order (sorted for globs)."""
    base = os.path.dirname(importer) if is_relative(path) else stacks_base
    candidate = path
    ext = _go_ext(path)
    if ext == "":
        chosen = next((path + e for e in EXTENSIONS if exists(os.path.join(base, path + e))), None)
        candidate = chosen or path + ".yaml"
    elif ext in (".yaml", ".yml") and exists(os.path.join(base, path + ".tmpl")):
        candidate = path + ".tmpl"
    full = os.path.normpath(os.path.join(base, candidate))
    if has_magic(candidate):
        return Resolution(full, tuple(glob(full)), True)
    return Resolution(full, (full,) if exists(full) else (), False)


def glob_files(pattern: str, all_files: list[str]) -> list[str]:
    """Files from `all_files` that match an absolute doublestar `pattern`, sorted."""
    anchor = pattern.split("*", 1)[0].split("?", 1)[0].split("[", 1)[0].split("{", 1)[0]
    anchor_dir = anchor if anchor.endswith(os.sep) else os.path.dirname(anchor)
    prefix = anchor_dir.rstrip(os.sep) + os.sep
    rel_pattern = pattern[len(prefix) :].replace(os.sep, "/")
    return sorted(
        f
        for f in all_files
        if f.startswith(prefix) and matches(rel_pattern, f[len(prefix) :].replace(os.sep, "/"))
    )


def closest(missing: str, candidates: list[str], n: int = 3) -> list[str]:
    """The existing import paths most like `missing` (for "did you mean")."""
    return difflib.get_close_matches(missing, candidates, n=n, cutoff=0.5)


def import_name(path: str, stacks_base: str) -> str:
    """The import path that names a file: relative to the stacks base, without extension."""
    rel = os.path.relpath(path, stacks_base).replace(os.sep, "/")
    for suffix in MANIFEST_SUFFIXES:
        if rel.endswith(suffix):
            return rel[: -len(suffix)]
    return rel
