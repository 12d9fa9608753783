"""The workbench app: a JSON API over a read-only event database, and the pages that use it.

Pages are static HTML whose scripts fetch the API and build the DOM with ``textContent`` only, so
article text is never interpreted as markup; a Content-Security-Policy allows scripts from this
server alone. Every asset (charts library, world basemap) ships in ``web/static``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from eventcoder import __version__
from eventcoder.store import EXPORT_COLUMNS, FollowingReader
from eventcoder.web import queries as q

WEB_DIR = Path(str(files("eventcoder") / "web"))
STATIC_DIR = WEB_DIR / "static"
PAGES_DIR = WEB_DIR / "pages"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class Download(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


def event_filter(
    actor: Annotated[str | None, Query(description="Country code or actor name, e.g. TUR or Recep Tayyip Erdogan")]
    = None,
    dyad: Annotated[str | None, Query(description="Two country codes that both take part, e.g. AZE:TUR")] = None,
    type: Annotated[str | None, Query(description="PLOVER event type, e.g. CONSULT")] = None,  # noqa: A002
    quad_class: Annotated[int | None, Query(ge=1, le=4, description="1 verbal coop … 4 material conflict")] = None,
    date_from: Annotated[str | None, Query(description="Events ending on or after YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(description="Events starting on or before YYYY-MM-DD")] = None,
    place: Annotated[str | None, Query(description="Place name or its country code")] = None,
    q_: Annotated[str | None, Query(alias="q", description="Text that a reporting sentence contains")] = None,
) -> q.EventFilter:
    """The event filter shared by every list endpoint."""
    return q.EventFilter(actor=actor or None, dyad=dyad or None, event_type=type or None, quad_class=quad_class,
                         date_from=date_from or None, date_to=date_to or None, place=place or None, q=q_ or None)


def request_cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of the last published database for one request (a connection is not shared across
    threads); a run that publishes a new database is picked up between requests."""
    with request.app.state.reader.reading() as events_db:
        cur = events_db.cursor()
        try:
            yield cur
        finally:
            cur.close()


Con = Annotated[duckdb.DuckDBPyConnection, Depends(request_cursor)]
Filter = Annotated[q.EventFilter, Depends(event_filter)]
Sort = Annotated[str, Query(description="date, goldstein, n_mentions, n_articles, event_type, confidence or "
                                        "quad_class; prefix '-' for descending")]


def create_app(db: str | Path, *, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The workbench over the database at ``db``, opened read-only (raises DatabaseError if absent)."""
    reader = FollowingReader(db, opener=q.EventsDB)
    app = FastAPI(
        title="eventcoder workbench",
        version=__version__,
        description="Read-only API over an eventcoder database: events, their evidence, dyads, series, network.",
        docs_url=None,  # FastAPI's docs pages load their scripts from a CDN; the schema stays at /openapi.json
        redoc_url=None,
    )
    app.state.reader = reader
    app.router.add_event_handler("shutdown", reader.close)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable):  # noqa: ANN202 - Starlette middleware
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(q.QueryError)
    async def bad_query(request: Request, exc: q.QueryError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    # -- API ------------------------------------------------------------------------------------
    @app.get("/api/overview", tags=["api"])
    def api_overview(con: Con) -> q.Overview:
        """Corpus counts, date range and event types."""
        return q.overview(con)

    @app.get("/api/events", tags=["api"])
    def api_events(
        con: Con, flt: Filter, sort: Sort = "date",
        limit: Annotated[int, Query(ge=1, le=q.MAX_PAGE)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
    ) -> q.EventPage:
        """A page of events matching the filters."""
        return q.list_events(con, flt, sort=sort, limit=limit, offset=offset)

    @app.get("/api/events.{fmt}", tags=["download"])
    def download_events(fmt: Download, flt: Filter, sort: Sort = "date") -> StreamingResponse:
        """Every event matching the filters as CSV or JSON lines (the `events` export columns)."""
        flt.where()  # a bad filter fails here, as a 400, not halfway through the stream
        q.order_by(sort)

        def rows() -> Iterator[dict]:
            # The stream outlives the request's dependencies, so it holds the database itself.
            with reader.reading() as events_db:
                cur = events_db.cursor()
                try:
                    yield from q.iter_event_rows(cur, flt, sort=sort)
                finally:
                    cur.close()

        return _download(fmt, "events", rows(), EXPORT_COLUMNS["events"])

    @app.get("/api/events/{event_id}", tags=["api"])
    def api_event(con: Con, event_id: str) -> q.EventDetail:
        """One event with every sentence that reports it (trigger and actor spans) and its articles."""
        detail = q.get_event(con, event_id)
        if detail is None:
            raise HTTPException(404, f"no event {event_id}")
        return detail

    @app.get("/api/articles/{article_id:path}", tags=["api"])
    def api_article(con: Con, article_id: str) -> q.ArticleDetail:
        """One article's text and metadata, with the offsets of its coded sentences."""
        detail = q.get_article(con, article_id)
        if detail is None:
            raise HTTPException(404, f"no article {article_id}")
        return detail

    @app.get("/api/dyads", tags=["api"])
    def api_dyads(con: Con, flt: Filter, limit: Annotated[int, Query(ge=1, le=10_000)] = 50) -> list[q.DyadCount]:
        """Country pairs with the number of matching events in which both take part."""
        return q.dyads(con, flt, limit=limit)

    @app.get("/api/dyads.{fmt}", tags=["download"])
    def download_dyads(con: Con, fmt: Download, flt: Filter,
                       limit: Annotated[int, Query(ge=1, le=10_000)] = 10_000) -> StreamingResponse:
        """The dyad list as CSV or JSON lines."""
        rows = (vars(d) for d in q.dyads(con, flt, limit=limit))
        return _download(fmt, "dyads", rows, ["dyad", "a", "b", "n_events", "goldstein_mean", "first", "last"])

    @app.get("/api/series", tags=["api"])
    def api_series(con: Con, flt: Filter, freq: q.Freq = "month") -> list[q.SeriesPoint]:
        """Matching events per period: counts per quad class, Goldstein mean and sum."""
        return q.series(con, flt, freq=freq)

    @app.get("/api/series.{fmt}", tags=["download"])
    def download_series(con: Con, fmt: Download, flt: Filter, freq: q.Freq = "month") -> StreamingResponse:
        """The series as CSV or JSON lines."""
        return _download(fmt, "series", (vars(p) for p in q.series(con, flt, freq=freq)), q.SERIES_COLUMNS)

    @app.get("/api/network", tags=["api"])
    def api_network(con: Con, flt: Filter, max_edges: Annotated[int, Query(ge=1, le=2000)] = 150) -> q.Network:
        """Actor countries (nodes) and the pairs of them that share events (weighted edges)."""
        return q.network(con, flt, max_edges=max_edges)

    @app.get("/api/places", tags=["api"])
    def api_places(con: Con, flt: Filter, limit: Annotated[int, Query(ge=1, le=20_000)] = 2000) -> list[q.PlaceCount]:
        """Geocoded places of the matching events with their counts (the map's points)."""
        return q.places(con, flt, limit=limit)

    # -- pages ----------------------------------------------------------------------------------
    def page(name: str) -> Callable[..., FileResponse]:
        path = PAGES_DIR / f"{name}.html"

        def serve_page() -> FileResponse:
            return FileResponse(path, media_type="text/html")

        serve_page.__name__ = f"page_{name}"
        return serve_page

    for route, name in [("/", "overview"), ("/events", "events"), ("/dyads/{pair}", "events"),
                        ("/events/{event_id}", "event"), ("/articles/{article_id:path}", "article"),
                        ("/network", "network"), ("/map", "map")]:
        app.add_api_route(route, page(name), methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


@contextmanager
def background_server(db: str | Path, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve the workbench from a thread of this process (tests, benchmarks); yields its base URL.

    ``port=0`` picks a free port.
    """
    import uvicorn

    if port == 0:
        with socket.socket() as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="workbench", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError(f"the workbench did not start on {host}:{port}")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def local_hosts(host: str) -> list[str] | None:
    """Host names to accept when bound to a loopback address (guards against DNS rebinding), else None."""
    if host in ("127.0.0.1", "localhost", "::1"):
        return ["127.0.0.1", "localhost", "[::1]"]
    return None


def _download(fmt: Download, name: str, rows: Iterator[dict], columns: list[str]) -> StreamingResponse:
    if fmt is Download.csv:
        body, media = q.csv_lines(rows, columns), "text/csv; charset=utf-8"
    else:
        body, media = q.jsonl_lines(rows), "application/x-ndjson; charset=utf-8"
    return StreamingResponse(body, media_type=media,
                             headers={"Content-Disposition": f'attachment; filename="{name}.{fmt.value}"'})
