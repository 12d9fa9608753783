"""The analyst in the loop: corrections that survive re-runs, the change log, and gold from both.

Where corrections live, and why (docs/reliability.md, "Corrections"):

* A run never writes the published database ``DB`` in place, and DuckDB lets no other process write
  a file that a run or ``serve`` holds. So a correction is first written to a small journal next to
  the database, ``DB.corrections`` (SQLite: every append is one durable transaction), under a short
  lock of its own (``DB.corrections.lock``); concurrent edits, from the CLI or the workbench, are
  serialised by that lock and kept in the order they were made.
* Every run (and every ``correct``) re-merges the stored mentions and applies *all* corrections, the
  journal's and those the database already holds, in order (:func:`merge_and_review`, the review
  stage :mod:`eventcoder.pipeline.review`). It copies them into the database's ``corrections`` table
  with what became of each (applied, partial, stale), records itself in ``runs`` and what it changed
  in ``changes``, and publishes.
* ``eventcoder correct`` then tries the run lock for a moment: when it gets it, it publishes the
  correction at once (a short run: copy, merge, apply, publish); when a run holds it, the correction
  stays in the journal and that run applies it. The run reads the journal under the journal lock and
  keeps that lock until it has published and let go of the run lock, so a correction made while it
  writes is either read by it, or made after it released the run lock and then published by its
  writer: none waits for a later run. A killed run loses nothing: the journal is not the run's.
"""

from __future__ import annotations

import getpass
import json
import re
import secrets
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import duckdb
import pyarrow as pa

from eventcoder import settings
from eventcoder.errors import DatabaseError, EventcoderError
from eventcoder.models import Anchor, Change, Correction, Event, Mention
from eventcoder.pipeline.cameo import PLOVER_TYPES
from eventcoder.pipeline.merge import mark_recycled
from eventcoder.pipeline.review import (
    FIELD_KINDS,
    KINDS,
    actors_label,
    anchor_of,
    diff_events,
    field_value,
    place_label,
    review,
    valid_modes,
)
from eventcoder.store import DatabaseBusy, Store, event_from_row, mention_from_row, open_for_run
from eventcoder.util.locks import flock_within

#: Columns of ``eventcoder export corrections`` (the output contract).
CORRECTION_COLUMNS = [
    "correction_id", "created_at", "user", "kind", "scope", "event_id", "mention_ids", "old_value", "new_value",
    "note", "status", "applied_to", "checked_in", "anchors",
]
#: Columns of ``eventcoder export changes``.
CHANGE_COLUMNS = [
    "run_id", "run_kind", "finished_at", "seq", "kind", "event_id", "old_event_ids", "old_value", "new_value",
    "detail",
]


class CorrectionError(EventcoderError):
    """A correction that cannot be made: unknown event, type, actor code or place, bad date, …"""


class CorrectionConflict(CorrectionError):
    """The event changed since the analyst looked at it (the workbench answers 409)."""


def journal_path(db: str | Path) -> Path:
    """The corrections journal of a database: ``DB.corrections`` (SQLite)."""
    return Path(f"{db}.corrections")


def user_name() -> str:
    """The local user name (who made a correction)."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "unknown"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _is_file_db(db: str | Path) -> bool:
    return str(db) != ":memory:"


# -- the journal --------------------------------------------------------------------------------
class JournalLock:
    """An exclusive advisory lock on ``DB.corrections.lock`` (POSIX flock), held for moments."""

    def __init__(self, db: str | Path) -> None:
        self.path = Path(f"{db}.corrections.lock")
        self._fh: IO[str] | None = None

    def acquire(self, wait: float = settings.CORRECTION_JOURNAL_WAIT_SECONDS) -> JournalLock:
        try:
            import fcntl  # noqa: F401 - only to know whether flock exists here
        except ImportError:  # Windows: SQLite's own locking still serialises the appends
            return self
        try:
            fh = open(self.path, "a+")  # noqa: SIM115 - held until close()
        except OSError as exc:
            raise DatabaseError(f"cannot open {self.path}: {exc.strerror or exc}") from None
        if not flock_within(fh, wait, poll=0.05):
            fh.close()
            raise DatabaseError(f"the corrections journal of {str(self.path)[:-17]} stayed locked for "
                                f"{wait:g} s; try again")
        self._fh = fh
        return self

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> JournalLock:
        return self.acquire() if self._fh is None else self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Journal:
    """The append-only journal of corrections next to a database (``DB.corrections``, SQLite)."""

    def __init__(self, db: str | Path) -> None:
        self.path = journal_path(db)

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.execute("PRAGMA synchronous=FULL")
        con.execute("CREATE TABLE IF NOT EXISTS corrections (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                    "correction_id TEXT UNIQUE NOT NULL, created_at TEXT NOT NULL, record TEXT NOT NULL)")
        return con

    def read(self) -> list[Correction]:
        """Every correction in the journal, in order (none when there is no journal)."""
        if not self.path.exists():
            return []
        try:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            try:
                rows = con.execute("SELECT seq, record FROM corrections ORDER BY seq").fetchall()
            finally:
                con.close()
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot read the corrections journal {self.path}: {exc}") from None
        out = []
        for seq, record in rows:
            c = Correction.from_dict(json.loads(record))
            c.seq = seq
            out.append(c)
        return out

    def append(self, corrections: Sequence[Correction]) -> None:
        """Append corrections in one durable transaction (the caller holds the JournalLock)."""
        try:
            con = self._connect()
            try:
                con.execute("BEGIN IMMEDIATE")
                for c in corrections:
                    cur = con.execute("INSERT INTO corrections (correction_id, created_at, record) VALUES (?, ?, ?)",
                                      [c.correction_id, c.created_at, json.dumps(c.to_dict(), ensure_ascii=False)])
                    c.seq = int(cur.lastrowid or 0)
                con.execute("COMMIT")
            except BaseException:
                with suppress(sqlite3.Error):
                    con.execute("ROLLBACK")
                raise
            finally:
                con.close()
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot write the corrections journal {self.path}: {exc}") from None


# -- the database's copy ------------------------------------------------------------------------
_ANCHOR_PA = pa.struct([
    ("content_hash", pa.string()), ("article_id", pa.string()), ("sentence_index", pa.int32()),
    ("char_start", pa.int32()), ("char_end", pa.int32()), ("trigger_start", pa.int32()), ("trigger_end", pa.int32()),
    ("trigger", pa.string()), ("event_type", pa.string()), ("sentence", pa.string()), ("mention_id", pa.string()),
])
_CORRECTIONS_PA = pa.schema([
    ("correction_id", pa.string()), ("seq", pa.int32()), ("created_at", pa.string()), ("user_name", pa.string()),
    ("kind", pa.string()), ("scope", pa.string()), ("event_id", pa.string()), ("mention_ids", pa.list_(pa.string())),
    ("anchors", pa.list_(_ANCHOR_PA)), ("other_anchors", pa.list_(_ANCHOR_PA)), ("old_value", pa.string()),
    ("new_value", pa.string()), ("note", pa.string()), ("status", pa.string()), ("applied_to", pa.list_(pa.string())),
    ("checked_in", pa.string()),
])

_CHANGES_PA = pa.schema([
    ("kind", pa.string()), ("event_id", pa.string()), ("old_event_ids", pa.list_(pa.string())),
    ("old_value", pa.string()), ("new_value", pa.string()), ("detail", pa.string()), ("run_id", pa.string()),
    ("seq", pa.int32()),
])


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    try:
        con.execute(f"SELECT 1 FROM {table} LIMIT 0")
    except duckdb.CatalogException:
        return False
    return True


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else None


def stored_corrections(con: duckdb.DuckDBPyConnection) -> list[Correction]:
    """The corrections a database holds (as its last run left them); none in a database made
    before corrections existed."""
    if not _has_table(con, "corrections"):
        return []
    out = []
    for r in _rows(con, "SELECT * FROM corrections ORDER BY created_at, seq, correction_id"):
        out.append(Correction(
            correction_id=r["correction_id"], kind=r["kind"], scope=r["scope"], event_id=r["event_id"],
            anchors=[Anchor.from_dict(a) for a in r["anchors"] or []], old_value=_loads(r["old_value"]),
            new_value=_loads(r["new_value"]), note=r["note"], user=r["user_name"], created_at=r["created_at"] or "",
            other_anchors=[Anchor.from_dict(a) for a in r["other_anchors"] or []], seq=r["seq"] or 0,
            status=r["status"] or "pending", applied_to=list(r["applied_to"] or []),
        ))
    return out


def all_corrections(con: duckdb.DuckDBPyConnection, db: str | Path) -> list[Correction]:
    """The database's corrections and the journal's (those no run has seen yet are ``pending``), in order."""
    merged = {c.correction_id: c for c in stored_corrections(con)}
    if _is_file_db(db):
        for c in Journal(db).read():
            if c.correction_id in merged:
                merged[c.correction_id].seq = c.seq
            else:
                merged[c.correction_id] = c
    return sorted(merged.values(), key=lambda c: (c.created_at, c.seq, c.correction_id))


def _write_corrections(store: Store, corrections: Sequence[Correction], run_id: str) -> None:
    rows = [{
        "correction_id": c.correction_id, "seq": c.seq, "created_at": c.created_at, "user_name": c.user,
        "kind": c.kind, "scope": c.scope, "event_id": c.event_id, "mention_ids": [a.mention_id for a in c.anchors],
        "anchors": [a.to_dict() for a in c.anchors], "other_anchors": [a.to_dict() for a in c.other_anchors],
        "old_value": json.dumps(c.old_value, ensure_ascii=False),
        "new_value": json.dumps(c.new_value, ensure_ascii=False),
        "note": c.note, "status": c.status, "applied_to": list(c.applied_to), "checked_in": run_id,
    } for c in corrections]
    store.con.execute("DELETE FROM corrections")
    if rows:
        store.con.register("_corr", pa.Table.from_pylist(rows, schema=_CORRECTIONS_PA))
        store.con.execute("INSERT INTO corrections BY NAME SELECT * FROM _corr")
        store.con.unregister("_corr")


# -- every run: merge, apply, log ---------------------------------------------------------------
@dataclass(slots=True)
class ReviewReport:
    """What the merge-and-review step of a run did."""

    run_id: str
    events: list[Event]
    mentions_total: int
    recycled: int
    corrections: list[Correction]
    changes: list[Change]

    @property
    def not_applied(self) -> list[Correction]:
        """Stale and partial corrections: some or all of their mentions are gone."""
        return [c for c in self.corrections if c.status in ("stale", "partial")]

    @property
    def applied(self) -> int:
        return sum(c.status == "applied" for c in self.corrections)

    def change_counts(self) -> dict[str, int]:
        return dict(Counter(c.kind for c in self.changes).most_common())


def merge_and_review(store: Store, *, kind: str = "run", articles_new: int = 0, mentions_new: int = 0) -> ReviewReport:
    """Re-merge every stored mention into events, apply every correction, and record the run and
    what it changed (the last step of ``run``, ``import`` and ``correct``; see the module docstring).

    For a database file the journal is read under its lock, which the store holds until it is
    released (after publishing, for a store of :func:`~eventcoder.store.open_for_run`).
    """
    started = datetime.now(UTC)
    before = [event_from_row(r) for r in store.query("SELECT * FROM events")]
    mentions = store.load_mentions()
    recycled = mark_recycled(mentions)
    if _is_file_db(store.path) and not any(isinstance(h, JournalLock) for h in store.held):
        store.hold(JournalLock(store.path).acquire())
    corrections = all_corrections(store.con, store.path)
    hashes = dict(store.con.execute("SELECT article_id, content_hash FROM articles").fetchall())
    result = review(mentions, corrections, hashes, store.article_sources())
    for c in corrections:
        out = result.outcomes[c.correction_id]
        c.status, c.applied_to = out.status, out.applied_to
    changes = diff_events(before, result.events, result.touched, result.rejected)
    store.replace_events(result.events, result.mentions)
    run_id = _record_run(store, kind, started, len(before), result.events, corrections, changes,
                         articles_new=articles_new, mentions_new=mentions_new)
    return ReviewReport(run_id, result.events, len(mentions), recycled, corrections, changes)


def _record_run(store: Store, kind: str, started: datetime, n_before: int, events: Sequence[Event],
                corrections: Sequence[Correction], changes: Sequence[Change], *, articles_new: int = 0,
                mentions_new: int = 0) -> str:
    """Write the run, its changes and the corrections' outcomes in one transaction; the run's id."""
    run_no = store.con.execute("SELECT coalesce(max(run_no), 0) + 1 FROM runs").fetchone()[0]
    run_id = f"r{run_no}"
    for ch in changes:
        ch.run_id = run_id
    store.dirty = True
    with store.transaction():
        _write_corrections(store, corrections, run_id)
        store.con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, run_no, kind, started.replace(tzinfo=None), datetime.now(UTC).replace(tzinfo=None), user_name(),
             articles_new, mentions_new, n_before, len(events),
             sum(c.status == "applied" for c in corrections),
             sum(c.status in ("stale", "partial") for c in corrections), len(changes)])
        if changes:  # one Arrow insert: a first run logs every event as created
            store.con.register("_changes", pa.Table.from_pylist([c.to_dict() for c in changes], schema=_CHANGES_PA))
            store.con.execute("INSERT INTO changes BY NAME SELECT * FROM _changes")
            store.con.unregister("_changes")
    return run_id


def has_corrections(store: Store) -> bool:
    """Whether the database or its journal holds any correction."""
    return bool(stored_corrections(store.con)) or (_is_file_db(store.path) and bool(Journal(store.path).read()))


def log_loaded(store: Store, *, kind: str = "import", articles_new: int = 0, mentions_new: int = 0) -> str:
    """Record a run that loaded events as written elsewhere (``import`` of a Spark run into an empty
    database): every event is *created*. Returns the run id."""
    events = [event_from_row(r) for r in store.query("SELECT * FROM events")]
    return _record_run(store, kind, datetime.now(UTC), 0, events, [], diff_events([], events),
                       articles_new=articles_new, mentions_new=mentions_new)


def publish(db: str | Path, *, wait: float = settings.CORRECTION_RUN_WAIT_SECONDS) -> ReviewReport | str:
    """Apply the journal's corrections to ``db`` now (a short run); the reason as a string when a
    run holds the database (that run applies them) or an interrupted run's working copy waits."""
    try:
        with open_for_run(db, wait=wait, resume=False) as store:
            report = merge_and_review(store, kind="correct")
    except DatabaseBusy as exc:
        return str(exc)
    return report


# -- making a correction ------------------------------------------------------------------------
@dataclass(slots=True)
class Edits:
    """What an analyst asks to change (raw values, as typed)."""

    event_type: str | None = None
    mode: str | None = None
    source: str | None = None
    target: str | None = None
    date: str | None = None
    place: str | None = None
    reject: bool = False
    confirm: bool = False
    merge: str | None = None
    split: str | None = None
    note: str | None = None
    #: Take back the correction whose id is the target (``eventcoder correct c_… --undo``).
    undo: bool = False

    def kinds(self) -> list[str]:
        given = {"reject": self.reject, "confirm": self.confirm, "type": self.event_type is not None,
                 "mode": self.mode is not None, "source": self.source is not None, "target": self.target is not None,
                 "date": self.date is not None, "place": self.place is not None, "merge": self.merge is not None,
                 "split": self.split is not None, "undo": self.undo}
        return [k for k in KINDS if given[k]]


_NONE_WORDS = ("", "none", "-", "null")


def parse_actors(spec: str) -> list[dict[str, Any]]:
    """'TUR', 'TUR:GOV, AZE MIL', 'UNO' → actor dicts; 'none' → []. Raises CorrectionError."""
    from eventcoder.pipeline.actors import ActorDictionary

    if spec.strip().lower() in _NONE_WORDS:
        return []
    d = ActorDictionary.default()
    orgs: dict[str, set[str]] = {}
    for g in d.igos.values():
        orgs.setdefault(g.code, set()).add(g.name)
    sectors = set(d.agents.values()) | {g.sector for g in d.igos.values() if g.sector}
    out = []
    for token in (t for t in re.split(r"\s*[,;]\s*", spec.strip()) if t):
        parts = [p for p in re.split(r"[:/\s]+", token.upper()) if p]
        code, sector = parts[0], (parts[1] if len(parts) > 1 else None)
        if sector is None and len(code) == 6 and code[:3] in d.countries and code[3:] in sectors:
            code, sector = code[:3], code[3:]
        if code in d.countries:
            name = d.countries[code].name
        elif code in orgs:
            names = orgs[code]
            name = next(iter(names)) if len(names) == 1 else code
        else:
            raise CorrectionError(f"unknown actor code {token!r}: give an ISO-3 country (TUR) or an organisation "
                                  "code (UNO, NAT), optionally with a sector (TUR:GOV)")
        if sector is not None and sector not in sectors:
            raise CorrectionError(f"unknown sector {sector!r} in {token!r}: one of {', '.join(sorted(sectors))}")
        out.append({"text": "", "name": name, "country": code, "sector": sector})
    return out


def parse_place(name: str, countries: Sequence[str]) -> dict[str, Any] | None:
    """A place name (or ISO-3 country code) → the gazetteer's place dict; 'none' → None."""
    from eventcoder.pipeline.places import Gazetteer

    if name.strip().lower() in _NONE_WORDS:
        return None
    gaz = Gazetteer.default()
    place = gaz.country(name.strip()) if len(name.strip()) == 3 and name.strip().isupper() else None
    place = place or gaz.lookup(name.strip(), list(countries)) or next(iter(gaz.candidates(name.strip())), None)
    if place is None:
        raise CorrectionError(f"unknown place {name!r}: not in the gazetteer (a city, region or country name)")
    return place.to_dict()


def _parse_date(value: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise CorrectionError(f"--date must be YYYY-MM-DD, got {value!r}") from None


def _event_mentions(con: duckdb.DuckDBPyConnection, event_id: str) -> list[tuple[Mention, str]]:
    rows = _rows(con, "SELECT m.*, a.content_hash AS _hash FROM mentions m LEFT JOIN articles a USING (article_id) "
                      "WHERE m.event_id = ? ORDER BY m.mention_id", [event_id])
    return [(mention_from_row(r), r["_hash"]) for r in rows]


def _undo(con: duckdb.DuckDBPyConnection, target_id: str, edits: Edits, user: str | None, db_name: str) -> Correction:
    """A correction that takes back ``target_id`` (another correction)."""
    earlier = {c.correction_id: c for c in all_corrections(con, db_name)}
    if target_id not in earlier:
        raise CorrectionError(f"no correction {target_id} for {db_name} to undo (see `eventcoder export corrections`)")
    c = earlier[target_id]
    if c.status == "undone":
        raise CorrectionError(f"correction {target_id} is undone already")
    return Correction("c_" + secrets.token_hex(6), "undo", c.scope, c.event_id, list(c.anchors),
                      describe(c), target_id, edits.note or None, user or user_name(), _now())


def whereabouts(con: duckdb.DuckDBPyConnection, event_id: str) -> str:
    """Where the change log says an event went (its id changes when it merges or loses its first report)."""
    if not _has_table(con, "changes"):
        return ""
    row = con.execute("SELECT c.kind, c.event_id, c.run_id, c.detail FROM changes c JOIN runs r USING (run_id) "
                      "WHERE list_contains(c.old_event_ids, ?) ORDER BY r.run_no DESC, c.seq LIMIT 1",
                      [event_id]).fetchone()
    if row is None:
        return ""
    kind, new_id, run_id, detail = row
    if new_id and new_id != event_id:
        return f": run {run_id} made it {new_id} ({kind}; eventcoder changes)"
    if kind in ("removed", "split"):
        return f": run {run_id} {'removed' if kind == 'removed' else 'split'} it ({detail or kind}; eventcoder changes)"
    return ""


def make_corrections(con: duckdb.DuckDBPyConnection, target_id: str, edits: Edits, *, user: str | None = None,
                     db_name: str = "the database") -> list[Correction]:
    """The corrections ``edits`` ask for on an event (or one mention) of the database ``con`` reads,
    with the values they replace. Raises CorrectionError for anything that cannot be made."""
    kinds = edits.kinds()
    if not kinds:
        raise CorrectionError("nothing to correct: give --type, --mode, --source, --target, --date, --place, "
                              "--reject, --confirm, --merge or --split")
    if edits.reject and len(kinds) > 1:
        raise CorrectionError("--reject cannot be combined with other changes")
    if edits.undo:
        if len(kinds) > 1:
            raise CorrectionError("--undo cannot be combined with other changes")
        return [_undo(con, target_id, edits, user, db_name)]
    rows = _rows(con, "SELECT * FROM events WHERE event_id = ?", [target_id])
    event = event_from_row(rows[0]) if rows else None
    if event is not None:
        scope, members = "event", _event_mentions(con, target_id)
        record: Mention | Event = event
    else:
        mrows = _rows(con, "SELECT m.*, a.content_hash AS _hash FROM mentions m LEFT JOIN articles a "
                           "USING (article_id) WHERE m.mention_id = ?", [target_id])
        if not mrows:
            raise CorrectionError(f"no event or mention {target_id} in {db_name}{whereabouts(con, target_id)}")
        scope, members = "mention", [(mention_from_row(mrows[0]), mrows[0]["_hash"])]
        record = members[0][0]
        bad = [k for k in kinds if k in ("merge", "split")]
        if bad:
            raise CorrectionError(f"--{bad[0]} takes an event id, and {target_id} is a mention")
    if not members:
        raise CorrectionError(f"event {target_id} has no mentions in {db_name}")
    anchors = [anchor_of(m, h) for m, h in members]
    countries = sorted({a.country for a in record.source + record.target if a.country})
    etype = record.event_type
    now, who = _now(), user or user_name()
    out: list[Correction] = []

    def add(kind: str, old: Any, new: Any, anchors_: list[Anchor] = anchors, other: Sequence[Anchor] = ()) -> None:
        cid = "c_" + secrets.token_hex(6)
        out.append(Correction(cid, kind, scope, record.event_id, list(anchors_), old, new, edits.note or None,
                              who, now, list(other)))

    for kind in kinds:
        if kind == "reject":
            add("reject", f"{record.event_type} {field_value(record, 'date') or 'undated'}", "not an event")
        elif kind == "confirm":
            add("confirm", None, {"type": record.event_type, "mode": record.mode})
        elif kind == "type":
            value = (edits.event_type or "").strip().upper()
            if value not in PLOVER_TYPES:
                raise CorrectionError(f"unknown event type {edits.event_type!r}: one of {', '.join(PLOVER_TYPES)}")
            add("type", record.event_type, value)
            etype = value
        elif kind == "mode":
            value = (edits.mode or "").strip().lower()
            if value in _NONE_WORDS:
                add("mode", record.mode, None)
            elif value not in valid_modes(etype):
                allowed = ", ".join(valid_modes(etype)) or "none"
                raise CorrectionError(f"unknown mode {edits.mode!r} for {etype}: one of {allowed}")
            else:
                add("mode", record.mode, value)
        elif kind in ("source", "target"):
            add(kind, field_value(record, kind), parse_actors(getattr(edits, kind)))
        elif kind == "date":
            add("date", field_value(record, "date"), _parse_date(edits.date or ""))
        elif kind == "place":
            add("place", field_value(record, "place"), parse_place(edits.place or "", countries))
        elif kind == "merge":
            other_id = (edits.merge or "").strip()
            if other_id == target_id:
                raise CorrectionError("--merge needs another event than the one corrected")
            if not _rows(con, "SELECT event_id FROM events WHERE event_id = ?", [other_id]):
                raise CorrectionError(f"no event {other_id} in {db_name} to merge with")
            other = [anchor_of(m, h) for m, h in _event_mentions(con, other_id)]
            add("merge", target_id, other_id, anchors, other)
        elif kind == "split":
            mid = (edits.split or "").strip()
            chosen = [a for a in anchors if a.mention_id == mid]
            if not chosen:
                raise CorrectionError(f"mention {mid} is not one of event {target_id}'s mentions")
            if len(anchors) < 2:
                raise CorrectionError(f"event {target_id} has only that mention: nothing to split")
            add("split", target_id, mid, chosen)
    return out


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _check_expected(corrections: Sequence[Correction], expect: dict[str, Any], earlier: Sequence[Correction]) -> None:
    """Refuse when the event shown to the analyst is no longer what the database holds: a field's
    value changed, or another correction of the same field of these mentions is not yet published."""
    for c in corrections:
        if c.kind in expect and not _same(expect[c.kind], c.old_value):
            raise CorrectionConflict(f"the event's {c.kind} is now {json.dumps(c.old_value, ensure_ascii=False)}, "
                                     "not what the page showed: reload it")
        keys = {(a.content_hash, a.trigger_start) for a in c.anchors}
        for e in earlier:
            same = e.kind == c.kind or "reject" in (e.kind, c.kind)
            if e.status == "pending" and e.kind != "undo" and same and keys & {
                    (a.content_hash, a.trigger_start) for a in e.anchors}:
                raise CorrectionConflict(f"another correction of this event ({e.correction_id}, {e.kind}) is not "
                                         "published yet: reload the page")


@dataclass(slots=True)
class CorrectResult:
    """The corrections made, and either the short run that published them or why it must wait."""

    corrections: list[Correction]
    report: ReviewReport | None = None
    pending_reason: str | None = None
    #: correction id → the events it shaped after publishing (empty for a rejected event).
    event_ids: dict[str, list[str]] = field(default_factory=dict)
    #: After publishing: the event that now holds most of the corrected event's (or mention's)
    #: reports, where a page should go next; None when none is left (rejected) or not yet published.
    follow: str | None = None


@contextmanager
def _published_con(db: str | Path, reader: Any = None) -> Iterator[duckdb.DuckDBPyConnection]:
    if reader is not None:  # the workbench's FollowingReader over its attached database
        with reader.reading() as events_db:
            cur = events_db.cursor()
            try:
                yield cur
            finally:
                cur.close()
        return
    with Store(db, read_only=True) as store:
        yield store.con


def correct(
    db: str | Path, target_id: str, edits: Edits, *, user: str | None = None, expect: dict[str, Any] | None = None,
    reader: Any = None, wait: float = settings.CORRECTION_RUN_WAIT_SECONDS,
    publisher: Callable[[str | Path], ReviewReport | str] | None = None,
) -> CorrectResult:
    """Record a correction of ``target_id`` (an event or a mention) in the journal and publish it.

    ``expect`` (kind → the value the analyst saw) turns a stale view into CorrectionConflict.
    ``reader`` is the workbench's FollowingReader (else the published file is opened read-only).
    """
    with _published_con(db, reader) as con:  # read the published state first, then lock the journal
        corrections = make_corrections(con, target_id, edits, user=user, db_name=str(db))
        row = con.execute("SELECT mention_ids FROM events WHERE event_id = ?", [target_id]).fetchone()
        members = set(row[0]) if row else {target_id}
        if edits.undo:
            members = {a.mention_id for a in corrections[0].anchors}
        with JournalLock(db):  # a correction published since `con` was opened is pending in its view
            if expect:
                _check_expected(corrections, expect, all_corrections(con, db))
            Journal(db).append(corrections)
    result = CorrectResult(corrections)
    outcome = (publisher or (lambda p: publish(p, wait=wait)))(db)
    if isinstance(outcome, str):
        result.pending_reason = outcome
        return result
    result.report = outcome
    status = {c.correction_id: c for c in outcome.corrections}
    for c in corrections:
        done = status.get(c.correction_id)
        if done is not None:
            c.status, c.applied_to = done.status, done.applied_to
        result.event_ids[c.correction_id] = list(c.applied_to)
    overlap = [(len(members & set(e.mention_ids)), e.event_id) for e in outcome.events]
    best = max(overlap, default=(0, None))
    result.follow = best[1] if best[0] else None
    return result


def describe(c: Correction) -> str:
    """One line for people: 'type CONSULT → ASSAULT'."""
    def show(v: Any) -> str:
        if c.kind in ("source", "target"):
            return actors_label(v or []) or "-"
        if c.kind == "place":
            return place_label(v) or "-"
        if isinstance(v, dict):
            return json.dumps(v, ensure_ascii=False)
        return "-" if v is None else str(v)

    if c.kind in ("reject", "confirm"):
        return c.kind
    if c.kind == "undo":
        return f"undo {c.new_value} ({c.old_value})"
    return f"{c.kind} {show(c.old_value)} → {show(c.new_value)}"


# -- exports --------------------------------------------------------------------------------------
def correction_rows(con: duckdb.DuckDBPyConnection, db: str | Path) -> list[dict[str, Any]]:
    """``export corrections`` rows: every correction with its status (pending when no run has seen it)."""
    runs = {c.correction_id: r for c, r in _checked_in(con)}
    out = []
    for c in all_corrections(con, db):
        out.append({
            "correction_id": c.correction_id, "created_at": c.created_at, "user": c.user, "kind": c.kind,
            "scope": c.scope, "event_id": c.event_id, "mention_ids": [a.mention_id for a in c.anchors],
            "old_value": c.old_value, "new_value": c.new_value, "note": c.note, "status": c.status,
            "applied_to": list(c.applied_to), "checked_in": runs.get(c.correction_id),
            "anchors": [a.to_dict() for a in c.anchors + c.other_anchors],
        })
    return out


def _checked_in(con: duckdb.DuckDBPyConnection) -> list[tuple[Correction, str]]:
    if not _has_table(con, "corrections"):
        return []
    ids = dict(con.execute("SELECT correction_id, checked_in FROM corrections").fetchall())
    return [(c, ids[c.correction_id]) for c in stored_corrections(con) if ids.get(c.correction_id)]


def gold_records(con: duckdb.DuckDBPyConnection, db: str | Path) -> list[dict[str, Any]]:
    """The analyst's judgements as sentence gold (``eventcoder evaluate --gold`` reads it; so does
    ``scripts/train_type_model.py --corrections``): one record per corrected sentence with its
    type (``NONE`` when rejected), mode and, where the analyst set them, source and target codes.

    Later corrections of a mention override earlier ones; merges, splits, dates and places are not
    judgements this format can hold and are left out.
    """
    per: dict[tuple[str, int], dict[str, Any]] = {}
    published = {}
    if _has_table(con, "articles"):
        published = {h: (a, p.isoformat() if p else None) for a, h, p in
                     con.execute("SELECT article_id, content_hash, published FROM articles").fetchall()}
    for c in all_corrections(con, db):
        if c.kind not in ("reject", "confirm", "type", "mode", "source", "target") or c.status == "undone":
            continue
        for a in c.anchors:
            key = (a.content_hash, a.trigger_start)
            rec = per.setdefault(key, {
                "id": f"{a.article_id}#{a.trigger_start}", "text": a.sentence,
                "date": published.get(a.content_hash, (None, None))[1], "type": a.event_type, "mode": None,
                "source": [], "target": [], "article_id": a.article_id, "trigger": a.trigger,
                "trigger_start": a.trigger_start, "corrections": []})
            rec["corrections"].append(c.correction_id)
            if c.kind == "reject":
                rec["type"], rec["mode"] = "NONE", None
            elif c.kind == "confirm":
                rec["type"], rec["mode"] = c.new_value.get("type"), c.new_value.get("mode")
            elif c.kind == "type":
                rec["type"] = c.new_value
            elif c.kind == "mode":
                rec["mode"] = c.new_value
            else:
                rec[c.kind] = sorted({x["country"] for x in c.new_value or [] if x.get("country")})
    return sorted(per.values(), key=lambda r: r["id"])


def change_rows(con: duckdb.DuckDBPyConnection, since: str | None = None) -> list[dict[str, Any]]:
    """``changes`` rows, oldest run first; ``since`` (a run id such as r3, or 3) keeps later runs only."""
    if not _has_table(con, "changes"):
        if since:
            raise CorrectionError("this database has no change log yet: re-run `eventcoder run` on it")
        return []
    after = 0
    if since:
        key = since.strip()
        row = con.execute("SELECT run_no FROM runs WHERE run_id = ? OR CAST(run_no AS VARCHAR) = ?",
                          [key, key.lstrip("r")]).fetchone()
        if row is None:
            last = [r for (r,) in con.execute("SELECT run_id FROM runs ORDER BY run_no DESC LIMIT 5").fetchall()]
            latest = f"; latest: {', '.join(last)}" if last else ""
            raise CorrectionError(f"no run {since!r} in this database{latest}")
        after = row[0]
    return _rows(con, "SELECT c.run_id, r.kind AS run_kind, r.finished_at, c.seq, c.kind, c.event_id, c.old_event_ids, "
                      "c.old_value, c.new_value, c.detail FROM changes c JOIN runs r USING (run_id) "
                      "WHERE r.run_no > ? ORDER BY r.run_no, c.seq", [after])


def run_rows(con: duckdb.DuckDBPyConnection, since: str | None = None) -> list[dict[str, Any]]:
    """The runs (newest last) after ``since`` with their counts."""
    if not _has_table(con, "runs"):
        return []
    after = 0
    if since:
        row = con.execute("SELECT run_no FROM runs WHERE run_id = ? OR CAST(run_no AS VARCHAR) = ?",
                          [since.strip(), since.strip().lstrip("r")]).fetchone()
        after = row[0] if row else 0
    return _rows(con, "SELECT * FROM runs WHERE run_no > ? ORDER BY run_no", [after])


__all__ = [
    "CHANGE_COLUMNS", "CORRECTION_COLUMNS", "FIELD_KINDS", "CorrectResult", "CorrectionConflict", "CorrectionError",
    "Edits", "Journal", "JournalLock", "ReviewReport", "all_corrections", "change_rows", "correct", "has_corrections",
    "log_loaded",
    "correction_rows", "describe", "gold_records", "journal_path", "make_corrections", "merge_and_review",
    "whereabouts",
    "parse_actors", "parse_place", "publish", "run_rows", "stored_corrections",
]
