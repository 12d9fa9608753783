"""The store stage: a DuckDB file with tables articles, mentions, events and rejects.

The schema is created by named migrations, each applied once in its own transaction and recorded
in ``schema_migrations``. Articles and their mentions are written one transaction per batch, so an
interrupted run leaves only whole articles behind; events are rebuilt from all mentions in one
transaction at the end of a run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, Generic, Protocol, TypeVar

import duckdb
import pyarrow as pa

from eventcoder.errors import DatabaseError
from eventcoder.models import Actor, Article, Event, Mention, Place, Reject
from eventcoder.util.locks import flock_within

#: The actor struct as the first migration created it (kept verbatim: migrations never change).
_ACTOR_SQL_0001 = "STRUCT(text VARCHAR, name VARCHAR, country VARCHAR, sector VARCHAR)"
#: The actor struct now: 0006 added the stable actor id (models.Actor.actor_id).
ACTOR_SQL = "STRUCT(text VARCHAR, name VARCHAR, country VARCHAR, sector VARCHAR, actor_id VARCHAR)"
#: A mention's stable identity (models.Anchor), as the corrections table keeps it.
ANCHOR_SQL = (
    "STRUCT(content_hash VARCHAR, article_id VARCHAR, sentence_index INTEGER, char_start INTEGER, "
    "char_end INTEGER, trigger_start INTEGER, trigger_end INTEGER, trigger VARCHAR, event_type VARCHAR, "
    "sentence VARCHAR, mention_id VARCHAR)"
)
#: The place struct as the first migration created it (kept verbatim: migrations never change).
_PLACE_SQL_0001 = (
    "STRUCT(name VARCHAR, country VARCHAR, admin1 VARCHAR, lat DOUBLE, lon DOUBLE, "
    "geonameid BIGINT, precision VARCHAR)"
)
#: The place struct now: 0004 added admin names and the GeoNames feature class and code.
PLACE_FIELDS = ("name", "country", "admin1", "lat", "lon", "geonameid", "precision", "admin1_name",
                "admin2_name", "feature_class", "feature_code")
PLACE_SQL = (
    "STRUCT(name VARCHAR, country VARCHAR, admin1 VARCHAR, lat DOUBLE, lon DOUBLE, geonameid BIGINT, "
    "precision VARCHAR, admin1_name VARCHAR, admin2_name VARCHAR, feature_class VARCHAR, feature_code VARCHAR)"
)


def _widen_actors(table: str) -> str:
    """SQL giving ``table``'s source and target actors the fields of ACTOR_SQL (actor_id NULL). A plain
    cast (DuckDB casts structs by field name): a lambda here could not be replayed from the WAL of
    an interrupted run without downloading an extension."""
    return "".join(f"ALTER TABLE {table} ALTER {column} TYPE {ACTOR_SQL}[];" for column in ("source", "target"))


def _widen_location(table: str) -> str:
    """SQL giving ``table.location`` the fields of PLACE_SQL, old values kept and new ones NULL."""
    fields = ", ".join(
        f"{f} := location.{f}" if f in ("name", "country", "admin1", "lat", "lon", "geonameid", "precision")
        else f"{f} := CAST(NULL AS VARCHAR)" for f in PLACE_FIELDS
    )
    return (f"ALTER TABLE {table} ALTER location TYPE {PLACE_SQL} USING "
            f"(CASE WHEN location IS NULL THEN NULL ELSE struct_pack({fields}) END);")


MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        f"""
        CREATE TABLE articles (
            article_id VARCHAR PRIMARY KEY, title VARCHAR, author VARCHAR[], published DATE,
            published_basis VARCHAR, source VARCHAR, url VARCHAR, text VARCHAR, n_chars INTEGER,
            content_hash VARCHAR, path VARCHAR);
        CREATE TABLE mentions (
            mention_id VARCHAR PRIMARY KEY, event_id VARCHAR, article_id VARCHAR, sentence VARCHAR,
            sentence_index INTEGER, char_start INTEGER, char_end INTEGER, trigger VARCHAR,
            trigger_start INTEGER, event_type VARCHAR, mode VARCHAR, source {_ACTOR_SQL_0001}[],
            target {_ACTOR_SQL_0001}[], date DATE, date_end DATE, date_precision VARCHAR, date_basis VARCHAR,
            location {_PLACE_SQL_0001}, is_background BOOLEAN, cameo_code VARCHAR, goldstein DOUBLE,
            quad_class INTEGER, confidence DOUBLE, rule VARCHAR);
        CREATE TABLE events (
            event_id VARCHAR PRIMARY KEY, event_type VARCHAR, mode VARCHAR, source {_ACTOR_SQL_0001}[],
            target {_ACTOR_SQL_0001}[], date DATE, date_end DATE, date_precision VARCHAR, date_basis VARCHAR,
            location {_PLACE_SQL_0001}, cameo_code VARCHAR, goldstein DOUBLE, quad_class INTEGER,
            confidence DOUBLE, n_articles INTEGER, n_sources INTEGER, n_mentions INTEGER,
            mention_ids VARCHAR[]);
        CREATE TABLE rejects (reject_id VARCHAR PRIMARY KEY, path VARCHAR, record VARCHAR, reason VARCHAR);
        CREATE INDEX mentions_article ON mentions (article_id);
        """,
    ),
    (
        "0002_boilerplate",
        "CREATE TABLE boilerplate (fingerprint VARCHAR PRIMARY KEY);",
    ),
    (
        "0003_alleged",
        "ALTER TABLE mentions ADD COLUMN alleged BOOLEAN DEFAULT false;"
        "ALTER TABLE events ADD COLUMN alleged BOOLEAN DEFAULT false;",
    ),
    (
        # Issue #18: article language, PLOVER context, fatalities, coder version and time, and
        # admin names / GeoNames feature class and code on places (docs/formats.md).
        "0004_interop_columns",
        "ALTER TABLE articles ADD COLUMN language VARCHAR;"
        "ALTER TABLE mentions ADD COLUMN context VARCHAR[];"
        "ALTER TABLE mentions ADD COLUMN killed INTEGER;"
        "ALTER TABLE mentions ADD COLUMN injured INTEGER;"
        "ALTER TABLE mentions ADD COLUMN coder_version VARCHAR;"
        "ALTER TABLE mentions ADD COLUMN coded_at TIMESTAMP;"
        "ALTER TABLE events ADD COLUMN context VARCHAR[];"
        "ALTER TABLE events ADD COLUMN killed INTEGER;"
        "ALTER TABLE events ADD COLUMN injured INTEGER;"
        # DuckDB alters no column of a table that has an index: drop it around the change.
        + "DROP INDEX mentions_article;" + _widen_location("mentions")
        + "CREATE INDEX mentions_article ON mentions (article_id);" + _widen_location("events"),
    ),
    (
        # Issue #19: the analyst's corrections (copied from the DB.corrections journal by every run,
        # with what became of each), the runs, and what each run changed (eventcoder/corrections.py).
        "0005_corrections",
        f"""
        CREATE TABLE corrections (
            correction_id VARCHAR PRIMARY KEY, seq INTEGER, created_at VARCHAR, user_name VARCHAR,
            kind VARCHAR, scope VARCHAR, event_id VARCHAR, mention_ids VARCHAR[], anchors {ANCHOR_SQL}[],
            other_anchors {ANCHOR_SQL}[], old_value VARCHAR, new_value VARCHAR, note VARCHAR, status VARCHAR,
            applied_to VARCHAR[], checked_in VARCHAR);
        CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY, run_no INTEGER, kind VARCHAR, started_at TIMESTAMP,
            finished_at TIMESTAMP, user_name VARCHAR, articles_new INTEGER, mentions_new INTEGER,
            events_before INTEGER, events_after INTEGER, corrections_applied INTEGER,
            corrections_stale INTEGER, n_changes INTEGER);
        CREATE TABLE changes (
            run_id VARCHAR, seq INTEGER, kind VARCHAR, event_id VARCHAR, old_event_ids VARCHAR[],
            old_value VARCHAR, new_value VARCHAR, detail VARCHAR, PRIMARY KEY (run_id, seq));
        """,
    ),
    (
        # Issue #18: every actor's stable id (models.Actor.actor_id); rows coded before have none.
        "0006_actor_ids",
        "DROP INDEX mentions_article;" + _widen_actors("mentions")
        + "CREATE INDEX mentions_article ON mentions (article_id);" + _widen_actors("events"),
    ),
]

#: Column order of each exported table (the output contract).
EXPORT_COLUMNS: dict[str, list[str]] = {
    "events": [
        "event_id", "event_type", "mode", "source", "target", "date", "date_end", "date_precision",
        "date_basis", "location", "cameo_code", "goldstein", "quad_class", "confidence", "n_articles",
        "n_sources", "n_mentions", "mention_ids", "alleged", "context", "killed", "injured",
    ],
    "mentions": [
        "mention_id", "event_id", "article_id", "sentence", "sentence_index", "char_start", "char_end",
        "trigger", "trigger_start", "event_type", "mode", "source", "target", "date", "date_end",
        "date_precision", "date_basis", "location", "is_background", "cameo_code", "goldstein",
        "quad_class", "confidence", "rule", "alleged", "context", "killed", "injured", "coder_version", "coded_at",
    ],
    "articles": [
        "article_id", "title", "author", "published", "published_basis", "source", "url", "text", "n_chars",
        "content_hash", "path", "language",
    ],
    "rejects": ["path", "record", "reason"],
}

#: The dyadic table (`eventcoder export dyads`): one row per source-target pair of an event, flat
#: columns modelled on ICEWS and POLECAT (docs/formats.md maps each to ICEWS, POLECAT, GDELT and ACLED).
DYAD_COLUMNS = [
    "event_id", "event_date", "event_date_end", "date_precision", "source_name", "source_country",
    "source_sector", "event_type", "mode", "cameo_code", "goldstein", "quad_class", "target_name",
    "target_country", "target_sector", "story_ids", "sentences", "publishers", "place_name", "admin1",
    "admin1_code", "admin2", "place_country", "latitude", "longitude", "feature_class", "feature_code",
    "place_precision", "context", "killed", "injured", "confidence", "alleged", "n_mentions", "n_articles",
]
DYADS_SQL = """
WITH per_event AS (
    SELECT m.event_id,
           list(DISTINCT m.article_id ORDER BY m.article_id) AS story_ids,
           list(DISTINCT m.article_id || ':' || m.sentence_index ORDER BY m.article_id || ':' || m.sentence_index)
               AS sentences,
           list(DISTINCT a.source ORDER BY a.source) FILTER (WHERE a.source IS NOT NULL) AS publishers
    FROM mentions m JOIN articles a USING (article_id)
    GROUP BY m.event_id)
SELECT e.event_id, e.date AS event_date, e.date_end AS event_date_end, e.date_precision,
       src.a.name AS source_name, src.a.country AS source_country, src.a.sector AS source_sector,
       e.event_type, e.mode, e.cameo_code, e.goldstein, e.quad_class,
       tgt.a.name AS target_name, tgt.a.country AS target_country, tgt.a.sector AS target_sector,
       p.story_ids, p.sentences, coalesce(p.publishers, []) AS publishers,
       e.location.name AS place_name, e.location.admin1_name AS admin1, e.location.admin1 AS admin1_code,
       e.location.admin2_name AS admin2, e.location.country AS place_country, e.location.lat AS latitude,
       e.location.lon AS longitude, e.location.feature_class AS feature_class,
       e.location.feature_code AS feature_code,
       e.location.precision AS place_precision, coalesce(e.context, []) AS context, e.killed, e.injured,
       e.confidence, e.alleged, e.n_mentions, e.n_articles
FROM events e
CROSS JOIN LATERAL (SELECT unnest(CASE WHEN len(e.source) = 0 THEN [NULL] ELSE e.source END) AS a) src
CROSS JOIN LATERAL (SELECT unnest(CASE WHEN len(e.target) = 0 THEN [NULL] ELSE e.target END) AS a) tgt
LEFT JOIN per_event p USING (event_id)
ORDER BY e.date, e.event_id, source_name, target_name
"""

_ACTOR_PA = pa.struct([("text", pa.string()), ("name", pa.string()), ("country", pa.string()),
                       ("sector", pa.string()), ("actor_id", pa.string())])
_PLACE_PA = pa.struct([("name", pa.string()), ("country", pa.string()), ("admin1", pa.string()),
                       ("lat", pa.float64()), ("lon", pa.float64()), ("geonameid", pa.int64()),
                       ("precision", pa.string()), ("admin1_name", pa.string()), ("admin2_name", pa.string()),
                       ("feature_class", pa.string()), ("feature_code", pa.string())])
_PA_TYPES: dict[str, pa.DataType] = {
    "author": pa.list_(pa.string()), "published": pa.date32(), "date": pa.date32(), "date_end": pa.date32(),
    "source_actors": pa.list_(_ACTOR_PA), "location": _PLACE_PA, "mention_ids": pa.list_(pa.string()),
    "n_chars": pa.int32(), "sentence_index": pa.int32(), "char_start": pa.int32(), "char_end": pa.int32(),
    "trigger_start": pa.int32(), "quad_class": pa.int32(), "n_articles": pa.int32(), "n_sources": pa.int32(),
    "n_mentions": pa.int32(), "goldstein": pa.float64(), "confidence": pa.float64(),
    "is_background": pa.bool_(), "alleged": pa.bool_(), "context": pa.list_(pa.string()),
    "killed": pa.int32(), "injured": pa.int32(), "coded_at": pa.timestamp("us"),
}


def _pa_type(table: str, column: str) -> pa.DataType:
    if column in ("source", "target") and table in ("mentions", "events"):
        return pa.list_(_ACTOR_PA)
    return _PA_TYPES.get(column, pa.string())


def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _utc(value: str | None) -> datetime | None:
    """An ISO 8601 UTC timestamp ("...Z") as a naive datetime for a TIMESTAMP column (UTC by convention)."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)


def utc_iso(v: datetime | None) -> str | None:
    """A TIMESTAMP value (UTC) as an ISO 8601 string ending in Z (None stays None)."""
    return v.isoformat(timespec="seconds") + "Z" if v is not None else None


def _arrow(table: str, rows: list[dict[str, Any]], columns: list[str]) -> pa.Table:
    schema = pa.schema([(c, _pa_type(table, c)) for c in columns])
    for row in rows:
        for c in ("published", "date", "date_end"):
            if c in row and isinstance(row[c], str):
                row[c] = _iso(row[c])
        if isinstance(row.get("coded_at"), str):
            row["coded_at"] = _utc(row["coded_at"])
    return pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema=schema)


class Store:
    """A DuckDB event database. Use as a context manager; it closes the connection."""

    def __init__(self, path: str | Path = "eventcoder.duckdb", *, read_only: bool = False) -> None:
        self.path = str(path)
        #: True once this connection has committed a write (see :func:`open_for_run`).
        self.dirty = False
        #: Locks (or other handles) to release with the store: see :meth:`hold`.
        self.held: list[_Closable] = []
        self._release_on_close = True
        #: (inode, mtime, size) of the file when opened, to tell when a run has published a new one.
        self.identity = _file_identity(self.path)
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise DatabaseError(f"no database at {self.path}: run `eventcoder run` first")
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            msg = str(exc).splitlines()[0]
            if "lock" in msg.lower():
                raise DatabaseError(f"database {self.path} is in use by another eventcoder process") from None
            raise DatabaseError(f"cannot open database {self.path}: {msg}") from None
        except (OSError, duckdb.Error) as exc:
            raise DatabaseError(f"cannot open database {self.path}: {str(exc).splitlines()[0]}") from None
        if not read_only:
            self.migrate()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()
        if self._release_on_close:
            self.release_held()

    def hold(self, handle: _Closable) -> None:
        """Keep ``handle`` (a lock) until the store is released: closed, or for a run's store after
        it is published and the run lock released (the corrections journal relies on this order)."""
        self.held.append(handle)

    def release_held(self) -> None:
        while self.held:
            self.held.pop().close()

    # -- schema ---------------------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply pending named migrations, each in its own transaction; returns their names."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
        )
        done = {r[0] for r in self.con.execute("SELECT name FROM schema_migrations").fetchall()}
        applied = []
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            with self.transaction():
                self.con.execute(sql)
                self.con.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
            applied.append(name)
        return applied

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # -- writes ---------------------------------------------------------------------------------
    def known_hashes(self) -> dict[str, str]:
        """content_hash → article_id of every stored article (to skip re-ingested input)."""
        return dict(self.con.execute("SELECT content_hash, article_id FROM articles").fetchall())

    def write_batch(self, articles: Sequence[Article], mentions: Sequence[Mention], rejects: Sequence[Reject]) -> None:
        """Write a batch of articles with their mentions, and rejects, in one transaction.

        An article whose id is already stored with other content replaces it (and its mentions).
        """
        self.dirty = True
        with self.transaction():
            if articles:
                ids = [a.article_id for a in articles]
                self.con.execute("DELETE FROM mentions WHERE list_contains(?, article_id)", [ids])
                self.con.execute("DELETE FROM articles WHERE list_contains(?, article_id)", [ids])
                self._insert("articles", [a.to_dict() for a in articles])
            if mentions:
                self._insert("mentions", [m.to_dict() for m in mentions])
            if rejects:
                rows = [dict(r.to_dict(), reject_id=_reject_id(r)) for r in rejects]
                tbl = _arrow("rejects", rows, ["reject_id", "path", "record", "reason"])
                self.con.register("_rej", tbl)
                self.con.execute("INSERT OR IGNORE INTO rejects BY NAME SELECT * FROM _rej")
                self.con.unregister("_rej")

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        tbl = _arrow(table, rows, EXPORT_COLUMNS[table])
        self.con.register("_batch", tbl)
        self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _batch")
        self.con.unregister("_batch")

    def replace_events(self, events: Sequence[Event], mentions: Sequence[Mention]) -> None:
        """Replace the events table and the mentions' event ids and background flags atomically."""
        self.dirty = True
        with self.transaction():
            self.con.execute("DELETE FROM events")
            if events:
                self._insert("events", [e.to_dict() for e in events])
            if mentions:
                upd = pa.table({
                    "mention_id": [m.mention_id for m in mentions],
                    "event_id": [m.event_id for m in mentions],
                    "is_background": [m.is_background for m in mentions],
                })
                self.con.register("_upd", upd)
                self.con.execute(
                    "UPDATE mentions SET event_id = _upd.event_id, is_background = _upd.is_background "
                    "FROM _upd WHERE mentions.mention_id = _upd.mention_id"
                )
                self.con.unregister("_upd")

    def add_boilerplate(self, fingerprints: set[str]) -> None:
        """Remember site-boilerplate paragraph fingerprints, so later runs drop them too."""
        if fingerprints:
            with self.transaction():
                rows = [[f] for f in sorted(fingerprints)]
                self.con.executemany("INSERT OR IGNORE INTO boilerplate VALUES (?)", rows)

    # -- reads ----------------------------------------------------------------------------------
    def boilerplate(self) -> set[str]:
        """Fingerprints of the paragraphs earlier runs found to be site boilerplate."""
        return {r[0] for r in self.con.execute("SELECT fingerprint FROM boilerplate").fetchall()}

    def load_mentions(self) -> list[Mention]:
        rows = self.query(f"SELECT {', '.join(EXPORT_COLUMNS['mentions'])} FROM mentions ORDER BY mention_id")
        return [mention_from_row(r) for r in rows]

    def article_sources(self) -> dict[str, str]:
        return {a: s for a, s in self.con.execute("SELECT article_id, source FROM articles").fetchall() if s}

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a query as dicts (parameterised; never format values into ``sql``)."""
        cur = self.con.execute(sql, params or [])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """A query's result as an Arrow table (DuckDB 1.x and 2.x spell this differently)."""
        rel = self.con.sql(sql, params=params or None)
        fetch = getattr(rel, "to_arrow_table", None) or rel.arrow
        return fetch()

    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in EXPORT_COLUMNS}

    def is_stale(self) -> bool:
        """True when the file at ``path`` is no longer the one this store opened (a run published)."""
        return self.path != ":memory:" and _file_identity(self.path) != self.identity


# ------------------------------------------------------------------------------------------------
# Writing while others read: one run at a time, on a working copy published by atomic rename
# ------------------------------------------------------------------------------------------------
#
# DuckDB lets one process open a file read-write, or many processes open it read-only, never both.
# So a run never writes the published database ``X`` in place: it holds ``X.lock`` (an exclusive
# advisory lock, so a second run waits or stops with a clear message), writes ``X.wip`` (a copy of
# ``X``; one transaction per batch, so a killed run's committed batches are kept and the next run
# resumes from them), and at the end checkpoints, closes and renames ``X.wip`` over ``X``. Readers
# (export, timeline, serve) open ``X`` read-only and see the last published state; a long-lived
# reader reopens when :meth:`Store.is_stale` says a run has published (see :class:`FollowingReader`).


def wip_path(path: str | Path) -> Path:
    """The working copy a run writes before publishing it as ``path``."""
    return Path(f"{path}.wip")


def _wal(path: str | Path) -> Path:
    return Path(f"{path}.wal")


def _file_identity(path: str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def _fsync_path(path: Path, *, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return  # not every platform lets a directory be opened; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class DatabaseBusy(DatabaseError):
    """Another run holds the database (or, for ``open_for_run(resume=False)``, an interrupted run's
    working copy waits to be resumed by ``eventcoder run``)."""


class _RunLock:
    """An exclusive advisory lock on ``<db>.lock`` held for a whole run (POSIX flock)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.path = Path(f"{db}.lock")
        self._fh: IO[str] | None = None

    def acquire(self, wait: float) -> None:
        try:
            import fcntl  # noqa: F401 - only to know whether flock exists here
        except ImportError:  # Windows: DuckDB's own lock on the working copy still keeps runs apart
            return
        try:
            fh = open(self.path, "a+")  # noqa: SIM115 - held open for the whole run
        except OSError as exc:
            raise DatabaseError(f"cannot open database {self.db}: {exc.strerror or exc}") from None
        if not flock_within(fh, wait, poll=0.2):
            fh.seek(0)
            holder = fh.read().strip()
            fh.close()
            who = f" (pid {holder})" if holder.isdigit() else ""
            waited = f" after waiting {wait:g} s" if wait > 0 else ""
            raise DatabaseBusy(
                f"database {self.db} is in use by another eventcoder process{who}{waited}; "
                "let it finish or pass --wait SECONDS"
            )
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()  # closing the descriptor releases the flock
            self._fh = None


def _start_working_copy(db: Path, wip: Path) -> bool:
    """Make ``wip`` a copy of ``db`` (with its WAL) unless an interrupted run left one; True if new.

    The copy is made under a temporary name and renamed, so a kill mid-copy leaves no half file.
    """
    if wip.exists():
        return False
    for stale in (Path(f"{wip}.tmp"), Path(f"{wip}.tmp.wal"), _wal(wip)):
        stale.unlink(missing_ok=True)
    if db.exists():
        tmp = Path(f"{wip}.tmp")
        shutil.copyfile(db, tmp)
        if _wal(db).exists():
            shutil.copyfile(_wal(db), _wal(tmp))
            os.replace(_wal(tmp), _wal(wip))
        _fsync_path(tmp)
        os.replace(tmp, wip)
    return True


def _publish(wip: Path, db: Path) -> None:
    """Atomically replace ``db`` by the closed, checkpointed working copy."""
    if _wal(wip).exists():  # a clean close checkpoints and removes it; if not, replay it first
        duckdb.connect(str(wip)).close()
        if _wal(wip).exists():
            raise DatabaseError(f"cannot publish {wip}: its write-ahead log was not checkpointed")
    _fsync_path(wip)
    _wal(db).unlink(missing_ok=True)  # a WAL of the old file must not be replayed onto the new one
    os.replace(wip, db)
    _fsync_path(db.parent, directory=True)


@contextmanager
def open_for_run(path: str | Path, *, wait: float = 0.0, resume: bool = True) -> Iterator[Store]:
    """The store a run writes, published atomically as ``path`` when the block ends without error.

    Raises DatabaseError (DatabaseBusy) when another run holds the database for longer than ``wait``
    seconds. On an exception (or a kill) the working copy stays, with every committed batch, and the
    next run on the same database resumes from it; a working copy this call made and never wrote is
    removed. With ``resume=False`` (a short write such as a correction) an interrupted run's working
    copy is left for ``eventcoder run`` to finish, and DatabaseBusy is raised. What the store holds
    (:meth:`Store.hold`) is released after the run lock.
    """
    if str(path) == ":memory:":
        with Store(path) as store:
            yield store
        return
    db = Path(path)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot open database {db}: {exc.strerror or exc}") from None
    lock = _RunLock(str(db))
    lock.acquire(wait)
    store: Store | None = None
    try:
        wip = wip_path(db)
        if not resume and wip.exists():
            raise DatabaseBusy(f"an interrupted run left {wip}: `eventcoder run` on {db} finishes it first")
        try:
            fresh = _start_working_copy(db, wip)
        except OSError as exc:
            raise DatabaseError(f"cannot copy database {db} to {wip}: {exc.strerror or exc}") from None
        store = Store(wip)
        store.path = str(db)  # messages and summaries name the database, not the working copy
        store._release_on_close = False
        ok = False
        try:
            yield store
            store.con.execute("CHECKPOINT")
            ok = True
        finally:
            store.close()
            if ok:
                try:
                    _publish(wip, db)
                except OSError as exc:
                    raise DatabaseError(f"cannot publish {wip} as {db}: {exc.strerror or exc}") from None
            elif fresh and not store.dirty:
                wip.unlink(missing_ok=True)
                _wal(wip).unlink(missing_ok=True)
    finally:
        lock.release()
        if store is not None:
            store.release_held()


class _Closable(Protocol):
    def close(self) -> None: ...


R = TypeVar("R", bound=_Closable)


class FollowingReader(Generic[R]):
    """A read-only handle that follows a database across runs: reopened when a run has published.

    For long-lived readers such as ``serve``. Wrap each request in :meth:`reading` and use what it
    yields (a read-only :class:`Store` by default, or whatever ``opener`` makes of the path, e.g. the
    web app's attached database) only inside the block; never nest two blocks in one thread. When a
    run has published a new file, new requests wait until the requests in flight finish, the old
    handle is closed and the new file opened. (DuckDB keeps one database instance per file and
    process, so the new file is only seen once every connection to the old one is closed.)
    """

    def __init__(self, path: str | Path, *, opener: Callable[[str], R] | None = None,
                 check_interval: float = 0.5) -> None:
        self.path = str(path)
        self.check_interval = check_interval
        self._open: Callable[[str], R] = opener or (lambda p: Store(p, read_only=True))  # type: ignore[assignment,return-value]
        self._cond = threading.Condition()
        self._identity = _file_identity(self.path)
        self._handle: R | None = self._open(self.path)
        self._active = 0
        self._swapping = False
        self._closed = False
        self._checked = time.monotonic()

    @contextmanager
    def reading(self) -> Iterator[R]:
        """The handle on the last published database, for one request."""
        with self._cond:
            self._cond.wait_for(lambda: not self._swapping)
            if self._closed:
                raise DatabaseError(f"database {self.path} is closed")
            now = time.monotonic()
            if self._handle is None or now - self._checked >= self.check_interval:
                self._checked = now
                current = _file_identity(self.path)
                if self._handle is None or (current is not None and current != self._identity):
                    self._swapping = True  # requests arriving now wait for the swap
                    try:
                        self._cond.wait_for(lambda: self._active == 0)
                        if self._handle is not None:
                            self._handle.close()
                            self._handle = None
                        self._identity = _file_identity(self.path)
                        self._handle = self._open(self.path)  # on failure the next request tries again
                    finally:
                        self._swapping = False
                        self._cond.notify_all()
            handle = self._handle
            self._active += 1
        try:
            yield handle
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()

    def refresh(self) -> None:
        """Look for a newly published file at the next request (this process just published one)."""
        with self._cond:
            self._checked = float("-inf")

    def close(self) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._active == 0, timeout=30)
            self._closed = True
            if self._handle is not None:
                self._handle.close()
                self._handle = None


def iso(v: Any) -> str | None:
    """A DuckDB DATE value as an ISO string (None stays None)."""
    return v.isoformat() if v is not None else None


def _reject_id(r: Reject) -> str:
    return hashlib.sha1(f"{r.path}|{r.record}|{r.reason}".encode()).hexdigest()[:20]


def _actors(values: list[dict[str, Any]] | None) -> list[Actor]:
    return [Actor.from_dict(v) for v in values or []]


def mention_from_row(r: dict[str, Any]) -> Mention:
    """Rebuild a Mention from a database row."""
    return Mention(
        mention_id=r["mention_id"], article_id=r["article_id"], sentence=r["sentence"],
        char_start=r["char_start"], char_end=r["char_end"], trigger=r["trigger"],
        event_type=r["event_type"], mode=r["mode"], source=_actors(r["source"]), target=_actors(r["target"]),
        date=iso(r["date"]), date_end=iso(r["date_end"]), date_precision=r["date_precision"],
        date_basis=r["date_basis"], location=Place.from_dict(r["location"]),
        trigger_start=r["trigger_start"], is_background=bool(r["is_background"]),
        cameo_code=r["cameo_code"], goldstein=r["goldstein"], quad_class=r["quad_class"],
        confidence=r["confidence"], event_id=r["event_id"], sentence_index=r["sentence_index"], rule=r["rule"] or "",
        alleged=bool(r.get("alleged")), context=list(r.get("context") or []), killed=r.get("killed"),
        injured=r.get("injured"), coder_version=r.get("coder_version"), coded_at=utc_iso(r.get("coded_at")),
    )


def event_from_row(r: dict[str, Any]) -> Event:
    """Rebuild an Event from a database row."""
    return Event(
        event_id=r["event_id"], event_type=r["event_type"], mode=r["mode"],
        source=[Actor.from_dict(a) for a in r["source"] or []], target=[Actor.from_dict(a) for a in r["target"] or []],
        date=iso(r["date"]), date_end=iso(r["date_end"]), date_precision=r["date_precision"],
        date_basis=r["date_basis"], location=Place.from_dict(r["location"]), cameo_code=r["cameo_code"],
        goldstein=r["goldstein"], quad_class=r["quad_class"], confidence=r["confidence"],
        n_articles=r["n_articles"], n_mentions=r["n_mentions"], mention_ids=list(r["mention_ids"] or []),
        n_sources=r["n_sources"] or 0, alleged=bool(r.get("alleged")), context=list(r.get("context") or []),
        killed=r.get("killed"), injured=r.get("injured"),
    )
