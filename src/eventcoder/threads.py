"""BLAS threads: one per process where eventcoder's processes are as many as the cores.

Kept apart from :mod:`.blas` so the CLI can set it before any command without importing spaCy.
"""

from __future__ import annotations

import os
import sys

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
