"""The two trees `stack-lsp diff` compares: a git commit (read from objects into a temporary
directory, never checked out), the working tree, or any directory with an atmos.yaml.

Each side knows its configuration, the content digest of every manifest (by path relative to
the stacks base) and of every file under the component base paths, so the comparison can tell
which files changed without merging anything.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

from . import gitread
from .config import CONFIG_NAMES, AtmosConfig, ConfigError, load_config
from .globs import MANIFEST_SUFFIXES, walk_files
from .parsing import DEFAULT_MAX_BYTES

COMPONENT_KINDS = ("terraform", "helmfile")


@dataclass(slots=True)
class Side:
    label: str
    config: AtmosConfig
    root: str
    """What file names are shown relative to: the repository root, or the directory given."""
    manifests: dict[str, str]
    """Path relative to the stacks base (`/`-separated) → content digest."""
    component_files: dict[str, dict[str, str]]
    """Component type → path relative to its base path → content digest."""
    commit: str | None = None
    keep: list[tempfile.TemporaryDirectory[str]] = field(default_factory=list)

    def display(self, path: str) -> str:
        rel = os.path.relpath(path, self.root)
        return path if rel.startswith("..") else rel.replace(os.sep, "/")

    def manifest_path(self, rel: str) -> str:
        return os.path.join(self.config.stacks_base, *rel.split("/"))

    def close(self) -> None:
        for directory in self.keep:
            directory.cleanup()
        self.keep.clear()


def _digests(root: str, suffixes: tuple[str, ...], object_format: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in walk_files(root, suffixes, within=os.path.realpath(root)):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            data = f"unreadable:{exc.errno}".encode()
        out[os.path.relpath(path, root).replace(os.sep, "/")] = gitread.blob_id(data, object_format)
    return out


def _component_bases(config: AtmosConfig) -> dict[str, str]:
    return {"terraform": config.terraform_base, "helmfile": config.helmfile_base}


def from_disk(config: AtmosConfig, label: str, root: str, object_format: str = "sha1") -> Side:
    """A tree as it is on disk (the working tree with uncommitted changes, or a directory)."""
    return Side(
        label,
        config,
        root,
        _digests(config.stacks_base, MANIFEST_SUFFIXES, object_format),
        {
            kind: _digests(base, ("",), object_format)
            for kind, base in _component_bases(config).items()
        },
    )


def directory(given: str) -> Side:
    """A directory (or an atmos.yaml in it) given as `--base` / `--head`."""
    config = load_config(given)
    if config.config_file is None:
        raise ConfigError(f"no atmos.yaml in {given}")
    return from_disk(config, given, config.root)


def from_commit(
    repo: str,
    commit: str,
    label: str,
    config_rel: str | None,
    max_file_bytes: int = DEFAULT_MAX_BYTES,
) -> Side:
    """The tree of `commit`: atmos.yaml (at `config_rel`, the repository-relative path of the
    configuration in use, else the first of its usual names at the root) and the manifests
    under the stacks base it names are written into a temporary directory; component files are
    compared by their blob ids and not written."""
    tree = gitread.list_tree(repo, commit)
    names = [config_rel] if config_rel else list(CONFIG_NAMES)
    config_entry = next(((n, tree[n]) for n in names if n in tree), None)
    holder = tempfile.TemporaryDirectory(prefix="stack-lsp-diff-")
    top = os.path.realpath(holder.name)
    try:
        if config_entry is None:
            raise ConfigError(f"{label} has no {config_rel or 'atmos.yaml'}")
        _write(top, {config_entry[0]: config_entry[1].object_id}, repo, max_file_bytes)
        config = load_config(os.path.join(top, config_entry[0]))
        stacks_rel = _inside(config.stacks_base, top)
        manifests = {
            path[len(stacks_rel) :]: entry.object_id
            for path, entry in tree.items()
            if path.startswith(stacks_rel)
            and path.endswith(MANIFEST_SUFFIXES)
            and entry.mode.startswith(gitread.BLOB)
            and gitread.safe_relpath(path)
        }
        _write(
            top,
            {stacks_rel + rel: object_id for rel, object_id in manifests.items()},
            repo,
            max_file_bytes,
        )
        components: dict[str, dict[str, str]] = {}
        for kind, base in _component_bases(config).items():
            prefix = _inside(base, top)
            components[kind] = {
                path[len(prefix) :]: entry.object_id
                for path, entry in tree.items()
                if prefix and path.startswith(prefix) and entry.mode != gitread.SUBMODULE
            }
    except BaseException:
        holder.cleanup()
        raise
    return Side(label, config, top, manifests, components, commit, [holder])


def _inside(path: str, top: str) -> str:
    """`path` relative to the temporary root, `/`-separated with a trailing `/` ('' when it is
    not inside: a base path that leaves the repository reads nothing)."""
    rel = os.path.relpath(path, top)
    if rel == ".":
        return ""
    if rel.startswith(".."):
        return "\0"
    return rel.replace(os.sep, "/") + "/"


def _write(top: str, files: dict[str, str], repo: str, max_file_bytes: int) -> None:
    """Write each file (repository-relative path → blob id) under `top`."""
    blobs = gitread.read_blobs(repo, list(files.values()), max_file_bytes)
    for rel, object_id in files.items():
        if not gitread.safe_relpath(rel) or object_id not in blobs:
            continue
        target = os.path.join(top, *rel.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(blobs[object_id])
