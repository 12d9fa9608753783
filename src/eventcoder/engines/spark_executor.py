"""What the Spark engine's executors hold: one local engine per Python worker process.

Both the driver-side job code (:mod:`.spark`) and the executors' daemon (:mod:`.spark_daemon`, which
preloads it before forking) take the engine from here, so neither imports the other.
"""

from __future__ import annotations

from eventcoder.engines.local import LocalEngine
from eventcoder.pipeline.userdicts import UserDictionaries

#: MinHash permutations of the recycled-paragraph LSH band keys computed on the executors.
RECYCLED_NUM_PERM = 64

#: By prefilter mode, or (mode, digest of the user dictionaries) for a run with ``--actors/--places``.
_ENGINES: dict[str | None | tuple[str | None, str], LocalEngine] = {}


def engine(prefilter: str | None, dictionaries: UserDictionaries | None = None) -> LocalEngine:
    """One LocalEngine (model + lexicons) per Python worker process, prefilter mode and user
    dictionaries (``run --actors/--places``, shipped to the executors with the job)."""
    key: str | None | tuple[str | None, str] = (prefilter, dictionaries.key()) if dictionaries else prefilter
    if key not in _ENGINES:
        from eventcoder.util.threads import single_thread_blas

        single_thread_blas()  # each task slot has a Python worker of its own
        _ENGINES[key] = LocalEngine(prefilter=prefilter, dictionaries=dictionaries)
    return _ENGINES[key]
