"""`check` spread over processes: stack files and manifests are dealt in contiguous runs to workers
that each build their own workspace and run `analyze` (the engine's findings included); this
process only joins the shares in `finish` (collisions, unused files, grouping, policy), so the
tree is merged once, across all cores. Results are identical to `check` (grouping and sorting
happen once, after the join). Small trees are checked in-process: starting workers costs more."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from ..config import AtmosConfig
from ..diagnostics import Diagnostic
from ..parsing import DEFAULT_MAX_BYTES
from ..stacks import Stacks
from ..workspace import Listing, Workspace
from . import Partial, analyze, finish

MIN_PARALLEL = 48


def _work(
    config: AtmosConfig,
    stack_paths: list[str],
    manifest_paths: list[str],
    max_file_bytes: int,
    listing: Listing,
) -> Partial:
    return analyze(Stacks(Workspace(config, max_file_bytes, listing)), stack_paths, manifest_paths)


def _share(paths: list[str], i: int, workers: int) -> list[str]:
    """The i-th of `workers` contiguous runs of the sorted paths: neighbouring stacks import
    the same folder defaults and overrides, which each worker then parses once, not all."""
    return paths[len(paths) * i // workers : len(paths) * (i + 1) // workers]


@dataclass(slots=True)
class TreeCheck:
    findings: list[Diagnostic]
    stacks: Stacks
    names: set[str]
    """Every stack name of the tree."""


def check_tree(
    config: AtmosConfig,
    files: set[str] | None = None,
    jobs: int | None = None,
    threshold: int = MIN_PARALLEL,
    max_file_bytes: int = DEFAULT_MAX_BYTES,
    ws: Workspace | None = None,
) -> TreeCheck:
    """All findings of the tree (or in `files`) using up to `jobs` processes (default: every
    core); files over `max_file_bytes` are not read. `ws`, when given, is a fresh workspace
    of this configuration whose file listing is reused."""
    stacks = Stacks(ws or Workspace(config, max_file_bytes))
    jobs = jobs or os.cpu_count() or 1
    stack_paths = stacks.ws.stack_files()
    manifests = stacks.ws.manifest_files()
    workers = min(jobs, len(stack_paths))
    if workers <= 1 or len(stack_paths) < threshold:
        partials = [analyze(stacks, stack_paths, manifests)]
    else:
        with ProcessPoolExecutor(workers) as pool:
            futures = [
                pool.submit(
                    _work,
                    config,
                    _share(stack_paths, i, workers),
                    _share(manifests, i, workers),
                    max_file_bytes,
                    stacks.ws.listing(),
                )
                for i in range(workers)
            ]
            partials = [f.result() for f in futures]
    names = set().union(*(p.names for p in partials))
    found = finish(stacks, partials, files)
    found[:0] = [d for d in config.diagnostics if files is None or d.file in files]
    return TreeCheck(found, stacks, names)
