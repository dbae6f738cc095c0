"""Atmos vendoring manifests, read and never acted on: `vendor.yaml` (atmos.yaml
`vendor.base_path`, a file or a directory of them; `vendor.yaml` at the base path when unset)
and each component's `component.yaml`. For every source: its component, where it comes from,
its version and the directories its targets name (relative to the manifest, as
internal/exec/vendor_utils.go joins them). Nothing is fetched.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from .config import AtmosConfig
from .globs import walk_files
from .parsing import Document
from .templates import TemplateSyntaxError, is_template, render
from .tree import Value

VENDOR_SUFFIXES = (".yaml", ".yml")
COMPONENT_MANIFEST = "component.yaml"


def vendor_files(config: AtmosConfig) -> list[str]:
    """The vendor manifests of the project."""
    section = config.raw.get("vendor")
    value = section.get("base_path") if isinstance(section, Mapping) else None
    if not isinstance(value, str) or not value.strip():
        default = os.path.join(config.base_path, "vendor.yaml")
        return [default] if os.path.isfile(default) else []
    path = os.path.normpath(os.path.join(config.base_path, value))
    if os.path.isdir(path):
        return walk_files(path, VENDOR_SUFFIXES)
    return [path] if os.path.isfile(path) else []


def component_manifests(config: AtmosConfig) -> list[str]:
    """Every `component.yaml` under the Terraform and Helmfile component directories."""
    out: list[str] = []
    for base in (config.terraform_base, config.helmfile_base):
        if os.path.isdir(base):
            found = walk_files(base, (COMPONENT_MANIFEST,))
            out += [p for p in found if os.path.basename(p) == COMPONENT_MANIFEST]
    return out


@dataclass(frozen=True, slots=True)
class Target:
    value: Value
    directory: str | None
    """Absolute; None when the target is a template Atmos fills in at pull time."""


@dataclass(frozen=True, slots=True)
class Source:
    node: Value
    component: str
    source: str
    version: str
    targets: tuple[Target, ...]


def _text(node: Value, key: str) -> str:
    value = node.get(key)
    if value is None or isinstance(value.data, bool):
        return ""
    return str(value.data) if isinstance(value.data, str | int | float) else ""


def read_sources(doc: Document) -> list[Source]:
    """The sources of a vendor manifest (`spec.sources`), with their targets resolved."""
    root = doc.mapping()
    sources = root.find(("spec", "sources")) if root is not None else None
    if sources is None or not sources.is_list:
        return []
    folder = os.path.dirname(doc.file)
    out = []
    for item in sources.data:
        if not item.is_map:
            continue
        component, version = _text(item, "component"), _text(item, "version")
        targets_node = item.get("targets")
        targets = []
        for target in (
            targets_node.data if targets_node is not None and targets_node.is_list else ()
        ):
            if not isinstance(target.data, str):
                continue
            targets.append(Target(target, _directory(folder, target.data, component, version)))
        out.append(Source(item, component, _text(item, "source"), version, tuple(targets)))
    return out


def _directory(folder: str, target: str, component: str, version: str) -> str | None:
    """The target with `{{ .Component }}` and `{{ .Version }}` filled in, as Atmos renders it;
    None when it needs more than those."""
    try:
        filled = render(target, {"Component": component, "Version": version}).text
    except TemplateSyntaxError:
        return None
    return None if is_template(filled) else os.path.normpath(os.path.join(folder, filled))


def component_bases(config: AtmosConfig) -> list[str]:
    return [config.terraform_base, config.helmfile_base]


def under_a_component_base(config: AtmosConfig, directory: str) -> bool:
    return any(
        directory == base or directory.startswith(base + os.sep) for base in component_bases(config)
    )


def source_at(sources: list[Source], line: int, col: int) -> Source | None:
    """The source whose entry holds the position."""
    for source in sources:
        if source.node.source.span.contains(line, col):
            return source
    return None


def target_at(sources: list[Source], line: int, col: int) -> Target | None:
    for source in sources:
        for target in source.targets:
            if target.value.source.span.contains(line, col):
                return target
    return None
