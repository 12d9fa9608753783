"""Kill `eventcoder run` with SIGKILL at random points, re-run it, and check nothing is lost or doubled.

    python benchmarks/crash.py [--trials 20] [--seed 1] [--batch-size 2]

The corpus is the bundled sample plus a few bad files (so rejects are covered too). One
uninterrupted run gives the reference database. Each trial starts a run on a fresh database, kills
it at a random moment between its first commit (the model has loaded) and the time a normal run
would end (and in 30 % of trials kills the re-run too), then re-runs to completion and checks that:

* every input article is stored exactly once and every bad file is in ``rejects``;
* no mention or event is duplicated, every mention belongs to a stored article and to an event,
  every event's ``mention_ids`` are exactly the mentions that point at it;
* every table equals the reference database's, compared by content (rows sorted);
* no working copy is left behind.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import duckdb

#: Environment of every `eventcoder run` (see :func:`freeze_code`).
RUN_ENV: dict[str, str] | None = None
TABLES = ("articles", "mentions", "events", "rejects", "boilerplate")
BAD_FILES = {
    "bad_binary.txt": b"\x00\x01\x02PK\x03\x04" * 50,
    "bad_lines.jsonl": b'{"id": "J1", "text": "Turkey and Azerbaijan held talks in Baku on Monday."}\n'
                       b'{"id": "J2", "te\n',
    "bad_ragged.csv": b"id,text\nR1\nR2,Armenia protested to Azerbaijan on Tuesday.,extra\n",
}


@dataclass
class Trial:
    """One kill-and-rerun trial: when the kills happened and what the check found."""

    kills: list[float] = field(default_factory=list)
    killed_stage: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def make_corpus(root: Path) -> Path:
    """The bundled sample plus the bad files, in ``root/corpus``."""
    corpus = root / "corpus"
    sample = Path(str(resources.files("eventcoder") / "sample"))
    shutil.copytree(sample, corpus)
    for name, data in BAD_FILES.items():
        (corpus / name).write_bytes(data)
    return corpus


def freeze_code(root: Path) -> None:
    """Run every `eventcoder run` on a copy of the package taken now, so that edits to the working
    tree during the benchmark cannot make the re-runs differ from the reference run."""
    global RUN_ENV
    pkg = Path(str(resources.files("eventcoder")))
    shutil.copytree(pkg, root / "code" / "eventcoder", ignore=shutil.ignore_patterns("__pycache__"))
    RUN_ENV = dict(os.environ, PYTHONPATH=str(root / "code"))


def run_cmd(corpus: Path, db: Path, batch_size: int) -> list[str]:
    return [sys.executable, "-c", "from eventcoder.cli import app; app()", "run", str(corpus), "--db", str(db),
            "--batch-size", str(batch_size), "--quiet"]


def run_to_end(corpus: Path, db: Path, batch_size: int, timeout: float = 600) -> float:
    """Run to completion; seconds taken. Raises on a non-zero exit."""
    t = time.perf_counter()
    proc = subprocess.run(run_cmd(corpus, db, batch_size), capture_output=True, text=True, timeout=timeout,
                          env=RUN_ENV)
    if proc.returncode != 0:
        raise RuntimeError(f"run failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return time.perf_counter() - t


def stage_of(db: Path) -> str:
    """What a kill interrupted, judged from the files left behind."""
    wip = Path(f"{db}.wip")
    if not wip.exists():
        return "after publishing" if db.exists() else "before the working copy"
    con = duckdb.connect(str(wip), read_only=True)  # replays the WAL in memory, changes nothing
    try:
        n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        merged = con.execute("SELECT count(*) FROM mentions WHERE event_id IS NULL").fetchone()[0] == 0
    except duckdb.CatalogException:
        return "working copy without schema"
    finally:
        con.close()
    return f"{n} articles committed" + (", merged" if merged and n else "")


#: Seconds without a change to the working copy's WAL that mark the end of start-up (model loading).
QUIET_SECONDS = 0.5


def watch_run(corpus: Path, db: Path, batch_size: int, kill_after: float | None) -> tuple[str, float | None, float]:
    """Run, watching the working copy's write-ahead log; SIGKILL ``kill_after`` seconds after the
    run's first commit of coded articles (None: let it finish).

    The first commit is the first change to ``DB.wip.wal`` after the run holds the lock, has opened
    its working copy and then gone quiet for QUIET_SECONDS (loading the model). Returns (what the
    kill interrupted, seconds from start to the first commit, seconds from start to the end).
    """
    t0 = time.monotonic()
    proc = subprocess.Popen(run_cmd(corpus, db, batch_size), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=RUN_ENV)
    lock, wal = Path(f"{db}.lock"), Path(f"{db}.wip.wal")
    locked = False
    last: tuple[int, int] | None = None
    changed = t0
    quiet = False
    first: float | None = None
    while proc.poll() is None:
        now = time.monotonic()
        if not locked:
            try:
                locked = lock.read_text().strip() == str(proc.pid)
            except OSError:
                pass
            changed = now
        else:
            try:
                st = wal.stat()
                cur = (st.st_size, st.st_mtime_ns)
            except OSError:
                cur = (-1, 0)
            if cur != last:
                if quiet and first is None:
                    first = now - t0
                last, changed = cur, now
            elif now - changed >= QUIET_SECONDS:
                quiet = True
        if kill_after is not None and first is not None and now - t0 >= first + kill_after:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return stage_of(db), first, time.monotonic() - t0
        time.sleep(0.005)
    end = time.monotonic() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"run failed with exit code {proc.returncode}")
    return ("finished before the kill" if kill_after is not None else "finished"), first, end


def table_rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    """A table's rows, without ``coded_at``: when a mention was coded differs from run to run."""
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "coded_at"]
    return con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()


def check_db(db: Path, reference: Path, corpus_ids: set[str] | None = None) -> list[str]:
    """Every problem found in ``db`` against the invariants and the reference database."""
    problems: list[str] = []
    if Path(f"{db}.wip").exists():
        problems.append("working copy left behind")
    con = duckdb.connect(str(db), read_only=True)
    ref = duckdb.connect(str(reference), read_only=True)
    try:
        q = con.execute
        for sql, what in (
            ("SELECT count(*) - count(DISTINCT article_id) FROM articles", "duplicated article ids"),
            ("SELECT count(*) - count(DISTINCT content_hash) FROM articles", "duplicated article contents"),
            ("SELECT count(*) - count(DISTINCT mention_id) FROM mentions", "duplicated mention ids"),
            ("SELECT count(*) - count(DISTINCT (article_id, sentence_index, trigger_start, event_type)) "
             "FROM mentions", "duplicated mentions"),
            ("SELECT count(*) - count(DISTINCT event_id) FROM events", "duplicated event ids"),
            ("SELECT count(*) FROM mentions m ANTI JOIN articles a USING (article_id)", "mentions without article"),
            ("SELECT count(*) FROM mentions m ANTI JOIN events e USING (event_id)", "mentions without event"),
            ("SELECT count(*) FROM (SELECT unnest(mention_ids) AS mention_id FROM events) x "
             "ANTI JOIN mentions USING (mention_id)", "event mention_ids naming no mention"),
            ("SELECT count(*) FROM (SELECT e.event_id, unnest(e.mention_ids) AS mention_id FROM events e) x "
             "JOIN mentions m USING (mention_id) WHERE m.event_id <> x.event_id", "mentions in the wrong event"),
            ("SELECT count(*) FROM events WHERE n_mentions <> len(mention_ids)", "events miscounting mentions"),
        ):
            n = q(sql).fetchone()[0]
            if n:
                problems.append(f"{what}: {n}")
        if corpus_ids is not None:
            stored = {r[0] for r in q("SELECT article_id FROM articles").fetchall()}
            if stored != corpus_ids:
                problems.append(f"articles differ from the input: missing {sorted(corpus_ids - stored)[:5]}, "
                                f"extra {sorted(stored - corpus_ids)[:5]}")
        for table in TABLES:
            mine, theirs = table_rows(con, table), table_rows(ref, table)
            if mine != theirs:
                diff = len(set(map(repr, mine)) ^ set(map(repr, theirs)))
                problems.append(f"table {table} differs from the uninterrupted run "
                                f"({len(mine)} vs {len(theirs)} rows, {diff} rows differ)")
    finally:
        con.close()
        ref.close()
    return problems


def trial(rnd: random.Random, corpus: Path, work: Path, reference: Path, corpus_ids: set[str],
          span: float, batch_size: int) -> Trial:
    """Kill a run (and sometimes its re-run) at random, finish it, check it."""
    t0 = time.perf_counter()
    db = work / "db.duckdb"
    for p in work.glob("db.duckdb*"):
        p.unlink()
    out = Trial()
    kills = 1 + (rnd.random() < 0.3)
    for _ in range(kills):
        after = rnd.uniform(0, span)
        stage, first, _ = watch_run(corpus, db, batch_size, after)
        out.kills.append((first or 0.0) + after)
        out.killed_stage.append(stage if first is not None else f"{stage}, no commit seen")
    run_to_end(corpus, db, batch_size)
    out.problems = check_db(db, reference, corpus_ids)
    out.seconds = time.perf_counter() - t0
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=2)
    args = ap.parse_args(argv)
    rnd = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="eventcoder-crash-") as tmp:
        root = Path(tmp)
        freeze_code(root)
        corpus = make_corpus(root)
        reference = root / "reference.duckdb"
        _, first, total = watch_run(corpus, reference, args.batch_size, None)
        if first is None:
            raise RuntimeError("could not see the reference run's first commit")
        span = total - first
        con = duckdb.connect(str(reference), read_only=True)
        corpus_ids = {r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()}
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        con.close()
        print(f"corpus: bundled sample + {len(BAD_FILES)} bad files; reference run {total:.1f} s, first commit "
              f"{first:.1f} s after start (model loaded); batch size {args.batch_size}; reference counts {counts}")
        print(f"kills: 0-{span:.1f} s after the run's first commit (30% of trials also kill the re-run)")
        (root / "work").mkdir()
        failed = 0
        stages: dict[str, int] = {}
        for i in range(1, args.trials + 1):
            t = trial(rnd, corpus, root / "work", reference, corpus_ids, span, args.batch_size)
            for s in t.killed_stage:
                key = "mid-run" if "committed" in s and "merged" not in s else s
                stages[key] = stages.get(key, 0) + 1
            status = "ok" if not t.problems else "FAIL: " + "; ".join(t.problems)
            failed += bool(t.problems)
            kills = ", ".join(f"{k:.2f} s ({s})" for k, s in zip(t.kills, t.killed_stage, strict=True))
            print(f"trial {i:2d}: killed at {kills}; re-run → {status} [{t.seconds:.1f} s]")
        print(f"kills by stage: {stages}")
        print(f"{args.trials - failed}/{args.trials} trials ok: every article once, no duplicate or orphan "
              f"mention/event, database equal to the uninterrupted run" if not failed else
              f"{failed}/{args.trials} trials FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
