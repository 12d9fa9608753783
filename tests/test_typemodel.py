"""The trained sentence type model: features, probabilities, the shipped file, and its use by the coder."""

from __future__ import annotations

import math

import pytest

from eventcoder.models import Article
from eventcoder.pipeline.coder import EventCoder
from eventcoder.pipeline.triggers import PLOVER_TYPES
from eventcoder.pipeline.typemodel import NONE, OFF_TOPIC, TypeModel, sentence_features


@pytest.fixture(scope="module")
def model():
    m = TypeModel.default()
    assert m is not None, "the package ships data/type_model.json"
    return m


def test_features_are_wording_not_names(nlp):
    feats = sentence_features(next(nlp("Chile and Peru upgraded their diplomatic ties on Monday.").sents))
    assert "root:upgrade" in feats and "vo:upgrade_tie" in feats
    assert not any("chile" in f or "peru" in f or "monday" in f for f in feats)
    assert feats == sorted(set(feats))


def test_probabilities_cover_every_type_and_sum_to_one(model):
    assert set(model.classes) <= set(PLOVER_TYPES) | {NONE, OFF_TOPIC}
    assert OFF_TOPIC not in model.probabilities(["w:attack"])  # read as NONE
    assert len(set(model.classes) & set(PLOVER_TYPES)) == 16
    probs = model.probabilities(["root:attack", "vo:shell_position"])
    assert math.isclose(sum(probs.values()), 1.0, rel_tol=1e-9)
    # Most sentences of real news report no event, so NONE may stay first; among the types the
    # wording points to ASSAULT, and raises it above its prior.
    types = {t: p for t, p in probs.items() if t != NONE}
    assert max(types, key=types.get) == "ASSAULT"
    assert probs["ASSAULT"] > model.probabilities([])["ASSAULT"]


def test_unknown_features_give_the_prior(model):
    assert model.probabilities(["w:zzzz-never-seen"]) == model.probabilities([])


def test_probabilities_are_the_softmax_of_summed_sparse_weights():
    # Worked by hand: scores = intercept + each known feature's (class, weight) pairs, then softmax.
    m = TypeModel(["A", "B", NONE], {"f1": [(0, 1.0), (2, -0.5)], "f2": [(1, 2.0)]}, [0.1, 0.0, 0.3])
    scores = [0.1 + 1.0, 0.0 + 2.0, 0.3 - 0.5]
    total = sum(math.exp(s) for s in scores)
    probs = m.probabilities(["f2", "unseen", "f1"])
    assert list(probs) == ["A", "B", NONE]
    for c, s in zip(["A", "B", NONE], scores, strict=True):
        assert math.isclose(probs[c], math.exp(s) / total, rel_tol=1e-12)
    prior = [math.exp(b) for b in (0.1, 0.0, 0.3)]
    assert math.isclose(m.probabilities([])["B"], prior[1] / sum(prior), rel_tol=1e-12)


def test_batched_scoring_is_each_list_scored_alone(model):
    # The coder scores a sentence's words (and a frame's actors) together; each row must be exactly
    # what scoring its list alone gives, whatever the other lists' lengths.
    known = sorted(model.weights)[:60]
    lists = [[], ["w:zzzz-never-seen"], known[:1], known[5:40], sorted(known[10:13] + ["w:zzzz"]), known]
    rows = model.probability_rows(lists)
    assert rows == [model.probabilities(f) for f in lists]
    for features, best in zip(lists, model.best_classes(lists), strict=True):
        probs = model.probabilities(features)
        top = max((c for c in probs if c != NONE), key=lambda c: (probs[c], c))
        assert (best.event_type, best.probability) == (top, probs[top])
    assert model.best_classes([]) == [] and model.probability_rows([]) == []


def test_best_class_ties_go_to_the_later_name_and_skip_none():
    m = TypeModel(["A", "B", NONE], {"f": [(0, 1.0), (1, 1.0), (2, 5.0)]}, [0.0, 0.0, 0.0])
    (best,) = m.best_classes([["f"]])
    assert best.event_type == "B" and best.probability == m.probabilities(["f"])["B"]


def test_off_topic_class_counts_as_no_event():
    # Learned apart from NONE, read as NONE: its probability is added to NONE's, and it is never the
    # best type of a sentence or word.
    m = TypeModel(["A", NONE, OFF_TOPIC], {"goal": [(2, 3.0)], "strike": [(0, 2.0)]}, [0.0, 0.5, 0.0])
    scores = [0.0, 0.5, 3.0]
    total = sum(math.exp(s) for s in scores)
    probs = m.probabilities(["goal"])
    assert list(probs) == ["A", NONE]
    assert math.isclose(probs[NONE], (math.exp(0.5) + math.exp(3.0)) / total, rel_tol=1e-12)
    assert math.isclose(sum(probs.values()), 1.0, rel_tol=1e-12)
    assert [b.event_type for b in m.best_classes([["goal"], ["strike"], []])] == ["A", "A", "A"]


def test_shipped_model_reads_paraphrases(model, nlp):
    """Clear sentences, written for this test, with wording the trigger lexicon does not list."""
    cases = {
        "Hundreds of students poured into the streets of the capital chanting against the president.": "PROTEST",
        "Rebels ambushed an army convoy near the border, killing six soldiers.": "ASSAULT",
        "The government lifted the ban on opposition newspapers.": "CONCEDE",
        "The finance ministry said inflation slowed to four percent in March.": NONE,
    }
    got = {text: model.predict(next(nlp(text).sents)).event_type for text in cases}
    assert got == cases


def test_coder_falls_back_on_the_model_and_says_so(nlp):
    """Where the lexicon finds no trigger the model types the sentence; the rule names it and its score."""
    toy = TypeModel(["NONE", "SUPPORT"], {"root:revamp": [(1, 4.0)]}, [0.0, -1.0])
    text = "Chile and Peru revamped their diplomatic ties on Monday."
    article = Article("t", text, published="2021-10-05", content_hash="h")
    m = next(m for m in EventCoder(model=toy).code_article(article, nlp(text)) if m.rule.startswith("model:"))
    assert m.event_type == "SUPPORT" and {a.country for a in m.source} == {"CHL", "PER"}
    assert m.rule == "model:SUPPORT p=0.95 (revamp)" and m.confidence < 1.0
    assert not EventCoder(use_model=False).code_article(article, nlp(text))
    unsure = TypeModel(["NONE", "SUPPORT"], {"root:revamp": [(1, 0.0)]}, [0.0, -1.0])  # p=0.27
    assert not EventCoder(model=unsure).code_article(article, nlp(text))


def test_the_model_may_add_a_missed_type_or_drop_the_rules_candidates(nlp, monkeypatch):
    """Off by default (they lost F1 on the tune split), the two hooks still do what they say."""
    from eventcoder import settings

    text = "Chile and Peru signed a trade agreement in Lima on Monday."
    article = Article("t", text, published="2021-10-05", content_hash="h")
    sure_aid = TypeModel(["NONE", "AID"], {"root:sign": [(1, 5.0)]}, [0.0, 0.0])
    base = {m.event_type for m in EventCoder(model=sure_aid).code_article(article, nlp(text))}
    assert "AID" not in base
    monkeypatch.setattr(settings, "MODEL_ADD_MIN_PROBABILITY", 0.5)
    added = {m.event_type for m in EventCoder(model=sure_aid).code_article(article, nlp(text))}
    assert added == base | {"AID"}
    monkeypatch.setattr(settings, "MODEL_ADD_MIN_PROBABILITY", None)
    nothing = TypeModel(["NONE", "AID"], {"root:sign": [(0, 9.0)]}, [0.0, 0.0])
    monkeypatch.setattr(settings, "MODEL_NONE_DROP_PROBABILITY", 0.9)
    assert not EventCoder(model=nothing).code_article(article, nlp(text))
