"""The two trees `stack-lsp diff` compares: a git commit (read from objects into memory, never
checked out), the working tree, or any directory with an atmos.yaml.

Each side knows its configuration, the content digest of every manifest (by path relative to
the stacks base) and of every file under the component base paths, so the comparison can tell
which files changed without merging anything.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

from . import gitread, parsing
from .config import CONFIG_NAMES, AtmosConfig, ConfigError, load_config
from .diagnostics import Diagnostic
from .globs import MANIFEST_SUFFIXES, walk_files
from .parsing import DEFAULT_MAX_BYTES
from .workspace import Listing, Workspace

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
    blobs: dict[str, bytes] | None = None
    """For a commit: each manifest's bytes, by its path under the temporary root."""
    buffers: dict[str, str] | None = None
    """For the editor: unsaved texts over the files on disk."""
    object_format: str = "sha1"
    _shown: dict[str, str] = field(default_factory=dict)

    def workspace(self) -> Workspace:
        if self.blobs is not None:
            return BlobWorkspace(self.config, self.blobs)
        ws = Workspace(self.config)
        for path, text in (self.buffers or {}).items():
            ws.set_buffer(path, text)
        return ws

    def read(self, rel: str) -> str:
        """A manifest's text (undecodable bytes replaced)."""
        path = self.manifest_path(rel)
        if self.blobs is not None:
            return self.blobs.get(path, b"").decode("utf-8", "replace")
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                return handle.read()
        except OSError:
            return ""

    def display(self, path: str) -> str:
        """A file name as shown: relative to the root, `/`-separated."""
        shown = self._shown.get(path)
        if shown is None:
            rel = os.path.relpath(path, self.root)
            shown = path if rel.startswith("..") else rel.replace(os.sep, "/")
            self._shown[path] = shown
        return shown

    def manifest_path(self, rel: str) -> str:
        return os.path.join(self.config.stacks_base, *rel.split("/"))

    def overlay(self, buffers: dict[str, str]) -> None:
        """Unsaved texts over the files on disk (the editor's buffers)."""
        self.buffers = buffers
        base = self.config.stacks_base + os.sep
        for path, text in buffers.items():
            if path.startswith(base):
                rel = path[len(base) :].replace(os.sep, "/")
                self.manifests[rel] = gitread.blob_id(text.encode(), self.object_format)

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
        object_format=object_format,
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
    """The tree of `commit`: its atmos.yaml (at `config_rel`, the repository-relative path of
    the configuration in use, else the first of its usual names at the root) is written into a
    temporary directory; the manifests under the stacks base it names are read into memory
    and served from there (`BlobWorkspace`); component files are compared by blob id."""
    tree = gitread.list_tree(repo, commit)
    names = [config_rel] if config_rel else list(CONFIG_NAMES)
    config_entry = next(((n, tree[n]) for n in names if n in tree), None)
    if config_entry is None:
        raise ConfigError(f"{label} has no {config_rel or 'atmos.yaml'}")
    holder = tempfile.TemporaryDirectory(prefix="stack-lsp-diff-")
    top = os.path.realpath(holder.name)
    try:
        rel, entry = config_entry
        if not gitread.safe_relpath(rel):
            raise ConfigError(f"{label}: cannot read {rel}")
        raw = gitread.read_blobs(repo, [entry.object_id], max_file_bytes)
        target = os.path.join(top, *rel.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(raw.get(entry.object_id, b""))
        config = load_config(target)
    except BaseException:
        holder.cleanup()
        raise
    stacks_rel = _inside(config.stacks_base, top)
    manifests = {
        path[len(stacks_rel) :]: entry.object_id
        for path, entry in tree.items()
        if path.startswith(stacks_rel)
        and path.endswith(MANIFEST_SUFFIXES)
        and entry.mode.startswith(gitread.BLOB)
        and gitread.safe_relpath(path)
    }
    blobs = gitread.read_blobs(repo, list(manifests.values()), max_file_bytes)
    side = Side(label, config, top, manifests, {}, commit, [holder])
    side.blobs = {side.manifest_path(rel): blobs.get(oid, b"") for rel, oid in manifests.items()}
    for kind, base in _component_bases(config).items():
        prefix = _inside(base, top)
        side.component_files[kind] = {
            path[len(prefix) :]: entry.object_id
            for path, entry in tree.items()
            if prefix and path.startswith(prefix) and entry.mode != gitread.SUBMODULE
        }
    return side


class BlobWorkspace(Workspace):
    """A workspace whose manifests are blobs in memory (a commit's tree): the same listing,
    parsing and merging, without writing thousands of files to disk and deleting them."""

    def __init__(self, config: AtmosConfig, blobs: dict[str, bytes]) -> None:
        super().__init__(config, listing=Listing(sorted(blobs), frozenset()))
        self.blobs = blobs

    def exists(self, path: str) -> bool:
        """Import probes join paths with `..` (`../_defaults`); the blobs are keyed by clean
        paths, as Go's filepath.Join gives them."""
        return os.path.normpath(path) in self.blobs or super().exists(path)

    def text(self, path: str) -> tuple[str | None, list[Diagnostic]]:
        raw = self.blobs.get(path)
        if raw is None:
            return super().text(path)
        return parsing.decode(path, raw, self.max_file_bytes)


def _inside(path: str, top: str) -> str:
    """`path` relative to the temporary root, `/`-separated with a trailing `/` ('' when it is
    not inside: a base path that leaves the repository reads nothing)."""
    rel = os.path.relpath(path, top)
    if rel == ".":
        return ""
    if rel.startswith(".."):
        return "\0"
    return rel.replace(os.sep, "/") + "/"


WORKTREE = "working tree"


class Repository:
    """The repository the working tree belongs to, found only when a side is a git ref."""

    def __init__(self, config_arg: str | None = None, config: AtmosConfig | None = None) -> None:
        self.config_arg = config_arg
        self._config = config
        self._top: str | None = None
        self._format: str | None = None

    @property
    def config(self) -> AtmosConfig:
        """The configuration in the working tree (read only when a side needs it)."""
        if self._config is None:
            self._config = load_config(self.config_arg)
        return self._config

    @property
    def top(self) -> str:
        if self._top is None:
            self._top = gitread.toplevel(self.config.root)
        return self._top

    @property
    def object_format(self) -> str:
        if self._format is None:
            self._format = gitread.object_format(self.top)
        return self._format

    def config_rel(self) -> str | None:
        path = self.config.config_file
        if path is None:
            return None
        rel = os.path.relpath(os.path.realpath(path), self.top)
        return None if rel.startswith("..") else rel.replace(os.sep, "/")

    def side(self, ref: str | None) -> Side:
        if ref is None:
            label, commit = gitread.default_base(self.top)
        else:
            label, commit = ref, gitread.commit_of(self.top, ref)
        return from_commit(self.top, commit, label, self.config_rel(), DEFAULT_MAX_BYTES)

    def worktree(self, needs_git: bool) -> Side:
        root = self.top if needs_git else self.config.root
        return from_disk(self.config, WORKTREE, root, self.object_format if needs_git else "sha1")
