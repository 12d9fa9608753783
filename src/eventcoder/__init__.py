"""eventcoder: political event data (PLOVER/CAMEO) from your own news corpus.

Library first (the command line is a thin layer over the same functions; see :mod:`eventcoder.api`)::

    import eventcoder

    events = eventcoder.code("The US Secretary of State met the British Prime Minister in London.",
                             date="2014-03-01")          # list[eventcoder.models.Event]
    eventcoder.run(["articles/"], db="events.duckdb")   # the run's summary
    with eventcoder.open("events.duckdb") as db:
        events = db.events(as_="pandas")                 # or "arrow"; also mentions(), dyads()

Importing the package is cheap: spaCy, DuckDB and pyarrow load when a function first needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: The public API, imported from :mod:`eventcoder.api` on first use (``eventcoder.open`` too, left out
#: of ``__all__`` so that ``from eventcoder import *`` never hides the built-in ``open``).
__all__ = ["Database", "code", "read_dyads", "read_events", "read_mentions", "run"]
_API = frozenset([*__all__, "open"])

if TYPE_CHECKING:
    from eventcoder.api import Database, code, read_dyads, read_events, read_mentions, run
    from eventcoder.api import open as open  # noqa: A004 - eventcoder.open, not in __all__


def __getattr__(name: str) -> Any:
    if name in _API:
        from eventcoder import api

        return getattr(api, name)
    raise AttributeError(f"module 'eventcoder' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
