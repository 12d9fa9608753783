"""The workbench app: a JSON API over a read-only event database, and the pages that use it.

Pages are static HTML whose scripts fetch the API and build the DOM with ``textContent`` only, so
article text is never interpreted as markup; a Content-Security-Policy allows scripts from this
server alone. Every asset (charts library, world basemap) ships in ``web/static``. Each page in
``web/pages`` is only its ``<main>``; :func:`render_page` puts it in the one shared head and
navigation (``_layout.html``).

With ``allow_edits`` (``serve --allow-edits``, loopback only) the pages can correct events
(``eventcoder.corrections``): every write is a POST that must carry the server's CSRF token (made
at start, handed to the pages in a ``<meta>`` tag, sent back in the ``X-CSRF-Token`` header);
without the flag, or without the token, a write is refused with 403.
"""

from __future__ import annotations

import hmac
import html
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict
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


#: Header a page sends the CSRF token in.
CSRF_HEADER = "X-CSRF-Token"
#: route → (page file, the navigation entry it belongs to).
PAGES: dict[str, tuple[str, str | None]] = {
    "/": ("overview", "/"), "/events": ("events", "/events"), "/dyads/{pair}": ("events", "/events"),
    "/events/{event_id}": ("event", "/events"), "/articles/{article_id:path}": ("article", None),
    "/review": ("review", "/review"), "/network": ("network", "/network"), "/map": ("map", "/map"),
}
NAV = [("/", "Overview"), ("/events", "Events"), ("/review", "Review"), ("/network", "Network"), ("/map", "Map")]
_PAGE_HEAD = re.compile(r"\A<!-- title: (?P<title>[^|]*?) \| scripts: (?P<scripts>[^>]*?) -->\n")


def render_page(name: str, *, nav: str | None, meta: dict[str, str] | None = None, edits: bool = False) -> str:
    """A page of ``web/pages`` (its ``<main>``, after a ``<!-- title: … | scripts: … -->`` line) in
    the shared head and navigation of ``_layout.html``."""
    fragment = (PAGES_DIR / f"{name}.html").read_text(encoding="utf-8")
    head = _PAGE_HEAD.match(fragment)
    if head is None:
        raise ValueError(f"web/pages/{name}.html does not start with <!-- title: … | scripts: … -->")
    scripts = "\n".join(f'<script defer src="/static/{html.escape(src)}"></script>'
                        for src in head["scripts"].split())
    here = ' class="here"'
    links = "".join(f'<a href="{href}"{here if href == nav else ""}>{text}</a>' for href, text in NAV)
    metas = "\n".join(f'<meta name="{html.escape(k)}" content="{html.escape(v)}">' for k, v in (meta or {}).items())
    mode = '<span class="mode">corrections on</span>' if edits else '<span class="mode">read-only</span>'
    layout = (PAGES_DIR / "_layout.html").read_text(encoding="utf-8")
    out = layout
    for key, value in (("title", html.escape(head["title"])), ("meta", metas), ("scripts", scripts),
                       ("nav", links), ("mode", mode), ("body", fragment[head.end():].rstrip("\n"))):
        out = out.replace("{{" + key + "}}", value)
    return out


class CorrectionRequest(BaseModel):
    """A correction from a page: the fields to change (as `eventcoder correct` takes them), and
    ``expected``, the values the page showed (kind → value), to refuse edits of a stale view."""

    model_config = ConfigDict(extra="forbid")

    type: str | None = None
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
    expected: dict[str, Any] | None = None


def create_app(db: str | Path, *, allowed_hosts: list[str] | None = None, allow_edits: bool = False) -> FastAPI:
    """The workbench over the database at ``db``, opened read-only (raises DatabaseError if absent).

    ``allow_edits`` lets the pages correct events (loopback hosts only: give ``allowed_hosts``)."""
    from eventcoder import corrections as corr

    reader = FollowingReader(db, opener=q.EventsDB)
    csrf_token = secrets.token_urlsafe(32)
    app = FastAPI(
        title="eventcoder workbench",
        version=__version__,
        description="Read-only API over an eventcoder database: events, their evidence, dyads, series, network.",
        docs_url=None,  # FastAPI's docs pages load their scripts from a CDN; the schema stays at /openapi.json
        redoc_url=None,
    )
    app.state.reader = reader
    app.state.allow_edits = allow_edits
    app.state.csrf_token = csrf_token
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
    def require_edit(request: Request) -> None:
        """Writes: only with --allow-edits, from this server's pages (CSRF token, same origin)."""
        if not allow_edits:
            raise HTTPException(403, "the workbench is read-only: start it with `eventcoder serve --allow-edits`")
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), csrf_token.encode()):
            raise HTTPException(403, f"missing or wrong {CSRF_HEADER} header: reload the page")
        origin = request.headers.get("origin")
        if origin and origin.split("://", 1)[-1] != request.headers.get("host", ""):
            raise HTTPException(403, f"a write from another origin ({origin}) is refused")

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
        if detail is None:  # say where it went when a run merged, split or removed it
            raise HTTPException(404, f"no event {event_id}{corr.whereabouts(con, event_id)}")
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

    # -- review and corrections ---------------------------------------------------------------
    @app.get("/api/vocabulary", tags=["review"])
    def api_vocabulary() -> dict[str, Any]:
        """PLOVER types and each type's modes (the choices of the correction forms), and whether
        this server accepts corrections."""
        from eventcoder.pipeline.cameo import PLOVER_TYPES
        from eventcoder.pipeline.review import valid_modes

        return {"types": list(PLOVER_TYPES), "modes": {t: list(valid_modes(t)) for t in PLOVER_TYPES},
                "edits": allow_edits}

    @app.get("/api/review", tags=["review"])
    def api_review(con: Con, limit: Annotated[int, Query(ge=1, le=q.MAX_PAGE)] = 50,
                   offset: Annotated[int, Query(ge=0)] = 0) -> q.ReviewPage:
        """The review queue: events no correction has touched, lowest confidence first, each with
        its most telling sentence."""
        return q.review_queue(con, limit=limit, offset=offset)

    @app.get("/api/corrections", tags=["review"])
    def api_corrections(con: Con, event_id: str | None = None) -> list[dict[str, Any]]:
        """Every correction (``eventcoder export corrections`` rows; ``pending`` until published),
        or those of one event (made on it, or shaping it now)."""
        rows = corr.correction_rows(con, reader.path)
        if event_id:
            rows = [r for r in rows if r["event_id"] == event_id or event_id in r["applied_to"]]
        return q_plain(rows)

    @app.post("/api/events/{event_id}/corrections", tags=["review"], dependencies=[Depends(require_edit)])
    def api_correct(event_id: str, body: CorrectionRequest) -> dict[str, Any]:
        """Correct an event (or, with a mention id, one mention), as `eventcoder correct` does.

        Answers the corrections made, whether they are published, and ``event_id``: where the
        event's reports are now (None when rejected). 400: a bad value; 404: no such event; 409:
        the event changed since the page showed it."""
        edits = corr.Edits(event_type=body.type, mode=body.mode, source=body.source, target=body.target,
                           date=body.date, place=body.place, reject=body.reject, confirm=body.confirm,
                           merge=body.merge, split=body.split, note=body.note)
        try:
            result = corr.correct(reader.path, event_id, edits, expect=body.expected, reader=reader)
        except corr.CorrectionConflict as exc:
            raise HTTPException(409, str(exc)) from None
        except corr.CorrectionError as exc:
            raise HTTPException(404 if str(exc).startswith("no event or mention") else 400, str(exc)) from None
        reader.refresh()
        return _answer(result)

    @app.post("/api/corrections/{correction_id}/undo", tags=["review"], dependencies=[Depends(require_edit)])
    def api_undo(correction_id: str, note: str | None = None) -> dict[str, Any]:
        """Take back a correction (as ``eventcoder correct c_… --undo``); answers as a correction does."""
        try:
            result = corr.correct(reader.path, correction_id, corr.Edits(undo=True, note=note), reader=reader)
        except corr.CorrectionError as exc:
            raise HTTPException(404 if str(exc).startswith("no correction") else 400, str(exc)) from None
        reader.refresh()
        return _answer(result)

    # -- pages ----------------------------------------------------------------------------------
    meta = {"wb-edits": "1" if allow_edits else "0"}
    if allow_edits:
        meta["wb-csrf"] = csrf_token
    rendered = {route: render_page(name, nav=nav, meta=meta, edits=allow_edits)
                for route, (name, nav) in PAGES.items()}

    def page(route: str) -> Callable[..., HTMLResponse]:
        body = rendered[route]

        def serve_page() -> HTMLResponse:
            return HTMLResponse(body, headers={"Cache-Control": "no-store"})

        serve_page.__name__ = f"page_{PAGES[route][0]}"
        return serve_page

    for route in PAGES:
        app.add_api_route(route, page(route), methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def _answer(result: Any) -> dict[str, Any]:
    """The JSON answer to a correction: what was made, whether it is published, where the event is now."""
    from eventcoder.corrections import describe

    return {
        "corrections": q_plain([c.to_dict() | {"summary": describe(c)} for c in result.corrections]),
        "published": result.report is not None, "pending_reason": result.pending_reason,
        "run_id": result.report.run_id if result.report else None, "event_id": result.follow,
    }


def q_plain(value: Any) -> Any:
    """Dates as ISO strings, recursively (JSON answers of dict rows)."""
    return q._plain(value)


@contextmanager
def background_server(db: str | Path, *, host: str = "127.0.0.1", port: int = 0,
                      allow_edits: bool = False) -> Iterator[str]:
    """Serve the workbench from a thread of this process (tests, benchmarks); yields its base URL.

    ``port=0`` picks a free port.
    """
    import uvicorn

    if port == 0:
        with socket.socket() as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
    web = create_app(db, allowed_hosts=local_hosts(host), allow_edits=allow_edits)
    server = uvicorn.Server(uvicorn.Config(web, host=host, port=port, log_level="warning"))
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
