"""Process tuning: BLAS threads (one per process where eventcoder's processes are as many as the
cores) and the garbage collector while the engine loads.

Kept apart from :mod:`.blas` so the CLI can set it before any command without importing spaCy.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

#: The collector's first-generation threshold while the engine loads (Python's default is 700).
LOADING_GC_THRESHOLD = 100_000

#: Environment variables the common BLAS builds read for their thread count when they load.
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


def single_thread_blas() -> None:
    """Run numpy's BLAS on one thread in this process, as blis ran for spaCy: in a worker (one of as
    many as the cores) and in the CLI, where a second BLAS thread spent a third more CPU for the
    same wall time (80 articles: 15–17 s of CPU instead of 22 s). Before numpy is loaded this sets
    the BLAS thread variables, unless already set; after, it limits the loaded BLAS (threadpoolctl).
    Library users who want it call it themselves."""
    if "numpy" not in sys.modules:
        for name in BLAS_THREAD_VARIABLES:
            os.environ.setdefault(name, "1")
        return
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")


@contextmanager
def loading() -> Iterator[None]:
    """Collect garbage rarely meanwhile: loading the model and lexicons allocates millions of
    objects that all live on, and the collector's passes over them (each 700 allocations, and the
    full passes they trigger) freed nothing and took 0.3–0.37 s of a 2.3 s load. The thresholds
    are restored after. (``gc.disable`` would not do: srsly turns collection back on after each
    msgpack load.)"""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], LOADING_GC_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
