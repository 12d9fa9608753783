"""The trigger model: its features, and how the coder lets it choose the event word of a sentence the
lexicon finds nothing in."""

from __future__ import annotations

import pytest

from eventcoder import settings
from eventcoder.models import Article
from eventcoder.pipeline.coder import EventCoder
from eventcoder.pipeline.triggermodel import (
    TriggerModel,
    is_trigger_candidate,
    sentence_actor_entities,
    trigger_features,
)

TEXT = "Iran outfoxed Iraq at the border talks on Monday, officials said."


def _code(nlp, coder: EventCoder, text: str = TEXT):
    return coder.code_article(Article("t", text, published="2021-03-01", content_hash="h"), nlp(text))


def _word(nlp, text: str, word: str):
    return next(t for t in nlp(text) if t.text == word)


def test_features_read_the_word_in_its_parse_and_carry_the_lexicon_s_verdict(nlp) -> None:
    tok = _word(nlp, "Turkey shelled Kurdish positions near Afrin on Sunday.", "shelled")
    f = trigger_features(tok, "ASSAULT")
    assert {"l:shell", "pos:VERB", "lex:ASSAULT", "root", "oarg:ENTSUB"} <= set(f)
    assert "s:nsubj_ENT" in f
    assert f == sorted(set(f)) == trigger_features(tok, "ASSAULT")
    assert "lex:-" in trigger_features(tok, None)
    # The sentence's count of actor names, given once per sentence by the coder, is the one counted here.
    assert sentence_actor_entities(tok.sent) == 3 and "ents:3" in f  # Turkey, Kurdish, Afrin; not Sunday
    assert trigger_features(tok, "ASSAULT", sentence_actor_entities(tok.sent)) == f


def test_names_and_function_words_are_no_candidates(nlp) -> None:
    doc = nlp("Turkey shelled the positions of the Kurdish militia.")
    assert [t.text for t in doc if is_trigger_candidate(t)] == ["shelled", "positions", "militia"]


@pytest.fixture
def stub() -> TriggerModel:
    """Sure that "outfox" reports an assault, and that nothing else reports anything."""
    return TriggerModel(["NONE", "ASSAULT"], {"l:outfox": [(1, 8.0)]}, [0.0, -4.0])


def test_the_trigger_model_picks_the_event_word_of_a_sentence_the_lexicon_misses(nlp, stub) -> None:
    assert not EventCoder(use_model=False).lexicon.match(_word(nlp, TEXT, "outfoxed"))
    coder = EventCoder(triggers=stub)
    coder.eventness = None
    mentions = _code(nlp, coder, TEXT)
    assert [(m.event_type, m.trigger) for m in mentions] == [("ASSAULT", "outfoxed")]
    m = mentions[0]
    assert m.rule.startswith("model:ASSAULT p=0.98 (outfox)")
    assert [a.country for a in m.source] == ["IRN"] and [a.country for a in m.target] == ["IRQ"]


def test_below_its_threshold_the_type_model_codes_the_main_verb_as_before(nlp, stub, monkeypatch) -> None:
    monkeypatch.setattr(settings, "TRIGGER_MODEL_MIN_PROBABILITY", 0.99)
    coder = EventCoder(triggers=stub)
    coder.eventness = None
    assert all(m.trigger != "outfoxed" or not m.rule.startswith("model:ASSAULT p=0.98") for m in _code(nlp, coder))
    monkeypatch.setattr(settings, "TRIGGER_MODEL_FALLBACK", False)
    assert _code(nlp, coder) == []


def test_with_a_lexicon_trigger_in_the_sentence_a_sure_further_word_is_added_only_when_asked(nlp, stub, monkeypatch):
    text = "Iran accused Iraq of spying and outfoxed its envoy at the talks on Monday."
    coder = EventCoder(triggers=stub)
    coder.eventness = None
    assert "outfoxed" not in [m.trigger for m in _code(nlp, coder, text)]
    monkeypatch.setattr(settings, "TRIGGER_MODEL_ADD_PROBABILITY", 0.9)
    assert ("ASSAULT", "outfoxed") in [(m.event_type, m.trigger) for m in _code(nlp, coder, text)]
