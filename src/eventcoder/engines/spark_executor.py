"""What the Spark engine's executors hold: one local engine per Python worker process.

Both the driver-side job code (:mod:`.spark`) and the executors' daemon (:mod:`.spark_daemon`, which
preloads it before forking) take the engine from here, so neither imports the other.
"""

from __future__ import annotations

from eventcoder.engines.local import LocalEngine

#: MinHash permutations of the recycled-paragraph LSH band keys computed on the executors.
RECYCLED_NUM_PERM = 64

_ENGINES: dict[str | None, LocalEngine] = {}


def engine(prefilter: str | None) -> LocalEngine:
    """One LocalEngine (model + lexicons) per Python worker process and prefilter mode."""
    if prefilter not in _ENGINES:
        from eventcoder.util.threads import single_thread_blas

        single_thread_blas()  # each task slot has a Python worker of its own
        _ENGINES[prefilter] = LocalEngine(prefilter=prefilter)
    return _ENGINES[prefilter]
