"""The Python daemon of Spark executors for eventcoder: it loads the coding engine once, then forks.

PySpark starts one daemon per executor (``python -m pyspark.daemon``) and forks a Python worker
from it for each task slot. With ``spark.python.daemon.module=eventcoder.spark_daemon`` (set by
:func:`eventcoder.spark_engine.spark_session`) the daemon first imports the stages and loads the
spaCy model, lexicons and gazetteer of the prefilter mode in ``EVENTCODER_PREFILTER`` (else
``settings.PREFILTER``), so every worker starts with them in (copy-on-write) memory instead of
loading them itself. Nothing in the loading starts a thread, which the daemon requires before it
forks.
"""

from __future__ import annotations

import os


def preload() -> None:
    """Load the engine the coding partitions will use (spark_engine._engine keeps it)."""
    from . import settings
    from .spark_engine import _engine

    mode = os.environ.get("EVENTCODER_PREFILTER", settings.PREFILTER or "off")
    _engine(None if mode == "off" else mode).load()


if __name__ == "__main__":
    from pyspark import daemon

    preload()
    daemon.manager()
