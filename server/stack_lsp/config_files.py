"""atmos.yaml and the files Atmos merges into it, read as Atmos reads them
[pkg/config/load.go, pkg/config/imports.go, pkg/config/process_yaml.go, pkg/config/profiles.go].

One configuration is: `atmos.d/` and `.atmos.d/` fragments (the git root's first, then the config
directory's), the file itself, the files its `import:` names (local only), the file again (its own
values win), then the selected profiles. Each file's YAML functions are evaluated before it merges:
`!env` reads the environment, `!include` a local file inside the repository, `!repo-root` walks up
for `.git`, `!random` is a stable placeholder, `!cwd` the working directory. Nothing runs: `!exec`
and `!git.*` keep an unknown value (None) and say so; remote imports and includes are not fetched.
"""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from .codes import Code, register, severity_of
from .diagnostics import Diagnostic, Severity
from .globs import has_magic, matches
from .tree import Span

register(Code("STK120", Severity.WARNING, "atmos.yaml value Atmos computes by running something"))
register(Code("STK121", Severity.INFORMATION, "atmos.yaml import or include not read"))

MAX_IMPORT_DEPTH = 10  # MaximumImportLvL in pkg/config/load.go
FRAGMENT_DIRS = ("atmos.d", ".atmos.d")
PROFILE_DIRS = (os.path.join(".atmos", "profiles"), "profiles")
_NOT_RUN = frozenset(
    [
        "!exec",
        "!git.sha",
        "!git.ref",
        "!git.branch",
        "!git.repository",
        "!git.owner",
        "!git.name",
        "!git.host",
        "!git.url",
    ]
)
_KNOWN = _NOT_RUN | {
    "!env",
    "!include",
    "!include.raw",
    "!repo-root",
    "!git.root",
    "!random",
    "!cwd",
    "!unset",
    "!append",
}


class ConfigFileError(Exception):
    """A file Atmos also refuses: unreadable YAML, a top level that is not a map, an unsupported
    tag, a YAML function with wrong arguments, a profile that does not exist."""


@dataclass(frozen=True, slots=True)
class _Tagged:
    tag: str
    value: Any
    line: int
    column: int


class _Unset:
    """`!unset`: the key is removed from what was merged before."""


UNSET = _Unset()


class _Constructor(SafeConstructor):
    """The safe constructor plus every `!tag`, kept as `_Tagged` (a subclass, so the tags do not
    leak into other safe loaders)."""


def _tagged(constructor: SafeConstructor, suffix: str, node: Node) -> _Tagged:
    value: Any
    if isinstance(node, MappingNode):
        value = constructor.construct_mapping(node, deep=True)
    elif isinstance(node, SequenceNode):
        value = constructor.construct_sequence(node, deep=True)
    else:
        value = constructor.construct_scalar(node)
    mark = node.start_mark
    return _Tagged("!" + suffix, value, mark.line, mark.column)


_Constructor.add_multi_constructor("!", _tagged)


@dataclass(slots=True)
class Reading:
    """What reading the configuration found: the merged data, every file merged (fragments,
    imports, profiles), and what could not be computed."""

    data: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    """The environment Atmos sees: the process's, plus the `ATMOS_*` values of atmos.yaml's
    `env:` that the process does not set [load.go promoteAtmosEnvFromConfig]."""


def _load(path: str) -> Any:
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _Constructor
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle)
    except (OSError, YAMLError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigFileError(f"cannot read {path}: {exc}") from exc


def repo_root(start: str) -> str | None:
    """The nearest directory at or above `start` that holds `.git` (git is never run)."""
    directory = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _words(argument: str, path: str, tag: str) -> list[str]:
    try:
        return shlex.split(argument)
    except ValueError as exc:
        raise ConfigFileError(f"{path}: invalid {tag} '{argument}': {exc}") from exc


class _Evaluator:
    """Evaluates the YAML functions of one file of the configuration."""

    def __init__(self, path: str, env: Mapping[str, str], cwd: str, reading: Reading) -> None:
        self.path = path
        self.env = env
        self.cwd = cwd
        self.reading = reading
        root = repo_root(os.path.dirname(path))
        self.repo = root or os.path.dirname(path)

    def note(self, item: _Tagged, code: str, message: str) -> None:
        span = Span(item.line, item.column, item.line, item.column + len(item.tag))
        self.reading.diagnostics.append(
            Diagnostic(self.path, span, severity_of(code), code, message)
        )

    def value(self, data: Any) -> Any:
        if isinstance(data, dict):
            out: dict[str, Any] = {}
            for key, child in data.items():
                out[str(key)] = self.value(child)
            return out
        if isinstance(data, list):
            return [self.value(child) for child in data]
        if isinstance(data, _Tagged):
            return self.function(data)
        return data

    def function(self, item: _Tagged) -> Any:
        if item.tag not in _KNOWN:
            raise ConfigFileError(
                f"{self.path}:{item.line + 1}: unsupported YAML tag '{item.tag}' in atmos.yaml"
            )
        if item.tag == "!unset":
            return UNSET
        if item.tag == "!append" or not isinstance(item.value, str):
            return self.value(item.value)
        argument = item.value.strip()
        handler: dict[str, Callable[[_Tagged, str], Any]] = {
            "!env": self._env,
            "!include": self._include,
            "!include.raw": self._include,
            "!repo-root": self._repo_root,
            "!git.root": self._repo_root,
            "!random": self._random,
            "!cwd": self._cwd,
        }
        if item.tag in handler:
            return handler[item.tag](item, argument)
        self.note(
            item,
            "STK120",
            f"{item.tag} '{argument}' is not run here; Atmos runs it when it loads atmos.yaml, "
            "so this value is unknown",
        )
        return None

    def _env(self, item: _Tagged, argument: str) -> str:
        """`!env NAME [default]` [pkg/utils/yaml_func_env.go]: the variable, else the default,
        else ""; trimmed."""
        words = _words(argument, self.path, item.tag)
        if len(words) not in (1, 2):
            raise ConfigFileError(
                f"{self.path}:{item.line + 1}: !env takes 1 or 2 arguments: '{argument}'"
            )
        found = self.env.get(words[0])
        if found is None:
            found = words[1] if len(words) == 2 else ""
        return found.strip()

    def _repo_root(self, item: _Tagged, argument: str) -> str:
        root = repo_root(self.cwd)
        if root is not None:
            return root
        return argument or "."

    def _cwd(self, item: _Tagged, argument: str) -> str:
        return os.path.join(self.cwd, argument) if argument else self.cwd

    def _random(self, item: _Tagged, argument: str) -> int:
        """`!random [[min] max]` [pkg/utils/yaml_func_random.go]: a random integer Atmos draws
        on each load; the lower bound stands for it, so every run agrees."""
        words = _words(argument, self.path, item.tag)
        bounds = [0, 65535]
        try:
            numbers = [int(w) for w in words]
        except ValueError as exc:
            raise ConfigFileError(
                f"{self.path}:{item.line + 1}: !random takes integers: '{argument}'"
            ) from exc
        if len(numbers) > 2:
            raise ConfigFileError(
                f"{self.path}:{item.line + 1}: !random takes at most 2 arguments: '{argument}'"
            )
        bounds[2 - len(numbers) :] = numbers
        if bounds[0] >= bounds[1]:
            raise ConfigFileError(
                f"{self.path}:{item.line + 1}: !random: min must be less than max: '{argument}'"
            )
        return bounds[0]

    def _include(self, item: _Tagged, argument: str) -> Any:
        """A local file, relative to the file's directory (the config directory for fragments),
        inside the repository; YAML and JSON are parsed, anything else is text."""
        words = _words(argument, self.path, item.tag)
        if not words:
            raise ConfigFileError(f"{self.path}:{item.line + 1}: {item.tag} needs a file")
        target = words[0]
        if "://" in target or "::" in target:
            self.note(item, "STK121", f"{item.tag} '{target}' is remote; it is not fetched")
            return None
        base = os.path.dirname(self.path)
        if os.path.basename(base) in FRAGMENT_DIRS:
            base = os.path.dirname(base)
        full = os.path.normpath(os.path.join(base, target))
        if not _within(full, self.repo):
            self.note(
                item, "STK121", f"{item.tag} '{target}' is outside the repository; it is not read"
            )
            return None
        if len(words) > 1:
            self.note(
                item,
                "STK121",
                f"{item.tag} '{target}' with a query '{' '.join(words[1:])}': the query is not "
                "applied here",
            )
        if item.tag == "!include.raw" or not full.endswith((".yaml", ".yml", ".json")):
            try:
                with open(full, encoding="utf-8") as handle:
                    return handle.read()
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigFileError(f"{self.path}:{item.line + 1}: {exc}") from exc
        if full.endswith(".json"):
            try:
                with open(full, encoding="utf-8") as handle:
                    return json.load(handle)
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                raise ConfigFileError(f"{self.path}:{item.line + 1}: {exc}") from exc
        return _Evaluator(full, self.env, self.cwd, self.reading).value(_load(full))


def _within(path: str, root: str) -> bool:
    real = os.path.realpath(path)
    top = os.path.realpath(root)
    return real == top or real.startswith(top + os.sep)


def merge(base: dict[str, Any], layer: Mapping[str, Any]) -> dict[str, Any]:
    """Viper's merge: maps merge key by key, anything else replaces; `!unset` removes."""
    out = dict(base)
    for key, value in layer.items():
        if value is UNSET:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        elif isinstance(value, dict):
            out[key] = merge({}, value)
        else:
            out[key] = value
    return out


def search(path: str) -> list[str]:
    """The files a config import or a fragment directory names [imports.go SearchAtmosConfig]:
    a file itself; a directory's `.yaml`/`.yml` files at any depth; a path without extension
    as `.yaml` or `.yml`; `.yaml` wins over `.yml` of the same name; shallower first, then by
    path."""
    if os.path.isfile(path):
        return [path]
    if os.path.isdir(path):
        found = []
        for root, dirs, files in os.walk(path):
            dirs.sort()
            found += [os.path.join(root, f) for f in files if f.endswith((".yaml", ".yml"))]
    else:
        stems = [path] if os.path.splitext(path)[1] else [path + ".yaml", path + ".yml"]
        found = []
        for stem in stems:
            if has_magic(stem):
                found += _glob(stem)
            elif os.path.isfile(stem):
                found.append(stem)
    chosen: dict[str, str] = {}
    for file in found:
        stem, ext = os.path.splitext(file)
        if stem not in chosen or ext == ".yaml":
            chosen[stem] = file
    return sorted(chosen.values(), key=lambda f: (f.count(os.sep), f))


def _fixed(pattern: str) -> str:
    """The directory of an absolute pattern before its first wildcard (the path itself when
    it has none)."""
    if not has_magic(pattern):
        return pattern
    head = pattern.split("*", 1)[0].split("?", 1)[0].split("[", 1)[0].split("{", 1)[0]
    return head if head.endswith(os.sep) else os.path.dirname(head)


def _glob(pattern: str) -> list[str]:
    """Files matching an absolute doublestar pattern, walked from its fixed directory."""
    top = _fixed(pattern)
    rel = pattern[len(top.rstrip(os.sep)) + 1 :].replace(os.sep, "/")
    out = []
    for root, dirs, files in os.walk(top):
        dirs.sort()
        for name in files:
            full = os.path.join(root, name)
            if matches(rel, os.path.relpath(full, top).replace(os.sep, "/")):
                out.append(full)
    return out


class ConfigReader:
    """Reads one configuration (see the module docstring)."""

    def __init__(self, env: Mapping[str, str], cwd: str, repo: str) -> None:
        """`repo`: the repository; imports and profiles outside it are not read."""
        self.env = env
        self.cwd = cwd
        self.repo = repo
        self.reading = Reading()

    def file(self, path: str) -> dict[str, Any]:
        """One file, its YAML functions evaluated."""
        raw = _load(path)
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise ConfigFileError(f"{path}: the top level must be a map")
        self.reading.files.append(path)
        value = _Evaluator(path, self.env, self.cwd, self.reading).value(raw)
        assert isinstance(value, dict)
        return value

    def fragments(self, directory: str) -> dict[str, Any]:
        """`atmos.d/` then `.atmos.d/`, at the git root (when it is another directory) and then
        in `directory` [load.go mergeDefaultImports]."""
        out: dict[str, Any] = {}
        root = repo_root(directory)
        places = [directory]
        if root is not None and os.path.realpath(root) != os.path.realpath(directory):
            places.insert(0, root)
        for place in places:
            for name in FRAGMENT_DIRS:
                folder = os.path.join(place, name)
                if os.path.isdir(folder):
                    for file in search(folder):
                        out = merge(out, self.file(file))
        return out

    def imports(self, data: Mapping[str, Any], base: str, depth: int, where: str) -> dict[str, Any]:
        """The files `import:` names, each followed by its own imports [imports.go]."""
        out: dict[str, Any] = {}
        entries = data.get("import")
        if not isinstance(entries, list) or depth > MAX_IMPORT_DEPTH:
            return out
        for entry in entries:
            if not isinstance(entry, str) or not entry:
                continue
            if entry.startswith(("http://", "https://")):
                self._skipped(where, f"import '{entry}' is remote; it is not fetched")
                continue
            target = os.path.normpath(entry if os.path.isabs(entry) else os.path.join(base, entry))
            if not _within(_fixed(target), self.repo):
                self._skipped(where, f"import '{entry}' is outside the repository; it is not read")
                continue
            files = search(target)
            if not files:
                self._skipped(where, f"import '{entry}' matches no file; Atmos skips it")
            for file in files:
                content = self.file(file)
                out = merge(out, content)
                nested_base = content.get("base_path")
                nested = os.path.join(base, nested_base) if isinstance(nested_base, str) else base
                out = merge(out, self.imports(content, nested, depth + 1, file))
        return out

    def _skipped(self, where: str, message: str) -> None:
        self.reading.diagnostics.append(
            Diagnostic(where, Span(0, 0, 0, 0), severity_of("STK121"), "STK121", message)
        )

    def profiles(self, names: list[str], directory: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """Each profile's directory, merged in order [profiles.go loadProfiles]: found under
        `profiles.base_path`, `.atmos/profiles`, then `profiles` (the user's XDG directory is
        outside the repository and not read)."""
        section = data.get("profiles")
        configured = section.get("base_path") if isinstance(section, dict) else None
        places = [os.path.join(directory, p) for p in PROFILE_DIRS]
        if isinstance(configured, str) and configured:
            places.insert(0, os.path.join(directory, configured))
        out: dict[str, Any] = {}
        for name in names:
            folder = next(
                (
                    os.path.join(p, name)
                    for p in places
                    if os.path.isdir(os.path.join(p, name)) and _within(p, self.repo)
                ),
                None,
            )
            if folder is None:
                raise ConfigFileError(f"profile '{name}' not found in {', '.join(places)}")
            for file in search(folder):
                out = merge(out, self.file(file))
        return out


def read_config(
    path: str, env: Mapping[str, str], cwd: str, profiles: list[str] | None = None
) -> Reading:
    """The whole configuration rooted at `path` (see the module docstring)."""
    directory = os.path.dirname(path)
    reader = ConfigReader(env, cwd, repo_root(directory) or directory)
    data = reader.fragments(directory)
    main = reader.file(path)
    data = merge(data, main)
    base = data.get("base_path")
    import_base = os.path.join(directory, base) if isinstance(base, str) and base else directory
    data = merge(data, reader.imports(data, import_base, 1, path))
    data = merge(data, main)
    section = data.get("env")
    promoted = {
        str(k): str(v)
        for k, v in (section.items() if isinstance(section, dict) else ())
        if str(k).startswith("ATMOS_") and v is not None
    }
    env = {**promoted, **env}
    chosen = list(profiles or [])
    if not chosen and env.get("ATMOS_PROFILE"):
        chosen = [p.strip() for p in env["ATMOS_PROFILE"].split(",") if p.strip()]
    section = data.get("profiles")
    default = section.get("default") if isinstance(section, dict) else None
    if not chosen and isinstance(default, str) and default.strip():
        chosen = [default.strip()]
    if chosen:
        data = merge(data, reader.profiles(chosen, directory, data))
    reader.reading.data = data
    reader.reading.environment = env
    return reader.reading
