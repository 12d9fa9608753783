"""The local engine: runs the stages over a corpus, in batches, into a DuckDB store.

ingest → site boilerplate (corpus-level pass) → (skip articles already stored) → nlp → code
(actors, events, time, place) → store, one transaction per batch; then recycled-text detection
and merge over every stored mention.
The stages know nothing of the engine, so other engines (multiprocess, Spark) can run the
same stage functions.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from eventcoder import settings
from eventcoder.models import Article, Correction, Event, Mention, Reject
from eventcoder.pipeline.boilerplate import drop_boilerplate, find_boilerplate
from eventcoder.pipeline.coder import CodingStats, EventCoder
from eventcoder.pipeline.ingest import content_hash, read_inputs, sample_corpus_path  # noqa: F401 - re-exported
from eventcoder.pipeline.merge import merge_mentions, prepare_recycled
from eventcoder.pipeline.nlp import load_nlp
from eventcoder.pipeline.userdicts import UserDictionaries
from eventcoder.store import Store
from eventcoder.util.threads import loading
from eventcoder.util.version import coder_version, utc_now

#: ``LocalEngine(prefilter=…)`` default: read ``settings.PREFILTER`` when the engine is built.
FROM_SETTINGS = "settings"
#: Longest text spaCy parses in one piece; longer articles are parsed paragraph-block by block.
PARSE_CHUNK_CHARS = 100_000


@dataclass(slots=True)
class RunSummary:
    """What a run did: counts per stage, the rejects with reasons, and the top dyads."""

    articles_read: int = 0
    articles_new: int = 0
    articles_unchanged: int = 0
    rejects: list[Reject] = field(default_factory=list)
    mentions_new: int = 0
    mentions_total: int = 0
    events_total: int = 0
    recycled_mentions: int = 0
    boilerplate_paragraphs: int = 0
    coding: CodingStats = field(default_factory=CodingStats)
    top_dyads: list[tuple[str, int]] = field(default_factory=list)
    #: The run stopped at its time budget; re-running the same command continues where it stopped.
    stopped_early: bool = False
    #: New articles left for the next run when the run stopped early.
    articles_pending: int = 0
    #: The run's id in the change log (``eventcoder changes --since``) and what it changed, by kind.
    run_id: str = ""
    changes: dict[str, int] = field(default_factory=dict)
    #: Analyst corrections applied, and those some or all of whose mentions are gone (reported).
    corrections_applied: int = 0
    corrections_not_applied: list[Correction] = field(default_factory=list)


def parse(nlp: Language, texts: Sequence[str], batch_size: int = 16) -> list[Doc]:
    """Parse texts with spaCy; very long texts are parsed in paragraph blocks and joined."""
    short = [t if len(t) <= PARSE_CHUNK_CHARS else "" for t in texts]
    docs = list(nlp.pipe(short, batch_size=batch_size))
    for i, text in enumerate(texts):
        if len(text) > PARSE_CHUNK_CHARS:
            docs[i] = Doc.from_docs(list(nlp.pipe(_chunks(text), batch_size=4)), ensure_whitespace=False)
    return docs


def _chunks(text: str) -> list[str]:
    """Split at paragraph breaks into pieces under PARSE_CHUNK_CHARS, keeping every character."""
    out: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + PARSE_CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + PARSE_CHUNK_CHARS // 2, end)
            end = cut + 1 if cut > 0 else end
        out.append(text[start:end])
        start = end
    return out


class LocalEngine:
    """Runs the pipeline in this process; the model and lexicons load once."""

    def __init__(
        self, coder: EventCoder | None = None, nlp: Language | None = None, *,
        prefilter: str | None = FROM_SETTINGS, workers: int = 1, dictionaries: UserDictionaries | None = None,
    ) -> None:
        self._nlp = nlp
        self._coder = coder
        #: A user's actors and places (``--actors``/``--places``), over the shipped ones; handed to
        #: every worker process with the engine's other arguments.
        self.dictionaries = dictionaries or UserDictionaries()
        #: First pass that parses candidate sentences only (see prefilter.py); None parses everything.
        self.prefilter = settings.PREFILTER if prefilter == FROM_SETTINGS else prefilter
        #: Worker processes for the nlp and coding stages (1: in this process).
        self.workers = workers
        self._scanner = None
        self._pool = None

    def start_workers(self) -> None:
        """Start the worker processes now (``run`` otherwise starts them): callers that will start
        threads of their own, such as a progress bar, call this first so the workers can be forked."""
        if self.workers > 1 and self._pool is None:
            self._pool = self._start_pool()

    def _start_pool(self):  # noqa: ANN202 - a workers.WorkerPool, imported lazily
        from eventcoder.engines.workers import WorkerPool

        return WorkerPool(self.workers, LocalEngine, prefilter=self.prefilter, dictionaries=self.dictionaries)

    def load(self) -> LocalEngine:
        """Load the model, lexicons, actor phrase index and gazetteer now rather than on first use
        (a worker process does this before its first batch, a Spark daemon before it forks)."""
        with loading():
            self.coder.recognizer.dictionary.matchers(self.nlp.vocab)
            self.coder.gazetteer  # noqa: B018 - loaded now
        return self

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline, loaded on first use (a run with worker processes never loads it here)."""
        if self._nlp is None:
            with loading():
                self._nlp = load_nlp()
        self._nlp.max_length = max(self._nlp.max_length, PARSE_CHUNK_CHARS + 1)
        return self._nlp

    @property
    def coder(self) -> EventCoder:
        """The event coder with its lexicons, built on first use."""
        if self._coder is None:
            with loading():
                self._coder = EventCoder(**self.dictionaries.coder_parts())
        return self._coder

    def code_articles(self, articles: Sequence[Article]) -> list[Mention]:
        """The mentions of a batch of articles (nlp + coding stages)."""
        texts = [a.text for a in articles]
        if self.prefilter and all(len(t) <= PARSE_CHUNK_CHARS for t in texts):
            from eventcoder.pipeline.prefilter import CandidateScanner, parse_candidates

            if self._scanner is None:
                self._scanner = CandidateScanner(self.nlp, self.coder.lexicon, self.coder.recognizer.dictionary,
                                                 mode=self.prefilter, model=self.coder.model)
            docs = parse_candidates(self.nlp, self._scanner, texts,
                                    may_yield=self.coder.may_yield if self.prefilter == "fast" else None)
        else:
            docs = parse(self.nlp, texts)
        out: list[Mention] = []
        for article, doc in zip(articles, docs, strict=True):
            out.extend(self.coder.code_article(article, doc))
        version, now = coder_version(), utc_now()
        for m in out:  # which coder made each mention, and when
            m.coder_version, m.coded_at = version, now
        return out

    def run(
        self,
        inputs: Sequence[str | Path],
        store: Store,
        *,
        batch_size: int = settings.BATCH_SIZE,
        on_progress: Callable[[int, int], None] | None = None,
        max_article_chars: int = settings.MAX_ARTICLE_CHARS,
        max_file_bytes: int = settings.MAX_FILE_BYTES,
        time_budget: float | None = settings.RUN_TIME_BUDGET_SECONDS,
    ) -> RunSummary:
        """Ingest, code and store every input article, then merge all stored mentions.

        With ``time_budget`` (seconds) the run stops after the batch during which the budget ran
        out, with that batch committed and the events merged; the next run skips what is stored.
        """
        deadline = time.monotonic() + time_budget if time_budget is not None else None
        summary = RunSummary()
        pool, self._pool = self._pool, None
        if pool is None and self.workers > 1:  # started first: the workers load their models while the input is read
            pool = self._start_pool()
        try:
            known = store.known_hashes()
            records = list(read_inputs(inputs, max_chars=max_article_chars, max_file_bytes=max_file_bytes))
        except BaseException:  # e.g. a missing input: no worker outlives the run
            if pool is not None:
                pool.close()
            raise
        if pool is not None:  # this process mostly waits for the workers: get the merge's imports done
            threading.Thread(target=prepare_recycled, name="eventcoder-prepare-merge", daemon=True).start()
        total = len(records)
        for rec in records:  # identity before the boilerplate drop, so re-runs recognise articles
            if isinstance(rec, Article):
                rec.content_hash = rec.content_hash or content_hash(rec.text)
        # Corpus-level pass: boilerplate recurring in this run's articles (stored ones included)
        # or found by earlier runs.
        stored_boilerplate = store.boilerplate()
        boilerplate = find_boilerplate(r for r in records if isinstance(r, Article)) | stored_boilerplate
        store.add_boilerplate(boilerplate - stored_boilerplate)
        batch: list[Article] = []
        rejects: list[Reject] = []
        done = 0
        pending: deque = deque()  # batches coded by the pool, written in input order
        pool_stats = CodingStats()

        def write(articles: list[Article], batch_rejects: list[Reject], mentions: list[Mention]) -> None:
            nonlocal done
            store.write_batch(articles, mentions, batch_rejects)
            summary.articles_new += len(articles)
            summary.mentions_new += len(mentions)
            done += len(articles) + len(batch_rejects)
            if on_progress:
                on_progress(done, total)

        def flush(final: bool = False) -> None:
            nonlocal batch, rejects
            if pool is None:
                write(batch, rejects, self.code_articles(batch) if batch else [])
            else:
                pending.append((batch, rejects, pool.submit(batch) if batch else None))
                while pending and (final or len(pending) > pool.depth):
                    articles, batch_rejects, future = pending.popleft()
                    mentions, stats = future.result() if future is not None else ([], CodingStats())
                    pool_stats.merge(stats)
                    write(articles, batch_rejects, mentions)
            batch, rejects = [], []

        seen_in_run: set[str] = set()
        for i, rec in enumerate(records):
            if isinstance(rec, Reject):  # cheap: recorded even after the time budget ran out
                summary.rejects.append(rec)
                rejects.append(rec)
                continue
            if summary.stopped_early:
                if rec.content_hash not in known and rec.content_hash not in seen_in_run:
                    seen_in_run.add(rec.content_hash)
                    summary.articles_pending += 1
                continue
            summary.articles_read += 1
            h = rec.content_hash
            if h in known or h in seen_in_run:
                summary.articles_unchanged += 1
                done += 1
                continue
            seen_in_run.add(h)
            rec, dropped = drop_boilerplate(rec, boilerplate)
            summary.boilerplate_paragraphs += dropped
            batch.append(rec)
            if len(batch) >= batch_size:
                flush()
                if deadline is not None and time.monotonic() >= deadline and i + 1 < len(records):
                    summary.stopped_early = True
        try:
            flush(final=True)
        finally:
            if pool is not None:
                pool.close()
        summary.coding = self.coder.stats if pool is None else pool_stats
        self.merge(store, summary)
        return summary

    @staticmethod
    def merge(store: Store, summary: RunSummary | None = None, *, kind: str = "run") -> list[Event]:
        """Recycled-text marking, event merging over every mention in the store, the analyst's
        corrections and the change log (``corrections.merge_and_review``)."""
        from eventcoder.corrections import merge_and_review

        report = merge_and_review(store, kind=kind, articles_new=summary.articles_new if summary else 0,
                                  mentions_new=summary.mentions_new if summary else 0)
        events = report.events
        if summary is not None:
            summary.recycled_mentions = report.recycled
            summary.mentions_total = report.mentions_total
            summary.events_total = len(events)
            summary.top_dyads = top_dyads(events)
            summary.run_id = report.run_id
            summary.changes = report.change_counts()
            summary.corrections_applied = report.applied
            summary.corrections_not_applied = report.not_applied
        return events


def dyad_label(event: Event) -> str:
    """'AZE-TUR' style label of an event's countries (sorted, so undirected)."""
    countries = sorted({a.country for a in event.source + event.target if a.country})
    return "-".join(countries) if countries else "?"


def top_dyads(events: Iterable[Event], n: int = 10) -> list[tuple[str, int]]:
    counts = Counter(dyad_label(e) for e in events if len({a.country for a in e.source + e.target}) >= 1)
    return counts.most_common(n)


def code_text(
    text: str, *, published: str | None = None, title: str | None = None, engine: LocalEngine | None = None
) -> tuple[Article, list[Mention], list[Event]]:
    """Code one text in memory (no database): its article record, mentions and merged events."""
    from eventcoder.pipeline.ingest import article_from_text

    engine = engine or LocalEngine()
    article = article_from_text(text, "text", path=None)
    if published:
        article.published, article.published_basis = published, "input"
    if title:
        article.title = title
    article.content_hash = article.content_hash or content_hash(article.text)
    mentions = engine.code_articles([article])
    events = merge_mentions(mentions, {})
    return article, mentions, events
