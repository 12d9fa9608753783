"""Store stage: migrations, batch writes, replacement, event rebuild, locking."""

from __future__ import annotations

import duckdb
import pytest

from eventcoder.errors import DatabaseError
from eventcoder.models import Actor, Article, Mention, Place, Reject
from eventcoder.pipeline.merge import merge_mentions
from eventcoder.store import Store


def _article(aid="a1", text="Turkey and Azerbaijan held talks.", h="h1"):
    return Article(article_id=aid, text=text, title="T", author=["Jane Roe"], published="2021-10-05",
                   published_basis="header", source="Caspian Wire", content_hash=h)


def _mention(mid="m1", aid="a1"):
    return Mention(
        mention_id=mid, article_id=aid, sentence="Turkey and Azerbaijan held talks.", char_start=0, char_end=33,
        trigger="talks", event_type="CONSULT", mode=None,
        source=[Actor("Turkey", "Turkey", "TUR", "GOV"), Actor("Azerbaijan", "Azerbaijan", "AZE", None)],
        target=[], date="2021-10-04", date_end="2021-10-05", date_precision="day", date_basis="relative",
        location=Place("Baku", "AZE", "09", 40.38, 49.89, 587084, "city"), cameo_code="040", goldstein=1.0,
        quad_class=1, confidence=0.7,
    )


def test_roundtrip_and_idempotent_migrations(tmp_path):
    db = tmp_path / "t.duckdb"
    with Store(db) as store:
        store.write_batch([_article()], [_mention()], [Reject("bad.json", "line 3", "broken JSON: Expecting value")])
        ms = store.load_mentions()
        assert ms[0].source[0].country == "TUR" and ms[0].location.geonameid == 587084
        assert ms[0].date == "2021-10-04" and ms[0].date_end == "2021-10-05"
        events = merge_mentions(ms, store.article_sources())
        store.replace_events(events, ms)
        assert store.counts() == {"events": 1, "mentions": 1, "articles": 1, "rejects": 1}
        assert store.known_hashes() == {"h1": "a1"}
    with Store(db) as store:  # reopening applies no migration twice
        assert store.migrate() == []
        store.write_batch([], [], [Reject("bad.json", "line 3", "broken JSON: Expecting value")])
        assert store.counts()["rejects"] == 1  # the same reject is not stored twice
        row = store.query("SELECT event_id, n_sources FROM events")[0]
        assert row["n_sources"] == 1
        assert store.query("SELECT event_id FROM mentions")[0]["event_id"] == row["event_id"]


def test_rewriting_an_article_replaces_its_mentions(tmp_path):
    with Store(tmp_path / "t.duckdb") as store:
        store.write_batch([_article()], [_mention("m1")], [])
        store.write_batch([_article(text="Changed text.", h="h2")], [_mention("m2")], [])
        assert [m.mention_id for m in store.load_mentions()] == ["m2"]
        assert store.counts()["articles"] == 1


def test_failed_batch_leaves_nothing(tmp_path):
    with Store(tmp_path / "t.duckdb") as store:
        bad = _mention("m1")
        with pytest.raises(duckdb.ConstraintException):
            store.write_batch([_article()], [bad, bad], [])  # duplicate primary key
        assert store.counts()["articles"] == 0 and store.counts()["mentions"] == 0


def test_missing_database_read_only_is_a_clear_error(tmp_path):
    with pytest.raises(DatabaseError, match="no database"):
        Store(tmp_path / "nope.duckdb", read_only=True)


def test_unwritable_database_is_a_clear_error(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(DatabaseError, match="cannot open database"):
        Store(target / "sub" / "db.duckdb")


def test_flock_within_waits_then_gives_up_and_takes_a_free_lock(tmp_path) -> None:
    import time

    from eventcoder.util.locks import flock_within

    path = tmp_path / "x.lock"
    with open(path, "a+") as first, open(path, "a+") as second:
        assert flock_within(first, 0.0, poll=0.01)
        t0 = time.monotonic()
        assert not flock_within(second, 0.2, poll=0.05)  # held by the other descriptor
        assert time.monotonic() - t0 >= 0.2
        first.close()  # closing releases it
        assert flock_within(second, 1.0, poll=0.05)
