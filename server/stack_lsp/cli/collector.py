"""How often Python's cycle collector runs in our processes.

A stack tree parses into millions of small objects that live until the process ends or the
file changes; with the default threshold (a collection every 700 allocations) the collector
keeps re-scanning them and took about half of a check's time. The trees hold no reference
cycles, so collecting a hundred times less often costs little memory.
"""

from __future__ import annotations

import gc

THRESHOLDS = (100_000, 50, 100)


def tune() -> None:
    gc.set_threshold(*THRESHOLDS)
