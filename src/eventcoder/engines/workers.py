"""The multiprocess engine's workers: the nlp and coding stages of a batch in another process.

Each worker process builds one :class:`~eventcoder.engines.local.LocalEngine` (the spaCy model and the
lexicons load once per worker) and codes whole batches of articles; only articles go in and
mentions come out, so no parsed ``Doc`` ever crosses a process boundary. The parent keeps the
database: batches are written in input order, one transaction each, as before.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Protocol

from eventcoder import settings
from eventcoder.models import Article, Mention
from eventcoder.pipeline.coder import CodingStats, EventCoder
from eventcoder.pipeline.userdicts import UserDictionaries


class CodingEngine(Protocol):
    """What a worker needs of an engine (the local engine is one): its coder and a batch coder."""

    coder: EventCoder

    def load(self) -> CodingEngine: ...

    def code_articles(self, articles: Sequence[Article]) -> list[Mention]: ...


#: Builds a worker's engine from the prefilter mode and the user's dictionaries (the pool is given
#: the local engine's class, so this module never imports the engine that imports it).
EngineFactory = Callable[..., CodingEngine]

_ENGINE: CodingEngine | None = None


def _init_worker(factory: EngineFactory, prefilter: str | None, dictionaries: UserDictionaries | None) -> None:
    """Load the model, lexicons and gazetteers (with the user's dictionaries) once in this worker
    process, before any batch."""
    global _ENGINE
    from eventcoder.util.threads import single_thread_blas

    single_thread_blas()
    _ENGINE = factory(prefilter=prefilter, dictionaries=dictionaries).load()  # now, while the parent reads


def _ready() -> bool:
    """A no-op task: submitting one per worker starts the workers (and their model loads) early."""
    return _ENGINE is not None


def _code_batch(articles: list[Article]) -> tuple[list[Mention], CodingStats]:
    """The mentions of a batch and the coder's counters for it (worker side)."""
    assert _ENGINE is not None, "worker not initialised"
    before = _ENGINE.coder.stats
    _ENGINE.coder.stats = CodingStats()
    try:
        mentions: list[Mention] = []
        for i in range(0, len(articles), settings.PARSE_GROUP):  # bounded parse memory per worker
            mentions += _ENGINE.code_articles(articles[i : i + settings.PARSE_GROUP])
        return mentions, _ENGINE.coder.stats
    finally:
        before.merge(_ENGINE.coder.stats)
        _ENGINE.coder.stats = before


class _Batch:
    """The pieces of one submitted batch; ``result()`` joins them in input order."""

    def __init__(self, futures: list[Future[tuple[list[Mention], CodingStats]]]) -> None:
        self.futures = futures

    def result(self) -> tuple[list[Mention], CodingStats]:
        mentions: list[Mention] = []
        stats = CodingStats()
        for f in self.futures:
            m, s = f.result()
            mentions += m
            stats.merge(s)
        return mentions, stats


def start_method() -> str:
    """``fork`` on Linux when this process runs no other Python thread; else ``spawn``.

    A forked worker starts with the parent's imports (spaCy, the stages: ~2 s a process) and only
    loads the model and lexicons; it never touches the parent's database connection (it leaves
    with ``os._exit``). With another Python thread alive (a progress bar, a web server) a fork
    could copy a lock that thread holds, so then workers are spawned, as on Windows and macOS (where
    system libraries are not fork-safe)."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


class WorkerPool:
    """``n`` worker processes coding batches; results come back in submission order.

    Workers are forked or spawned (:func:`start_method`), all of them at once when the pool is
    made. At most ``2 * n`` batches are in flight, which bounds memory.
    """

    def __init__(self, n: int, factory: EngineFactory, *, prefilter: str | None = None,
                 dictionaries: UserDictionaries | None = None) -> None:
        self.n = n
        self._pool = ProcessPoolExecutor(
            max_workers=n, mp_context=multiprocessing.get_context(start_method()),
            initializer=_init_worker, initargs=(factory, prefilter, dictionaries),
        )
        for _ in range(n):  # start every worker now, so the models load while the parent reads input
            self._pool.submit(_ready)

    @property
    def depth(self) -> int:
        """Batches in flight before :meth:`submit` callers should collect a result."""
        return 2 * self.n

    def submit(self, articles: Sequence[Article]) -> _Batch:
        """Code a batch; it is shared out in pieces of ``settings.PARSE_GROUP`` articles, so workers stay busy
        (and finish close together at the end of a run)."""
        group = settings.PARSE_GROUP
        return _Batch([self._pool.submit(_code_batch, list(articles[i : i + group]))
                       for i in range(0, len(articles), group)])

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
