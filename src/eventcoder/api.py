"""The Python API: code text, run a corpus, read a database's tables as Arrow or pandas.

Everything here is re-exported by the package, so a notebook needs only ``import eventcoder``
(which stays cheap: spaCy, DuckDB and pyarrow load on first use)::

    import eventcoder

    events = eventcoder.code("The US Secretary of State met the British Prime Minister in London.",
                             date="2014-03-01")
    events[0].source[0].name                  # 'John Kerry'

    eventcoder.run(["articles/"], db="events.duckdb", workers=2)
    db = eventcoder.open("events.duckdb")
    df = db.events(as_="pandas")              # or as_="arrow" (the default): a pyarrow.Table
    dyads = eventcoder.read_dyads("events.duckdb", as_="pandas")

The functions raise the same typed errors as the command line (:mod:`eventcoder.errors`).
``as_="pandas"`` needs pandas (``pip install 'eventcoder[pandas]'``); Arrow output needs nothing
beyond eventcoder's own dependencies.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from eventcoder.errors import EventcoderError

if TYPE_CHECKING:
    import pandas
    import pyarrow

    from eventcoder.engines.local import LocalEngine, RunSummary
    from eventcoder.models import Event
    from eventcoder.pipeline.userdicts import UserDictionaries
    from eventcoder.store import Store

#: Output formats of the table readers.
TableFormat = Literal["arrow", "pandas"]
#: Row order of each table the readers return (that of ``eventcoder export``).
ORDER = {"events": "date, event_id", "mentions": "article_id, char_start, mention_id",
         "articles": "article_id", "rejects": "path, record"}


class MissingDependency(EventcoderError, ImportError):
    """An optional package the call needs is not installed."""


_ENGINES: dict[str, LocalEngine] = {}


def _engine(dictionaries: UserDictionaries) -> LocalEngine:
    """One engine per process and set of user dictionaries: the model loads on the first call only."""
    from eventcoder.engines.local import LocalEngine

    key = dictionaries.key() if dictionaries else ""
    if key not in _ENGINES:
        _ENGINES[key] = LocalEngine(dictionaries=dictionaries)
    return _ENGINES[key]


def code(text: str, *, date: str | None = None, actors: str | Path | None = None,
         places: str | Path | None = None) -> list[Event]:
    """The events of one text, as ``eventcoder code`` prints them (without the database).

    ``date``: the publication date (YYYY-MM-DD), against which relative dates ("on Monday") are
    resolved and offices ("the British Prime Minister") turned into their holder of the day.
    ``actors``/``places``: user dictionary files (docs/dictionaries.md).
    """
    from datetime import date as _date

    from eventcoder.engines.local import code_text
    from eventcoder.pipeline.userdicts import UserDictionaries

    if date is not None:
        try:
            _date.fromisoformat(date)
        except ValueError:
            raise EventcoderError(f"date must be YYYY-MM-DD, got {date!r}") from None
    if not text or not text.strip():
        raise EventcoderError("no text to code")
    dictionaries = UserDictionaries.load(actors, places)
    _, _, events = code_text(text, published=date, engine=_engine(dictionaries))
    return events


def run(inputs: str | Path | Sequence[str | Path], *, db: str | Path = "eventcoder.duckdb", workers: int = 1,
        actors: str | Path | None = None, places: str | Path | None = None, prefilter: str | None = "settings",
        wait: float = 0.0) -> RunSummary:
    """Code files, directories or globs into the DuckDB database ``db``, as ``eventcoder run`` does
    (articles already stored are skipped; events are merged again over everything stored).

    ``workers``: processes for parsing and coding; ``prefilter``: "fast", "safe", "triggers", None
    (parse everything) or "settings" (the default of ``settings.PREFILTER``); ``wait``: seconds to
    wait for another run on the same database. Returns the run's summary (counts, rejects, top dyads).
    """
    from eventcoder.engines.local import FROM_SETTINGS, LocalEngine
    from eventcoder.pipeline.userdicts import UserDictionaries
    from eventcoder.store import open_for_run

    paths = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    if not paths:
        raise EventcoderError("no inputs to run on")
    dictionaries = UserDictionaries.load(actors, places)
    engine = LocalEngine(prefilter=FROM_SETTINGS if prefilter == "settings" else prefilter, workers=workers,
                         dictionaries=dictionaries)
    with open_for_run(db, wait=wait) as store:
        return engine.run(paths, store)


class Database:
    """A finished database, read-only: its tables as Arrow tables or pandas data frames.

    Use as a context manager, or call :meth:`close`; each reader returns the whole table in the
    order ``eventcoder export`` writes it, actors and places as nested structs (lists of dicts in
    pandas).
    """

    def __init__(self, path: str | Path) -> None:
        from eventcoder.store import Store

        self.path = Path(path)
        self._store: Store = Store(path, read_only=True)

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._store.close()

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r})"

    @overload
    def query(self, sql: str, params: Sequence[Any] | None = ..., *, as_: Literal["arrow"] = ...) -> pyarrow.Table: ...

    @overload
    def query(self, sql: str, params: Sequence[Any] | None = ..., *, as_: Literal["pandas"]) -> pandas.DataFrame: ...

    def query(self, sql: str, params: Sequence[Any] | None = None, *, as_: TableFormat = "arrow") -> Any:
        """Any SQL over the tables (articles, mentions, events, rejects), parameterised with ``?``."""
        return _convert(self._store.arrow(sql, params), as_)

    def _table(self, table: str, as_: TableFormat) -> Any:
        from eventcoder.store import EXPORT_COLUMNS

        cols = ", ".join(EXPORT_COLUMNS[table])
        return self.query(f"SELECT {cols} FROM {table} ORDER BY {ORDER[table]}", as_=as_)

    def events(self, *, as_: TableFormat = "arrow") -> Any:
        """One row per event (the events export's columns; source/target: lists of actors)."""
        return self._table("events", as_)

    def mentions(self, *, as_: TableFormat = "arrow") -> Any:
        """One row per coded sentence (mention), with its event id, sentence and trigger."""
        return self._table("mentions", as_)

    def articles(self, *, as_: TableFormat = "arrow") -> Any:
        """One row per stored article (text included)."""
        return self._table("articles", as_)

    def rejects(self, *, as_: TableFormat = "arrow") -> Any:
        """Input that could not be coded, with the reason."""
        return self._table("rejects", as_)

    def dyads(self, *, as_: TableFormat = "arrow") -> Any:
        """One row per source-target pair of an event, in flat ICEWS/POLECAT-like columns
        (``eventcoder export dyads``; docs/formats.md maps each column)."""
        from eventcoder.store import DYADS_SQL

        return self.query(DYADS_SQL, as_=as_)

    @property
    def store(self) -> Store:
        """The underlying read-only :class:`~eventcoder.store.Store` (DuckDB connection: ``.con``)."""
        return self._store


def open(db: str | Path) -> Database:  # noqa: A001 - eventcoder.open(db), as sqlite3.connect / sqlite_utils.Database
    """Open a database read-only for reading its tables (:class:`Database`)."""
    return Database(db)


def read_events(db: str | Path, *, as_: TableFormat = "arrow") -> Any:
    """The events table of ``db`` as a pyarrow Table (``as_="pandas"``: a DataFrame)."""
    with Database(db) as d:
        return d.events(as_=as_)


def read_mentions(db: str | Path, *, as_: TableFormat = "arrow") -> Any:
    """The mentions table of ``db`` as a pyarrow Table (``as_="pandas"``: a DataFrame)."""
    with Database(db) as d:
        return d.mentions(as_=as_)


def read_dyads(db: str | Path, *, as_: TableFormat = "arrow") -> Any:
    """The dyadic table of ``db`` (one row per source-target pair) as a pyarrow Table or DataFrame."""
    with Database(db) as d:
        return d.dyads(as_=as_)


def _convert(table: pyarrow.Table, as_: str) -> Any:
    if as_ == "arrow":
        return table
    if as_ == "pandas":
        try:
            import pandas  # noqa: F401 - pyarrow's to_pandas needs it
        except ImportError:
            raise MissingDependency(
                "as_='pandas' needs pandas, which is not installed: pip install 'eventcoder[pandas]' "
                "(or use as_='arrow')") from None
        return table.to_pandas()
    raise EventcoderError(f"as_ must be 'arrow' or 'pandas', not {as_!r}")
