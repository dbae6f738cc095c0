"""The on-disk cache of `--check` results, in a cache directory outside the tree.

The key is a hash of everything a finding can depend on: stack-lsp's own code, atmos.yaml and
the ATMOS_* environment, the bytes of every manifest, schema and Terraform file, the Terraform
component directories and the options that change findings. A file whose size and mtime match
the last run is not read again (its digest is kept with the result). A warm `--check` on an
unchanged tree stats the files and prints the stored findings; any change recomputes everything.
Findings are stored as JSON (never pickle: a cache file must not be able to run code).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache_dir import FORMAT, cache_dir
from ..diagnostics import Diagnostic, Related, Severity
from ..globs import walk_files
from ..terraform import TF_SUFFIXES
from ..tree import Span
from ..vendoring import component_manifests, vendor_files
from ..workspace import Workspace


@dataclass(slots=True)
class CheckResult:
    """What `--check` prints: every finding of the tree, and the counts for its summary."""

    findings: list[Diagnostic]
    stacks: int
    manifests: list[str]


def _code_fingerprint() -> bytes:
    package = Path(__file__).resolve().parents[1]
    parts = []
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json") and path.is_file():
            st = path.stat()
            parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts).encode()


Stats = dict[str, list[Any]]
"""Per input file: [size, mtime_ns, digest] — a file whose size and mtime are unchanged is not
read again to compute the key."""


def inputs_key(ws: Workspace, options: str, known: Stats | None = None) -> tuple[str, Stats]:
    """The key for the current inputs, and the file stats it was computed from."""
    config = ws.config
    stats: Stats = {}
    digest = hashlib.blake2b(digest_size=20)
    digest.update(b"%d\0" % FORMAT)
    digest.update(_code_fingerprint())
    digest.update(options.encode() + b"\0")
    digest.update(
        json.dumps(sorted((k, v) for k, v in os.environ.items() if k.startswith("ATMOS_"))).encode()
    )
    files = [*ws.manifest_files(), *ws.workflow_files()]
    files += vendor_files(config) + component_manifests(config)
    if config.jsonschema_base and os.path.isdir(config.jsonschema_base):
        files += walk_files(config.jsonschema_base, (".json", ".yaml", ".yml"))
    if config.config_file:  # the configuration the user chose, wherever it is
        digest.update(_bounded(config.config_file, ws.max_file_bytes))
    # what it reads as: its fragments, imports, profiles and environment values included
    digest.update(json.dumps(config.raw, sort_keys=True, default=str).encode())
    for path in files:
        digest.update(path.encode() + b"\0")
        digest.update(_file_digest(ws, path, known or {}, stats))
    if os.path.isdir(config.terraform_base):
        digest.update("\0".join(sorted(os.listdir(config.terraform_base))).encode())
        for path in walk_files(config.terraform_base, TF_SUFFIXES):  # the Terraform contract
            digest.update(path.encode() + b"\0")
            digest.update(_file_digest(ws, path, known or {}, stats))
    return digest.hexdigest(), stats


def _file_digest(ws: Workspace, path: str, known: Stats, stats: Stats) -> bytes:
    """The file's digest; never read outside the tree, not even to hash it. The listed files
    lie in folders inside the tree, so only a symbolic link needs its target checked."""
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            if not ws.in_workspace(path):
                return b"outside"
            st = os.stat(path)
    except OSError as exc:
        return f"unreadable:{exc.errno}".encode()
    seen = known.get(path)
    if seen is not None and seen[0] == st.st_size and seen[1] == st.st_mtime_ns:
        digest = bytes.fromhex(seen[2])
    else:
        digest = _bounded(path, min(ws.max_file_bytes, st.st_size))
    stats[path] = [st.st_size, st.st_mtime_ns, digest.hex()]
    return digest


def _bounded(path: str, limit: int) -> bytes:
    """A digest of the file's first `limit + 1` bytes (enough to see it change or outgrow the
    limit; for a file whose size is known, that size is the limit: asking `read` for more
    costs a buffer that large per file), or of why it cannot be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        data = f"unreadable:{exc.errno}".encode()
    return hashlib.blake2b(data, digest_size=16).digest()


def _path(config_root: str) -> Path:
    name = hashlib.blake2b(config_root.encode(), digest_size=10).hexdigest()
    return cache_dir() / f"check-{name}.json"


def _encode(d: Diagnostic) -> dict[str, Any]:
    return {
        "file": d.file,
        "span": _span(d.span),
        "severity": int(d.severity),
        "code": d.code,
        "message": d.message,
        "related": [
            {"file": r.file, "span": _span(r.span), "message": r.message} for r in d.related
        ],
    }


def _span(span: Span) -> list[int]:
    return [span.start_line, span.start_col, span.end_line, span.end_col]


def _decode(data: dict[str, Any]) -> Diagnostic:
    return Diagnostic(
        data["file"],
        Span(*data["span"]),
        Severity(data["severity"]),
        data["code"],
        data["message"],
        tuple(Related(r["file"], Span(*r["span"]), r["message"]) for r in data["related"]),
    )


@dataclass(slots=True)
class Stored:
    key: str
    result: CheckResult
    stats: Stats


def load(config_root: str) -> Stored | None:
    """The stored result for this tree (compare its key with `inputs_key`), or None when
    absent or unreadable."""
    try:
        data = json.loads(_path(config_root).read_text())
        result = CheckResult(
            [_decode(d) for d in data["findings"]], data["stacks"], data["manifests"]
        )
        stats = data.get("stats", {})
        return Stored(str(data["key"]), result, stats if isinstance(stats, dict) else {})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(key: str, config_root: str, result: CheckResult, stats: Stats) -> None:
    """Write atomically; a cache that cannot be written is simply not used."""
    target = _path(config_root)
    payload = {
        "key": key,
        "stacks": result.stacks,
        "manifests": result.manifests,
        "findings": [_encode(d) for d in result.findings],
        "stats": stats,
    }
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".check-")
        with os.fdopen(fd, "w") as handle:
            json.dump(payload, handle)
        os.replace(tmp, target)
    except OSError:
        return
