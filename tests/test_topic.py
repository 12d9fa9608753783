"""The topic model: an article that is surely not political news (sport, entertainment, a disaster,
business) is set aside whole, and political news never is."""

from __future__ import annotations

import math

import pytest

from eventcoder import settings
from eventcoder.models import Article
from eventcoder.pipeline.coder import OFF_TOPIC_ARTICLE, EventCoder
from eventcoder.pipeline.topic import OTHER, POLITICAL, TopicModel, topic_features, word_count
from eventcoder.pipeline.typemodel import TypeModel

MATCH = ("United beat City 3-1 on Saturday as the striker fired in two goals in the second half and the "
         "visitors' defence crumbled. The coach said his players had attacked with courage, and the win "
         "lifts the club to second in the table before next week's away game.")
TALKS = ("Russia and Turkey agreed on Monday to open talks on the border crossings, the foreign ministry "
         "said, after Ankara accused Moscow of shelling its positions near Idlib last week. The United "
         "Nations urged both governments to keep the ceasefire and release detained civilians.")


def _toy() -> TopicModel:
    """OTHER rises with football words: P(OTHER) = sigmoid(-2 + 3 per football word)."""
    weights = {f"w:{w}": [(1, 3.0)] for w in ("goals", "striker", "coach")}
    return TopicModel(TypeModel([POLITICAL, OTHER], weights, [0.0, -2.0]))


def test_features_are_the_text_s_distinct_words() -> None:
    f = topic_features("The Striker scored; the striker's goals, and THE goals again.")
    assert f == sorted(set(f)) and {"w:striker", "w:scored", "w:goals", "w:again"} <= set(f)
    assert "w:the" not in f and "w:and" not in f and "w:s" not in f  # function words, short words
    assert word_count("Two words") == 2


def test_probability_is_the_logistic_of_the_summed_weights() -> None:
    m = _toy()
    assert math.isclose(m.other_probability(MATCH), 1 / (1 + math.exp(-(3.0 * 3 - 2.0))), rel_tol=1e-9)
    assert math.isclose(m.other_probability(TALKS), 1 / (1 + math.exp(2.0)), rel_tol=1e-9)
    with pytest.raises(ValueError):
        TopicModel(TypeModel(["A", "B"], {}, [0.0, 0.0]))


def test_only_a_sure_verdict_on_a_long_enough_article_sets_it_aside(monkeypatch) -> None:
    m = _toy()
    assert m.off_topic(MATCH) and not m.off_topic(TALKS)
    monkeypatch.setattr(settings, "TOPIC_MIN_WORDS", word_count(MATCH) + 1)
    assert not m.off_topic(MATCH)  # too short to judge
    monkeypatch.setattr(settings, "TOPIC_MIN_WORDS", 10)
    monkeypatch.setattr(settings, "TOPIC_OTHER_MIN_PROBABILITY", None)
    assert not m.off_topic(MATCH)  # the gate switched off


def test_the_coder_codes_nothing_in_an_off_topic_article_and_says_why(nlp) -> None:
    coder = EventCoder(topic=_toy())
    coder.trace = {}
    article = Article("m", MATCH, published="2021-03-06", content_hash="m")
    assert coder.code_article(article, nlp(MATCH)) == []
    assert coder.stats.dropped.get(OFF_TOPIC_ARTICLE) == 1
    assert [e.outcome for e in coder.trace["m"]] == [OFF_TOPIC_ARTICLE]
    # the same words in political news are coded as ever
    kept = coder.code_article(Article("t", TALKS, published="2021-03-06", content_hash="t"), nlp(TALKS))
    assert {m.event_type for m in kept} >= {"AGREE", "REQUEST"}


def test_shipped_model_never_sets_aside_political_news() -> None:
    model = TopicModel.default()
    assert model is not None
    assert model.other_probability(TALKS) < 0.05 and not model.off_topic(TALKS)
    assert model.other_probability(MATCH) > model.other_probability(TALKS)
