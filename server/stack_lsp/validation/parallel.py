"""`check` spread over processes: stack files and manifests are dealt round-robin to workers
that each build their own workspace and run `analyze`; this process runs the engine meanwhile,
then `finish` joins the shares. Results are identical to `check` (grouping and sorting happen
once, after the join). Small trees are checked in-process: starting workers costs more."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

from ..config import AtmosConfig
from ..diagnostics import Diagnostic
from ..parsing import DEFAULT_MAX_BYTES
from ..stacks import Stacks
from ..workspace import Workspace
from . import Partial, analyze, check, finish

MIN_PARALLEL = 48


def _work(
    config: AtmosConfig, stack_paths: list[str], manifest_paths: list[str], max_file_bytes: int
) -> Partial:
    return analyze(Stacks(Workspace(config, max_file_bytes)), stack_paths, manifest_paths)


def check_tree(
    config: AtmosConfig,
    files: set[str] | None = None,
    jobs: int | None = None,
    threshold: int = MIN_PARALLEL,
    max_file_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[list[Diagnostic], Stacks]:
    """All findings of the tree (or in `files`) using up to `jobs` processes (default: every
    core), and the in-process `Stacks` they were finished with; files over `max_file_bytes`
    are not read."""
    stacks = Stacks(Workspace(config, max_file_bytes))
    jobs = jobs or os.cpu_count() or 1
    stack_paths = stacks.ws.stack_files()
    manifests = stacks.ws.manifest_files()
    workers = min(jobs, len(stack_paths))
    if workers <= 1 or len(stack_paths) < threshold:
        return check(stacks, files), stacks
    with ProcessPoolExecutor(workers) as pool:
        futures = [
            pool.submit(
                _work, config, stack_paths[i::workers], manifests[i::workers], max_file_bytes
            )
            for i in range(workers)
        ]
        stacks.diagnostics()  # the engine's whole-tree part, while the workers run
        partials = [f.result() for f in futures]
    return finish(stacks, partials, files), stacks
