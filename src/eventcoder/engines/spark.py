"""The Spark engine: the same stage functions as the local engine, run as Spark jobs.

    job 1: files ─► read_file (flatMap) ─► find_boilerplate per outlet (groupBy) ─► fingerprints
    job 2: articles ─► dedupe by content hash ─► drop_boilerplate + nlp + code + LSH band keys
          (mapPartitions, one model load per Python worker, several tasks per core)
          ─► recycled text: each LSH bucket's articles (groupBy band key) sent to its members' blocks
          ─► mark recycled + merge_mentions per merge block (groupBy type family)
          ─► every table written as Parquet by the partitions that hold it, in the same job

Nothing is collected to the driver but the list of input files and the set of boilerplate
fingerprints. Every stage calls the library's own functions (``read_file``, ``find_boilerplate``,
``drop_boilerplate``, ``LocalEngine.code_articles``, ``minhash``, ``merge_mentions``), so Spark
gives the same articles, mentions and events as ``LocalEngine``. The Parquet tables have the
DuckDB tables' schema; ``eventcoder import DIR --db PATH`` loads them (:func:`import_parquet`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcoder import settings
from eventcoder.engines.spark_executor import RECYCLED_NUM_PERM, engine
from eventcoder.errors import EventcoderError
from eventcoder.models import Article, Mention, Reject
from eventcoder.pipeline.boilerplate import _outlet, drop_boilerplate, find_boilerplate
from eventcoder.pipeline.ingest import content_hash, iter_input_files, read_file
from eventcoder.pipeline.merge import _block_key, _shingles, merge_mentions, minhash
from eventcoder.pipeline.userdicts import UserDictionaries
from eventcoder.store import EXPORT_COLUMNS, Store, _arrow

#: Output tables written under the output directory, one Parquet file per partition.
TABLES = ("articles", "mentions", "events", "rejects", "boilerplate")
#: MinHash parameters of recycled-text detection (those of merge.recycled_sentences).
RECYCLED_THRESHOLD = 0.6
#: MinHashLSH's bands and rows per band for that threshold and number of permutations (datasketch
#: derives them with scipy, which the driver need not import; tests/test_spark_engine.py checks them).
RECYCLED_BANDS, RECYCLED_ROWS = 10, 6
#: Coding tasks per partition of the run (more, smaller tasks balance the cores' loads).
CODING_TASKS_PER_PARTITION = 4
#: Hash buckets of articles per coding task: job 1 measures each bucket's characters and whole
#: buckets are shared out so the coding tasks come out about equal (balanced_tasks).
BUCKETS_PER_CODING_TASK = 8


class SparkNotAvailable(EventcoderError):
    """pyspark (or Java) is missing."""


def require_pyspark() -> None:
    """Raise a one-line error when pyspark is not installed."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkNotAvailable("--engine spark needs pyspark: pip install 'eventcoder[spark]'") from None


@dataclass(slots=True)
class SparkSummary:
    """What a Spark run wrote."""

    out: str
    articles: int = 0
    rejects: int = 0
    mentions: int = 0
    recycled_mentions: int = 0
    events: int = 0
    boilerplate_paragraphs: int = 0
    files: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def spark_context(master: str | None = None, app_name: str = "eventcoder", *, progress: bool = True) -> Any:
    """A SparkContext; ``master`` (e.g. ``local[2]``) only when not given by spark-submit;
    ``progress=False`` hides Spark's console progress bars (``run --quiet``).

    The engine runs RDD jobs only, so it starts no SparkSession: a session's SQL state would cost a
    local run 0.7 s before its first job. An existing context (a notebook's) is used as it is."""
    require_pyspark()
    from pyspark import SparkConf, SparkContext

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    local = bool(master and master.startswith("local")) and not _java_options_given()
    # first of all, so the executors' engine loads while the rest of the JVM's start goes on
    zygote = _start_zygote() if local and _fast_start() else None
    conf = (SparkConf().setAppName(app_name).set("spark.ui.enabled", "false")
            # executors' Python workers fork from a daemon that has loaded the model (spark_daemon.py)
            .set("spark.python.daemon.module", "eventcoder.engines.spark_daemon")
            .set("spark.ui.showConsoleProgress", "true" if progress else "false"))
    if master:
        conf = conf.setMaster(master)
    if local:
        # errors only, and none of Spark's start-up notices (data/spark-log4j2.properties)
        log_config = Path(__file__).resolve().parent.parent / "data" / LOG_CONFIG
        options = [_java_option("-Dlog4j2.configurationFile=", str(log_config))]
        conf = conf.set("spark.driver.extraJavaOptions", " ".join(options + local_jvm_options()))
    else:
        conf = conf.set("spark.log.level", "ERROR")
    try:
        return SparkContext.getOrCreate(conf)
    except Exception as exc:  # JVM start failures come back as several exception types
        if zygote is not None:
            zygote.kill()
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SparkNotAvailable(f"cannot start Spark (is Java 17 installed?): {first}") from None


_ZYGOTES: list[Any] = []  # kept, so their Popen objects are not collected while they run


def _start_zygote() -> Any:
    """Start loading the executors' engine while a new local JVM starts (spark_daemon.start_zygote);
    None when a session is already running (its daemon is up), where PySpark forks no daemon
    (Windows) or the zygote cannot start."""
    import socket

    from pyspark import SparkContext

    from eventcoder.engines.spark_daemon import start_zygote

    if os.name != "posix" or not hasattr(socket, "send_fds"):
        return None
    if getattr(SparkContext, "_active_spark_context", None) is not None:
        return None
    _ZYGOTES[:] = [z for z in _ZYGOTES if z.poll() is None]
    try:
        _ZYGOTES.append(start_zygote())
    except OSError:
        return None
    return _ZYGOTES[-1]


#: Set to 0 to start local sessions with the JVM's default options (no class archive, full JIT)
#: and without preloading the executors' engine in a zygote.
FAST_START_ENV = "EVENTCODER_SPARK_FAST_START"
#: The logging configuration (in the package's data) of local sessions' JVMs.
LOG_CONFIG = "spark-log4j2.properties"
#: Without a process table, a class archive is taken as written once it is this old (seconds).
_ARCHIVE_SETTLE = 60.0


def local_jvm_options() -> list[str]:
    """Driver JVM options that halve a ``local[N]`` session's start (about 8 s to 3.5 s on 2 cores).

    In local mode the driver JVM is the whole cluster, and our work runs in Python: the JVM mostly
    loads classes and compiles code it will barely run. So (1) its JIT stops at the quick C1 tier,
    and (2) it loads Spark's classes from an application class-data-sharing archive kept in the
    cache directory (``spark-cds-<key>.jsa``, ~115 MB). The first run writes the archive as its JVM
    exits (a few seconds, under a temporary name that the next run takes over once no JVM is still
    writing it); later runs map it.
    The archive is keyed by the pyspark version and the Java binary, so an upgrade makes a new one.
    Nothing is set when ``spark.driver.extraJavaOptions`` is configured elsewhere (``PYSPARK_SUBMIT_ARGS``)
    or ``EVENTCODER_SPARK_FAST_START=0``; an unusable archive only costs the speed-up.
    """
    if not _fast_start() or _java_options_given():
        return []
    options = ["-XX:TieredStopAtLevel=1", "-Xlog:cds*=off", "-XX:+IgnoreUnrecognizedVMOptions"]
    archive = _class_archive()
    if archive is None:
        return options
    path, ready = archive
    return options + [_java_option("-XX:SharedArchiveFile=" if ready else "-XX:ArchiveClassesAtExit=", str(path))]


def _fast_start() -> bool:
    return os.environ.get(FAST_START_ENV, "1") != "0"


def _java_options_given() -> bool:
    """Whether the driver's Java options come from ``PYSPARK_SUBMIT_ARGS`` (then we set none)."""
    return "extraJavaOptions" in os.environ.get("PYSPARK_SUBMIT_ARGS", "")


def _java_option(prefix: str, value: str) -> str:
    """One Java option for ``spark.driver.extraJavaOptions``, quoted when a path holds a space."""
    option = prefix + value
    return f'"{option}"' if " " in option else option


def _class_archive() -> tuple[Path, bool] | None:
    """(path, True) of a finished class archive for this pyspark and Java, or (temporary path, False)
    for this run to write one; None when no cache directory can be written."""
    import hashlib
    import shutil

    import pyspark

    from eventcoder.util.diskcache import cache_dir

    java_home = os.environ.get("JAVA_HOME")
    java = os.path.join(java_home, "bin", "java") if java_home else shutil.which("java")
    if not java:
        return None
    java = os.path.realpath(java)
    try:
        stamp = f"{java}:{os.stat(java).st_mtime_ns}:{pyspark.__version__}:{pyspark.__file__}"
        cache = cache_dir()
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    final = cache / f"spark-cds-{hashlib.sha1(stamp.encode()).hexdigest()[:16]}.jsa"
    pending = False
    for tmp in cache.glob(final.name + ".*"):  # archives earlier runs' JVMs wrote as they exited
        try:
            if _being_written(tmp):
                pending = True
            elif final.exists():
                tmp.unlink()
            else:
                os.replace(tmp, final)
        except OSError:
            continue
    if final.exists():
        return final, True
    if pending or not os.access(cache, os.W_OK):
        return None  # another run's JVM is writing one: this run starts without
    return cache / f"{final.name}.{os.getpid()}", False


def _being_written(tmp: Path) -> bool:
    """Whether a JVM that writes the class archive ``tmp`` at exit may still be alive."""
    import time

    proc = Path("/proc")
    if not proc.is_dir():  # no process table to read: trust the file's age
        return time.time() - tmp.stat().st_mtime < _ARCHIVE_SETTLE
    needle = str(tmp).encode()
    for cmdline in proc.glob("[0-9]*/cmdline"):
        try:
            if needle in cmdline.read_bytes():
                return True
        except OSError:
            continue
    return False


# -- per-partition stages (run on executors) ------------------------------------------------------


def _read(item: tuple[int, str, str], max_chars: int, max_file_bytes: int) -> Iterator[tuple[tuple[int, int], Any]]:
    """Records of one input file keyed by (file index, record index), the local engine's order."""
    index, path, root = item
    for j, rec in enumerate(read_file(Path(path), Path(root), max_chars=max_chars, max_file_bytes=max_file_bytes)):
        if isinstance(rec, Article):
            rec.content_hash = rec.content_hash or content_hash(rec.text)
        yield (index, j), rec


def _bucket(content_hash: str, buckets: int) -> int:
    """The hash bucket of an article (by its content hash) among ``buckets``."""
    return int(content_hash[:15], 16) % buckets


def _corpus_pass(kv: tuple[tuple[str, Any], Iterable[Any]]) -> Iterator[tuple[str, Any]]:
    """Job 1's groups: an outlet's articles give its boilerplate fingerprints, ("b", fingerprint);
    a bucket's article lengths give its size, ("s", (bucket, characters))."""
    (kind, key), values = kv
    if kind == "o":
        for fp in find_boilerplate(values):
            yield "b", fp
    else:
        yield "s", (key, sum(values))


def balanced_tasks(sizes: dict[int, int], tasks: int) -> dict[int, int]:
    """Share buckets of the given sizes out to ``tasks`` tasks of about equal total size: largest
    bucket first, each to the least loaded task (LPT); tasks are numbered largest first, so Spark,
    which launches them in that order, leaves the smallest for the end. Returns bucket → task."""
    import heapq

    loads = [(0, t) for t in range(tasks)]
    owner: dict[int, int] = {}
    for bucket, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        load, task = heapq.heappop(loads)
        owner[bucket] = task
        heapq.heappush(loads, (load + size, task))
    rank = {task: r for r, (_, task) in enumerate(sorted(loads, key=lambda lt: (-lt[0], lt[1])))}
    return {bucket: rank[task] for bucket, task in owner.items()}


def _code_partition(index: int, articles: Iterable[Article], boilerplate: set[str], prefilter: str | None,
                    batch_size: int, bands: int, rows: int, out: str,
                    dictionaries: UserDictionaries | None = None) -> Iterator[tuple[tuple[str, Any], Any]]:
    """Drop boilerplate, code, and write the partition's articles (``articles/part-c<index>.parquet``);
    yields the records of the shuffle that follows: (("m", merge block), (Mention, source)) per
    mention and (("b", LSH band key), (mention id, article id, merge block)) per band of its sentence."""
    coding = engine(prefilter, dictionaries)
    batch: list[Article] = []
    done: list[Article] = []

    def flush() -> Iterator[tuple[tuple[str, Any], Any]]:
        sources = {a.article_id: a.source for a in batch}
        for m in coding.code_articles(batch):
            block = _block_key(m)
            yield ("m", block), (m, sources.get(m.article_id))
            for key in _band_keys(m.sentence, bands, rows):
                yield ("b", key), (m.mention_id, m.article_id, block)
        done.extend(batch)

    for article in articles:
        article, _ = drop_boilerplate(article, boilerplate)
        batch.append(article)
        if len(batch) >= min(batch_size, settings.PARSE_GROUP):
            yield from flush()
            batch = []
    if batch:
        yield from flush()
    if done:  # a retried task writes the same file again
        _write_table(out, "articles", done, f"part-c{index:05d}")


def _route(kv: tuple[tuple[str, Any], Iterable[Any]]) -> Iterator[tuple[str, tuple[str, Any]]]:
    """Second shuffle's records from one group of the first: a merge block's mentions pass on; an LSH
    bucket sends its articles to its members' blocks (:func:`_bucket_articles`)."""
    (kind, key), values = kv
    if kind == "m":
        for v in values:
            yield key, ("mention", v)
    else:
        yield from _bucket_articles(values)


def _band_keys(sentence: str, bands: int, rows: int) -> list[tuple[int, bytes]]:
    """LSH band keys of a sentence, as MinHashLSH buckets them (none for short sentences)."""
    sh = _shingles(sentence)
    if len(sh) < 4:
        return []
    hv = minhash(sh, RECYCLED_NUM_PERM).hashvalues
    return [(b, hv[b * rows : (b + 1) * rows].tobytes()) for b in range(bands)]


def _bucket_articles(members: Iterable[tuple[str, str, str]]) -> Iterator[tuple[str, tuple[str, Any]]]:
    """For one LSH bucket: (merge block, ("articles", (mention id, articles))) per member, where
    ``articles`` are the bucket's distinct articles (at most ``RECYCLED_MIN_ARTICLES`` of them are
    needed). A bucket of one article tells its members nothing, so it yields nothing."""
    members = list(members)
    need = settings.RECYCLED_MIN_ARTICLES
    articles: set[str] = set()
    for _, article_id, _ in members:
        articles.add(article_id)
        if len(articles) >= need:
            break
    if len(articles) < 2:
        return
    found = frozenset(articles)
    for mention_id, _, block in members:
        yield block, ("articles", (mention_id, found))


def _merge_block(items: Iterable[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    """Events of one merge block and its mentions with their event ids (merge.merge_mentions), after
    marking as background the mentions whose sentence recurs in ``RECYCLED_MIN_ARTICLES`` articles
    (the union of their LSH buckets' articles, as merge.recycled_sentences counts them); then
    ("recycled", n)."""
    mentions: list[Mention] = []
    sources: dict[str, str] = {}
    seen: dict[str, set[str]] = {}
    for kind, value in items:
        if kind == "mention":
            m, source = value
            mentions.append(m)
            if source:
                sources[m.article_id] = source
        else:
            mention_id, articles = value
            seen.setdefault(mention_id, set()).update(articles)
    need = settings.RECYCLED_MIN_ARTICLES
    recycled = 0
    for m in mentions:
        if len(seen.get(m.mention_id, set()) | {m.article_id}) >= need:
            m.is_background = True
            recycled += 1
    for e in merge_mentions(mentions, sources):
        yield "events", e
    for m in mentions:
        yield "mentions", m
    yield "recycled", recycled


def _write_partition(index: int, rows: Iterable[tuple[str, Any]], out: str) -> Iterator[tuple[str, int]]:
    """Write one partition's rows of each table as ``<out>/<table>/part-<index>.parquet``; yields
    (table, rows written) per table, and passes ("recycled", n) counts through."""
    tables: dict[str, list[Any]] = {}
    for table, r in rows:
        if table == "recycled":
            yield table, r
        else:
            tables.setdefault(table, []).append(r)
    for table, items in tables.items():
        _write_table(out, table, items, f"part-{index:05d}")
        yield table, len(items)


def _parquet_rows(out: str, table: str) -> int:
    """Rows in a table's Parquet files under ``out`` (from their footers)."""
    import pyarrow.dataset as ds

    try:
        return ds.dataset(f"{out.rstrip('/')}/{table}", format="parquet").count_rows()
    except FileNotFoundError:  # no file written
        return 0


def _write_table(out: str, table: str, items: Sequence[Any], name: str) -> None:
    """Write records of one table as ``<out>/<table>/<name>.parquet`` (local path or filesystem URI)."""
    import pyarrow.fs as pafs
    import pyarrow.parquet as pq

    if table == "boilerplate":
        dicts, columns = [{"fingerprint": f} for f in items], ["fingerprint"]
    else:
        dicts, columns = [r.to_dict() for r in items], EXPORT_COLUMNS[table]
    fs, base = pafs.FileSystem.from_uri(out) if "://" in out else (pafs.LocalFileSystem(), os.path.abspath(out))
    fs.create_dir(f"{base}/{table}", recursive=True)
    pq.write_table(_arrow(table, dicts, columns), f"{base}/{table}/{name}.parquet", filesystem=fs)


# -- driver -----------------------------------------------------------------------------------------
class SparkEngine:
    """Runs the pipeline on a Spark cluster (or ``local[N]``) and writes Parquet tables to ``out``."""

    def __init__(self, spark: Any = None, *, master: str | None = None, prefilter: str | None = "settings",
                 partitions: int | None = None, progress: bool = True,
                 dictionaries: UserDictionaries | None = None) -> None:
        """``spark``: a SparkContext or SparkSession to run on; else one is started (:func:`spark_context`).
        ``dictionaries``: a user's actors and places, sent to the executors with the coding job."""
        self.prefilter = settings.PREFILTER if prefilter == "settings" else prefilter
        self.dictionaries = dictionaries or UserDictionaries()
        # The executors' daemon preloads this mode's engine (spark_daemon.py; local mode inherits it).
        os.environ["EVENTCODER_PREFILTER"] = self.prefilter or "off"
        self.sc = getattr(spark, "sparkContext", spark) if spark is not None else spark_context(
            master, progress=progress)
        self.partitions = partitions

    def run(
        self, inputs: Sequence[str | Path], out: str | Path, *, batch_size: int = settings.BATCH_SIZE,
        max_article_chars: int = settings.MAX_ARTICLE_CHARS, max_file_bytes: int = settings.MAX_FILE_BYTES,
    ) -> SparkSummary:
        """Ingest, code, mark recycled text and merge; write every table as Parquet under ``out``."""
        from pyspark import StorageLevel

        sc = self.sc
        out = str(out)
        parts = self.partitions or sc.defaultParallelism
        files = [(i, str(f), str(root)) for i, (f, root) in enumerate(iter_input_files(inputs))]
        summary = SparkSummary(out=out, files=len(files))
        keep = StorageLevel.MEMORY_AND_DISK
        records = (sc.parallelize(files, max(1, min(len(files), parts)))
                   .flatMap(lambda it: _read(it, max_article_chars, max_file_bytes))
                   .persist(keep))
        all_articles = records.filter(lambda kv: isinstance(kv[1], Article))
        # Job 1, boilerplate over every article (duplicates included, as the local engine does), per
        # outlet; and the characters to code in each of many small hash buckets of the articles.
        # Only the fingerprints (to be broadcast) and the bucket sizes reach the driver.
        tasks = parts * CODING_TASKS_PER_PARTITION
        buckets = tasks * BUCKETS_PER_CODING_TASK
        found_sizes = (all_articles.values()
                       .flatMap(lambda a: ((("o", _outlet(a)), a),
                                           (("s", _bucket(a.content_hash, buckets)), len(a.text))))
                       .groupByKey(parts).flatMap(_corpus_pass).collect())
        boilerplate = {v for kind, v in found_sizes if kind == "b"}
        owner = balanced_tasks(dict(v for kind, v in found_sizes if kind == "s"), tasks)
        found = sc.broadcast(boilerplate)
        # Job 2, everything else. One article per content hash: the first in input order, as the
        # local engine keeps it. Coding gets several tasks per core, of about equal sizes (whole
        # buckets shared out by size), so no core idles at the end while another finishes a long
        # task; each task writes its articles' Parquet file.
        for table in TABLES:
            _clear(out, table)
        articles = (all_articles.map(lambda kv: (kv[1].content_hash, kv))
                    .reduceByKey(lambda a, b: a if a[0] <= b[0] else b, tasks,
                                 lambda h: owner.get(_bucket(h, buckets), 0))
                    .map(lambda kv: kv[1][1]))
        prefilter, dictionaries = self.prefilter, self.dictionaries
        bands, rows = RECYCLED_BANDS, RECYCLED_ROWS
        coded = articles.mapPartitionsWithIndex(
            lambda i, it: _code_partition(i, it, found.value, prefilter, batch_size, bands, rows, out, dictionaries))
        # Recycled text and merging, two shuffles: the first groups the mentions by merge block and
        # their sentences' band keys by MinHashLSH bucket; each bucket then sends its articles to
        # its members' blocks, where the second brings them together with the mentions, so each
        # block marks its recycled mentions and merges them (merge.mark_recycled, merge_mentions).
        merged = (coded.groupByKey(parts).flatMap(_route).groupByKey(parts)
                  .flatMap(lambda kv: _merge_block(kv[1])))
        tables = [
            merged,
            records.filter(lambda kv: isinstance(kv[1], Reject)).map(lambda kv: ("rejects", kv[1])),
            sc.parallelize([("boilerplate", f) for f in sorted(boilerplate)], 1),
        ]
        writers = [rdd.mapPartitionsWithIndex(lambda i, it: _write_partition(i, it, out)) for rdd in tables]
        for table, n in sc.union(writers).collect():
            summary.counts[table] = summary.counts.get(table, 0) + n
        summary.counts["articles"] = _parquet_rows(out, "articles")
        for table in TABLES:
            if not summary.counts.get(table):  # no rows anywhere: an empty file keeps the table's schema
                _write_table(out, table, [], "part-00000")
                summary.counts[table] = 0
        summary.articles = summary.counts.get("articles", 0)
        summary.rejects = summary.counts.get("rejects", 0)
        summary.mentions = summary.counts.get("mentions", 0)
        summary.events = summary.counts.get("events", 0)
        summary.recycled_mentions = summary.counts.pop("recycled", 0)
        summary.boilerplate_paragraphs = len(boilerplate)
        records.unpersist()
        return summary


def _clear(out: str, table: str) -> None:
    """Remove an earlier run's files of a table (local output directories only)."""
    if "://" in out:
        return
    d = Path(out) / table
    for f in d.glob("part-*.parquet") if d.is_dir() else []:
        f.unlink()


# -- import into DuckDB -----------------------------------------------------------------------------
@dataclass(slots=True)
class ImportSummary:
    articles: int = 0
    mentions: int = 0
    rejects: int = 0
    events: int = 0
    remerged: bool = False


def import_parquet(directory: str | Path, store: Store) -> ImportSummary:
    """Load a Spark run's Parquet tables into a store.

    Articles already stored (same id) are kept; into an empty database the events are loaded as
    written, otherwise (or when there are analyst corrections to apply) every stored mention is
    merged again so new mentions join existing events. Either way the import is a run of the
    change log.
    """
    from eventcoder.errors import InputNotFound

    d = Path(directory)
    if not (d / "articles").is_dir():
        raise InputNotFound(f"no Spark output at {d}: expected {d}/articles/*.parquet")
    con = store.con
    had = con.execute("SELECT count(*) FROM mentions").fetchone()[0] > 0
    summary = ImportSummary()

    def glob(table: str) -> str:
        return str(d / table / "*.parquet").replace("'", "''")

    store.dirty = True
    with store.transaction():
        before = store.counts()
        con.execute(f"INSERT INTO articles BY NAME SELECT * FROM read_parquet('{glob('articles')}') "
                    "WHERE article_id NOT IN (SELECT article_id FROM articles)")
        con.execute(f"INSERT INTO mentions BY NAME SELECT * FROM read_parquet('{glob('mentions')}') "
                    "WHERE mention_id NOT IN (SELECT mention_id FROM mentions)")
        if (d / "boilerplate").is_dir():
            con.execute("INSERT OR IGNORE INTO boilerplate SELECT fingerprint "
                        f"FROM read_parquet('{glob('boilerplate')}')")
        if not had:
            con.execute(f"INSERT INTO events BY NAME SELECT * FROM read_parquet('{glob('events')}')")
        after = store.counts()
    summary.articles = after["articles"] - before["articles"]
    summary.mentions = after["mentions"] - before["mentions"]
    rejects = [Reject(path, record, reason) for path, record, reason in con.execute(
        f"SELECT path, record, reason FROM read_parquet('{glob('rejects')}')").fetchall()]
    store.write_batch([], [], rejects)
    summary.rejects = store.counts()["rejects"] - before["rejects"]
    from eventcoder.corrections import has_corrections, log_loaded

    if had or has_corrections(store):  # the analyst's corrections apply at a merge (corrections.py)
        from eventcoder.engines.local import LocalEngine

        summary.remerged = True
        summary.events = len(LocalEngine.merge(store, kind="import"))
    else:
        summary.events = after["events"]
        log_loaded(store, kind="import", articles_new=summary.articles, mentions_new=summary.mentions)
    return summary

