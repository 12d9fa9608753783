"""`run --workers 2` stores the same articles, mentions and events as one process."""

from __future__ import annotations

from pathlib import Path

from eventcoder.engines.local import LocalEngine, sample_corpus_path
from eventcoder.store import Store

# coded_at: when each run coded the mention (differs by design)
QUERIES = ("SELECT * EXCLUDE (coded_at) FROM mentions ORDER BY mention_id", "SELECT * FROM events ORDER BY event_id",
           "SELECT * FROM articles ORDER BY article_id")


def test_two_workers_equal_one_process(tmp_path: Path) -> None:
    results = []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.duckdb"
        with Store(db) as store:
            summary = LocalEngine(workers=workers).run([sample_corpus_path()], store, batch_size=4)
            results.append([store.con.execute(q).fetchall() for q in QUERIES])
        assert summary.articles_new == 30
        assert summary.coding.sentences > 0  # the workers' counters come back to the summary
    assert results[0] == results[1]


def test_coding_workers_do_not_import_scipy():
    """datasketch (and through it scipy, ~1.4 s) is for the parent's boilerplate and merge passes;
    a worker importing the engine and coder must not pay for it."""
    import subprocess
    import sys

    code = ("import sys, eventcoder.engines.workers, eventcoder.engines.local; "
            "print('scipy' in sys.modules, 'datasketch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


def test_workers_are_forked_only_without_other_threads():
    import sys
    import threading

    from eventcoder.engines.workers import start_method

    if not sys.platform.startswith("linux"):
        assert start_method() == "spawn"
        return
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    before = start_method() if threading.active_count() == 1 else None
    t.start()
    try:
        assert start_method() == "spawn"  # a thread might hold a lock a forked child would inherit
    finally:
        stop.set()
        t.join()
    if before is not None:
        assert before == "fork"
