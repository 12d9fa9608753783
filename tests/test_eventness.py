"""The eventness model: features of a proposed mention, calibrated probabilities, and its use by the coder."""

from __future__ import annotations

import pytest

from conftest import load_script
from eventcoder.models import Actor, Article
from eventcoder.pipeline.coder import EventCoder
from eventcoder.pipeline.eventness import EventnessModel, mention_features


def _features(nlp, text: str, word: str) -> list[str]:
    doc = nlp(text)
    sent = next(doc.sents)
    tok = next(t for t in sent if t.text == word)
    return mention_features(tok, sent, "ASSAULT", "dependency", [Actor("Russia", "Russia", "RUS", "MIL")], [],
                            "", "explicit", "day", False, 0)


def test_features_read_the_clause_the_trigger_stands_in(nlp) -> None:
    plain = _features(nlp, "Russian jets bombed the town on Sunday.", "bombed")
    relative = _features(nlp, "The pilot, who bombed the town in 2016, spoke on Sunday.", "bombed")
    modal = _features(nlp, "Russian jets could bomb the town, analysts said.", "bomb")
    assert "type:ASSAULT" in plain and "tgt:none" in plain and "src_sector:MIL" in plain
    assert "path:relcl" in relative and "path:relcl" not in plain
    assert "modal:could" in modal and "cue:analysts" in modal
    assert plain == sorted(set(plain))


def test_probabilities_are_calibrated_by_the_fitted_map() -> None:
    m = EventnessModel({"good": 3.0, "bad": -3.0}, 0.0, [(0.1, 0.2), (0.5, 0.5), (0.9, 0.7)])
    assert m.raw([]) == 0.5 and m.probability([]) == 0.5
    assert m.probability(["good"]) == 0.7  # beyond the last knot: its value
    assert m.probability(["bad"]) == 0.2
    assert abs(m._calibrated(0.3) - 0.35) < 1e-9  # between knots: linear
    assert EventnessModel({"x": 50.0}, 0.0, []).probability(["x"]) == 0.99  # never certainty


def test_the_shipped_model_loads_and_the_coder_uses_it(nlp) -> None:
    assert EventnessModel.default() is not None
    text = "Turkish jets bombed Kurdish positions near Afrin on Sunday."
    article = Article("t", text, published="2018-01-22", content_hash="h")
    never = EventnessModel({}, -10.0, [])
    assert not EventCoder(eventness=never).code_article(article, nlp(text))
    sure = EventnessModel({}, 10.0, [])
    coder = EventCoder(eventness=sure)
    coder.record_features = {}
    ms = coder.code_article(article, nlp(text))
    assert ms and all(m.confidence == 0.99 for m in ms)
    assert set(coder.record_features) == {m.mention_id for m in ms}
    assert EventCoder(use_model=False).eventness is None


def test_the_type_model_s_reading_of_the_sentence_is_a_feature(nlp, monkeypatch) -> None:
    """The sentence type model's reading (its probability of no event and of the mention's type, banded;
    its best type) reaches the eventness model as features; without it (rules only, or switched off)
    none is written."""
    from eventcoder import settings

    doc = nlp("Russian jets bombed the town on Sunday.")
    sent = next(doc.sents)
    tok = next(t for t in sent if t.text == "bombed")
    args = (tok, sent, "ASSAULT", "dependency", [Actor("Russia", "Russia", "RUS", "MIL")], [], "", "explicit", "day",
            False, 0)
    f = mention_features(*args, {"NONE": 0.05, "ASSAULT": 0.85, "COERCE": 0.1})
    assert {"tm_none:0", "tm_type:4", "tm_agree:True", "tm_best:ASSAULT"} <= set(f)
    f = mention_features(*args, {"NONE": 0.7, "ASSAULT": 0.1, "COERCE": 0.2})
    assert {"tm_none:3", "tm_type:0", "tm_agree:False", "tm_best:COERCE"} <= set(f)
    assert not any(x.startswith("tm_") for x in mention_features(*args))

    text = "Turkish jets bombed Kurdish positions near Afrin on Sunday."
    article = Article("t", text, published="2018-01-22", content_hash="h")
    for on in (True, False):
        monkeypatch.setattr(settings, "EVENTNESS_TYPE_MODEL_FEATURES", on)
        coder = EventCoder(eventness=EventnessModel({}, 10.0, []))
        coder.record_features = {}
        coder.code_article(article, nlp(text))
        feats = [x for fs in coder.record_features.values() for x in fs]
        assert feats and any(x.startswith("tm_none:") for x in feats) == on


def test_platt_calibration_is_smooth_and_monotone() -> None:
    # the training script's calibration: a logistic curve in the raw log-odds, sampled as knots; a
    # step function (isotonic) put the threshold on a cliff that moved between training runs
    import random

    pytest.importorskip("sklearn")
    mod = load_script("scripts/train_eventness.py", "train_eventness")
    rng = random.Random(3)
    examples = []
    for i in range(400):
        good = rng.random() < 0.5
        feats = ["cue"] if (good and rng.random() < 0.8) or (not good and rng.random() < 0.2) else []
        examples.append((f"a{i % 40}", feats + [f"n{rng.randint(0, 5)}"], int(good)))
    knots = mod.calibration(examples, 0.3, "platt")
    ys = [y for _, y in knots]
    assert len(knots) == 50 and all(0.0 < y < 1.0 for y in ys)
    assert ys == sorted(ys)  # monotone
    assert max(b - a for a, b in zip(ys, ys[1:], strict=False)) < 0.1  # no cliff between neighbouring knots
