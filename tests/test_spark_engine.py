"""The Spark engine in local[2] mode gives the same tables as the local engine (bundled sample)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eventcoder.engines.local import LocalEngine, sample_corpus_path
from eventcoder.store import Store

TABLES = {
    "articles": "SELECT * FROM articles ORDER BY article_id",
    # coded_at is when each engine coded the mention: the one column that differs by design
    "mentions": "SELECT * EXCLUDE (coded_at) FROM mentions ORDER BY mention_id",
    "events": "SELECT * FROM events ORDER BY event_id",
    "rejects": "SELECT * FROM rejects ORDER BY reject_id",
    "boilerplate": "SELECT * FROM boilerplate ORDER BY fingerprint",
}


def _spark_or_skip():
    pytest.importorskip("pyspark", reason="pyspark not installed: pip install 'eventcoder[spark]'")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java (17) on PATH")
    from eventcoder.engines.spark import spark_context

    return spark_context("local[2]", app_name="eventcoder-test")


def _rows(db: Path, sql: str) -> list[tuple]:
    with Store(db, read_only=True) as s:
        return s.con.execute(sql).fetchall()


def test_spark_local2_equals_local_engine(tmp_path: Path) -> None:
    spark = _spark_or_skip()
    from eventcoder.engines.spark import SparkEngine, import_parquet

    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus_path(), corpus)
    (corpus / "bad.jsonl").write_text('{"id": "x", "text": ""}\nnot json\n', encoding="utf-8")

    local_db = tmp_path / "local.duckdb"
    with Store(local_db) as store:
        LocalEngine().run([corpus], store)

    out = tmp_path / "parquet"
    summary = SparkEngine(spark, partitions=3).run([corpus], out)
    assert summary.articles == 30 and summary.rejects == 2
    spark_db = tmp_path / "spark.duckdb"
    with Store(spark_db) as store:
        imported = import_parquet(out, store)
    assert not imported.remerged
    for table, sql in TABLES.items():
        assert _rows(spark_db, sql) == _rows(local_db, sql), table
    assert _rows(spark_db, "SELECT count(*) FROM mentions WHERE coded_at IS NULL OR coder_version IS NULL") == [(0,)]


def test_import_into_a_database_merges_again(tmp_path: Path) -> None:
    """Importing Spark output into a database that has articles re-merges all mentions."""
    spark = _spark_or_skip()
    from eventcoder.engines.spark import SparkEngine, import_parquet

    files = sorted(p for p in sample_corpus_path().iterdir() if p.is_file() and not p.name.startswith("."))
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for f in files[:10]:
        shutil.copy(f, first / f.name)
    for f in files[10:]:
        shutil.copy(f, second / f.name)
    db = tmp_path / "db.duckdb"
    with Store(db) as store:
        LocalEngine().run([first], store)
    SparkEngine(spark).run([second], tmp_path / "out")
    with Store(db) as store:
        imported = import_parquet(tmp_path / "out", store)
    assert imported.remerged and imported.articles > 0
    assert _rows(db, "SELECT count(*) FROM articles")[0][0] == 30


def test_cli_spark_run_is_quiet_and_imports(tmp_path: Path) -> None:
    """``run --engine spark --quiet`` in a fresh process (its own JVM and zygote) prints none of
    Spark's start-up notices, and ``import`` loads what it wrote."""
    import subprocess
    import sys

    _spark_or_skip()
    out, db = tmp_path / "parquet", tmp_path / "spark.duckdb"
    cli = [sys.executable, "-m", "eventcoder"]
    run = subprocess.run([*cli, "run", str(sample_corpus_path()), "--engine", "spark", "--workers", "2",
                          "--out", str(out), "--quiet"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    # the JDK itself announces the incubator module Spark 4 adds; nothing else may be printed
    noise = [line for line in run.stderr.splitlines() if line.strip() and "incubator modules" not in line]
    assert noise == [] and run.stdout == ""
    imported = subprocess.run([*cli, "import", str(out), "--db", str(db)], capture_output=True, text=True,
                              timeout=300)
    assert imported.returncode == 0, imported.stderr
    assert _rows(db, "SELECT count(*) FROM articles")[0][0] == 30
    assert _rows(db, "SELECT count(*) FROM events")[0][0] > 0


def test_spark_engine_without_pyspark_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from eventcoder.engines.spark import SparkNotAvailable, require_pyspark

    real = builtins.__import__

    def no_pyspark(name: str, *args, **kwargs):  # noqa: ANN002, ANN003
        if name.startswith("pyspark"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    with pytest.raises(SparkNotAvailable, match=r"pip install 'eventcoder\[spark\]'"):
        require_pyspark()


def test_spark_daemon_preloads_the_engine_of_the_requested_mode(monkeypatch):
    """The executors' daemon module loads the engine the coding partitions will ask for."""
    from eventcoder.engines import spark_daemon, spark_executor

    monkeypatch.setattr(spark_executor, "_ENGINES", {})
    monkeypatch.setenv("EVENTCODER_PREFILTER", "triggers")
    spark_daemon.preload()
    engine = spark_executor._ENGINES["triggers"]
    assert engine.prefilter == "triggers" and spark_executor.engine("triggers") is engine
    assert engine.nlp is not None and engine.coder.gazetteer is not None


def test_local_sessions_fork_their_workers_from_the_preloaded_zygote() -> None:
    """In local[N] the executors' daemon is the zygote the driver started before its JVM (it loaded
    the engine meanwhile): every Python worker is its child, not the launched process's."""
    import os

    from eventcoder.engines import spark as spark_engine

    if os.environ.get(spark_engine.FAST_START_ENV, "1") == "0":
        pytest.skip("fast start of local sessions is switched off")
    spark = _spark_or_skip()
    parents = set(spark.parallelize(range(4), 2).map(lambda _: os.getppid()).collect())
    assert len(parents) == 1 and parents <= {z.pid for z in spark_engine._ZYGOTES}


def _launch_daemon(env: dict[str, str]):
    """Start ``python -m eventcoder.engines.spark_daemon`` as the JVM does (pipes for its standard streams)."""
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "eventcoder.engines.spark_daemon"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)


def test_zygote_takes_over_the_launched_daemons_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    """The launched daemon hands its pipes to the zygote: the zygote writes the port the JVM reads,
    stays alive while the launched process stands in, and both end when the JVM closes the pipe."""
    import os
    import struct

    pytest.importorskip("pyspark", reason="pyspark not installed: pip install 'eventcoder[spark]'")
    from eventcoder.engines import spark_daemon

    monkeypatch.delenv(spark_daemon.ZYGOTE_ENV, raising=False)
    zygote = spark_daemon.start_zygote()
    path = os.environ.pop(spark_daemon.ZYGOTE_ENV)
    launched = _launch_daemon(dict(os.environ, **{spark_daemon.ZYGOTE_ENV: path}))
    try:
        (port,) = struct.unpack("!i", launched.stdout.read(4))
        assert 0 < port < 65536
        assert zygote.poll() is None and launched.poll() is None
        assert not os.path.exists(path)  # the zygote took the one handover it waits for
        launched.stdin.close()  # the JVM stops
        zygote.wait(timeout=30)  # ends (pyspark's daemon exits 1 however it stops)
        assert launched.wait(timeout=30) == 0
    finally:
        for proc in (zygote, launched):
            if proc.poll() is None:
                proc.kill()


@pytest.mark.parametrize("zygote", ["missing", "dead"])
def test_daemon_without_its_zygote_loads_the_engine_itself(
    zygote: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zygote that is gone (never started, or died while loading) leaves the launched daemon to
    load and serve alone, and at once: nothing listens on the socket, so its connection is refused."""
    import os
    import struct

    pytest.importorskip("pyspark", reason="pyspark not installed: pip install 'eventcoder[spark]'")
    from eventcoder.engines import spark_daemon

    path = str(tmp_path / "missing.sock")
    if zygote == "dead":
        monkeypatch.delenv(spark_daemon.ZYGOTE_ENV, raising=False)
        proc = spark_daemon.start_zygote()
        path = os.environ.pop(spark_daemon.ZYGOTE_ENV)
        proc.kill()
        proc.wait(timeout=30)
    assert spark_daemon._hand_over(path) is False
    launched = _launch_daemon(dict(os.environ, **{spark_daemon.ZYGOTE_ENV: path}))
    try:
        (port,) = struct.unpack("!i", launched.stdout.read(4))
        assert 0 < port < 65536
        launched.stdin.close()
        launched.wait(timeout=30)
    finally:
        if launched.poll() is None:
            launched.kill()


def test_unused_zygote_leaves_with_its_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    """A zygote no JVM asked for ends when the driver does (its standard input closes), and removes
    its socket and directory."""
    import os

    pytest.importorskip("pyspark", reason="pyspark not installed: pip install 'eventcoder[spark]'")
    from eventcoder.engines import spark_daemon

    monkeypatch.delenv(spark_daemon.ZYGOTE_ENV, raising=False)
    zygote = spark_daemon.start_zygote()
    path = os.environ.pop(spark_daemon.ZYGOTE_ENV)
    zygote.stdin.close()
    assert zygote.wait(timeout=60) == 0
    assert not os.path.exists(os.path.dirname(path))


def test_coding_tasks_get_buckets_of_about_equal_total_size() -> None:
    """Buckets are shared out largest first to the least loaded task: no task exceeds the mean by
    more than one bucket, every bucket has a task, and task 0 (launched first) is the largest."""
    import random

    from eventcoder.engines.spark import balanced_tasks

    rng = random.Random(7)
    sizes = {b: rng.choice([800, 5_000, 6_000, 16_000]) for b in range(64)}
    owner = balanced_tasks(sizes, 8)
    assert set(owner) == set(sizes) and set(owner.values()) == set(range(8))
    loads = [sum(sizes[b] for b, t in owner.items() if t == task) for task in range(8)]
    assert max(loads) - sum(loads) / 8 <= max(sizes.values())
    assert loads == sorted(loads, reverse=True)
    assert balanced_tasks({}, 4) == {} and balanced_tasks({3: 10}, 4) == {3: 0}


def test_lsh_bands_are_those_minhashlsh_derives() -> None:
    from datasketch import MinHashLSH

    from eventcoder.engines.spark import RECYCLED_BANDS, RECYCLED_NUM_PERM, RECYCLED_ROWS, RECYCLED_THRESHOLD

    lsh = MinHashLSH(threshold=RECYCLED_THRESHOLD, num_perm=RECYCLED_NUM_PERM)
    assert (lsh.b, lsh.r) == (RECYCLED_BANDS, RECYCLED_ROWS)


def test_local_sessions_write_then_map_a_class_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fast start of local[N]: the first run asks its JVM to write a class archive (under a
    temporary name); once no JVM writes it, the next run takes it over and maps it."""
    pytest.importorskip("pyspark", reason="pyspark not installed: pip install 'eventcoder[spark]'")
    from eventcoder.engines import spark as spark_engine

    java = tmp_path / "jdk" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk"))
    monkeypatch.setenv("EVENTCODER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PYSPARK_SUBMIT_ARGS", raising=False)
    monkeypatch.delenv(spark_engine.FAST_START_ENV, raising=False)

    first = spark_engine.local_jvm_options()
    assert "-XX:TieredStopAtLevel=1" in first
    (write,) = [o for o in first if o.startswith("-XX:ArchiveClassesAtExit=")]
    tmp = Path(write.split("=", 1)[1])
    assert tmp.parent == tmp_path / "cache" and not tmp.exists()

    tmp.write_bytes(b"archive")  # what the first run's JVM leaves behind as it exits
    monkeypatch.setattr(spark_engine, "_being_written", lambda path: True)
    assert not any("Archive" in o for o in spark_engine.local_jvm_options())  # still being written
    monkeypatch.setattr(spark_engine, "_being_written", lambda path: False)
    (use,) = [o for o in spark_engine.local_jvm_options() if "Archive" in o]
    final = Path(use.split("=", 1)[1])
    assert use.startswith("-XX:SharedArchiveFile=") and final.read_bytes() == b"archive" and not tmp.exists()
    assert spark_engine.local_jvm_options() == spark_engine.local_jvm_options()  # stable once written

    monkeypatch.setenv(spark_engine.FAST_START_ENV, "0")
    assert spark_engine.local_jvm_options() == []


def test_being_written_reads_the_process_table(tmp_path: Path) -> None:
    import subprocess
    import sys

    from eventcoder.engines.spark import _being_written

    path = tmp_path / "spark-cds-x.jsa.1"
    path.write_bytes(b"")
    assert not _being_written(path)
    if not Path("/proc").is_dir():
        pytest.skip("no /proc on this platform")
    child = "import time; print('up', flush=True); time.sleep(30)"
    proc = subprocess.Popen([sys.executable, "-c", child, f"-XX:ArchiveClassesAtExit={path}"],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "up\n"  # the child has exec'd: its command line is in /proc
        assert _being_written(path)
    finally:
        proc.kill()
        proc.wait()
