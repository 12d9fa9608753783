"""The Spark engine: the same stage functions as the local engine, run as Spark jobs.

    files ─► read_file (flatMap) ─► dedupe by content hash ─► find_boilerplate per outlet (groupBy)
          ─► drop_boilerplate + nlp + code (mapPartitions, one model load per Python worker)
          ─► recycled text: MinHash LSH band keys (aggregateByKey per band, reduceByKey per mention)
          ─► merge_mentions per merge block (groupBy type family) ─► Parquet per table

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

from . import settings
from .boilerplate import _outlet, drop_boilerplate, find_boilerplate
from .errors import EventcoderError
from .ingest import content_hash, iter_input_files, read_file
from .merge import _block_key, _shingles, merge_mentions, minhash
from .models import Article, Mention, Reject
from .store import EXPORT_COLUMNS, Store, _arrow
from .workers import PARSE_GROUP

#: Output tables written under the output directory, one Parquet file per partition.
TABLES = ("articles", "mentions", "events", "rejects", "boilerplate")
#: MinHash parameters of recycled-text detection (those of merge.recycled_sentences).
RECYCLED_THRESHOLD = 0.6
RECYCLED_NUM_PERM = 64


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


def spark_session(master: str | None = None, app_name: str = "eventcoder", *, progress: bool = True) -> Any:
    """A SparkSession; ``master`` (e.g. ``local[2]``) only when not given by spark-submit;
    ``progress=False`` hides Spark's console progress bars (``run --quiet``)."""
    require_pyspark()
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (SparkSession.builder.appName(app_name).config("spark.ui.enabled", "false")
               .config("spark.log.level", "ERROR")
               # executors' Python workers fork from a daemon that has loaded the model (spark_daemon.py)
               .config("spark.python.daemon.module", "eventcoder.spark_daemon")
               .config("spark.ui.showConsoleProgress", "true" if progress else "false"))
    if master:
        builder = builder.master(master)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # JVM start failures come back as several exception types
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SparkNotAvailable(f"cannot start Spark (is Java 17 installed?): {first}") from None


# -- per-partition stages (run on executors) ------------------------------------------------------
_ENGINES: dict[str | None, Any] = {}


def _engine(prefilter: str | None) -> Any:
    """One LocalEngine (model + lexicons) per Python worker process."""
    if prefilter not in _ENGINES:
        from .engine import LocalEngine

        _ENGINES[prefilter] = LocalEngine(prefilter=prefilter)
    return _ENGINES[prefilter]


def _read(item: tuple[int, str, str], max_chars: int, max_file_bytes: int) -> Iterator[tuple[tuple[int, int], Any]]:
    """Records of one input file keyed by (file index, record index), the local engine's order."""
    index, path, root = item
    for j, rec in enumerate(read_file(Path(path), Path(root), max_chars=max_chars, max_file_bytes=max_file_bytes)):
        if isinstance(rec, Article):
            rec.content_hash = rec.content_hash or content_hash(rec.text)
        yield (index, j), rec


def _code_partition(articles: Iterable[Article], boilerplate: set[str], prefilter: str | None,
                    batch_size: int) -> Iterator[tuple[str, Any]]:
    """("article", Article) and ("mention", Mention) items of a partition: boilerplate drop, nlp, code."""
    engine = _engine(prefilter)
    batch: list[Article] = []

    def flush() -> Iterator[tuple[str, Any]]:
        for m in engine.code_articles(batch):
            yield "mention", m
        for a in batch:
            yield "article", a

    for article in articles:
        article, _ = drop_boilerplate(article, boilerplate)
        batch.append(article)
        if len(batch) >= min(batch_size, PARSE_GROUP):
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def _band_keys(m: Mention, bands: int, rows: int) -> list[tuple[tuple[int, bytes], tuple[str, str]]]:
    """LSH band keys of a mention's sentence, as MinHashLSH buckets them (none for short sentences)."""
    sh = _shingles(m.sentence)
    if len(sh) < 4:
        return []
    hv = minhash(sh, RECYCLED_NUM_PERM).hashvalues
    return [((b, hv[b * rows : (b + 1) * rows].tobytes()), (m.mention_id, m.article_id)) for b in range(bands)]


def _capped_add(acc: frozenset[str], article_id: str) -> frozenset[str]:
    need = settings.RECYCLED_MIN_ARTICLES
    return acc if len(acc) >= need or article_id in acc else acc | {article_id}


def _capped_union(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    need = settings.RECYCLED_MIN_ARTICLES
    return a if len(a) >= need else b if len(b) >= need else a | b


def _merge_block(items: Iterable[tuple[Mention, str | None]]) -> Iterator[tuple[str, Any]]:
    """Events of one merge block and its mentions with their event ids (merge.merge_mentions)."""
    mentions, sources = [], {}
    for m, source in items:
        mentions.append(m)
        if source:
            sources[m.article_id] = source
    for e in merge_mentions(mentions, sources):
        yield "event", e
    for m in mentions:
        yield "mention", m


def _write_partition(index: int, rows: Iterable[Any], out: str, table: str) -> Iterator[int]:
    """Write one partition of a table as ``<out>/<table>/part-<index>.parquet``; yields its row count."""
    import pyarrow.fs as pafs
    import pyarrow.parquet as pq

    dicts = [_row(table, r) for r in rows]
    columns = ["fingerprint"] if table == "boilerplate" else EXPORT_COLUMNS[table]
    tbl = _arrow(table, dicts, columns)
    fs, base = pafs.FileSystem.from_uri(out) if "://" in out else (pafs.LocalFileSystem(), os.path.abspath(out))
    fs.create_dir(f"{base}/{table}", recursive=True)
    pq.write_table(tbl, f"{base}/{table}/part-{index:05d}.parquet", filesystem=fs)
    yield len(dicts)


def _row(table: str, r: Any) -> dict[str, Any]:
    if table == "boilerplate":
        return {"fingerprint": r}
    return r.to_dict()


# -- driver -----------------------------------------------------------------------------------------
class SparkEngine:
    """Runs the pipeline on a Spark cluster (or ``local[N]``) and writes Parquet tables to ``out``."""

    def __init__(self, spark: Any = None, *, master: str | None = None, prefilter: str | None = "settings",
                 partitions: int | None = None, progress: bool = True) -> None:
        self.prefilter = settings.PREFILTER if prefilter == "settings" else prefilter
        # The executors' daemon preloads this mode's engine (spark_daemon.py; local mode inherits it).
        os.environ["EVENTCODER_PREFILTER"] = self.prefilter or "off"
        self.spark = spark or spark_session(master, progress=progress)
        self.partitions = partitions

    def run(
        self, inputs: Sequence[str | Path], out: str | Path, *, batch_size: int = settings.BATCH_SIZE,
        max_article_chars: int = settings.MAX_ARTICLE_CHARS, max_file_bytes: int = settings.MAX_FILE_BYTES,
    ) -> SparkSummary:
        """Ingest, code, mark recycled text and merge; write every table as Parquet under ``out``."""
        from pyspark import StorageLevel

        sc = self.spark.sparkContext
        out = str(out)
        parts = self.partitions or sc.defaultParallelism
        files = [(i, str(f), str(root)) for i, (f, root) in enumerate(iter_input_files(inputs))]
        summary = SparkSummary(out=out, files=len(files))
        keep = StorageLevel.MEMORY_AND_DISK
        records = (sc.parallelize(files, max(1, min(len(files), parts)))
                   .flatMap(lambda it: _read(it, max_article_chars, max_file_bytes))
                   .persist(keep))
        rejects = records.filter(lambda kv: isinstance(kv[1], Reject)).values()
        all_articles = records.filter(lambda kv: isinstance(kv[1], Article))
        # Boilerplate over every article (duplicates included, as the local engine does), per outlet.
        boilerplate = set(all_articles.values().map(lambda a: (_outlet(a), a)).groupByKey()
                          .flatMap(lambda kv: sorted(find_boilerplate(kv[1]))).distinct().collect())
        found = sc.broadcast(boilerplate)
        # One article per content hash: the first in input order, as the local engine keeps it.
        articles = (all_articles.map(lambda kv: (kv[1].content_hash, kv))
                    .reduceByKey(lambda a, b: a if a[0] <= b[0] else b, parts)
                    .map(lambda kv: kv[1][1]))
        prefilter = self.prefilter
        coded = articles.mapPartitions(
            lambda it: _code_partition(it, found.value, prefilter, batch_size)).persist(keep)
        stored_articles = coded.filter(lambda kv: kv[0] == "article").values()
        mentions = coded.filter(lambda kv: kv[0] == "mention").values().map(lambda m: (m.mention_id, m))

        # Recycled text: the buckets of MinHashLSH, as Spark keys. Every shuffle keeps ``parts``
        # partitions (a join would otherwise add its parents' counts up, 2 -> 4 -> 6 -> 8 small tasks).
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=RECYCLED_THRESHOLD, num_perm=RECYCLED_NUM_PERM)
        bands, rows = lsh.b, lsh.r
        members = mentions.values().flatMap(lambda m: _band_keys(m, bands, rows)).persist(keep)
        bucket_articles = members.mapValues(lambda v: v[1]).aggregateByKey(frozenset(), _capped_add, _capped_union,
                                                                           parts)
        need = settings.RECYCLED_MIN_ARTICLES
        recycled = (members.mapValues(lambda v: v[0]).join(bucket_articles, parts).values()
                    .reduceByKey(_capped_union, parts).filter(lambda kv: len(kv[1]) >= need)
                    .mapValues(lambda _: True))

        n_recycled = sc.accumulator(0)

        def mark(kv: tuple[str, tuple[Mention, bool | None]]) -> Mention:
            m, is_recycled = kv[1]
            if is_recycled:
                m.is_background = True
                n_recycled.add(1)
            return m

        marked = mentions.leftOuterJoin(recycled, parts).map(mark)
        sources = stored_articles.map(lambda a: (a.article_id, a.source))
        merged = (marked.map(lambda m: (m.article_id, m)).join(sources, parts).values()
                  .map(lambda ms: (_block_key(ms[0]), ms)).groupByKey(parts)
                  .flatMap(lambda kv: _merge_block(kv[1])).persist(keep))
        outputs = {
            "articles": stored_articles,
            "rejects": rejects,
            "mentions": merged.filter(lambda kv: kv[0] == "mention").values(),
            "events": merged.filter(lambda kv: kv[0] == "event").values(),
            "boilerplate": sc.parallelize(sorted(boilerplate), 1),
        }
        for table, rdd in outputs.items():
            _clear(out, table)
            summary.counts[table] = sum(rdd.mapPartitionsWithIndex(
                lambda i, it, t=table: _write_partition(i, it, out, t)).collect())
        summary.articles = summary.counts["articles"]
        summary.rejects = summary.counts["rejects"]
        summary.mentions = summary.counts["mentions"]
        summary.events = summary.counts["events"]
        summary.boilerplate_paragraphs = len(boilerplate)
        summary.recycled_mentions = n_recycled.value  # `merged` is persisted: counted once
        for rdd in (records, coded, members, merged):
            rdd.unpersist()
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
    written, otherwise every stored mention is merged again so new mentions join existing events.
    """
    from .errors import InputNotFound

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
    if had:
        from .engine import LocalEngine

        summary.remerged = True
        summary.events = len(LocalEngine.merge(store))
    else:
        summary.events = after["events"]
    return summary

