"""Two runs on one database, and readers while a run writes.

A second run waits (``--wait``) or exits with a one-line message; readers keep seeing the last
published database while a run writes its working copy, and a following reader moves on to the
new database once the run publishes it.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from conftest import load_script
from eventcoder.errors import DatabaseError
from eventcoder.store import FollowingReader, Store, _RunLock, open_for_run, wip_path

STORIES = [
    "Turkish President Erdogan met Azerbaijani President Aliyev in Baku on October 5, 2021.",
    "Armenia accused Azerbaijan of shelling border villages on October 6, 2021.",
    "Russia and Ukraine held talks in Minsk on October 7, 2021 about the ceasefire.",
    "China criticised the United States over Taiwan on October 8, 2021.",
]
RUN = [sys.executable, "-c", "from eventcoder.cli import app; app()", "run"]


def _corpus(root: Path, n: int) -> Path:
    d = root / f"corpus{n}"
    d.mkdir()
    for i, text in enumerate(STORIES[:n]):
        (d / f"{i}.txt").write_text(text)
    return d


def _counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        return store.counts()


def test_second_run_exits_with_one_line_message(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    lock = _RunLock(str(db))
    lock.acquire(0)  # as a running `eventcoder run` holds it
    try:
        proc = subprocess.run([*RUN, str(_corpus(tmp_path, 1)), "--db", str(db)], capture_output=True, text=True,
                              timeout=120)
    finally:
        lock.release()
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert f"database {db} is in use by another eventcoder process" in lines[0]
    assert "--wait" in lines[0]
    assert not db.exists() and not wip_path(db).exists()


def test_second_run_waits_for_the_first(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    lock = _RunLock(str(db))
    lock.acquire(0)
    threading.Timer(1.0, lock.release).start()
    t = time.monotonic()
    with open_for_run(db, wait=30) as store:
        assert time.monotonic() - t >= 0.9
        store.write_batch([], [], [])
    assert db.exists()
    with pytest.raises(DatabaseError, match="in use by another eventcoder process.*after waiting 0.3 s"):
        lock.acquire(0)
        try:
            with open_for_run(db, wait=0.3):
                pass
        finally:
            lock.release()


def test_duckdb_lock_error_becomes_database_error(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    Store(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('ok', flush=True); "
                               "time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(DatabaseError, match=f"database {db} is in use by another eventcoder process"):
            Store(db)
    finally:
        holder.kill()
        holder.wait()


POLLER = """
import sys, time
from pathlib import Path
from eventcoder.store import Store
db, stop = sys.argv[1], Path(sys.argv[2])
while not stop.exists():
    with Store(db, read_only=True) as store:  # a fresh read-only open in another process
        c = store.counts()
    print(c["articles"], c["mentions"], c["events"], flush=True)
    time.sleep(0.05)
"""


def test_two_real_runs_and_readers_during_a_write(tmp_path: Path) -> None:
    """Run B writes while run C is refused and readers read the published database throughout."""
    db = tmp_path / "x.duckdb"
    subprocess.run([*RUN, str(_corpus(tmp_path, 1)), "--db", str(db), "-q"], check=True, timeout=300)
    before = _counts(db)
    following = FollowingReader(db, check_interval=0)
    stop = tmp_path / "stop"
    poller = subprocess.Popen([sys.executable, "-c", POLLER, str(db), str(stop)], stdout=subprocess.PIPE, text=True)
    full = _corpus(tmp_path, 4)
    writer = subprocess.Popen([*RUN, str(full), "--db", str(db), "--batch-size", "1", "-q"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: list[dict[str, int]] = []
    refused = None
    while writer.poll() is None:
        with following.reading() as store:
            seen.append(store.counts())
        if refused is None and wip_path(db).exists():
            refused = subprocess.run([*RUN, str(full), "--db", str(db), "-q"], capture_output=True, text=True,
                                     timeout=300)
        time.sleep(0.05)
    assert writer.returncode == 0, writer.stderr
    with following.reading() as store:
        after = store.counts()  # the next request after publishing sees the new database
    following.close()
    stop.touch()
    polled = {tuple(map(int, line.split())) for line in poller.communicate(timeout=60)[0].splitlines()}
    assert poller.returncode == 0
    assert after == _counts(db) and after["articles"] == 4 and before["articles"] == 1
    assert seen and all(c in (before, after) for c in seen)  # only published states
    states = {tuple(c[t] for t in ("articles", "mentions", "events")) for c in (before, after)}
    assert polled and polled <= states, polled  # other processes read throughout, never a partial state
    assert refused is not None and refused.returncode == 1
    assert "is in use by another eventcoder process" in refused.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM mentions WHERE event_id IS NULL").fetchone()[0] == 0
    con.close()


def test_following_reader_swaps_only_between_requests(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    with open_for_run(db) as store:
        store.write_batch([], [], [])
    following = FollowingReader(db, check_interval=0)
    with following.reading() as old:
        with open_for_run(db) as store:  # a run publishes while a request is in flight
            from test_store import _article  # noqa: PLC0415

            store.write_batch([_article()], [], [])
        assert old.counts()["articles"] == 0  # the request finishes on the file it began with
        done = threading.Event()

        def later_request() -> None:
            with following.reading() as new:
                assert new.counts()["articles"] == 1
            done.set()

        t = threading.Thread(target=later_request)
        t.start()
        time.sleep(0.2)
        assert not done.is_set()  # waits for the request in flight
    t.join(10)
    assert done.is_set()
    following.close()


def test_following_reader_with_the_web_apps_attached_database(tmp_path: Path) -> None:
    """The contract docs/reliability.md gives serve: FollowingReader(db, opener=EventsDB)."""
    queries = pytest.importorskip("eventcoder.web.queries")
    from test_store import _article  # noqa: PLC0415

    db = tmp_path / "x.duckdb"
    with open_for_run(db) as store:
        store.write_batch([], [], [])
    following = FollowingReader(db, opener=queries.EventsDB, check_interval=0)
    with following.reading() as events_db:
        cur = events_db.cursor()
        assert cur.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        cur.close()
    with open_for_run(db) as store:
        store.write_batch([_article()], [], [])
    with following.reading() as events_db:
        cur = events_db.cursor()
        assert cur.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
        cur.close()
    following.close()


def test_serve_answers_while_a_run_writes() -> None:
    """A reduced benchmarks/load.py: 5 clients x 30 requests while `eventcoder run` writes the database."""
    pytest.importorskip("uvicorn")
    load = load_script("benchmarks/load.py", "load_bench")
    assert load.main(["--clients", "5", "--requests", "30", "--time-budget", "60", "--during-run"]) == 0
