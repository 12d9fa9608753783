"""Crash safety: `eventcoder run` killed with SIGKILL, re-run, equals an uninterrupted run.

A reduced form of benchmarks/crash.py (which runs 20+ trials and shares this code).
"""

from __future__ import annotations

import random
import signal
from pathlib import Path

import duckdb
import pytest

from conftest import load_script
from eventcoder.store import open_for_run, wip_path

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def _crash_module():  # noqa: ANN202 - a module loaded from benchmarks/
    return load_script("benchmarks/crash.py", "crash_bench")


crash = _crash_module()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):  # noqa: ANN001, ANN201
    root = tmp_path_factory.mktemp("crash")
    crash.freeze_code(root)
    corpus = crash.make_corpus(root)
    ref = root / "reference.duckdb"
    _, first, total = crash.watch_run(corpus, ref, 2, None)
    assert first is not None, "the reference run's first commit was not seen"
    con = duckdb.connect(str(ref), read_only=True)
    ids = {r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()}
    con.close()
    (root / "work").mkdir()
    return root, corpus, ref, ids, total - first


def test_reference_run_is_consistent(reference) -> None:  # noqa: ANN001
    root, corpus, ref, ids, _ = reference
    assert crash.check_db(ref, ref, ids) == []
    assert len(ids) >= 30
    assert not wip_path(ref).exists()


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_killed_run_resumes_to_the_same_database(reference, seed: int) -> None:  # noqa: ANN001
    root, corpus, ref, ids, span = reference
    rnd = random.Random(seed)
    # killed between the run's first commit (the model has loaded) and the time a normal run ends
    t = crash.trial(rnd, corpus, root / "work", ref, ids, span, 2)
    assert t.problems == [], f"killed at {t.kills} ({t.killed_stage}): {t.problems}"


def test_interrupted_working_copy_is_resumed_then_published(tmp_path: Path) -> None:
    """An exception inside a run keeps the working copy with its committed batches; the next run publishes."""
    from test_store import _article  # noqa: PLC0415 - the store tests' article builder

    db = tmp_path / "x.duckdb"
    with pytest.raises(RuntimeError), open_for_run(db) as store:
        store.write_batch([_article()], [], [])
        raise RuntimeError("killed")
    assert wip_path(db).exists() and not db.exists()
    with open_for_run(db) as store:
        assert store.known_hashes() == {"h1": "a1"}
    assert db.exists() and not wip_path(db).exists()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    con.close()


def test_run_that_wrote_nothing_leaves_no_working_copy(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    with pytest.raises(RuntimeError), open_for_run(db):
        raise RuntimeError("bad input path")
    assert not wip_path(db).exists() and not db.exists()
