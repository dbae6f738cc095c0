"""atmos.yaml, found and read as Atmos does, reduced to what stack-lsp needs.

Paths in the result are absolute. Without an atmos.yaml we fall back to a default that fits the
seed architecture (stacks under `stacks/`, stacks in `deployments/`, names
`{tenant}-{account}-{region}-{environment}`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .config_files import ConfigFileError, read_config
from .diagnostics import Diagnostic
from .globs import matches

CONFIG_NAMES = ("atmos.yaml", ".atmos.yaml", "atmos.yml", ".atmos.yml")

DEFAULT_INCLUDED = ("deployments/**/*",)
DEFAULT_EXCLUDED = ("**/_defaults.yaml", "**/overrides/**")
DEFAULT_NAME_TEMPLATE = (
    "{{ .vars.tenant }}-{{ .vars.account }}-{{ .vars.region }}-{{ .vars.environment }}"
)
LIST_MERGE_STRATEGIES = ("replace", "append", "merge")
KINDS = (
    "terraform",
    "helmfile",
    "packer",
    "ansible",
    "container",
    "emulator",
    "kubernetes",
    "helm",
)
"""The component kinds Atmos knows [pkg/config/const.go]; each reads `components.<kind>` of a
stack, with `components/<kind>` as the default base path [pkg/component/*/]."""
STACK_SUFFIXES = (".yaml", ".yml", ".yaml.tmpl", ".yml.tmpl")
# Environment variables Atmos reads over atmos.yaml [pkg/config/utils.go processEnvVars].
ENV_OVERRIDES = {
    "ATMOS_BASE_PATH": ("base_path",),
    "ATMOS_STACKS_BASE_PATH": ("stacks", "base_path"),
    "ATMOS_STACKS_INCLUDED_PATHS": ("stacks", "included_paths"),
    "ATMOS_STACKS_EXCLUDED_PATHS": ("stacks", "excluded_paths"),
    "ATMOS_STACKS_NAME_PATTERN": ("stacks", "name_pattern"),
    "ATMOS_STACKS_NAME_TEMPLATE": ("stacks", "name_template"),
    "ATMOS_COMPONENTS_TERRAFORM_COMMAND": ("components", "terraform", "command"),
    "ATMOS_COMPONENTS_TERRAFORM_BASE_PATH": ("components", "terraform", "base_path"),
    "ATMOS_COMPONENTS_HELMFILE_COMMAND": ("components", "helmfile", "command"),
    "ATMOS_COMPONENTS_HELMFILE_BASE_PATH": ("components", "helmfile", "base_path"),
    "ATMOS_COMPONENTS_PACKER_COMMAND": ("components", "packer", "command"),
    "ATMOS_COMPONENTS_PACKER_BASE_PATH": ("components", "packer", "base_path"),
    "ATMOS_SCHEMAS_JSONSCHEMA_BASE_PATH": ("schemas", "jsonschema", "base_path"),
    "ATMOS_SCHEMAS_OPA_BASE_PATH": ("schemas", "opa", "base_path"),
    "ATMOS_SCHEMAS_ATMOS_MANIFEST": ("schemas", "atmos", "manifest"),
    "ATMOS_SETTINGS_LIST_MERGE_STRATEGY": ("settings", "list_merge_strategy"),
}
LIST_OVERRIDES = frozenset(["ATMOS_STACKS_INCLUDED_PATHS", "ATMOS_STACKS_EXCLUDED_PATHS"])


class ConfigError(Exception):
    """The configuration cannot be used (unreadable atmos.yaml, bad path)."""


@dataclass(slots=True)
class AtmosConfig:
    root: str
    config_file: str | None
    base_path: str
    stacks_base: str
    included_paths: tuple[str, ...]
    excluded_paths: tuple[str, ...]
    name_pattern: str | None
    name_template: str | None
    bases: dict[str, str]
    """Each component kind (built-in and custom) → its absolute base path."""
    commands: dict[str, str]
    """`components.<kind>.command` where atmos.yaml sets one (terraform and helmfile only)."""
    jsonschema_base: str | None
    opa_base: str | None
    manifest_schema: str | None
    list_merge_strategy: str
    raw: dict[str, Any] = field(default_factory=dict)
    config_files: frozenset[str] = frozenset()
    """atmos.yaml and every file merged into it (never a stack manifest)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """What reading the configuration could not compute (`!exec`, remote imports …)."""

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self.bases)

    @property
    def terraform_base(self) -> str:
        return self.bases["terraform"]

    @property
    def helmfile_base(self) -> str:
        return self.bases["helmfile"]

    def component_at(self, path: str) -> tuple[str, str] | None:
        """The kind and component directory (relative to the kind's base path) of a path
        inside a components base path [pkg/utils ExtractComponentInfoFromPath]."""
        path = os.path.normpath(path)
        for kind, base in self.bases.items():
            if path.startswith(base + os.sep):
                return kind, path[len(base) + 1 :].replace(os.sep, "/")
        return None

    def is_stack(self, path: str) -> bool:
        """Whether `included_paths` and not `excluded_paths` name `path` (what makes a
        manifest a stack). An included path without an extension matches as `.yaml`, `.yml`,
        `.yaml.tmpl` or `.yml.tmpl` [pkg/config/utils.go getStackFilePatterns]."""
        rel = self.rel(path)
        return any(_included(p, rel) for p in self.included_paths) and not any(
            matches(p, rel) for p in self.excluded_paths
        )

    def rel(self, path: str) -> str:
        """A path as users see it: relative to the stacks base path."""
        prefix = self.stacks_base + os.sep
        if path.startswith(prefix) and os.sep + "." not in path and os.sep * 2 not in path:
            return path[len(prefix) :].replace(os.sep, "/")
        try:
            rel = os.path.relpath(path, self.stacks_base)
        except ValueError:
            return path
        return path if rel.startswith("..") else rel.replace(os.sep, "/")


def _included(pattern: str, rel: str) -> bool:
    if os.path.splitext(pattern.rsplit("/", 1)[-1])[1]:
        return matches(pattern, rel)
    return matches(pattern + "{" + ",".join(STACK_SUFFIXES) + "}", rel)


def find_config_file(start: str) -> str | None:
    """atmos.yaml in `start` or the nearest parent directory."""
    directory = os.path.abspath(start)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _section(data: Mapping[str, Any], *keys: str) -> Any:
    node: Any = data
    for key in keys:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _strings(value: Any, default: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value if v is not None)
    if isinstance(value, str):
        return (value,)
    return default


def load_config(
    config: str | None = None,
    cwd: str | None = None,
    environ: Mapping[str, str] | None = None,
    profiles: list[str] | None = None,
) -> AtmosConfig:
    """Find and read the configuration: `config` (a file or a directory), then
    ATMOS_CLI_CONFIG_PATH, then `cwd` and its parents, with its fragments, imports and
    `profiles` (else ATMOS_PROFILE, else `profiles.default`); ATMOS_* variables override what
    the files say."""
    env = os.environ if environ is None else environ
    cwd = os.path.abspath(cwd or os.getcwd())
    path: str | None = None
    for given in (config, env.get("ATMOS_CLI_CONFIG_PATH")):
        if not given:
            continue
        given = os.path.abspath(os.path.join(cwd, given))
        if os.path.isdir(given):
            found = next(
                (
                    os.path.join(given, n)
                    for n in CONFIG_NAMES
                    if os.path.isfile(os.path.join(given, n))
                ),
                None,
            )
            if found is None:
                raise ConfigError(f"no atmos.yaml in {given}")
            path = found
        elif os.path.isfile(given):
            path = given
        else:
            raise ConfigError(f"configuration not found: {given}")
        break
    if path is None:
        path = find_config_file(cwd)
    if path is None:
        return from_mapping({}, cwd, None, env)
    root = os.path.dirname(path)
    try:
        reading = read_config(path, env, cwd, profiles)
    except ConfigFileError as exc:
        raise ConfigError(str(exc)) from exc
    loaded = from_mapping(reading.data, root, path, reading.environment)
    loaded.config_files = frozenset(reading.files)
    loaded.diagnostics = reading.diagnostics
    return loaded


def _with_environment(data: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    """`data` with the ATMOS_* variables that are set written over it."""
    out = dict(data)
    for name, keys in ENV_OVERRIDES.items():
        value: Any = env.get(name)
        if not value:
            continue
        if name in LIST_OVERRIDES:
            value = value.split(",")
        node = out
        for key in keys[:-1]:
            child = node.get(key)
            node[key] = dict(child) if isinstance(child, Mapping) else {}
            node = node[key]
        node[keys[-1]] = value
    return out


def _custom_kinds(data: Mapping[str, Any]) -> dict[str, str | None]:
    """Kinds atmos.yaml declares: a custom command's `component: {type, base_path}`
    [pkg/component/custom/provider.go], or another key under `components:` with a map."""
    found: dict[str, str | None] = {}
    todo = list(data.get("commands") or []) if isinstance(data.get("commands"), list) else []
    while todo:
        command = todo.pop(0)
        if not isinstance(command, Mapping):
            continue
        component = command.get("component")
        if isinstance(component, Mapping) and isinstance(component.get("type"), str):
            base = component.get("base_path")
            found.setdefault(component["type"], base if isinstance(base, str) else None)
        nested = command.get("commands")
        if isinstance(nested, list):
            todo.extend(nested)
    components = data.get("components")
    if isinstance(components, Mapping):
        for kind, section in components.items():
            if isinstance(kind, str) and isinstance(section, Mapping) and kind not in found:
                base = section.get("base_path")
                found[kind] = base if isinstance(base, str) else None
    return found


def from_mapping(
    data: Mapping[str, Any], root: str, path: str | None, env: Mapping[str, str]
) -> AtmosConfig:
    data = _with_environment(data, env)
    base_value = data.get("base_path") or "."
    base_path = os.path.normpath(os.path.join(root, str(base_value)))
    stacks = _section(data, "stacks") or {}
    if not isinstance(stacks, Mapping):
        stacks = {}
    default_stacks = "stacks" if os.path.isdir(os.path.join(base_path, "stacks")) else "."
    stacks_rel = stacks.get("base_path") or default_stacks
    stacks_base = os.path.normpath(os.path.join(base_path, str(stacks_rel)))
    has_file = path is not None
    included = _strings(stacks.get("included_paths"), () if has_file else DEFAULT_INCLUDED)
    excluded = _strings(stacks.get("excluded_paths"), () if has_file else DEFAULT_EXCLUDED)
    template = stacks.get("name_template")
    if not has_file and template is None:
        template = DEFAULT_NAME_TEMPLATE
    pattern = stacks.get("name_pattern")
    declared = {kind: _section(data, "components", kind, "base_path") for kind in KINDS}
    for kind, base in _custom_kinds(data).items():
        declared.setdefault(kind, base)
    bases = {
        kind: os.path.normpath(os.path.join(base_path, str(rel or f"components/{kind}")))
        for kind, rel in declared.items()
    }
    commands = {
        kind: str(command)
        for kind in ("terraform", "helmfile")
        if (command := _section(data, "components", kind, "command"))
    }

    def schema_dir(kind: str) -> str | None:
        value = _section(data, "schemas", kind, "base_path")
        return os.path.normpath(os.path.join(base_path, str(value))) if value else None

    manifest = _section(data, "schemas", "atmos", "manifest")
    strategy = _section(data, "settings", "list_merge_strategy") or "replace"
    return AtmosConfig(
        root=root,
        config_file=path,
        base_path=base_path,
        stacks_base=stacks_base,
        included_paths=included,
        excluded_paths=excluded,
        name_pattern=str(pattern) if pattern else None,
        name_template=str(template) if template else None,
        bases=bases,
        commands=commands,
        jsonschema_base=schema_dir("jsonschema"),
        opa_base=schema_dir("opa"),
        manifest_schema=os.path.normpath(os.path.join(base_path, str(manifest)))
        if manifest
        else None,
        list_merge_strategy=str(strategy),
        raw=dict(data),
    )
