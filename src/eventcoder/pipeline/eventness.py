"""Eventness: is a coded mention a reported political act, or analysis, background, a description of
someone, a purpose or a hypothetical? A learned decision over the rules' own evidence.

The rules (:mod:`eventcoder.pipeline.coder`) propose a mention with its trigger, type, actors and how each was
found; this module reads that proposal as a bag of features (the trigger's clause and tense, quotes,
modals, reporting verbs, the actors' sectors and how the counterpart was found, the date's basis)
and gives the probability that an annotator would record the event. The model is a logistic
regression trained by ``scripts/train_eventness.py`` (seeded, CPU, seconds) on the annotated real
articles of ``eval/news`` (train split; thresholds chosen on the tune split) and shipped as
``data/eventness_model.json``; it is applied here in plain Python. Its probability, calibrated on
held-out articles, becomes the mention's ``confidence``; mentions below
``settings.EVENTNESS_MIN_PROBABILITY`` are dropped.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from eventcoder.models import Actor
from eventcoder.util.packaged import load_packaged

MODEL_FILE = "eventness_model.json"
MODALS = frozenset({"would", "could", "may", "might", "should", "must", "can", "will", "'ll", "shall"})
REPORTING = frozenset({"say", "tell", "claim", "allege", "report", "accuse", "insist", "argue", "suggest",
                       "believe", "estimate", "warn", "add", "write", "note", "according"})
SUBORDINATORS = frozenset({"after", "since", "before", "when", "while", "as", "until", "if", "unless",
                           "because", "although", "though", "once", "whether"})
QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})


def _clause_path(tok: Token, depth: int = 4) -> list[str]:
    """Dependency labels from the trigger up to the root, the clause-linking ones only."""
    out = []
    cur = tok
    for _ in range(depth):
        if cur.dep_ == "ROOT" or cur.head is cur:
            break
        if cur.dep_ in ("relcl", "acl", "advcl", "xcomp", "ccomp", "pcomp", "csubj", "conj", "appos", "pobj",
                        "nsubj", "dobj", "nsubjpass", "compound", "amod"):
            out.append(cur.dep_)
        cur = cur.head
    return out


def _in_quotes(tok: Token, sent: Span) -> bool:
    opened = False
    for t in sent:
        if t.i >= tok.i:
            break
        if t.text in ('"', "“", "”"):
            opened = not opened if t.text == '"' else t.text == "“"
    return opened


def mention_features(
    tok: Token, sent: Span, event_type: str, structure: str, source: list[Actor], target: list[Actor],
    implied: str, date_basis: str | None, date_precision: str | None, is_background: bool, s_index: int,
    type_probs: dict[str, float] | None = None,
) -> list[str]:
    """The features of one proposed mention (deterministic, order-free). ``type_probs``: the sentence
    type model's probabilities for the mention's sentence (its say on whether and what happened)."""
    f = {
        f"type:{event_type}", f"struct:{structure}", f"pos:{tok.pos_}", f"tag:{tok.tag_}", f"dep:{tok.dep_}",
        f"type_dep:{event_type}_{tok.dep_}", f"lemma:{tok.lemma_.lower()}", f"type_tag:{event_type}_{tok.tag_}",
        f"basis:{date_basis}", f"prec:{date_precision}", f"implied:{implied or '-'}",
        f"nsrc:{min(len(source), 3)}", f"ntgt:{min(len(target), 3)}",
    }
    for dep in _clause_path(tok):
        f.add(f"path:{dep}")
    head = tok.head
    f.add(f"head:{head.lemma_.lower()}" if head is not tok else "head:-")
    f.add(f"headpos:{head.pos_}")
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS:
            f.add(f"modal:{c.lower_}")
        if c.dep_ == "neg":
            f.add("neg")
        if c.dep_ == "mark":
            f.add(f"mark:{c.lower_}")
        if c.dep_ == "aux" and c.lower_ in ("has", "have", "had"):
            f.add("perfect")
    for anc in list(tok.ancestors)[:4]:
        if anc.lemma_.lower() in REPORTING:
            f.add(f"under:{anc.lemma_.lower()}")
        for c in anc.children:
            if c.dep_ == "mark" and c.lower_ in SUBORDINATORS:
                f.add(f"sub:{c.lower_}")
            if c.dep_ in ("aux",) and c.lower_ in MODALS:
                f.add("modal_above")
    if _in_quotes(tok, sent):
        f.add("quoted")
    if any(t.text in QUOTES for t in sent):
        f.add("sent_has_quote")
    if is_background:
        f.add("background")
    f.add(f"pos_in_article:{min(s_index, 5)}")
    for side, actors in (("src", source), ("tgt", target)):
        if not actors:
            f.add(f"{side}:none")
        for a in actors[:3]:
            f.add(f"{side}_sector:{a.sector or '-'}")
            f.add(f"{side}_country:{'known' if a.country else 'none'}")
            if not a.text:
                f.add(f"{side}:implicit")
    if type_probs:
        none = type_probs.get("NONE", 0.0)
        best = max((c for c in type_probs if c != "NONE"), key=lambda c: (type_probs[c], c))
        f.add(f"tm_none:{_bucket(none)}")
        f.add(f"tm_type:{_bucket(type_probs.get(event_type, 0.0))}")
        f.add(f"tm_agree:{best == event_type}")
        f.add(f"tm_best:{best}")
    lower = sent.text.lower()
    for cue in ("analysts", "expected to", "likely", "could", "would", "if ", "whether", "plans to", "aims to",
                "in order to", "who has", "which has", "has been", "have been", "over the past", "since"):
        if cue in lower:
            f.add(f"cue:{cue.strip()}")
    return sorted(f)


def _bucket(p: float) -> str:
    """A probability as one of five bands (the model learns a weight per band)."""
    return str(min(4, int(p * 5)))


class EventnessModel:
    """Binary logistic regression over :func:`mention_features`."""

    def __init__(self, weights: dict[str, float], bias: float, calibration: list[tuple[float, float]]) -> None:
        self.weights = weights
        self.bias = bias
        #: Piecewise-linear map from the raw score's probability to the observed rate (a logistic fit
        #: in the raw log-odds on held-out articles, sampled as knots), so the output is a calibrated
        #: probability.
        self.calibration = calibration

    @classmethod
    def from_file(cls, path: Path) -> EventnessModel:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls({k: float(v) for k, v in data["weights"].items()}, float(data["bias"]),
                   [(float(a), float(b)) for a, b in data.get("calibration", [])])

    @classmethod
    def default(cls) -> EventnessModel | None:
        """The model shipped with the package, or None when it carries none."""
        return _default_model()

    def raw(self, features: list[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def probability(self, features: list[str]) -> float:
        """Calibrated probability that the mention is a real, reported political event (kept within
        [0.01, 0.99]: a few hundred held-out mentions cannot show certainty)."""
        return min(0.99, max(0.01, self._calibrated(self.raw(features))))

    def _calibrated(self, p: float) -> float:
        cal = self.calibration
        if not cal:
            return p
        if p <= cal[0][0]:
            return cal[0][1]
        for (x0, y0), (x1, y1) in zip(cal, cal[1:], strict=False):
            if p <= x1:
                return y0 + (y1 - y0) * (p - x0) / (x1 - x0) if x1 > x0 else y1
        return cal[-1][1]


@lru_cache(maxsize=1)
def _default_model() -> EventnessModel | None:
    return load_packaged(MODEL_FILE, EventnessModel.from_file)
