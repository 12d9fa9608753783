"""A second run on a grown corpus codes only the new articles and merges them into the events."""

from __future__ import annotations

import shutil
from pathlib import Path

from eventcoder.engines.local import LocalEngine, sample_corpus_path
from eventcoder.store import Store


def _events(store: Store) -> dict[str, list[str]]:
    return {r["event_id"]: sorted(r["mention_ids"]) for r in store.query("SELECT event_id, mention_ids FROM events")}


def test_grown_corpus_codes_only_new_articles(tmp_path: Path) -> None:
    files = sorted(p for p in sample_corpus_path().iterdir() if p.is_file() and not p.name.startswith("."))
    half = len(files) // 2
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in files[:half]:
        shutil.copy(f, corpus / f.name)
    engine = LocalEngine()
    with Store(tmp_path / "grown.duckdb") as store:
        first = engine.run([corpus], store)
        assert first.articles_new > 0
        before = _events(store)
        for f in files[half:]:
            shutil.copy(f, corpus / f.name)
        second = engine.run([corpus], store)
        assert second.articles_new > 0 and second.articles_unchanged == first.articles_new
        after = _events(store)
        grown = store.query("SELECT * EXCLUDE (coded_at) FROM mentions ORDER BY mention_id")  # coded_at: per run
    with Store(tmp_path / "fresh.duckdb") as fresh:
        assert engine.run([corpus], fresh).articles_new == first.articles_new + second.articles_new
        # Same events and ids as coding the grown corpus from scratch.
        assert _events(fresh) == after
        assert fresh.query("SELECT * EXCLUDE (coded_at) FROM mentions ORDER BY mention_id") == grown
    # Events untouched by the new articles keep their ids and members.
    new_members = {m for ms in after.values() for m in ms} - {m for ms in before.values() for m in ms}
    untouched = {e: ms for e, ms in after.items() if not set(ms) & new_members}
    kept = [e for e, ms in untouched.items() if before.get(e) == ms]
    # Merging is greedy over all mentions, so a new mention can re-shape a few old clusters.
    assert len(kept) >= 0.9 * len(untouched), (len(kept), len(untouched))
    # Event ids are stable: most events of the first run keep their id after the second.
    assert len(set(before) & set(after)) >= 0.8 * len(before)
