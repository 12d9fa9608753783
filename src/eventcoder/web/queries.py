"""Read-only queries behind the workbench and the ``series`` command.

Every function takes a DuckDB connection (or cursor) on an event database and returns typed
objects. Values are always bound as parameters; the only SQL built from input are column names
and keywords picked from fixed whitelists.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import duckdb

from eventcoder.errors import DatabaseError, EventcoderError
from eventcoder.models import Event, Mention
from eventcoder.store import EXPORT_COLUMNS, event_from_row, iso, mention_from_row

Freq = Literal["day", "week", "month", "quarter", "year"]
FREQS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")
#: Sort keys accepted by ``list_events`` (a leading '-' sorts descending) → SQL expression.
SORT_KEYS: dict[str, str] = {
    "date": "date", "goldstein": "goldstein", "n_mentions": "n_mentions", "n_articles": "n_articles",
    "event_type": "event_type", "confidence": "confidence", "quad_class": "quad_class",
}
MAX_PAGE = 500


class QueryError(EventcoderError):
    """A filter, sort key or frequency the workbench cannot use (the API answers 400)."""


class EventsDB:
    """An event database attached read-only, plus in-memory lookup tables of who takes part in each event.

    The lookup tables (``memory.event_actors``: event, country, name; ``memory.event_countries``)
    turn actor, dyad and pair queries into joins instead of scanning every event's actor lists. They
    stay valid for the connection's life: while it holds the file, no other process can write it.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if not Path(self.path).is_file():
            raise DatabaseError(f"no database at {self.path}: run `eventcoder run` first")
        self.con = duckdb.connect(":memory:")
        literal = "'" + self.path.replace("'", "''") + "'"  # ATTACH takes no parameters; a quoted literal
        try:
            self.con.execute(f"ATTACH {literal} AS events_db (READ_ONLY)")
            self.con.execute("USE events_db")
            self.con.execute(
                "CREATE TABLE memory.event_actors AS SELECT DISTINCT event_id, a.country AS country, a.name AS name, "
                "lower(a.name) AS lname FROM (SELECT event_id, unnest(source || target) AS a FROM events)"
            )
            self.con.execute(
                "CREATE TABLE memory.event_countries AS SELECT DISTINCT event_id, country FROM memory.event_actors "
                "WHERE country IS NOT NULL"
            )
        except duckdb.Error as exc:
            self.con.close()
            msg = str(exc).splitlines()[0]
            if "lock" in msg.lower():
                raise DatabaseError(f"database {self.path} is in use by another process (locked)") from None
            raise DatabaseError(f"cannot open database {self.path}: {msg}") from None

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one thread (DuckDB connections are not shared across threads) on the event tables."""
        cur = self.con.cursor()
        cur.execute("USE events_db")
        return cur

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> EventsDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def parse_dyad(text: str) -> tuple[str, str]:
    """'AZE:TUR', 'tur-aze' → ('AZE', 'TUR'): two distinct country codes, sorted."""
    codes = sorted({c.strip().upper() for c in text.replace("-", ":").split(":") if c.strip()})
    if len(codes) != 2:
        raise QueryError(f"a dyad is two different country codes such as AZE:TUR, got {text!r}")
    return codes[0], codes[1]


def _iso_date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name} must be YYYY-MM-DD, got {value!r}") from None


@dataclass
class EventFilter:
    """Which events to show; every field is optional and they combine with AND."""

    actor: str | None = None
    dyad: str | None = None
    event_type: str | None = None
    quad_class: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    place: str | None = None
    q: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The SQL WHERE clause (or '') over ``events`` and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.dyad:
            clauses.append("event_id IN (SELECT event_id FROM memory.event_countries WHERE country IN (?, ?) "
                           "GROUP BY event_id HAVING count(*) = 2)")
            params += list(parse_dyad(self.dyad))
        if self.actor:
            clauses.append("event_id IN (SELECT event_id FROM memory.event_actors WHERE country = ? OR lname = ?)")
            params += [self.actor.strip().upper(), self.actor.strip().lower()]
        if self.event_type:
            clauses.append("event_type = ?")
            params.append(self.event_type.strip().upper())
        if self.quad_class is not None:
            if self.quad_class not in (1, 2, 3, 4):
                raise QueryError(f"quad_class is 1 to 4, got {self.quad_class}")
            clauses.append("quad_class = ?")
            params.append(self.quad_class)
        start, end = _iso_date(self.date_from, "date_from"), _iso_date(self.date_to, "date_to")
        if start:
            clauses.append("coalesce(date_end, date) >= ?")
            params.append(start)
        if end:
            clauses.append("date <= ?")
            params.append(end)
        if self.place:
            clauses.append("(lower(location.name) = ? OR location.country = ?)")
            params += [self.place.strip().lower(), self.place.strip().upper()]
        if self.q:
            clauses.append("event_id IN (SELECT event_id FROM mentions WHERE contains(lower(sentence), ?))")
            params.append(self.q.strip().lower())
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def order_by(sort: str) -> str:
    """The ORDER BY clause for a sort key such as '-date' (raises QueryError on an unknown key)."""
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        raise QueryError(f"cannot sort by {key!r}; use one of {', '.join(SORT_KEYS)} (prefix '-' for descending)")
    direction = "DESC" if sort.startswith("-") else "ASC"
    return f" ORDER BY {SORT_KEYS[key]} {direction} NULLS LAST, event_id"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


# -- events ------------------------------------------------------------------------------------
@dataclass
class EventPage:
    """One page of a filtered, sorted event list and the size of the whole list."""

    total: int
    limit: int
    offset: int
    events: list[Event]


def list_events(
    con: duckdb.DuckDBPyConnection, flt: EventFilter, *, sort: str = "date", limit: int = 50, offset: int = 0
) -> EventPage:
    """A page of events matching ``flt``."""
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    where, params = flt.where()
    total = con.execute(f"SELECT count(*) FROM events{where}", params).fetchone()[0]
    order = order_by(sort)
    # sort the narrow rows and fetch whole ones for the page only (deep pages stay fast)
    rows = _rows(con, f"SELECT * FROM events WHERE event_id IN (SELECT event_id FROM events{where}{order} "
                      f"LIMIT ? OFFSET ?){order}", [*params, limit, offset])
    return EventPage(total=total, limit=limit, offset=offset, events=[event_from_row(r) for r in rows])


def iter_event_rows(con: duckdb.DuckDBPyConnection, flt: EventFilter, *, sort: str = "date") -> Iterator[dict]:
    """Every event matching ``flt`` as an export row (the ``events`` columns), in chunks."""
    where, params = flt.where()
    cur = con.execute(f"SELECT {', '.join(EXPORT_COLUMNS['events'])} FROM events{where}{order_by(sort)}", params)
    cols = [d[0] for d in cur.description]
    while chunk := cur.fetchmany(2000):
        for row in chunk:
            yield dict(zip(cols, row, strict=True))


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def jsonl_lines(rows: Iterator[dict]) -> Iterator[str]:
    """Rows as JSON lines."""
    for row in rows:
        yield json.dumps(_plain(row), ensure_ascii=False) + "\n"


def csv_lines(rows: Iterator[dict], columns: list[str]) -> Iterator[str]:
    """Rows as CSV lines (header first); lists and structs are JSON-encoded cells."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([
            json.dumps(_plain(row[c]), ensure_ascii=False) if isinstance(row[c], list | dict) else _plain(row[c])
            for c in columns
        ])
        if buf.tell() > 65536:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


# -- one event, one article ------------------------------------------------------------------
@dataclass
class Span:
    """A highlighted stretch of a text: [start, end) characters, and what it is."""

    start: int
    end: int
    kind: Literal["trigger", "actor", "sentence"]


@dataclass
class ArticleRef:
    """An article as cited by an event: enough to name and link it."""

    article_id: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None


@dataclass
class Evidence:
    """A mention with the spans of its sentence to highlight (trigger, actors)."""

    mention: Mention
    spans: list[Span]


@dataclass
class EventDetail:
    """An event, every sentence that reports it, and the articles they come from."""

    event: Event
    evidence: list[Evidence]
    articles: list[ArticleRef]


def sentence_spans(m: Mention) -> list[Span]:
    """Non-overlapping spans of the trigger and the actors' words in the mention's sentence."""
    spans: list[Span] = []
    start = m.trigger_start - m.char_start if m.trigger_start is not None and m.trigger_start >= 0 else -1
    if 0 <= start < len(m.sentence) and m.trigger:
        spans.append(Span(start, min(len(m.sentence), start + len(m.trigger)), "trigger"))
    for actor in sorted({a.text for a in m.source + m.target if a.text}, key=len, reverse=True):
        at = m.sentence.find(actor)
        while at >= 0:
            end = at + len(actor)
            if not any(s.start < end and at < s.end for s in spans):
                spans.append(Span(at, end, "actor"))
                break
            at = m.sentence.find(actor, at + 1)
    return sorted(spans, key=lambda s: s.start)


def _article_ref(r: dict[str, Any]) -> ArticleRef:
    return ArticleRef(r["article_id"], r["title"], iso(r["published"]), r["source"], r["url"])


def get_event(con: duckdb.DuckDBPyConnection, event_id: str) -> EventDetail | None:
    """The event with its evidence, or None when there is no such event."""
    rows = _rows(con, "SELECT * FROM events WHERE event_id = ?", [event_id])
    if not rows:
        return None
    mentions = [mention_from_row(r) for r in _rows(
        con,
        "SELECT m.* FROM mentions m LEFT JOIN articles a USING (article_id) WHERE m.event_id = ? "
        "ORDER BY m.is_background, a.published NULLS LAST, m.article_id, m.char_start",
        [event_id],
    )]
    articles = _rows(
        con,
        "SELECT article_id, title, published, source, url FROM articles WHERE article_id IN "
        "(SELECT article_id FROM mentions WHERE event_id = ?) ORDER BY published NULLS LAST, article_id",
        [event_id],
    )
    return EventDetail(
        event=event_from_row(rows[0]),
        evidence=[Evidence(m, sentence_spans(m)) for m in mentions],
        articles=[_article_ref(a) for a in articles],
    )


@dataclass
class ArticleMention:
    """A coded sentence of an article: where it is in the text and which event it reports."""

    mention_id: str
    event_id: str | None
    event_type: str
    char_start: int
    char_end: int
    is_background: bool


@dataclass
class ArticleDetail:
    """An article's metadata and text, and the sentences of it that were coded."""

    article: ArticleRef
    author: list[str]
    text: str
    mentions: list[ArticleMention]


def get_article(con: duckdb.DuckDBPyConnection, article_id: str) -> ArticleDetail | None:
    """The article with its coded sentences, or None when there is no such article."""
    rows = _rows(con, "SELECT * FROM articles WHERE article_id = ?", [article_id])
    if not rows:
        return None
    a = rows[0]
    ms = _rows(
        con,
        "SELECT mention_id, event_id, event_type, char_start, char_end, is_background FROM mentions "
        "WHERE article_id = ? ORDER BY char_start, mention_id",
        [article_id],
    )
    return ArticleDetail(
        article=_article_ref(a), author=list(a["author"] or []), text=a["text"] or "",
        mentions=[ArticleMention(**m) for m in ms],
    )


# -- aggregates --------------------------------------------------------------------------------
@dataclass
class DyadCount:
    """Two countries that appear together in events, how often, and how (mean Goldstein)."""

    dyad: str
    a: str
    b: str
    n_events: int
    goldstein_mean: float | None
    first: str | None
    last: str | None


def _pairs_cte(where: str) -> str:
    # each unordered pair of an event's countries once (a < b), with the event's date and Goldstein
    return (
        f"WITH e AS (SELECT event_id, date, goldstein FROM events{where}), "
        "p AS (SELECT e.event_id, e.date, e.goldstein, x.country AS a, y.country AS b FROM e "
        "JOIN memory.event_countries x USING (event_id) JOIN memory.event_countries y "
        "ON y.event_id = x.event_id AND x.country < y.country) "
    )


def dyads(con: duckdb.DuckDBPyConnection, flt: EventFilter | None = None, *, limit: int = 50) -> list[DyadCount]:
    """Country pairs by number of events in which both take part (either side)."""
    where, params = (flt or EventFilter()).where()
    rows = con.execute(
        _pairs_cte(where)
        + "SELECT a, b, count(*) AS n, avg(goldstein), min(date), max(date) FROM p GROUP BY a, b "
        "ORDER BY n DESC, a, b LIMIT ?",
        [*params, max(1, min(limit, 10_000))],
    ).fetchall()
    return [
        DyadCount(f"{a}:{b}", a, b, n, round(g, 3) if g is not None else None, iso(lo), iso(hi))
        for a, b, n, g, lo, hi in rows
    ]


@dataclass
class SeriesPoint:
    """Events of one period: counts per quad class and Goldstein mean and sum."""

    period: str
    n_events: int
    verbal_coop: int
    material_coop: int
    verbal_conflict: int
    material_conflict: int
    goldstein_mean: float | None
    goldstein_sum: float


SERIES_COLUMNS = [
    "period", "n_events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict",
    "goldstein_mean", "goldstein_sum",
]


def _next_period(d: date, freq: str) -> date:
    if freq == "day":
        return d + timedelta(days=1)
    if freq == "week":
        return d + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[freq]
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def series(
    con: duckdb.DuckDBPyConnection, flt: EventFilter | None = None, *, freq: str = "month"
) -> list[SeriesPoint]:
    """Event counts per quad class and Goldstein per period (empty periods included), dated events only.

    A period is labelled by its first day (weeks start on Monday). Both the API's ``/api/series``
    and ``eventcoder series`` call this.
    """
    if freq not in FREQS:
        raise QueryError(f"freq is one of {', '.join(FREQS)}, got {freq!r}")
    where, params = (flt or EventFilter()).where()
    where = (where + " AND" if where else " WHERE") + " date IS NOT NULL"
    rows = con.execute(
        f"SELECT CAST(date_trunc('{freq}', date) AS DATE) AS p, count(*), "
        "count(*) FILTER (quad_class = 1), count(*) FILTER (quad_class = 2), "
        "count(*) FILTER (quad_class = 3), count(*) FILTER (quad_class = 4), "
        f"avg(goldstein), coalesce(sum(goldstein), 0) FROM events{where} GROUP BY p ORDER BY p",
        params,
    ).fetchall()
    by_period = {r[0]: r for r in rows}
    points: list[SeriesPoint] = []
    if not rows:
        return points
    period, last = rows[0][0], rows[-1][0]
    while period <= last:
        r = by_period.get(period)
        if r:
            points.append(SeriesPoint(period.isoformat(), r[1], r[2], r[3], r[4], r[5],
                                      round(r[6], 3) if r[6] is not None else None, round(r[7], 3)))
        else:
            points.append(SeriesPoint(period.isoformat(), 0, 0, 0, 0, 0, None, 0.0))
        period = _next_period(period, freq)
    return points


@dataclass
class NetworkNode:
    """An actor country: its code, most common name, and number of events."""

    id: str
    name: str
    n_events: int


@dataclass
class NetworkEdge:
    """Two actor countries linked by the events they share (weight) and their mean Goldstein."""

    source: str
    target: str
    weight: int
    goldstein_mean: float | None


@dataclass
class Network:
    nodes: list[NetworkNode] = field(default_factory=list)
    edges: list[NetworkEdge] = field(default_factory=list)


def network(con: duckdb.DuckDBPyConnection, flt: EventFilter | None = None, *, max_edges: int = 200) -> Network:
    """The actor network: the heaviest ``max_edges`` country pairs and the countries they link."""
    edges = [NetworkEdge(d.a, d.b, d.n_events, d.goldstein_mean) for d in dyads(con, flt, limit=max_edges)]
    codes = sorted({e.source for e in edges} | {e.target for e in edges})
    if not codes:
        return Network()
    where, params = (flt or EventFilter()).where()
    rows = con.execute(
        f"SELECT a.country, mode(a.name), count(DISTINCT a.event_id) FROM memory.event_actors a "
        f"WHERE list_contains(?, a.country) AND a.event_id IN (SELECT event_id FROM events{where}) "
        "GROUP BY a.country ORDER BY a.country",
        [codes, *params],
    ).fetchall()
    return Network(nodes=[NetworkNode(c, n or c, k) for c, n, k in rows], edges=edges)


@dataclass
class PlaceCount:
    """A geocoded place with its events: where to draw a point on the map."""

    name: str
    country: str | None
    lat: float
    lon: float
    precision: str | None
    n_events: int
    goldstein_mean: float | None


def places(con: duckdb.DuckDBPyConnection, flt: EventFilter | None = None, *, limit: int = 2000) -> list[PlaceCount]:
    """Places of the matching events, most events first."""
    where, params = (flt or EventFilter()).where()
    where = (where + " AND" if where else " WHERE") + " location.lat IS NOT NULL AND location.lon IS NOT NULL"
    rows = con.execute(
        "SELECT location.name, location.country, round(location.lat, 4) AS lat, round(location.lon, 4) AS lon, "
        f"any_value(location.precision), count(*) AS n, avg(goldstein) FROM events{where} "
        "GROUP BY 1, 2, 3, 4 ORDER BY n DESC, 1 LIMIT ?",
        [*params, max(1, min(limit, 20_000))],
    ).fetchall()
    return [PlaceCount(n, c, la, lo, p, k, round(g, 3) if g is not None else None) for n, c, la, lo, p, k, g in rows]


@dataclass
class TypeCount:
    event_type: str
    quad_class: int | None
    n_events: int


@dataclass
class Overview:
    """Corpus statistics for the overview page."""

    n_articles: int
    n_mentions: int
    n_events: int
    n_rejects: int
    first_date: str | None
    last_date: str | None
    types: list[TypeCount]


def overview(con: duckdb.DuckDBPyConnection) -> Overview:
    """How big the database is, which years it spans and which event types it holds."""
    n = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "mentions", "events",
                                                                              "rejects")}
    lo, hi = con.execute("SELECT min(date), max(date) FROM events").fetchone()
    types = con.execute(
        "SELECT event_type, mode(quad_class), count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC, 1"
    ).fetchall()
    return Overview(n["articles"], n["mentions"], n["events"], n["rejects"], iso(lo), iso(hi),
                    [TypeCount(t, q, k) for t, q, k in types])


# -- review ------------------------------------------------------------------------------------
@dataclass
class ReviewItem:
    """An event waiting for review and the sentence that best shows it."""

    event: Event
    evidence: Evidence | None


@dataclass
class ReviewPage:
    """Events not yet reviewed, lowest confidence first."""

    total: int
    limit: int
    offset: int
    items: list[ReviewItem]


def _reviewed_sql(con: duckdb.DuckDBPyConnection) -> str:
    """SQL of the ids of events some applied correction shaped (none before corrections existed)."""
    try:
        con.execute("SELECT 1 FROM corrections LIMIT 0")
    except duckdb.CatalogException:
        return "SELECT NULL::VARCHAR AS event_id WHERE false"
    return "SELECT DISTINCT unnest(applied_to) AS event_id FROM corrections WHERE status IN ('applied', 'partial')"


def review_queue(con: duckdb.DuckDBPyConnection, *, limit: int = 50, offset: int = 0) -> ReviewPage:
    """Events no correction has touched yet, least confident first (then the fewest reports)."""
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    where = f" WHERE event_id NOT IN ({_reviewed_sql(con)})"
    total = con.execute(f"SELECT count(*) FROM events{where}").fetchone()[0]
    rows = _rows(con, f"SELECT * FROM events{where} ORDER BY confidence NULLS FIRST, n_mentions, event_id "
                      "LIMIT ? OFFSET ?", [limit, offset])
    events = [event_from_row(r) for r in rows]
    best: dict[str, Mention] = {}
    if events:
        for r in _rows(con, "SELECT * FROM mentions WHERE list_contains(?, event_id) "
                            "ORDER BY is_background, confidence DESC, char_start, mention_id",
                       [[e.event_id for e in events]]):
            best.setdefault(r["event_id"], mention_from_row(r))
    items = [ReviewItem(e, Evidence(best[e.event_id], sentence_spans(best[e.event_id])) if e.event_id in best
                        else None) for e in events]
    return ReviewPage(total=total, limit=limit, offset=offset, items=items)
