"""Site boilerplate found across a corpus (recurrence per outlet + not news) and dropped from bodies."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventcoder.models import Article
from eventcoder.pipeline.boilerplate import drop_boilerplate, find_boilerplate, fingerprint, not_news, paragraphs
from eventcoder.pipeline.ingest import read_inputs

DATA = Path(__file__).parent / "data" / "boilerplate"
BLURB = "Harbor Times is an independent daily newspaper"
PITCH = "Did this story help you?"
CREDIT = "Reporting by the harbour desk"
DATED_BG = "In March 2019, Romania and Bulgaria signed an accord"
UNDATED_BG = "The two governments signed a pact on sharing port inspection data"
LETTERS = "Letters to the editor may be shortened"


def _articles(name: str = "articles.jsonl") -> list[Article]:
    return [a for a in read_inputs([DATA / name]) if isinstance(a, Article)]


def _found_texts(articles: list[Article]) -> set[str]:
    found = find_boilerplate(articles)
    return {p for a in articles for p in paragraphs(a.text) if fingerprint(p) in found}


def test_outlet_blurb_reader_pitch_and_credit_line_are_boilerplate_even_when_reworded():
    texts = _found_texts(_articles())
    for start in (BLURB, PITCH, CREDIT):
        variants = {t for t in texts if t.startswith(start)}
        assert variants, start
    # The pitch has three wordings across four articles: every copy is found through LSH.
    assert len({t for t in texts if t.startswith(PITCH)}) == 3


def test_recycled_news_background_is_kept():
    texts = _found_texts(_articles())
    assert not {t for t in texts if t.startswith((DATED_BG, UNDATED_BG))}


def test_a_paragraph_in_only_two_articles_of_an_outlet_is_kept():
    assert not {t for t in _found_texts(_articles()) if t.startswith(LETTERS)}


def test_recurrence_counts_within_one_outlet_only():
    arts = _articles()
    for i, a in enumerate(arts):
        a.source = f"outlet {i}"  # the same paragraphs, now each in a different outlet
    assert find_boilerplate(arts) == set()


@pytest.mark.parametrize("text,expected", [
    ("Harbor Times is a daily founded in 2004.", True),  # the outlet describing itself, year or not
    ("Subscribe to our newsletter for the morning briefing.", True),  # addresses the reader
    ("Reporting by the harbour desk; copy editing by the night team.", True),  # no trigger, no date
    ("The two governments signed a pact on port data.", False),  # an event trigger
    ("Subscribe now: talks resume on March 3 in Varna.", False),  # dated
])
def test_not_news(text: str, expected: bool):
    assert not_news(text, "harbor times") is expected


def test_drop_keeps_the_identity_of_the_text_before_the_drop():
    arts = _articles()
    found = find_boilerplate(arts)
    before = arts[0]
    after, n = drop_boilerplate(before, found)
    assert n == 3
    assert after.content_hash == before.content_hash and after.article_id == before.article_id
    assert BLURB not in after.text and PITCH not in after.text and DATED_BG in after.text
    assert after.n_chars == len(after.text) and "\n\n\n" not in after.text
    assert drop_boilerplate(before, set()) == (before, 0)


def test_result_does_not_depend_on_input_order():
    arts = _articles()
    assert find_boilerplate(arts) == find_boilerplate(arts[::-1])


def test_engine_drops_boilerplate_remembers_it_and_reruns_add_nothing(tmp_path):
    from eventcoder.engines.local import LocalEngine
    from eventcoder.store import Store

    engine = LocalEngine()
    with Store(tmp_path / "b.duckdb") as store:
        first = engine.run([DATA / "articles.jsonl"], store)
        assert first.boilerplate_paragraphs == 12 and first.articles_new == 6
        texts = {r["article_id"]: r["text"] for r in store.query("SELECT article_id, text FROM articles")}
        assert all(BLURB not in t and PITCH not in t and CREDIT not in t for t in texts.values())
        assert DATED_BG in texts["ht-001"] and LETTERS in texts["sp-001"]
        again = engine.run([DATA / "articles.jsonl"], store)
        assert again.articles_new == 0 and again.articles_unchanged == 6
        # A later run with one new story: the boilerplate found before is dropped from it too.
        later = engine.run([DATA / "later.jsonl"], store)
        assert later.articles_new == 1 and later.boilerplate_paragraphs == 2
        (text,) = store.con.execute("SELECT text FROM articles WHERE article_id = 'ht-005'").fetchone()
        assert BLURB not in text and PITCH not in text and "Varna port reopened" in text
