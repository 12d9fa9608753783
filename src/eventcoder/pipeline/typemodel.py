"""A light trained model of a sentence's PLOVER event type, for sentences the trigger rules miss.

The rules (:mod:`eventcoder.pipeline.coder`) know a lexicon of triggers; news paraphrases them endlessly
("launched a mediation effort", "resorted to throwing stones"). This model reads a parsed sentence
as a bag of syntactic features (content lemmas, the root verb, verb–object, verb–preposition and
verb–complement pairs, negation and future marks; names are left out so it learns wording, not
actors) and gives a probability for each PLOVER type and for ``NONE``. It is a multinomial
logistic regression trained by ``scripts/train_type_model.py`` (seeded, CPU, seconds) on the NGEC
synthetic stories, our own sentences and the annotated real articles (a model trained with
``--off-topic`` also knows sentences of sport, entertainment, disaster and business news from ECB+, as
a class of their own, ``OFF_TOPIC``, read as ``NONE``; the shipped one does not); the weights ship as
``data/type_model.json`` and are applied here with numpy (a row of weights per feature, summed), so
running the coder needs no machine-learning library.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy
from spacy.tokens import Span, Token

from eventcoder.util.packaged import load_packaged

NONE = "NONE"
#: The class of sentences from news that is not political (sport, entertainment, disasters, business),
#: learned apart from NONE (political news reporting no event) so that neither blurs the other, and
#: read as NONE: :meth:`TypeModel.probabilities` adds its probability to NONE's.
OFF_TOPIC = "OFF_TOPIC"
CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ", "ADV"})
NEGATIONS = frozenset({"not", "n't", "never", "no"})
FUTURE = frozenset({"will", "would", "shall", "'ll", "wo"})
MODEL_FILE = "type_model.json"


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def sentence_features(sent: Span) -> list[str]:
    """The model's features of one parsed sentence (deterministic, order-free)."""
    feats: set[str] = set()
    for tok in sent:
        if tok.is_stop or tok.pos_ not in CONTENT_POS or not tok.is_alpha or tok.ent_type_ in (
            "GPE", "NORP", "PERSON", "ORG", "DATE", "CARDINAL", "TIME", "LOC", "FAC"
        ):
            continue
        lemma = _lemma(tok)
        feats.add(f"w:{lemma}")
        if tok.pos_ == "VERB":
            for child in tok.children:
                if child.dep_ in ("dobj", "obj", "nsubjpass", "attr") and child.pos_ == "NOUN":
                    feats.add(f"vo:{lemma}_{_lemma(child)}")
                elif child.dep_ == "prep":
                    feats.add(f"vp:{lemma}_{child.lower_}")
                    for g in child.children:
                        if g.dep_ == "pobj" and g.pos_ == "NOUN":
                            feats.add(f"vpo:{lemma}_{child.lower_}_{_lemma(g)}")
                elif child.dep_ in ("xcomp", "ccomp") and child.pos_ == "VERB":
                    feats.add(f"vx:{lemma}_{_lemma(child)}")
                elif child.dep_ == "prt":
                    feats.add(f"vprt:{lemma}_{child.lower_}")
                elif child.dep_ == "neg" or child.lower_ in NEGATIONS:
                    feats.add(f"neg:{lemma}")
                elif child.dep_ == "aux" and child.lower_ in FUTURE:
                    feats.add(f"fut:{lemma}")
        if tok.dep_ == "ROOT":
            feats.add(f"root:{lemma}")
    return sorted(feats)


@dataclass(frozen=True, slots=True)
class TypeScore:
    """The model's best type for a sentence and its probability."""

    event_type: str
    probability: float


class TypeModel:
    """Sparse multinomial logistic regression over :func:`sentence_features`."""

    def __init__(self, classes: list[str], weights: dict[str, list[tuple[int, float]]], intercept: list[float]) -> None:
        self.classes = classes
        self.weights = weights
        self.intercept = intercept
        self._dense: tuple[dict[str, int], numpy.ndarray, numpy.ndarray] | None = None

    @classmethod
    def from_file(cls, path: Path) -> TypeModel:
        """Read a model written by ``scripts/train_type_model.py``."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        weights = {f: [(int(i), float(w)) for i, w in pairs] for f, pairs in data["weights"].items()}
        return cls(list(data["classes"]), weights, [float(b) for b in data["intercept"]])

    @classmethod
    def default(cls) -> TypeModel | None:
        """The model shipped with the package, or None when the package carries none."""
        return _default_model()

    def _matrix(self) -> tuple[dict[str, int], numpy.ndarray, numpy.ndarray]:
        """The weights as a dense matrix (a row per feature, a column per class, and a last row of zeros
        that stands for unknown features and pads short lists), its row index and the intercept, built on
        first use: summing rows in numpy is much faster than adding the sparse pairs in Python, and the
        coder asks the trigger model about every content word."""
        if self._dense is None:
            index = {f: n for n, f in enumerate(self.weights)}
            matrix = numpy.zeros((len(index) + 1, len(self.classes)))
            for f, n in index.items():
                for i, w in self.weights[f]:
                    matrix[n, i] = w
            self._dense = index, matrix, numpy.asarray(self.intercept, dtype=float)
        return self._dense

    def probabilities(self, features: list[str]) -> dict[str, float]:
        """Probability of each class (the PLOVER types and NONE) given the features."""
        return self.probability_rows([features])[0]

    def probability_rows(self, feature_lists: Sequence[list[str]]) -> list[dict[str, float]]:
        """:meth:`probabilities` of each feature list, computed together (``OFF_TOPIC`` counted as NONE)."""
        rows = [dict(zip(self.classes, row, strict=True)) for row in self._probability_matrix(feature_lists).tolist()]
        if OFF_TOPIC in self.classes:
            for row in rows:
                row[NONE] = row.get(NONE, 0.0) + row.pop(OFF_TOPIC)
        return rows

    def best_classes(self, feature_lists: Sequence[list[str]]) -> list[TypeScore]:
        """For each feature list, its likeliest class other than ``NONE`` and ``OFF_TOPIC`` with its
        probability (ties: the later class name wins), computed together; the trigger model asks this of
        every content word of a sentence."""
        if not feature_lists:
            return []
        probs = self._probability_matrix(feature_lists)
        for no_event in (NONE, OFF_TOPIC):
            if no_event in self.classes:
                probs[:, self.classes.index(no_event)] = -1.0
        top = probs.max(axis=1, keepdims=True)
        ties = (probs == top).sum(axis=1).tolist()
        out = []
        for n, (best, p) in enumerate(zip(probs.argmax(axis=1).tolist(), top[:, 0].tolist(), strict=True)):
            if ties[n] > 1:
                best = max(numpy.flatnonzero(probs[n] == p).tolist(), key=self.classes.__getitem__)
            out.append(TypeScore(self.classes[best], p))
        return out

    def _probability_matrix(self, feature_lists: Sequence[list[str]]) -> numpy.ndarray:
        """A row of class probabilities per feature list: the softmax of the intercept plus the sum of
        the features' weight rows, for all the lists in a few numpy calls (a call per list costs more
        in overhead than in arithmetic; the coder scores tens of thousands of words and actors)."""
        index, matrix, intercept = self._matrix()
        zero = len(matrix) - 1  # the row of zeros: pads the shorter lists, stands for unknown features
        rows = [list(map(index.get, features, repeat(zero))) for features in feature_lists]
        table = numpy.full((len(rows), max(map(len, rows), default=0)), zero)
        for n, r in enumerate(rows):
            table[n, :len(r)] = r
        # summed along the list, row after row, as ``matrix[r].sum(axis=0)`` sums one list (bit for bit)
        scores = intercept + matrix[table].sum(axis=1)
        exps = numpy.exp(scores - scores.max(axis=1, keepdims=True))
        return exps / exps.sum(axis=1, keepdims=True)

    def predict(self, sent: Span) -> TypeScore:
        """The most probable class of a sentence."""
        probs = self.probabilities(sentence_features(sent))
        best = max(probs, key=lambda c: (probs[c], c))
        return TypeScore(best, probs[best])


def sparse_weights(
    names: Sequence[str], coef: Sequence[Sequence[float]], min_weight: float
) -> dict[str, list[list[float]]]:
    """A fitted multinomial model's weights in the shipped format: feature → [[class index, weight], …],
    dropping weights smaller than ``min_weight`` (the training scripts write models with it)."""
    weights: dict[str, list[list[float]]] = {}
    for j, name in enumerate(names):
        pairs = [[k, round(float(row[j]), 4)] for k, row in enumerate(coef) if abs(row[j]) >= min_weight]
        if pairs:
            weights[str(name)] = pairs
    return dict(sorted(weights.items()))


@lru_cache(maxsize=1)
def _default_model() -> TypeModel | None:
    return load_packaged(MODEL_FILE, TypeModel.from_file)
