"""Engines run the pipeline's stages over a corpus; none re-implements a stage.

- :mod:`.local` — one process (or several, through :mod:`.workers`), batches into a DuckDB store;
- :mod:`.spark` — the same stage functions as Spark jobs, written as Parquet; :mod:`.spark_executor`
  holds what runs on the executors and :mod:`.spark_daemon` preloads it once per executor.
"""
