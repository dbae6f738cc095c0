"""Reading a tree out of git objects, for `stack-lsp diff`, without a checkout and without
letting the repository run anything.

A repository is untrusted input: its `.git/config` can name programs (`core.fsmonitor`, hooks,
filters, `diff.external`, textconv, `core.sshCommand`, credential helpers, `ext::` remotes, a
lazy fetch of a partial clone). So git is called only with commands that read objects
(`rev-parse`, `merge-base`, `ls-tree`, `cat-file --batch`, which gives raw blobs: no filter and
no textconv run), with every setting that names a program overridden on the command line, every
transport forbidden, no system config, no terminal prompt, and no `GIT_*` variable inherited.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass

# `-c` beats every config file; each of these names a program git could run or a way to reach
# the network (which would run ssh or a remote helper).
SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.askPass=false",
    "core.editor=false",
    "core.gitProxy=",
    "core.alternateRefsCommand=",
    "diff.external=",
    "credential.helper=",
    "protocol.allow=never",
    "gpg.program=false",
    "uploadpack.packObjectsHook=",
    "fetch.recurseSubmodules=false",
    "submodule.recurse=false",
)

TIMEOUT = 120
BLOB, LINK, SUBMODULE = "100", "120000", "160000"


class GitError(Exception):
    """git cannot answer: not a repository, an unknown ref, git missing."""


def environment() -> dict[str, str]:
    """The process environment without git's own variables (`GIT_DIR`, `GIT_CONFIG_*`,
    `GIT_EXTERNAL_DIFF`, `GIT_SSH` …), with the system config and prompts turned off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_NO_LAZY_FETCH="1",
        GIT_NO_REPLACE_OBJECTS="1",
        GIT_OPTIONAL_LOCKS="0",
        LC_ALL="C",
    )
    return env


def _argv(repo: str, args: tuple[str, ...]) -> list[str]:
    out = ["git", "--no-pager", "-C", repo]
    for setting in SAFE_CONFIG:
        out += ["-c", setting]
    return [*out, *args]


def git(repo: str, *args: str, stdin: bytes | None = None) -> bytes:
    """Run one read-only git command in `repo`; its stdout, or GitError with git's message."""
    try:
        done = subprocess.run(
            _argv(repo, args),
            input=stdin,
            capture_output=True,
            env=environment(),
            timeout=TIMEOUT,
            check=False,
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed (or not on PATH)") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} did not answer within {TIMEOUT} s") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def toplevel(path: str) -> str:
    """The root of the work tree that holds `path`."""
    directory = path if os.path.isdir(path) else os.path.dirname(path) or "."
    try:
        out = git(directory, "rev-parse", "--show-toplevel")
    except GitError as exc:
        raise GitError(f"{path} is not in a git repository ({exc})") from exc
    return os.path.realpath(out.decode().strip())


def commit_of(repo: str, ref: str) -> str:
    """The commit a ref names (a branch, tag, sha, `HEAD~1` …)."""
    if ref.startswith("-"):
        raise GitError(f"'{ref}' is not a git ref")
    try:
        out = git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}")
    except GitError:
        out = b""
    if not out.strip():
        raise GitError(f"'{ref}' is not a commit in {repo}")
    return out.decode().strip()


DEFAULT_BRANCHES = ("refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master")


def default_base(repo: str) -> tuple[str, str]:
    """(label, commit): the merge-base of HEAD with the default branch (origin/HEAD, main,
    master: the first that exists), else HEAD."""
    head = commit_of(repo, "HEAD")
    for ref in DEFAULT_BRANCHES:
        try:
            other = commit_of(repo, ref)
        except GitError:
            continue
        base = git(repo, "merge-base", head, other).decode().strip()
        short = ref.split("/", 2)[-1]
        return f"merge-base of HEAD and {short}", base
    return "HEAD", head


@dataclass(frozen=True, slots=True)
class Entry:
    mode: str
    object_id: str


def list_tree(repo: str, commit: str) -> dict[str, Entry]:
    """Every path of the commit's tree (relative to the repository root, `/`-separated)."""
    out = git(repo, "ls-tree", "-r", "-z", "--full-tree", commit)
    tree: dict[str, Entry] = {}
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, _kind, object_id = meta.decode().split(" ")
        tree[name.decode("utf-8", "surrogateescape")] = Entry(mode, object_id)
    return tree


def read_blobs(repo: str, object_ids: list[str], limit: int) -> dict[str, bytes]:
    """The raw bytes of each blob (`cat-file --batch`: no filter, no textconv). A blob over
    `limit` bytes is not read: it stands as `limit + 1` NUL bytes, which the reader refuses as
    too large, as it refuses such a file on disk."""
    if not object_ids:
        return {}
    unique = list(dict.fromkeys(object_ids))
    listing = ("\n".join(unique) + "\n").encode()
    sizes: dict[str, int] = {}
    for line in git(repo, "cat-file", "--batch-check", stdin=listing).decode().splitlines():
        parts = line.split(" ")
        if len(parts) == 3 and parts[1] == "blob":
            sizes[parts[0]] = int(parts[2])
    small = [oid for oid in unique if sizes.get(oid, limit + 1) <= limit]
    blobs = {oid: b"\0" * (limit + 1) for oid in unique if oid in sizes and oid not in small}
    if not small:
        return blobs
    out = git(repo, "cat-file", "--batch", stdin=("\n".join(small) + "\n").encode())
    at = 0
    for object_id in small:
        end = out.index(b"\n", at)
        header = out[at:end].decode().split(" ")
        at = end + 1
        if len(header) < 3 or header[1] == "missing":
            continue
        size = int(header[2])
        blobs[object_id] = out[at : at + size]
        at += size + 1
    return blobs


def blob_id(data: bytes, object_format: str = "sha1") -> str:
    """The id git gives a blob with these bytes (so a file on disk compares with a blob)."""
    digest = hashlib.new(object_format)
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def object_format(repo: str) -> str:
    out = git(repo, "rev-parse", "--show-object-format").decode().strip()
    return out if out in ("sha1", "sha256") else "sha1"


def safe_relpath(path: str) -> bool:
    """Whether a path from a tree may be written under a directory: relative, no `..`, no
    `.git` segment."""
    parts = path.split("/")
    return (
        bool(path)
        and not path.startswith("/")
        and all(p not in ("", ".", "..") and p.lower() != ".git" for p in parts)
    )
