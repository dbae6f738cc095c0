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

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .globs import matches

CONFIG_NAMES = ("atmos.yaml", ".atmos.yaml", "atmos.yml", ".atmos.yml")

DEFAULT_INCLUDED = ("deployments/**/*",)
DEFAULT_EXCLUDED = ("**/_defaults.yaml", "**/overrides/**")
DEFAULT_NAME_TEMPLATE = (
    "{{ .vars.tenant }}-{{ .vars.account }}-{{ .vars.region }}-{{ .vars.environment }}"
)
LIST_MERGE_STRATEGIES = ("replace", "append", "merge")


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
    terraform_base: str
    helmfile_base: str
    jsonschema_base: str | None
    opa_base: str | None
    manifest_schema: str | None
    list_merge_strategy: str
    env: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    def is_stack(self, path: str) -> bool:
        """Whether `included_paths` and not `excluded_paths` name `path` (what makes a
        manifest a stack)."""
        rel = self.rel(path)
        return any(matches(p, rel) for p in self.included_paths) and not any(
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


def _read(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = YAML(typ="safe", pure=False).load(handle)
    except (OSError, YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a map")
    return data


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
) -> AtmosConfig:
    """Find and read the configuration: `config` (a file or a directory), then
    ATMOS_CLI_CONFIG_PATH, then `cwd` and its parents; ATMOS_BASE_PATH and
    ATMOS_STACKS_BASE_PATH override what the file says."""
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
    data = _read(path) if path else {}
    root = os.path.dirname(path) if path else cwd
    return from_mapping(data, root, path, env)


def from_mapping(
    data: Mapping[str, Any], root: str, path: str | None, env: Mapping[str, str]
) -> AtmosConfig:
    base_value = env.get("ATMOS_BASE_PATH") or data.get("base_path") or "."
    base_path = os.path.normpath(os.path.join(root, str(base_value)))
    stacks = _section(data, "stacks") or {}
    if not isinstance(stacks, Mapping):
        stacks = {}
    default_stacks = "stacks" if os.path.isdir(os.path.join(base_path, "stacks")) else "."
    stacks_rel = env.get("ATMOS_STACKS_BASE_PATH") or stacks.get("base_path") or default_stacks
    stacks_base = os.path.normpath(os.path.join(base_path, str(stacks_rel)))
    has_file = path is not None
    included = _strings(stacks.get("included_paths"), () if has_file else DEFAULT_INCLUDED)
    excluded = _strings(stacks.get("excluded_paths"), () if has_file else DEFAULT_EXCLUDED)
    template = stacks.get("name_template")
    if not has_file and template is None:
        template = DEFAULT_NAME_TEMPLATE
    pattern = env.get("ATMOS_STACKS_NAME_PATTERN") or stacks.get("name_pattern")
    terraform_rel = _section(data, "components", "terraform", "base_path") or "components/terraform"
    helmfile_rel = _section(data, "components", "helmfile", "base_path") or "components/helmfile"

    def schema_dir(kind: str) -> str | None:
        value = _section(data, "schemas", kind, "base_path")
        return os.path.normpath(os.path.join(base_path, str(value))) if value else None

    manifest = _section(data, "schemas", "atmos", "manifest")
    strategy = _section(data, "settings", "list_merge_strategy") or "replace"
    atmos_env = data.get("env")
    return AtmosConfig(
        root=root,
        config_file=path,
        base_path=base_path,
        stacks_base=stacks_base,
        included_paths=included,
        excluded_paths=excluded,
        name_pattern=str(pattern) if pattern else None,
        name_template=str(template) if template else None,
        terraform_base=os.path.normpath(os.path.join(base_path, str(terraform_rel))),
        helmfile_base=os.path.normpath(os.path.join(base_path, str(helmfile_rel))),
        jsonschema_base=schema_dir("jsonschema"),
        opa_base=schema_dir("opa"),
        manifest_schema=os.path.normpath(os.path.join(base_path, str(manifest)))
        if manifest
        else None,
        list_merge_strategy=str(strategy),
        env=dict(atmos_env) if isinstance(atmos_env, Mapping) else {},
        raw=dict(data),
    )
